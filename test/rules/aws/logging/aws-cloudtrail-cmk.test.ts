import { cloudtrailCmk as rule } from "../../../../lib/rules/aws/logging/cloudtrail-cmk";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-cloudtrail-cmk", () => {
  it("passes trails encrypted with a customer-managed key", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_kms_key: { logs: {} },
        aws_cloudtrail: {
          key: { s3_bucket_name: "b", kms_key_id: "${aws_kms_key.logs.arn}" },
          none: { s3_bucket_name: "b" },
          aws_managed: { s3_bucket_name: "b", kms_key_id: "arn:aws:kms:eu-west-1:111122223333:alias/aws/cloudtrail" },
          variable: { s3_bucket_name: "b", kms_key_id: "${var.key}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_cloudtrail.key": "pass",
      "aws_cloudtrail.none": "fail",
      "aws_cloudtrail.aws_managed": "fail",
      "aws_cloudtrail.variable": "fail",
    });
    expect(findingFor(findings, "aws_cloudtrail.none").message).toMatch(/kms_key_id is not set, so log files are encrypted with SSE-S3/);
    expect(findingFor(findings, "aws_cloudtrail.aws_managed").message).toMatch(/AWS-managed key/);
    expect(findingFor(findings, "aws_cloudtrail.variable").message).toMatch(/^unresolved: .*var\.key/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_kms_key" "logs" {}
       resource "aws_cloudtrail" "good" {
         name = "g"
         s3_bucket_name = "b"
         kms_key_id = aws_kms_key.logs.arn
       }
       resource "aws_cloudtrail" "plain" {
         name = "p"
         s3_bucket_name = "b"
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_cloudtrail.good": "pass", "aws_cloudtrail.plain": "fail" });
  });
});
