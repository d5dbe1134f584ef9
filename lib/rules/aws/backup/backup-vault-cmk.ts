import { fail, Rule } from "../../../compliance/rule";
import { customerManagedKey, valueAt } from "../../helpers";

export const backupVaultCmk: Rule = {
  id: "aws-backup-vault-cmk",
  title: "Backup vaults encrypt recovery points with a customer-managed KMS key",
  requirements: ["AICP-RESILIENCE-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_backup_vault"],
  checkov: ["CKV_AWS_166"],
  relations: {
    CKV_AWS_166: {
      relation: "stricter",
      reason:
        "CKV_AWS_166 passes any kms_key_arn; this rule fails a key that is not customer-managed and leaves one not known before apply unresolved",
    },
  },
  remediation: "Set kms_key_arn to a customer-managed key (PlatformBackup uses the keyring's backups key).",
  examples: {
    good: [
      `
      resource "aws_kms_key" "models" {
        enable_key_rotation = true
      }

      resource "aws_backup_vault" "platform" {
        name        = "platform"
        kms_key_arn = aws_kms_key.models.arn
      }
    `,
    ],
    bad: [
      `
      resource "aws_backup_vault" "platform" {
        name = "platform"
      }
    `,
    ],
  },
  check(vault) {
    if (valueAt(vault, "kms_key_arn").state === "absent")
      return fail("kms_key_arn is not set, so the AWS managed key aws/backup encrypts recovery points");
    return customerManagedKey(vault, "kms_key_arn");
  },
};
