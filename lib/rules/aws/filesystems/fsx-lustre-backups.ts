import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { asNumber, describe, valueAt } from "../../helpers";
import { lustreDeploymentType } from "./util";

export const fsxLustreBackups: Rule = {
  id: "aws-fsx-lustre-backups",
  title: "FSx for Lustre file systems keep automatic daily backups",
  requirements: ["AICP-TRAIN-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_fsx_lustre_file_system"],
  remediation: "Use a PERSISTENT deployment type with automatic_backup_retention_days of 1 or more (TrainingFileSystem keeps 7 days).",
  examples: {
    good: [
      `
      resource "aws_fsx_lustre_file_system" "training" {
        storage_capacity                  = 1200
        subnet_ids                        = ["subnet-0a1b2c3d"]
        deployment_type                   = "PERSISTENT_2"
        per_unit_storage_throughput       = 125
        automatic_backup_retention_days   = 7
      }
    `,
    ],
    bad: [
      `
      resource "aws_fsx_lustre_file_system" "training" {
        storage_capacity = 1200
        subnet_ids       = ["subnet-0a1b2c3d"] # SCRATCH_1 by default: no backups
      }
    `,
    ],
  },
  check(fs) {
    const deployment = lustreDeploymentType(fs);
    if (!deployment.type) return unresolved(`deployment_type is ${describe(deployment.value)}`);
    if (deployment.scratch)
      return fail(
        `deployment_type is ${deployment.type}${deployment.value.state === "absent" ? " (the default)" : ""}: scratch file systems keep no automatic backups`,
      );
    const value = valueAt(fs, "automatic_backup_retention_days");
    if (value.state === "unknown" || value.state === "reference")
      return unresolved(`automatic_backup_retention_days is ${describe(value)}`);
    // The FSx API documents 0 (no automatic backups) as the Lustre default; only an explicit value is evidence.
    if (value.state === "absent")
      return fail("automatic_backup_retention_days is not set, and FSx for Lustre defaults to 0: no automatic backups");
    const days = asNumber(value);
    if (days === undefined || days < 1) return fail(`automatic backups are off: automatic_backup_retention_days is ${describe(value)}`);
    return pass(`automatic backups are kept ${days} day${days === 1 ? "" : "s"}`);
  },
};
