import { s3BucketAccessLogging as rule } from "../../../../lib/rules/aws/s3/bucket-access-logging";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-s3-bucket-access-logging", () => {
  const findings = checkJson(rule, {
    resource: {
      aws_s3_bucket: {
        data: {},
        named: { bucket: "named-bucket" },
        inline_list: { logging: [{ target_bucket: "literal-log-bucket", target_prefix: "x/" }] },
        inline_object: { logging: { target_bucket: "${aws_s3_bucket.logs.id}" } },
        logs: {},
        literal_logs: { bucket: "literal-log-bucket" },
        self: {},
        none: {},
        variable: {},
      },
      aws_s3_bucket_logging: {
        data: { bucket: "${aws_s3_bucket.data.id}", target_bucket: "${aws_s3_bucket.logs.bucket}", target_prefix: "data/" },
        named: { bucket: "named-bucket", target_bucket: "${aws_s3_bucket.logs.bucket}", target_prefix: "named/" },
        self: { bucket: "${aws_s3_bucket.self.id}", target_bucket: "${aws_s3_bucket.self.bucket}", target_prefix: "self/" },
        variable: { bucket: "${aws_s3_bucket.variable.id}", target_bucket: "${var.log_bucket}", target_prefix: "v/" },
      },
    },
  });

  it("passes buckets that log to another bucket, separately or inline", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_s3_bucket.data": "pass",
      "aws_s3_bucket.named": "pass",
      "aws_s3_bucket.inline_list": "pass",
      "aws_s3_bucket.inline_object": "pass",
    });
    expect(findingFor(findings, "aws_s3_bucket.data").message).toMatch(/server access logs go to \$\{aws_s3_bucket\.logs\.bucket\} \(aws_s3_bucket_logging\.data\)/);
    expect(findingFor(findings, "aws_s3_bucket.inline_list").message).toMatch(/"literal-log-bucket" \(the inline logging block\)/);
  });

  it("exempts log buckets and says why", () => {
    expect(findingFor(findings, "aws_s3_bucket.logs").status).toBe("pass");
    expect(findingFor(findings, "aws_s3_bucket.logs").message).toMatch(/^exempt: .*aws_s3_bucket_logging\.data, aws_s3_bucket_logging\.named, aws_s3_bucket\.inline_object.*does not log to itself/);
    expect(findingFor(findings, "aws_s3_bucket.literal_logs").message).toMatch(/exempt: .*aws_s3_bucket\.inline_list/);
  });

  it("fails buckets that do not log, or log to themselves", () => {
    expect(statuses(findings)).toMatchObject({ "aws_s3_bucket.none": "fail", "aws_s3_bucket.self": "fail" });
    expect(findingFor(findings, "aws_s3_bucket.self").message).toMatch(/to the bucket itself/);
    expect(findingFor(findings, "aws_s3_bucket.none").message).toMatch(/no aws_s3_bucket_logging/);
  });

  it("leaves a target from a variable unresolved", () => {
    expect(findingFor(findings, "aws_s3_bucket.variable").message).toMatch(/^unresolved: aws_s3_bucket_logging\.variable: target_bucket is .*var\.log_bucket/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_s3_bucket" "data" {}
       resource "aws_s3_bucket" "logs" {}
       resource "aws_s3_bucket" "quiet" {}
       resource "aws_s3_bucket_logging" "data" {
         bucket        = aws_s3_bucket.data.id
         target_bucket = aws_s3_bucket.logs.id
         target_prefix = "data/"
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_s3_bucket.data": "pass", "aws_s3_bucket.logs": "pass", "aws_s3_bucket.quiet": "fail" });
  });
});
