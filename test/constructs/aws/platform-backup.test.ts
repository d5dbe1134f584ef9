import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupVaultLockConfiguration } from "@cdktf/provider-aws/lib/backup-vault-lock-configuration";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Testing } from "cdktf";
import { PlatformBackup, PlatformBackupProps } from "../../../constructs/aws/platform-backup";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { SecureStack } from "../../../lib/secure-stack";

const ADMIN = "arn:aws:iam::111122223333:role/key-admin";
const FILE_SYSTEM = "arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-0123456789abcdef0";

function synthBackup(props: Partial<PlatformBackupProps> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  const key = new PlatformKey(stack, "BackupsKey", { purpose: "backups", administrators: [ADMIN] });
  new PlatformBackup(stack, "PlatformBackup", { key, resourceArns: [FILE_SYSTEM], ...props });
  const synth = Testing.synth(stack);
  return { synth, json: JSON.parse(synth) };
}

function keyPolicy(json: { resource: Record<string, Record<string, { policy: string }>> }, name: string) {
  return JSON.parse(json.resource.aws_kms_key[name].policy) as { Statement: Array<Record<string, unknown>> };
}

describe("PlatformBackup", () => {
  it("encrypts the vault with the backups key and never force-destroys it", () => {
    const { synth, json } = synthBackup();
    expect(synth).toHaveResourceWithProperties(BackupVault, { name: "saip-platform", kms_key_arn: "${aws_kms_key.backups_key.arn}" });
    expect(json.resource.aws_backup_vault.platform_backup.force_destroy).toBeUndefined();
  });

  // Before: the backups key gave callers no CreateGrant, GenerateDataKey, Decrypt, RetireGrant or DescribeKey,
  // so CreateBackupVault failed.
  it("lets the vault's creator use the key through AWS Backup only", () => {
    const { json } = synthBackup();
    expect(keyPolicy(json, "backups_key").Statement.find((s) => s.Sid === "UseThroughBackup")).toMatchObject({
      Action: ["kms:CreateGrant", "kms:GenerateDataKey", "kms:Decrypt", "kms:RetireGrant", "kms:DescribeKey"],
      Condition: { StringEquals: { "kms:ViaService": "backup.${data.aws_region.aws_context_region.region}.amazonaws.com" } },
    });
  });

  it("locks the vault in compliance mode after three days, between 35 and 365 days of retention", () => {
    expect(synthBackup().synth).toHaveResourceWithProperties(BackupVaultLockConfiguration, {
      backup_vault_name: "${aws_backup_vault.platform_backup.name}",
      min_retention_days: 35,
      max_retention_days: 365,
      changeable_for_days: 3,
    });
  });

  it("backs up daily for 35 days and weekly for 90 days, after the lock is in place", () => {
    const plan = synthBackup().json.resource.aws_backup_plan.platform_backup_plan;
    expect(plan.rule).toEqual([
      expect.objectContaining({ rule_name: "daily", schedule: "cron(0 3 * * ? *)", lifecycle: { delete_after: 35 } }),
      expect.objectContaining({ rule_name: "weekly", schedule: "cron(0 4 ? * SUN *)", lifecycle: { delete_after: 90 } }),
    ]);
    expect(plan.rule.every((r: { target_vault_name: string }) => r.target_vault_name === "${aws_backup_vault.platform_backup.name}")).toBe(
      true,
    );
    expect(plan.depends_on).toEqual(["aws_backup_vault_lock_configuration.platform_backup_lock"]);
  });

  it("takes another schedule and retention within the lock", () => {
    const plan = synthBackup({ schedule: "cron(30 1 * * ? *)", retentionDays: 60 }).json.resource.aws_backup_plan.platform_backup_plan;
    expect(plan.rule[0]).toEqual(expect.objectContaining({ schedule: "cron(30 1 * * ? *)", lifecycle: { delete_after: 60 } }));
  });

  it("gives AWS Backup a role with its backup and restore policies, S3 included", () => {
    const { json } = synthBackup();
    const trust = JSON.parse(json.resource.aws_iam_role.platform_backup_role.assume_role_policy);
    expect(trust.Statement).toEqual([{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    const attached = Object.values(json.resource.aws_iam_role_policy_attachment as Record<string, { policy_arn: string; role: string }>);
    const partition = "${data.aws_partition.aws_context_partition.partition}";
    expect(attached.map((a) => a.policy_arn).sort()).toEqual([
      `arn:${partition}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup`,
      `arn:${partition}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore`,
      `arn:${partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup`,
      `arn:${partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores`,
    ]);
    expect(attached.every((a) => a.role === "${aws_iam_role.platform_backup_role.name}")).toBe(true);
  });

  it("lets the backup role use the vault key and the source data keys", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const key = new PlatformKey(stack, "BackupsKey", { purpose: "backups", administrators: [ADMIN] });
    const datasetsKey = new PlatformKey(stack, "DatasetsKey", { purpose: "datasets", administrators: [ADMIN] });
    new PlatformBackup(stack, "PlatformBackup", { key, resourceArns: [FILE_SYSTEM], sourceKeys: [datasetsKey] });
    const json = JSON.parse(Testing.synth(stack));
    for (const name of ["backups_key", "datasets_key"]) {
      expect(keyPolicy(json, name).Statement).toContainEqual(
        expect.objectContaining({
          Principal: { AWS: "${aws_iam_role.platform_backup_role.arn}" },
          Action: expect.arrayContaining(["kms:Decrypt", "kms:GenerateDataKey*"]),
        }),
      );
    }
  });

  it("selects the given resources, including buckets made in the same stack", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const key = new PlatformKey(stack, "BackupsKey", { purpose: "backups", administrators: [ADMIN] });
    const bucket = new S3Bucket(stack, "ModelsBucket", { bucket: "models" });
    new PlatformBackup(stack, "PlatformBackup", { key, resourceArns: [FILE_SYSTEM, bucket.arn] });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(BackupSelection, {
      plan_id: "${aws_backup_plan.platform_backup_plan.id}",
      iam_role_arn: "${aws_iam_role.platform_backup_role.arn}",
      resources: [FILE_SYSTEM, "${aws_s3_bucket.models_bucket.arn}"],
    });
  });

  it.each([
    [{ resourceArns: [] }, /PlatformBackup: resourceArns must name at least one/],
    [{ resourceArns: ["fs-0123"] }, /resourceArns must hold ARNs, got 'fs-0123'/],
    [{ minRetentionDays: 3 }, /PlatformBackup: minRetentionDays must be a whole number of at least 7, got 3/],
    [{ maxRetentionDays: 20 }, /maxRetentionDays must be a whole number from minRetentionDays \(35\) to 36500, got 20/],
    [{ changeableForDays: 1 }, /changeableForDays must be a whole number of at least 3, got 1/],
    [{ retentionDays: 14 }, /retentionDays must be a whole number within the vault lock's 35 to 365 days, got 14/],
    [{ retentionDays: 400 }, /retentionDays must be a whole number within the vault lock's 35 to 365 days, got 400/],
    [{ weeklyRetentionDays: 500 }, /weeklyRetentionDays must be a whole number within the vault lock's 35 to 365 days, got 500/],
    [{ schedule: "rate(1 day)" }, /schedule must be a cron\(...\) expression, got 'rate\(1 day\)'/],
    [{ name: "Platform Vault" }, /name must be 2 to 30 lower-case letters, digits and dashes, got 'Platform Vault'/],
  ])("rejects %p", (props, message) => {
    expect(() => synthBackup(props)).toThrow(message);
  });
});

describe("PlatformBackup restore testing", () => {
  it("restores the vault's latest snapshots of buckets and file systems every month, with the backup role", () => {
    const doc = JSON.parse(synthBackup().synth);
    const plan = Object.values(doc.resource.aws_backup_restore_testing_plan)[0] as Record<string, unknown>;
    expect(plan).toMatchObject({
      name: "saip_platform_restore_tests",
      schedule_expression: "cron(0 5 1 * ? *)",
      recovery_point_selection: [
        {
          algorithm: "LATEST_WITHIN_WINDOW",
          include_vaults: ["${aws_backup_vault.platform_backup.arn}"],
          recovery_point_types: ["SNAPSHOT"],
          selection_window_days: 31,
        },
      ],
    });
    const selections = Object.values(doc.resource.aws_backup_restore_testing_selection) as Array<Record<string, unknown>>;
    expect(selections.map((s) => s.protected_resource_type).sort()).toEqual(["EFS", "FSx", "S3"]);
    for (const s of selections)
      expect(s).toMatchObject({
        protected_resource_arns: ["*"],
        iam_role_arn: "${aws_iam_role.platform_backup_role.arn}",
        restore_testing_plan_name: "${aws_backup_restore_testing_plan.platform_backup_restore_testing.name}",
      });
  });
});
