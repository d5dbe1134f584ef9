import { efsBackupPolicy as rule } from "../../../../lib/rules/aws/filesystems/efs-backup-policy";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-efs-backup-policy", () => {
  it("passes an attached ENABLED policy in object or list form", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_efs_file_system: { object: {}, list: {}, disabled: {}, none: {}, variable: {} },
        aws_efs_backup_policy: {
          object: { file_system_id: "${aws_efs_file_system.object.id}", backup_policy: { status: "ENABLED" } },
          list: { file_system_id: "${aws_efs_file_system.list.id}", backup_policy: [{ status: "ENABLED" }] },
          disabled: { file_system_id: "${aws_efs_file_system.disabled.id}", backup_policy: { status: "DISABLED" } },
          variable: { file_system_id: "${aws_efs_file_system.variable.id}", backup_policy: { status: "${var.status}" } },
          elsewhere: { file_system_id: "fs-12345678", backup_policy: { status: "ENABLED" } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_efs_file_system.object": "pass",
      "aws_efs_file_system.list": "pass",
      "aws_efs_file_system.disabled": "fail",
      "aws_efs_file_system.none": "fail",
      "aws_efs_file_system.variable": "fail",
    });
    expect(findingFor(findings, "aws_efs_file_system.object").message).toMatch(/aws_efs_backup_policy\.object enables automatic backups/);
    expect(findingFor(findings, "aws_efs_file_system.disabled").message).toMatch(/"DISABLED", not "ENABLED"/);
    expect(findingFor(findings, "aws_efs_file_system.none").message).toMatch(/no aws_efs_backup_policy/);
    expect(findingFor(findings, "aws_efs_file_system.variable").message).toMatch(/^unresolved: .*var\.status/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_efs_file_system" "good" {}
       resource "aws_efs_backup_policy" "good" {
         file_system_id = aws_efs_file_system.good.id
         backup_policy { status = "ENABLED" }
       }
       resource "aws_efs_file_system" "bad" {}`,
    );
    expect(statuses(hcl)).toEqual({ "aws_efs_file_system.good": "pass", "aws_efs_file_system.bad": "fail" });
  });
});
