import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { attached, describe, valueAt } from "../../helpers";

export const efsBackupPolicy: Rule = {
  id: "aws-efs-backup-policy",
  title: "EFS file systems have automatic backups enabled",
  requirements: ["AICP-TRAIN-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_efs_file_system"],
  remediation: 'Attach an aws_efs_backup_policy with backup_policy.status = "ENABLED" (TrainingFileSystem with kind "efs" does).',
  examples: {
    good: [
      `
      resource "aws_efs_file_system" "shared" {
        encrypted = true
      }

      resource "aws_efs_backup_policy" "shared" {
        file_system_id = aws_efs_file_system.shared.id
        backup_policy {
          status = "ENABLED"
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_efs_file_system" "shared" {
        encrypted = true
      }
    `,
    ],
  },
  check(fs) {
    const policies = attached(fs, "aws_efs_backup_policy", "file_system_id");
    if (policies.length === 0) return fail("no aws_efs_backup_policy is attached, so AWS Backup's automatic daily backups are off");
    const outcomes: Outcome[] = policies.map((policy) => {
      const status = valueAt(policy, "backup_policy.status");
      if (status.state === "unknown" || status.state === "reference")
        return unresolved(`${policy.address}: backup_policy.status is ${describe(status)}`);
      if (status.state === "known" && status.value === "ENABLED") return pass(`${policy.address} enables automatic backups`);
      return fail(`${policy.address} sets backup_policy.status ${describe(status)}, not "ENABLED"`);
    });
    return outcomes.find((o) => o.status === "fail") ?? outcomes.find((o) => o.status === "unresolved") ?? outcomes[0];
  },
};
