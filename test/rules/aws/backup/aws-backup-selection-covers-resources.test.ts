import { backupSelectionCoversResources as rule } from "../../../../lib/rules/aws/backup/backup-selection-covers-resources";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const plan = (name: string) => ({ name, rule: [{ rule_name: "daily", target_vault_name: "v", schedule: "cron(0 3 * * ? *)" }] });
const selection = (plan: string, extra: object) => ({
  name: plan,
  iam_role_arn: "arn:aws:iam::111122223333:role/backup",
  plan_id: `\${aws_backup_plan.${plan}.id}`,
  ...extra,
});

describe("aws-backup-selection-covers-resources", () => {
  it("passes plans whose selection names resources, tags or conditions", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_efs_file_system: { data: {} },
        aws_backup_plan: {
          arns: plan("arns"),
          tags: plan("tags"),
          conditions: plan("conditions"),
          empty: plan("empty"),
          none: plan("none"),
          variable: plan("variable"),
        },
        aws_backup_selection: {
          arns: selection("arns", { resources: ["${aws_efs_file_system.data.arn}", "arn:aws:s3:::datasets"] }),
          tags: selection("tags", { selection_tag: { type: "STRINGEQUALS", key: "Backup", value: "true" } }),
          conditions: selection("conditions", {
            resources: ["*"],
            condition: [{ string_equals: [{ key: "aws:ResourceTag/Backup", value: "true" }] }],
          }),
          empty: selection("empty", { resources: [], condition: [{}] }),
          variable: selection("variable", { resources: "${var.arns}" }),
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_backup_plan.arns": "pass",
      "aws_backup_plan.tags": "pass",
      "aws_backup_plan.conditions": "pass",
      "aws_backup_plan.empty": "fail",
      "aws_backup_plan.none": "fail",
      "aws_backup_plan.variable": "fail",
    });
    expect(findingFor(findings, "aws_backup_plan.arns").message).toMatch(/aws_backup_selection\.arns selects 2 resources by ARN/);
    expect(findingFor(findings, "aws_backup_plan.tags").message).toMatch(/by selection_tag/);
    expect(findingFor(findings, "aws_backup_plan.empty").message).toMatch(/selects nothing: resources is \[\]/);
    expect(findingFor(findings, "aws_backup_plan.none").message).toMatch(/no aws_backup_selection refers to the plan/);
    expect(findingFor(findings, "aws_backup_plan.variable").message).toMatch(/^unresolved: .*var\.arns/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_backup_plan" "good" {
         name = "good"
         rule {
           rule_name         = "daily"
           target_vault_name = "v"
         }
       }
       resource "aws_backup_selection" "good" {
         name         = "good"
         iam_role_arn = "arn:aws:iam::111122223333:role/backup"
         plan_id      = aws_backup_plan.good.id
         selection_tag {
           type  = "STRINGEQUALS"
           key   = "Backup"
           value = "true"
         }
       }
       resource "aws_backup_plan" "idle" {
         name = "idle"
         rule {
           rule_name         = "daily"
           target_vault_name = "v"
         }
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_backup_plan.good": "pass", "aws_backup_plan.idle": "fail" });
  });
});
