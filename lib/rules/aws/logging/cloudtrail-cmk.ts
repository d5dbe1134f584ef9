import { fail, Rule } from "../../../compliance/rule";
import { customerManagedKey, valueAt } from "../../helpers";

export const cloudtrailCmk: Rule = {
  id: "aws-cloudtrail-cmk",
  title: "CloudTrail log files are encrypted with a customer-managed KMS key",
  requirements: ["AICP-AUDIT-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_cloudtrail"],
  checkov: ["CKV_AWS_35"],
  trivy: ["AVD-AWS-0015"],
  relations: {
    CKV_AWS_35: {
      relation: "stricter",
      reason:
        "CKV_AWS_35 passes any kms_key_id; this rule fails a key that is not customer-managed and leaves one not known before apply unresolved",
    },
  },
  remediation: "Set kms_key_id to a customer-managed key whose policy lets CloudTrail use it (AuditTrail uses the keyring's logs key).",
  examples: {
    good: [
      `
      resource "aws_kms_key" "logs" {
        enable_key_rotation = true
      }

      resource "aws_cloudtrail" "org" {
        name           = "org"
        s3_bucket_name = "audit-logs"
        kms_key_id     = aws_kms_key.logs.arn
      }
    `,
    ],
    bad: [
      `
      resource "aws_cloudtrail" "org" {
        name           = "org"
        s3_bucket_name = "audit-logs" # no kms_key_id: SSE-S3 only
      }
    `,
    ],
  },
  check(trail) {
    if (valueAt(trail, "kms_key_id").state === "absent") return fail("kms_key_id is not set, so log files are encrypted with SSE-S3 only");
    return customerManagedKey(trail, "kms_key_id");
  },
};
