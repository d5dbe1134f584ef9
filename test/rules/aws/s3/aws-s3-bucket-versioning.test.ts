import { s3BucketVersioning } from "../../../../lib/rules/aws/s3/s3-bucket-versioning";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-s3-bucket-versioning", () => {
  const doc = {
    resource: {
      aws_s3_bucket: {
        good: { bucket_prefix: "good" },
        off: { bucket_prefix: "off" },
        none: {},
        named: { bucket: "named-bucket" },
        unknown: {},
      },
      aws_s3_bucket_versioning: {
        good: { bucket: "${aws_s3_bucket.good.id}", versioning_configuration: { status: "Enabled" } },
        off: { bucket: "${aws_s3_bucket.off.bucket}", versioning_configuration: [{ status: "Suspended" }] },
        named: { bucket: "named-bucket", versioning_configuration: { status: "Enabled" } },
        unknown: { bucket: "${aws_s3_bucket.unknown.id}", versioning_configuration: { status: "${var.status}" } },
      },
    },
  };

  it("passes a bucket whose versioning resource enables it, by reference or by name", () => {
    const findings = checkJson(s3BucketVersioning, doc);
    expect(statuses(findings)).toEqual({
      "aws_s3_bucket.good": "pass",
      "aws_s3_bucket.off": "fail",
      "aws_s3_bucket.none": "fail",
      "aws_s3_bucket.named": "pass",
      "aws_s3_bucket.unknown": "fail",
    });
    expect(findingFor(findings, "aws_s3_bucket.unknown").message).toMatch(/^unresolved: .*var\.status/);
    expect(findingFor(findings, "aws_s3_bucket.none").message).toMatch(/no aws_s3_bucket_versioning/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      s3BucketVersioning,
      `resource "aws_s3_bucket" "good" {}
       resource "aws_s3_bucket_versioning" "good" {
         bucket = aws_s3_bucket.good.id
         versioning_configuration { status = "Enabled" }
       }
       resource "aws_s3_bucket" "off" {}`,
    );
    expect(statuses(findings)).toEqual({ "aws_s3_bucket.good": "pass", "aws_s3_bucket.off": "fail" });
  });
});
