import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { customerManagedKey, describe, isTrue, valueAt } from "../../helpers";

export const efsCmk: Rule = {
  id: "aws-efs-cmk",
  title: "EFS file systems are encrypted with a customer-managed KMS key",
  requirements: ["AICP-DATA-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_efs_file_system"],
  checkov: ["CKV_AWS_42", "CKV_AWS_184"],
  trivy: ["AVD-AWS-0037"],
  relations: {
    CKV_AWS_42: {
      relation: "stricter",
      reason: "CKV_AWS_42 passes encrypted = true; AICP-DATA-01 also demands a customer-managed kms_key_id",
    },
    CKV_AWS_184: {
      relation: "stricter",
      reason:
        "CKV_AWS_184 (checkov/terraform/checks/resource/aws/EFSFileSystemEncryptedWithCMK.py) fails an aws_efs_file_system with no kms_key_id and passes any value of it; this rule fails the same file systems, and also fails encrypted unset or false and a key that is not customer-managed, and leaves one not known before apply unresolved",
    },
  },
  remediation: 'Set encrypted = true and kms_key_id to a customer-managed key (TrainingFileSystem with kind "efs" does).',
  examples: {
    good: [
      `
      resource "aws_kms_key" "data" {
        enable_key_rotation = true
      }

      resource "aws_efs_file_system" "shared" {
        encrypted  = true
        kms_key_id = aws_kms_key.data.arn
      }
    `,
    ],
    bad: [
      `
      resource "aws_efs_file_system" "shared" {
        encrypted = true # without kms_key_id: the AWS managed key
      }
    `,
    ],
  },
  check(fs) {
    const encrypted = valueAt(fs, "encrypted");
    if (encrypted.state === "unknown" || encrypted.state === "reference") return unresolved(`encrypted is ${describe(encrypted)}`);
    if (!isTrue(encrypted))
      return fail(
        `the file system is not encrypted at rest: encrypted is ${describe(encrypted)}${encrypted.state === "absent" ? " (the default is false)" : ""}`,
      );
    if (valueAt(fs, "kms_key_id").state === "absent")
      return fail("kms_key_id is not set, so the AWS managed key aws/elasticfilesystem encrypts the file system");
    const key = customerManagedKey(fs, "kms_key_id");
    return key.status === "pass" ? pass(`encrypted is true and ${key.message}`) : key;
  },
};
