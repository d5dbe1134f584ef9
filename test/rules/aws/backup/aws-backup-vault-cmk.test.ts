import { backupVaultCmk as rule } from "../../../../lib/rules/aws/backup/backup-vault-cmk";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-backup-vault-cmk", () => {
  it("passes customer-managed keys, fails the default and AWS-managed keys", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_kms_key: { backups: {} },
        aws_backup_vault: {
          cmk: { name: "a", kms_key_arn: "${aws_kms_key.backups.arn}" },
          none: { name: "b" },
          aws_managed: { name: "c", kms_key_arn: "arn:aws:kms:eu-west-1:111122223333:alias/aws/backup" },
          variable: { name: "d", kms_key_arn: "${var.key}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_backup_vault.cmk": "pass",
      "aws_backup_vault.none": "fail",
      "aws_backup_vault.aws_managed": "fail",
      "aws_backup_vault.variable": "fail",
    });
    expect(findingFor(findings, "aws_backup_vault.none").message).toMatch(/kms_key_arn is not set, so the AWS managed key aws\/backup/);
    expect(findingFor(findings, "aws_backup_vault.variable").message).toMatch(/^unresolved: .*var\.key/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_kms_key" "backups" {}
       resource "aws_backup_vault" "good" {
         name        = "good"
         kms_key_arn = aws_kms_key.backups.arn
       }
       resource "aws_backup_vault" "bad" { name = "bad" }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_backup_vault.good": "pass", "aws_backup_vault.bad": "fail" });
  });
});
