import { backupRestoreTested as rule } from "../../../../lib/rules/aws/backup/backup-restore-tested";
import { checkHcl, checkJson, findingFor } from "../../harness";

type Doc = { resource: Record<string, Record<string, Record<string, unknown>>> };

function vaultFinding(change: (doc: Doc) => void = () => undefined) {
  const doc: Doc = {
    resource: {
      aws_backup_vault: { main: { name: "platform" } },
      aws_s3_bucket: { data: {} },
      aws_fsx_lustre_file_system: { training: { subnet_ids: ["s-1"] } },
      aws_backup_plan: {
        main: {
          name: "platform",
          rule: [{ rule_name: "daily", target_vault_name: "${aws_backup_vault.main.name}", schedule: "cron(0 3 * * ? *)" }],
        },
      },
      aws_backup_selection: {
        main: {
          name: "data",
          plan_id: "${aws_backup_plan.main.id}",
          iam_role_arn: "arn:aws:iam::111122223333:role/backup",
          resources: ["${aws_s3_bucket.data.arn}", "${aws_fsx_lustre_file_system.training.arn}"],
        },
      },
      aws_backup_restore_testing_plan: {
        tests: {
          name: "restore_tests",
          schedule_expression: "cron(0 5 1 * ? *)",
          recovery_point_selection: [
            { algorithm: "LATEST_WITHIN_WINDOW", include_vaults: ["${aws_backup_vault.main.arn}"], recovery_point_types: ["SNAPSHOT"] },
          ],
        },
      },
      aws_backup_restore_testing_selection: {
        s3: {
          name: "s3",
          restore_testing_plan_name: "${aws_backup_restore_testing_plan.tests.name}",
          protected_resource_type: "S3",
          protected_resource_arns: ["*"],
          iam_role_arn: "arn:aws:iam::111122223333:role/backup",
        },
        fsx: {
          name: "fsx",
          restore_testing_plan_name: "${aws_backup_restore_testing_plan.tests.name}",
          protected_resource_type: "FSx",
          protected_resource_arns: ["*"],
          iam_role_arn: "arn:aws:iam::111122223333:role/backup",
        },
      },
    },
  };
  change(doc);
  return findingFor(checkJson(rule, doc), "aws_backup_vault.main");
}

describe("aws-backup-restore-tested", () => {
  it("passes a plan that restores every kind of resource the vault backs up", () => {
    const finding = vaultFinding();
    expect(finding.status).toBe("pass");
    expect(finding.message).toBe("aws_backup_restore_testing_plan.tests restores FSx, S3 from the vault (the vault backs up FSx, S3)");
  });

  it("passes a plan that takes every vault ('*') or names the vault by ARN", () => {
    expect(
      vaultFinding(
        (d) =>
          (d.resource.aws_backup_restore_testing_plan.tests.recovery_point_selection = [
            { algorithm: "RANDOM_WITHIN_WINDOW", include_vaults: ["*"], recovery_point_types: ["SNAPSHOT"] },
          ]),
      ).status,
    ).toBe("pass");
    expect(
      vaultFinding(
        (d) =>
          (d.resource.aws_backup_restore_testing_plan.tests.recovery_point_selection = [
            {
              algorithm: "LATEST_WITHIN_WINDOW",
              include_vaults: ["arn:aws:backup:eu-west-1:111122223333:backup-vault:platform"],
              recovery_point_types: ["SNAPSHOT"],
            },
          ]),
      ).status,
    ).toBe("pass");
  });

  it("fails without a plan, with a plan that excludes the vault, and with no selection", () => {
    expect(vaultFinding((d) => delete (d.resource as Record<string, unknown>).aws_backup_restore_testing_plan).message).toMatch(
      /no aws_backup_restore_testing_plan takes recovery points from the vault/,
    );
    const excluded = vaultFinding((d) =>
      Object.assign((d.resource.aws_backup_restore_testing_plan.tests.recovery_point_selection as object[])[0], {
        include_vaults: ["*"],
        exclude_vaults: ["${aws_backup_vault.main.arn}"],
      }),
    );
    expect(excluded.status).toBe("fail");
    expect(vaultFinding((d) => delete (d.resource as Record<string, unknown>).aws_backup_restore_testing_selection).message).toMatch(
      /has no aws_backup_restore_testing_selection/,
    );
  });

  it("fails a plan that restores buckets but not the file system the vault also backs up", () => {
    const finding = vaultFinding((d) => delete d.resource.aws_backup_restore_testing_selection.fsx);
    expect(finding.message).toBe("aws_backup_restore_testing_plan.tests restores S3, not FSx, which the vault backs up");
  });

  it("leaves vaults and types known only at apply unresolved", () => {
    expect(
      vaultFinding((d) =>
        Object.assign((d.resource.aws_backup_restore_testing_plan.tests.recovery_point_selection as object[])[0], {
          include_vaults: ["${var.vault_arn}"],
        }),
      ).unresolved,
    ).toBe(true);
    const type = vaultFinding((d) => (d.resource.aws_backup_restore_testing_selection.fsx.protected_resource_type = "${var.type}"));
    expect(type.unresolved).toBe(true);
  });

  it("reads HCL", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_backup_vault" "main" { name = "platform" }
       resource "aws_backup_vault" "other" { name = "other" }
       resource "aws_backup_restore_testing_plan" "tests" {
         name = "tests"
         schedule_expression = "cron(0 5 1 * ? *)"
         recovery_point_selection {
           algorithm = "LATEST_WITHIN_WINDOW"
           include_vaults = [aws_backup_vault.main.arn]
           recovery_point_types = ["SNAPSHOT"]
         }
       }
       resource "aws_backup_restore_testing_selection" "s3" {
         name = "s3"
         restore_testing_plan_name = aws_backup_restore_testing_plan.tests.name
         protected_resource_type = "S3"
         iam_role_arn = "arn:aws:iam::111122223333:role/backup"
       }`,
    );
    expect(findingFor(hcl, "aws_backup_vault.main").status).toBe("pass");
    expect(findingFor(hcl, "aws_backup_vault.other").status).toBe("fail");
  });
});
