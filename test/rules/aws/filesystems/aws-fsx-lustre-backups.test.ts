import { fsxLustreBackups as rule } from "../../../../lib/rules/aws/filesystems/fsx-lustre-backups";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const persistent = { storage_capacity: 1200, subnet_ids: ["subnet-1"], deployment_type: "PERSISTENT_2" };

describe("aws-fsx-lustre-backups", () => {
  it("passes a retention of a day or more, fails zero, unset and scratch", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_fsx_lustre_file_system: {
          week: { ...persistent, automatic_backup_retention_days: 7 },
          day: { ...persistent, automatic_backup_retention_days: "1" },
          zero: { ...persistent, automatic_backup_retention_days: 0 },
          unset: { ...persistent },
          scratch: { storage_capacity: 1200, subnet_ids: ["subnet-1"], automatic_backup_retention_days: 7 },
          variable: { ...persistent, automatic_backup_retention_days: "${var.days}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_fsx_lustre_file_system.week": "pass",
      "aws_fsx_lustre_file_system.day": "pass",
      "aws_fsx_lustre_file_system.zero": "fail",
      "aws_fsx_lustre_file_system.unset": "fail",
      "aws_fsx_lustre_file_system.scratch": "fail",
      "aws_fsx_lustre_file_system.variable": "fail",
    });
    expect(findingFor(findings, "aws_fsx_lustre_file_system.week").message).toMatch(/kept 7 days/);
    expect(findingFor(findings, "aws_fsx_lustre_file_system.unset").message).toMatch(/defaults to 0/);
    expect(findingFor(findings, "aws_fsx_lustre_file_system.scratch").message).toMatch(
      /SCRATCH_1 \(the default\): scratch file systems keep no automatic backups/,
    );
    expect(findingFor(findings, "aws_fsx_lustre_file_system.variable").message).toMatch(/^unresolved: .*var\.days/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_fsx_lustre_file_system" "good" {
         storage_capacity = 1200
         subnet_ids       = ["subnet-1"]
         deployment_type  = "PERSISTENT_1"
         automatic_backup_retention_days = 14
       }
       resource "aws_fsx_lustre_file_system" "none" {
         storage_capacity = 1200
         subnet_ids       = ["subnet-1"]
         deployment_type  = "PERSISTENT_1"
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_fsx_lustre_file_system.good": "pass", "aws_fsx_lustre_file_system.none": "fail" });
  });
});
