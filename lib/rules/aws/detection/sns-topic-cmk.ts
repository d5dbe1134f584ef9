import { fail, Rule } from "../../../compliance/rule";
import { customerManagedKey, valueAt } from "../../helpers";

export const snsTopicCmk: Rule = {
  id: "aws-sns-topic-cmk",
  title: "SNS topics are encrypted with a customer-managed KMS key",
  requirements: ["AICP-DATA-01"],
  severity: "recommended",
  waivable: true,
  appliesTo: ["aws_sns_topic"],
  checkov: ["CKV_AWS_26"],
  relations: {
    CKV_AWS_26: {
      relation: "stricter",
      reason:
        "CKV_AWS_26 passes any kms_master_key_id, the AWS managed alias/aws/sns too; this rule fails a key that is not customer-managed and leaves one not known before apply unresolved",
    },
  },
  remediation:
    "Set kms_master_key_id to a customer-managed key whose policy lets the publishing services use it (ThreatDetection's alert topic does).",
  examples: {
    good: [
      `
      resource "aws_kms_key" "alerts" {
        enable_key_rotation = true
      }

      resource "aws_sns_topic" "alerts" {
        name              = "platform-alerts"
        kms_master_key_id = aws_kms_key.alerts.arn
      }
    `,
    ],
    bad: [
      `
      resource "aws_sns_topic" "alerts" {
        name = "platform-alerts"
      }
    `,
    ],
  },
  check(topic) {
    if (valueAt(topic, "kms_master_key_id").state === "absent")
      return fail("kms_master_key_id is not set, so server-side encryption of the topic is off");
    return customerManagedKey(topic, "kms_master_key_id");
  },
};
