import { Rule } from "../../../compliance/rule";
import { requireTrue, valueAt } from "../../helpers";

export const kmsKeyRotation: Rule = {
  id: "aws-kms-key-rotation",
  title: "KMS keys rotate automatically",
  requirements: ["AICP-DATA-02"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_kms_key"],
  checkov: ["CKV_AWS_7"],
  trivy: ["AVD-AWS-0065"],
  relations: {
    CKV_AWS_7: {
      relation: "equivalent",
      reason: "except HMAC keys, which KMS cannot rotate: CKV_AWS_7 still judges them, this rule does not",
    },
  },
  remediation: "Set enable_key_rotation = true (PlatformKey always does).",
  examples: {
    good: [
      `
      resource "aws_kms_key" "models" {
        enable_key_rotation = true
      }
    `,
    ],
    bad: [
      `
      resource "aws_kms_key" "models" {
        enable_key_rotation = false
      }
    `,
    ],
  },
  check: (key) => requireTrue(key, "enable_key_rotation", "automatic key rotation"),
  // KMS rotates symmetric encryption keys only: asymmetric and HMAC keys cannot
  // rotate (AWS KMS developer guide, "Rotating AWS KMS keys"), so they are not
  // judged. Checkov's KMSRotation skips asymmetric specs too (it still judges HMAC).
  // An unknown spec is judged, so a key that may be symmetric is not let through.
  applies: (key) => {
    const spec = valueAt(key, "customer_master_key_spec");
    const usage = valueAt(key, "key_usage");
    if (usage.state === "known" && usage.value === "GENERATE_VERIFY_MAC") return false;
    return !(spec.state === "known" && typeof spec.value === "string" && spec.value !== "SYMMETRIC_DEFAULT");
  },
};
