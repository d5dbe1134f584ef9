import { Rule } from "../../../compliance/rule";
import { requireTrue } from "../../helpers";

export const kmsKeyRotation: Rule = {
  id: "aws-kms-key-rotation",
  title: "KMS keys rotate automatically",
  requirements: ["AICP-DATA-02"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_kms_key"],
  checkov: ["CKV_AWS_7"],
  trivy: ["AVD-AWS-0065"],
  remediation: "Set enable_key_rotation = true (PlatformKey always does).",
  check: (key) => requireTrue(key, "enable_key_rotation", "automatic key rotation"),
};
