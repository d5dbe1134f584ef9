import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, TfResource } from "../../../terraform/model";
import { attached, blocksOf, describe, valueAt } from "../../helpers";

const CONDITION_KINDS = ["string_equals", "string_like", "string_not_equals", "string_not_like"];

export const backupSelectionCoversResources: Rule = {
  id: "aws-backup-selection-covers-resources",
  title: "Backup plans select the resources they back up",
  requirements: ["AICP-RESILIENCE-02"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_backup_plan"],
  remediation:
    "Add an aws_backup_selection with plan_id set to the plan and the ARNs of the dataset, model and checkpoint stores in resources (PlatformBackup does).",
  examples: {
    good: [
      `
      resource "aws_backup_plan" "daily" {
        name = "daily"
        rule {
          rule_name         = "daily"
          target_vault_name = "platform"
          schedule          = "cron(0 3 * * ? *)"
        }
      }

      resource "aws_backup_selection" "data" {
        name         = "data"
        plan_id      = aws_backup_plan.daily.id
        iam_role_arn = "arn:aws:iam::111122223333:role/backup"
        resources    = ["arn:aws:s3:::platform-models"]
      }
    `,
    ],
    bad: [
      `
      resource "aws_backup_plan" "daily" {
        name = "daily"
        rule {
          rule_name         = "daily"
          target_vault_name = "platform"
          schedule          = "cron(0 3 * * ? *)"
        }
      }
    `,
    ],
  },
  check(plan) {
    const selections = attached(plan, "aws_backup_selection", "plan_id");
    if (selections.length === 0) return fail("no aws_backup_selection refers to the plan, so it backs up nothing");
    const outcomes = selections.map(judge);
    return outcomes.find((o) => o.status === "pass") ?? outcomes.find((o) => o.status === "unresolved") ?? outcomes[0];
  },
};

function judge(selection: TfResource): Outcome {
  const resources = valueAt(selection, "resources");
  if (resources.state === "known" && Array.isArray(resources.value) && resources.value.length > 0) {
    return pass(`${selection.address} selects ${resources.value.length} resource${resources.value.length === 1 ? "" : "s"} by ARN`);
  }
  if (blocksOf(selection.body.selection_tag).length > 0) return pass(`${selection.address} selects resources by selection_tag`);
  const conditions = blocksOf(selection.body.condition).filter((c) => CONDITION_KINDS.some((k) => blocksOf(c[k]).some(isObject)));
  if (conditions.length > 0) return pass(`${selection.address} selects resources by condition`);
  if (resources.state === "unknown" || resources.state === "reference")
    return unresolved(`${selection.address}: resources is ${describe(resources)}`);
  return fail(`${selection.address} selects nothing: resources is ${describe(resources)} and it has no selection_tag or condition`);
}
