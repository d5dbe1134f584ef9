import { backupVaultLocked as rule } from "../../../../lib/rules/aws/backup/backup-vault-locked";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-backup-vault-locked", () => {
  it("passes vaults locked for 7 days or more, by reference or by name", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_backup_vault: {
          compliance: { name: "compliance" },
          governance: { name: "named-vault" },
          short: { name: "short" },
          unset: { name: "unset" },
          none: { name: "none" },
          variable: { name: "v" },
        },
        aws_backup_vault_lock_configuration: {
          compliance: { backup_vault_name: "${aws_backup_vault.compliance.name}", min_retention_days: 35, changeable_for_days: 3 },
          governance: { backup_vault_name: "named-vault", min_retention_days: "7" },
          short: { backup_vault_name: "${aws_backup_vault.short.id}", min_retention_days: 1 },
          unset: { backup_vault_name: "${aws_backup_vault.unset.name}", max_retention_days: 365 },
          variable: { backup_vault_name: "${aws_backup_vault.variable.name}", min_retention_days: "${var.min_days}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_backup_vault.compliance": "pass",
      "aws_backup_vault.governance": "pass",
      "aws_backup_vault.short": "fail",
      "aws_backup_vault.unset": "fail",
      "aws_backup_vault.none": "fail",
      "aws_backup_vault.variable": "fail",
    });
    expect(findingFor(findings, "aws_backup_vault.compliance").message).toMatch(/min_retention_days 35 \(compliance mode/);
    expect(findingFor(findings, "aws_backup_vault.governance").message).toMatch(/governance mode/);
    expect(findingFor(findings, "aws_backup_vault.short").message).toMatch(
      /min_retention_days is 1; recovery points must be kept at least 7 days/,
    );
    expect(findingFor(findings, "aws_backup_vault.unset").message).toMatch(/min_retention_days is not set/);
    expect(findingFor(findings, "aws_backup_vault.none").message).toMatch(/no aws_backup_vault_lock_configuration/);
    expect(findingFor(findings, "aws_backup_vault.variable").message).toMatch(/^unresolved: .*var\.min_days/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_backup_vault" "locked" { name = "locked" }
       resource "aws_backup_vault_lock_configuration" "locked" {
         backup_vault_name   = aws_backup_vault.locked.name
         min_retention_days  = 14
         changeable_for_days = 3
       }
       resource "aws_backup_vault" "open" { name = "open" }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_backup_vault.locked": "pass", "aws_backup_vault.open": "fail" });
  });
});
