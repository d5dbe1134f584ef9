import { fail, Rule } from "../../../compliance/rule";
import { customerManagedKey, valueAt } from "../../helpers";

export const cloudwatchLogGroupCmk: Rule = {
  id: "aws-cloudwatch-log-group-cmk",
  title: "CloudWatch log groups are encrypted with a customer-managed KMS key",
  requirements: ["AICP-AILOG-01", "AICP-AILOG-03"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_cloudwatch_log_group"],
  checkov: ["CKV_AWS_158"],
  relations: {
    CKV_AWS_158: {
      relation: "stricter",
      reason:
        "CKV_AWS_158 passes any kms_key_id; this rule fails one that is not a customer-managed key, and leaves one not known before apply unresolved",
    },
  },
  remediation: "Set kms_key_id to a customer-managed key whose policy lets CloudWatch Logs use it (EncryptedLogGroup does).",
  examples: {
    good: [
      `
      resource "aws_kms_key" "logs" {
        enable_key_rotation = true
      }

      resource "aws_cloudwatch_log_group" "cluster" {
        name              = "/aws/eks/platform/cluster"
        retention_in_days = 365
        kms_key_id        = aws_kms_key.logs.arn
      }
    `,
    ],
    bad: [
      `
      resource "aws_cloudwatch_log_group" "cluster" {
        name              = "/aws/eks/platform/cluster"
        retention_in_days = 365
      }
    `,
    ],
  },
  check(group) {
    if (valueAt(group, "kms_key_id").state === "absent")
      return fail("kms_key_id is not set, so CloudWatch Logs encrypts the events with its own service key");
    return customerManagedKey(group, "kms_key_id");
  },
};
