import { BackupPlan, BackupPlanRule } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupRestoreTestingPlan } from "@cdktf/provider-aws/lib/backup-restore-testing-plan";
import { BackupRestoreTestingSelection } from "@cdktf/provider-aws/lib/backup-restore-testing-selection";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupVaultLockConfiguration } from "@cdktf/provider-aws/lib/backup-vault-lock-configuration";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { recordAssumption } from "../../lib/compliance/construct-assumptions";
import { ICopyVault } from "./archive-vault";
import { AwsContext } from "./aws-context";
import { allowThroughService, BACKUP_CALLER_ACTIONS } from "./keyring";
import { IPlatformKey, PlatformKey } from "./platform-key";
import { Grantee, granteeOfRole } from "./grantee";
import { PolicyDocument } from "./policy-document";

/** AWS Backup's own policies for the service role; the S3 pair is separate from the general pair. */
export const BACKUP_MANAGED_POLICIES: Record<string, string> = {
  RoleBackupPolicy: "service-role/AWSBackupServiceRolePolicyForBackup",
  RoleRestorePolicy: "service-role/AWSBackupServiceRolePolicyForRestores",
  RoleS3BackupPolicy: "AWSBackupServiceRolePolicyForS3Backup",
  RoleS3RestorePolicy: "AWSBackupServiceRolePolicyForS3Restore",
};

export const WEEKLY_SCHEDULE = "cron(0 4 ? * SUN *)";
/** Restore tests run monthly, on the first at 05:00 UTC: a restored FSx for Lustre file system is large. */
export const RESTORE_TEST_SCHEDULE = "cron(0 5 1 * ? *)";
/** Resource types AWS Backup restore testing accepts that the platform backs up. */
export type RestoreTestedType = "S3" | "FSx" | "EFS";

export interface PlatformBackupProps {
  /** Key that encrypts the recovery points in the vault (the backups key). */
  readonly key: PlatformKey;
  /**
   * ARNs of what to back up: the file systems and buckets that hold datasets,
   * models and checkpoints. Buckets must have versioning on (SecureBucket does).
   */
  readonly resourceArns: string[];
  /**
   * Keys that encrypt the resources backed up; the backup role may use them to
   * read the data and write it back on restore. @default - none
   */
  readonly sourceKeys?: IPlatformKey[];
  /** Name of the vault and plan. @default "saip-platform" */
  readonly name?: string;
  /** Shortest retention the vault lock accepts; at least 7. @default 35 */
  readonly minRetentionDays?: number;
  /** Longest retention the vault lock accepts. @default 365 */
  readonly maxRetentionDays?: number;
  /**
   * Days (at least 3) during which the vault lock can still be removed. After
   * that the lock is in compliance mode: nobody, root included, can delete
   * recovery points early or change the lock. @default 3
   */
  readonly changeableForDays?: number;
  /** When the daily backup runs, as an AWS Backup cron expression in UTC. @default "cron(0 3 * * ? *)" */
  readonly schedule?: string;
  /** Days daily recovery points are kept; within the lock's min and max. @default 35 */
  readonly retentionDays?: number;
  /** Days weekly recovery points (Sundays 04:00 UTC) are kept; within the lock's min and max. @default 90 */
  readonly weeklyRetentionDays?: number;
  /**
   * Resource types restored each month from the vault's latest recovery points, to prove the backups restore:
   * AWS Backup restores each into a new resource, keeps it for a validation window, then deletes it.
   * @default ["S3", "FSx", "EFS"] (a type with no recovery point in the vault has nothing to restore)
   */
  readonly restoreTestedTypes?: RestoreTestedType[];
  /** Tags for the vault, plan, role and recovery points. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * Backups of the platform's data in a locked vault: a daily and a weekly
 * rule, a service role for AWS Backup, and a vault lock that stops anyone
 * from deleting recovery points before their retention ends.
 *
 * AWS Backup backs up an S3 bucket only when versioning is enabled on it,
 * and S3 backups also need the bucket's objects' key (pass it in sourceKeys).
 */
export class PlatformBackup extends Construct {
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly planId: string;
  readonly roleArn: string;
  /** The role AWS Backup assumes, to grant it the key of a store a team adds to the plan. */
  readonly role: Grantee;
  /** The restore testing plan that restores the vault's latest recovery points each month. */
  readonly restoreTestingPlanName: string;
  private readonly plan: BackupPlan;
  /** The plan's rules before copies, with the days each keeps its recovery points. */
  private readonly rules: { readonly rule: BackupPlanRule; readonly days: number }[];
  private readonly key: PlatformKey;
  private readonly copyVaults: ICopyVault[] = [];

  constructor(scope: Construct, id: string, props: PlatformBackupProps) {
    super(scope, id);
    const name = props.name ?? "saip-platform";
    const minRetention = props.minRetentionDays ?? 35;
    const maxRetention = props.maxRetentionDays ?? 365;
    const changeable = props.changeableForDays ?? 3;
    const retention = props.retentionDays ?? 35;
    const weeklyRetention = props.weeklyRetentionDays ?? 90;
    const schedule = props.schedule ?? "cron(0 3 * * ? *)";
    this.validate({ name, minRetention, maxRetention, changeable, retention, weeklyRetention, schedule, resourceArns: props.resourceArns });
    const context = AwsContext.of(this);

    // Without it CreateBackupVault fails: AWS Backup creates the vault's grant as the caller.
    allowThroughService(props.key, context, "backup", BACKUP_CALLER_ACTIONS);
    const vault = new BackupVault(this, "Resource", { name, kmsKeyArn: props.key.keyArn, tags: props.tags });
    this.vaultName = vault.name;
    this.vaultArn = vault.arn;
    const lock = new BackupVaultLockConfiguration(this, "Lock", {
      backupVaultName: vault.name,
      minRetentionDays: minRetention,
      maxRetentionDays: maxRetention,
      changeableForDays: changeable,
    });

    const role = new IamRole(this, "Role", {
      namePrefix: `${name}-backup-`,
      description: "Lets AWS Backup back up and restore the platform's data",
      assumeRolePolicy: new PolicyDocument([
        { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]).toJson(),
      tags: props.tags,
    });
    this.roleArn = role.arn;
    this.role = granteeOfRole(role);
    for (const [attachmentId, policy] of Object.entries(BACKUP_MANAGED_POLICIES)) {
      new IamRolePolicyAttachment(this, attachmentId, { role: role.name, policyArn: `arn:${context.partition}:iam::aws:policy/${policy}` });
    }
    for (const key of [props.key, ...(props.sourceKeys ?? [])]) {
      key.grantEncryptDecrypt(granteeOfRole(role));
      key.grantAwsResourceGrants(granteeOfRole(role));
    }

    // The plan waits for the lock, so no recovery point lands in an unlocked vault.
    this.rules = [
      {
        days: retention,
        rule: {
          ruleName: "daily",
          targetVaultName: vault.name,
          schedule,
          lifecycle: { deleteAfter: retention },
          recoveryPointTags: props.tags,
        },
      },
      {
        days: weeklyRetention,
        rule: {
          ruleName: "weekly",
          targetVaultName: vault.name,
          schedule: WEEKLY_SCHEDULE,
          lifecycle: { deleteAfter: weeklyRetention },
          recoveryPointTags: props.tags,
        },
      },
    ];
    this.key = props.key;
    const plan = (this.plan = new BackupPlan(this, "Plan", {
      name,
      rule: this.rules.map((r) => r.rule),
      tags: props.tags,
      dependsOn: [lock],
    }));
    this.planId = plan.id;
    new BackupSelection(this, "Selection", { name: `${name}-data`, planId: plan.id, iamRoleArn: role.arn, resources: props.resourceArns });

    // A backup counts once it restores. Restore testing names allow letters, digits and underscores only.
    const testing = new BackupRestoreTestingPlan(this, "RestoreTesting", {
      name: `${name.replace(/-/g, "_")}_restore_tests`,
      scheduleExpression: RESTORE_TEST_SCHEDULE,
      startWindowHours: 24,
      recoveryPointSelection: [
        { algorithm: "LATEST_WITHIN_WINDOW", includeVaults: [vault.arn], recoveryPointTypes: ["SNAPSHOT"], selectionWindowDays: 31 },
      ],
      tags: props.tags,
    });
    this.restoreTestingPlanName = testing.name;
    for (const type of props.restoreTestedTypes ?? ["S3", "FSx", "EFS"]) {
      // Any resource of the type with a recovery point in this vault (the plan includes no other vault).
      new BackupRestoreTestingSelection(this, `RestoreTesting${type}`, {
        name: `${type.toLowerCase()}_latest`,
        restoreTestingPlanName: testing.name,
        protectedResourceType: type,
        protectedResourceArns: ["*"],
        iamRoleArn: role.arn,
        validationWindowHours: 4,
      });
    }
  }

  /**
   * Copies every recovery point of the plan's rules into a vault of another
   * account (the log archive's `ArchiveVault`), kept there as long as here, so
   * an administrator of this account who deletes the plan, the vault or its
   * key still leaves the copies. Each rule's retention must lie within the
   * destination vault lock's bounds.
   *
   * AWS Backup developer guide, "Creating backup copies across AWS accounts":
   * both accounts must be in one organization whose management account has
   * cross-account backup turned on (recorded as assumed unless
   * `organizationSettingsManaged`: OrganizationGuardrails sets it where the
   * config names the management account); the source recovery points' customer managed keys are shared
   * with the destination account, which this does in their key policies
   * (decrypt, and grants for AWS resources only); the destination vault's
   * policy and key are the destination's (ArchiveVault). The recovery points
   * of resources AWS Backup fully manages (S3, EFS) are under the vault's key,
   * which is shared; those of others keep their source's key (FSx: the file
   * system's), which `sourceKeys` names to share too.
   */
  copyTo(
    vault: ICopyVault,
    options: {
      readonly sourceKeys?: IPlatformKey[];
      /** Whether this configuration turns cross-account backup on in the management account (OrganizationGuardrails). @default false */
      readonly organizationSettingsManaged?: boolean;
    } = {},
  ): void {
    if (this.copyVaults.some((v) => v.vaultArn === vault.vaultArn)) return;
    for (const { rule, days } of this.rules) {
      if (days < vault.minRetentionDays || days > vault.maxRetentionDays)
        throw new Error(
          `${this.node.path}: the ${rule.ruleName} rule keeps recovery points ${days} days, outside the copy vault lock's ${vault.minRetentionDays} to ${vault.maxRetentionDays} days.`,
        );
    }
    this.copyVaults.push(vault);
    this.plan.putRule(
      this.rules.map(({ rule, days }) => ({
        ...rule,
        copyAction: this.copyVaults.map((v) => ({ destinationVaultArn: v.vaultArn, lifecycle: { deleteAfter: days } })),
      })),
    );
    const context = AwsContext.of(this);
    const destination = `arn:${context.partition}:iam::${vault.accountId}:root`;
    for (const key of new Set([this.key, ...(options.sourceKeys ?? [])])) {
      if (!(key instanceof PlatformKey)) {
        recordAssumption(key, `key ${key.keyArn}`, `shared with account ${vault.accountId} for AWS Backup's cross-account copies`);
        continue;
      }
      key.addToPolicyOnce({
        Sid: `CopiesTo${vault.accountId}`,
        Effect: "Allow",
        Principal: { AWS: destination },
        // The cross-account use statement of the KMS developer guide ("Allowing users in other accounts to use a KMS
        // key"): the copy job re-wraps the recovery point's data keys for the destination vault's key.
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: "*",
      });
      key.addToPolicyOnce({
        Sid: `CopyGrantsTo${vault.accountId}`,
        Effect: "Allow",
        Principal: { AWS: destination },
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
      });
    }
    if (options.organizationSettingsManaged) return;
    recordAssumption(
      this,
      "AWS Organizations backup settings",
      `cross-account backup is turned on in the organization's management account, and account ${vault.accountId} is in the same organization`,
    );
  }

  private validate(v: {
    name: string;
    minRetention: number;
    maxRetention: number;
    changeable: number;
    retention: number;
    weeklyRetention: number;
    schedule: string;
    resourceArns: string[];
  }): void {
    const fail = (message: string): never => {
      throw new Error(`${this.node.path}: ${message}`);
    };
    if (!/^[a-z0-9][a-z0-9-]{1,29}$/.test(v.name)) fail(`name must be 2 to 30 lower-case letters, digits and dashes, got '${v.name}'.`);
    if (!Number.isInteger(v.minRetention) || v.minRetention < 7)
      fail(`minRetentionDays must be a whole number of at least 7, got ${v.minRetention}.`);
    if (!Number.isInteger(v.maxRetention) || v.maxRetention < v.minRetention || v.maxRetention > 36500) {
      fail(`maxRetentionDays must be a whole number from minRetentionDays (${v.minRetention}) to 36500, got ${v.maxRetention}.`);
    }
    if (!Number.isInteger(v.changeable) || v.changeable < 3)
      fail(`changeableForDays must be a whole number of at least 3, got ${v.changeable}.`);
    for (const [prop, days] of [
      ["retentionDays", v.retention],
      ["weeklyRetentionDays", v.weeklyRetention],
    ] as const) {
      if (!Number.isInteger(days) || days < v.minRetention || days > v.maxRetention) {
        fail(`${prop} must be a whole number within the vault lock's ${v.minRetention} to ${v.maxRetention} days, got ${days}.`);
      }
    }
    if (!/^cron\(.+\)$/.test(v.schedule)) fail(`schedule must be a cron(...) expression, got '${v.schedule}'.`);
    if (v.resourceArns.length === 0) fail("resourceArns must name at least one file system or bucket to back up.");
    const bad = v.resourceArns.find((arn) => !Token.isUnresolved(arn) && !arn.startsWith("arn:"));
    if (bad !== undefined) fail(`resourceArns must hold ARNs, got '${bad}'.`);
  }
}
