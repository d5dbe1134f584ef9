import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { asNumber, attached, describe, valueAt } from "../../helpers";

const MIN_DAYS = 7;

export const backupVaultLocked: Rule = {
  id: "aws-backup-vault-locked",
  title: "Backup vaults are locked with a minimum retention of at least 7 days",
  requirements: ["AICP-RESILIENCE-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_backup_vault"],
  remediation: `Attach an aws_backup_vault_lock_configuration with min_retention_days of ${MIN_DAYS} or more, and changeable_for_days for compliance mode (PlatformBackup does).`,
  examples: {
    good: [
      `
      resource "aws_backup_vault" "platform" {
        name = "platform"
      }

      resource "aws_backup_vault_lock_configuration" "platform" {
        backup_vault_name   = aws_backup_vault.platform.name
        min_retention_days  = 35
        max_retention_days  = 365
        changeable_for_days = 3
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
    const locks = attached(vault, "aws_backup_vault_lock_configuration", "backup_vault_name", "name");
    if (locks.length === 0)
      return fail(
        "no aws_backup_vault_lock_configuration is attached, so anyone with the account's credentials can delete recovery points",
      );
    const outcomes = locks.map(judge);
    return outcomes.find((o) => o.status === "pass") ?? outcomes.find((o) => o.status === "unresolved") ?? outcomes[0];
  },
};

function judge(lock: TfResource): Outcome {
  const value = valueAt(lock, "min_retention_days");
  if (value.state === "unknown" || value.state === "reference")
    return unresolved(`${lock.address}: min_retention_days is ${describe(value)}`);
  const days = asNumber(value);
  if (days === undefined || days < MIN_DAYS)
    return fail(`${lock.address}: min_retention_days is ${describe(value)}; recovery points must be kept at least ${MIN_DAYS} days`);
  // Without changeable_for_days the lock stays in governance mode, which privileged users can remove.
  const mode =
    valueAt(lock, "changeable_for_days").state === "absent"
      ? " (governance mode: changeable_for_days is not set, so privileged users can remove the lock)"
      : " (compliance mode once changeable_for_days has passed)";
  return pass(`${lock.address} locks the vault with min_retention_days ${days}${mode}`);
}
