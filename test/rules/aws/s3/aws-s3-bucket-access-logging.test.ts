import { s3BucketAccessLogging as rule } from "../../../../lib/rules/aws/s3/s3-bucket-access-logging";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const LOG_ROLE = { "saip:role": "access-logs" };

describe("aws-s3-bucket-access-logging", () => {
  const findings = checkJson(rule, {
    resource: {
      aws_s3_bucket: {
        data: {},
        named: { bucket: "named-bucket" },
        inline_list: { logging: [{ target_bucket: "literal-log-bucket", target_prefix: "x/" }] },
        inline_object: { logging: { target_bucket: "${aws_s3_bucket.logs.id}" } },
        logs: { tags: LOG_ROLE },
        literal_logs: { bucket: "literal-log-bucket", tags: { team: "sec", ...LOG_ROLE } },
        // A data bucket made the target of one logging resource is not thereby a log bucket.
        feeder: {},
        datasets: {},
        wrong_role: { tags: { "saip:role": "datasets" } },
        tag_from_variable: { tags: "${var.tags}" },
        tagged_only: { tags: LOG_ROLE },
        self: {},
        none: {},
        variable: {},
      },
      aws_s3_bucket_logging: {
        data: { bucket: "${aws_s3_bucket.data.id}", target_bucket: "${aws_s3_bucket.logs.bucket}", target_prefix: "data/" },
        named: { bucket: "named-bucket", target_bucket: "${aws_s3_bucket.logs.bucket}", target_prefix: "named/" },
        self: { bucket: "${aws_s3_bucket.self.id}", target_bucket: "${aws_s3_bucket.self.bucket}", target_prefix: "self/" },
        variable: { bucket: "${aws_s3_bucket.variable.id}", target_bucket: "${var.log_bucket}", target_prefix: "v/" },
        into_datasets: { bucket: "${aws_s3_bucket.feeder.id}", target_bucket: "${aws_s3_bucket.datasets.bucket}", target_prefix: "n/" },
        into_wrong_role: { bucket: "${aws_s3_bucket.feeder.id}", target_bucket: "${aws_s3_bucket.wrong_role.id}", target_prefix: "w/" },
        into_variable_tags: {
          bucket: "${aws_s3_bucket.feeder.id}",
          target_bucket: "${aws_s3_bucket.tag_from_variable.id}",
          target_prefix: "t/",
        },
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
    expect(findingFor(findings, "aws_s3_bucket.data").message).toMatch(
      /server access logs go to \$\{aws_s3_bucket\.logs\.bucket\} \(aws_s3_bucket_logging\.data\)/,
    );
    expect(findingFor(findings, "aws_s3_bucket.inline_list").message).toMatch(/"literal-log-bucket" \(the inline logging block\)/);
  });

  it("exempts log buckets that receive access logs and carry the role tag, and says why", () => {
    expect(findingFor(findings, "aws_s3_bucket.logs").status).toBe("pass");
    expect(findingFor(findings, "aws_s3_bucket.logs").message).toMatch(
      /^exempt: it is declared a log bucket \(tag saip:role = "access-logs"\) and receives server access logs from aws_s3_bucket_logging\.data, aws_s3_bucket_logging\.named, aws_s3_bucket\.inline_object.*does not log to itself/,
    );
    expect(findingFor(findings, "aws_s3_bucket.literal_logs").status).toBe("pass");
    expect(findingFor(findings, "aws_s3_bucket.literal_logs").message).toMatch(/exempt: .*aws_s3_bucket\.inline_list/);
  });

  it("does not exempt a logging target without the role tag, nor the tag without log delivery", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_s3_bucket.datasets": "fail",
      "aws_s3_bucket.wrong_role": "fail",
      "aws_s3_bucket.tag_from_variable": "fail",
      "aws_s3_bucket.tagged_only": "fail",
    });
    expect(findingFor(findings, "aws_s3_bucket.datasets").message).toMatch(
      /object access is not logged; it receives server access logs from aws_s3_bucket_logging\.into_datasets but is not declared a log bucket \(tag saip:role = "access-logs" in tags\), so it is not exempt/,
    );
    expect(findingFor(findings, "aws_s3_bucket.tagged_only").message).toBe(
      "no aws_s3_bucket_logging is attached and no inline logging block is set, so object access is not logged",
    );
  });

  it("fails buckets that do not log, or log to themselves", () => {
    expect(statuses(findings)).toMatchObject({ "aws_s3_bucket.none": "fail", "aws_s3_bucket.self": "fail" });
    expect(findingFor(findings, "aws_s3_bucket.self").message).toMatch(/to the bucket itself/);
    expect(findingFor(findings, "aws_s3_bucket.none").message).toMatch(/no aws_s3_bucket_logging/);
  });

  it("leaves a target from a variable unresolved", () => {
    expect(findingFor(findings, "aws_s3_bucket.variable").message).toMatch(
      /^unresolved: aws_s3_bucket_logging\.variable: target_bucket is .*var\.log_bucket/,
    );
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_s3_bucket" "data" {}
       resource "aws_s3_bucket" "logs" {
         tags = { "saip:role" = "access-logs" }
       }
       resource "aws_s3_bucket" "quiet" {}
       resource "aws_s3_bucket" "untagged_target" {}
       resource "aws_s3_bucket_logging" "quiet" {
         bucket        = aws_s3_bucket.quiet.id
         target_bucket = aws_s3_bucket.untagged_target.id
       }
       resource "aws_s3_bucket_logging" "data" {
         bucket        = aws_s3_bucket.data.id
         target_bucket = aws_s3_bucket.logs.id
         target_prefix = "data/"
       }`,
    );
    expect(statuses(hcl)).toEqual({
      "aws_s3_bucket.data": "pass",
      "aws_s3_bucket.logs": "pass",
      "aws_s3_bucket.quiet": "pass",
      "aws_s3_bucket.untagged_target": "fail",
    });
  });
});
