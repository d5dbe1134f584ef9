import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfModule, TfResource } from "../../../terraform/model";
import { attached, blocksOf, describe, rawAt, stringList, valueAt } from "../../helpers";

/** Restore testing's resource type for what a backup selection names, by the Terraform type it references. */
const RESTORE_TYPES: ReadonlyArray<[RegExp, string]> = [
  [/\$\{aws_s3_bucket\.[\w-]+\.arn\}/, "S3"],
  [/\$\{aws_fsx_[\w]+_file_system\.[\w-]+\.arn\}/, "FSx"],
  [/\$\{aws_efs_file_system\.[\w-]+\.arn\}/, "EFS"],
];

/** Whether a plan's recovery point selection takes recovery points from the vault: "yes", "no" or an unresolved outcome. */
function includesVault(plan: TfResource, vault: TfResource): "yes" | "no" | Outcome {
  const arn = `\${${vault.address}.arn}`;
  const name = valueAt(vault, "name");
  let verdict: "yes" | "no" | Outcome = "no";
  for (const selection of blocksOf(plan.body.recovery_point_selection)) {
    const included = rawAt(selection, "include_vaults");
    const excluded = stringList(rawAt(selection, "exclude_vaults"));
    if (typeof included === "string") return unresolved(`${plan.address} include_vaults is ${included}`);
    const list = stringList(included);
    const named = (v: string) => v === arn || v === "*" || (name.state === "known" && v.endsWith(`:backup-vault:${String(name.value)}`));
    if (excluded.some(named)) continue;
    if (list.some(named)) return "yes";
    if (list.some((v) => v.includes("${") && !/^\$\{aws_backup_vault\.[\w-]+\.arn\}$/.test(v)))
      verdict = unresolved(`${plan.address} include_vaults names ${list.join(", ")}, known only at apply`);
  }
  return verdict;
}

/** The restore types of what the module's backup plans put in this vault. */
function backedUpTypes(module: TfModule, vault: TfResource): Set<string> {
  const types = new Set<string>();
  for (const plan of module.ofType("aws_backup_plan")) {
    const targets = blocksOf(plan.body.rule).map((r) => String(rawAt(r, "target_vault_name") ?? ""));
    if (
      !targets.some((t) => t.includes(`${vault.address}.`) || (valueAt(vault, "name").state === "known" && t === rawAt(vault.body, "name")))
    )
      continue;
    for (const selection of attached(plan, "aws_backup_selection", "plan_id")) {
      const text = JSON.stringify(rawAt(selection.body, "resources") ?? []);
      for (const [pattern, type] of RESTORE_TYPES) if (pattern.test(text)) types.add(type);
    }
  }
  return types;
}

export const backupRestoreTested: Rule = {
  id: "aws-backup-restore-tested",
  title: "A restore testing plan restores each kind of resource the vault backs up",
  requirements: ["AICP-RESILIENCE-03"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_backup_vault"],
  effect:
    "AWS Backup restores the vault's latest recovery points on a schedule, for every kind of resource (bucket, file system) the platform's plans back up, so a backup that cannot be restored shows up before it is needed.",
  remediation:
    "Add an aws_backup_restore_testing_plan whose recovery_point_selection includes the vault, and an aws_backup_restore_testing_selection for each protected resource type the vault holds (S3, FSx, EFS), with an IAM role that may restore (PlatformBackup does).",
  examples: {
    good: [
      `
      resource "aws_backup_vault" "platform" {
        name = "platform"
      }

      resource "aws_backup_restore_testing_plan" "monthly" {
        name                = "monthly"
        schedule_expression = "cron(0 5 1 * ? *)"
        recovery_point_selection {
          algorithm            = "LATEST_WITHIN_WINDOW"
          include_vaults       = [aws_backup_vault.platform.arn]
          recovery_point_types = ["SNAPSHOT"]
        }
      }

      resource "aws_backup_restore_testing_selection" "s3" {
        name                      = "s3"
        restore_testing_plan_name = aws_backup_restore_testing_plan.monthly.name
        protected_resource_type   = "S3"
        iam_role_arn              = "arn:aws:iam::111122223333:role/backup-restore"
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
    const plans: TfResource[] = [];
    const open: string[] = [];
    for (const plan of vault.module.ofType("aws_backup_restore_testing_plan")) {
      const included = includesVault(plan, vault);
      if (included === "yes") plans.push(plan);
      else if (included !== "no") open.push(included.message);
    }
    if (plans.length === 0) {
      return open.length > 0
        ? unresolved(open.join("; "))
        : fail(
            "no aws_backup_restore_testing_plan takes recovery points from the vault, so nobody learns whether they restore until a restore is needed",
          );
    }
    const tested = new Set<string>();
    for (const plan of plans) {
      for (const selection of attached(plan, "aws_backup_restore_testing_selection", "restore_testing_plan_name", "name")) {
        const type = valueAt(selection, "protected_resource_type");
        if (type.state !== "known") open.push(`${selection.address} protected_resource_type is ${describe(type)}`);
        else tested.add(String(type.value));
      }
    }
    const needed = backedUpTypes(vault.module, vault);
    const missing = [...needed].filter((t) => !tested.has(t));
    if (tested.size === 0 && open.length === 0)
      return fail(`${plans.map((p) => p.address).join(", ")} has no aws_backup_restore_testing_selection, so it restores nothing`);
    if (missing.length > 0 && open.length === 0)
      return fail(
        `${plans.map((p) => p.address).join(", ")} restores ${[...tested].join(", ") || "nothing"}, not ${missing.join(", ")}, which the vault backs up`,
      );
    if (missing.length > 0) return unresolved(open.join("; "));
    return pass(
      `${plans.map((p) => p.address).join(", ")} restores ${[...tested].sort().join(", ")} from the vault${needed.size > 0 ? ` (the vault backs up ${[...needed].sort().join(", ")})` : ""}`,
    );
  },
};
