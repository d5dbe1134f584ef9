import { BackupRestoreTestingPlan } from "@cdktf/provider-aws/lib/backup-restore-testing-plan";
import { BackupRestoreTestingSelection } from "@cdktf/provider-aws/lib/backup-restore-testing-selection";
import { recordAssumption } from "../../lib/compliance/construct-assumptions";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupVaultLockConfiguration } from "@cdktf/provider-aws/lib/backup-vault-lock-configuration";
import { BackupVaultPolicy } from "@cdktf/provider-aws/lib/backup-vault-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { ArchiveAccount } from "./archive-account";
import { AwsContext } from "./aws-context";
import { granteeOfRole } from "./grantee";
import { BACKUP_CALLER_ACTIONS } from "./keyring";
import { BACKUP_MANAGED_POLICIES, RESTORE_TEST_SCHEDULE } from "./platform-backup";
import { PlatformKey } from "./platform-key";
import { PolicyDocument } from "./policy-document";

/** A vault other accounts' backup plans copy recovery points into (`PlatformBackup.copyTo`). */
export interface ICopyVault {
  readonly vaultArn: string;
  /** The account the vault is in, which the copied recovery points' keys are shared with. */
  readonly accountId: string;
  /** The vault lock's bounds: a copy's retention must lie within them. */
  readonly minRetentionDays: number;
  readonly maxRetentionDays: number;
}

export interface ArchiveVaultProps {
  /** Name of the vault, unique in the archive account and Region. */
  readonly name: string;
  /** Accounts whose AWS Backup may copy recovery points in (backup:CopyIntoBackupVault). */
  readonly sourceAccountIds: string[];
  /** Administrators of the vault's key (see PlatformKeyProps.administrators). */
  readonly keyAdministrators: string[];
  /** The only principal that may disable or delete the vault's key, with MFA. @default - nobody */
  readonly breakGlassRoleArn?: string;
  /** Alias prefix of the vault's key. @default "saip" */
  readonly aliasPrefix?: string;
  /** Shortest retention the lock accepts; at least 7. @default 35 */
  readonly minRetentionDays?: number;
  /** Longest retention the lock accepts. @default 365 */
  readonly maxRetentionDays?: number;
  /** Tags for the vault and key. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * A locked AWS Backup vault in the log-archive account, with a key of its
 * own, that the named accounts' plans copy recovery points into. Built under
 * an `ArchiveAccount` and created through its provider.
 *
 * What it relies on (AWS Backup developer guide, "Creating backup copies
 * across AWS accounts" and "Vault access policies"): the vault's access
 * policy allows backup:CopyIntoBackupVault to the source accounts, the only
 * cross-account action a vault policy can grant; AWS Backup in this account
 * re-encrypts each copy with the vault's key, which its key policy lets the
 * account use through AWS Backup only; the vault lock (compliance mode after
 * three days) keeps anyone, root included, from deleting copies early.
 * Restore tests there prove the copies restore where they would be needed.
 */
export class ArchiveVault extends Construct implements ICopyVault {
  readonly vaultArn: string;
  readonly vaultName: string;
  readonly accountId: string;
  readonly key: PlatformKey;
  readonly minRetentionDays: number;
  readonly maxRetentionDays: number;

  constructor(account: ArchiveAccount, id: string, props: ArchiveVaultProps) {
    super(account, id);
    const min = (this.minRetentionDays = props.minRetentionDays ?? 35);
    const max = (this.maxRetentionDays = props.maxRetentionDays ?? 365);
    if (!/^[a-z0-9][a-z0-9-]{1,49}$/.test(props.name))
      throw new Error(`${this.node.path}: name must be 2 to 50 lower-case letters, digits and dashes, got '${props.name}'.`);
    if (!Number.isInteger(min) || min < 7 || !Number.isInteger(max) || max < min || max > 36500)
      throw new Error(
        `${this.node.path}: minRetentionDays (at least 7) and maxRetentionDays (from it to 36500) must be whole numbers, got ${min} and ${max}.`,
      );
    if (props.sourceAccountIds.length === 0)
      throw new Error(`${this.node.path}: sourceAccountIds must name at least one account whose recovery points are copied in.`);
    this.accountId = account.accountId;
    const context = AwsContext.of(this);

    this.key = new PlatformKey(this, "Key", {
      purpose: `${props.name}-vault`,
      administrators: props.keyAdministrators,
      breakGlassRoleArn: props.breakGlassRoleArn,
      aliasPrefix: props.aliasPrefix,
      tags: props.tags,
    });
    // CreateBackupVault creates the vault's grant as the caller, and AWS Backup here encrypts the copies. The
    // principal, this account's root, already limits callers to this account (no kms:CallerAccount literal).
    this.key.addToPolicyOnce({
      Sid: "UseThroughBackup",
      Effect: "Allow",
      Principal: { AWS: context.accountRootArn },
      Action: BACKUP_CALLER_ACTIONS,
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": `backup.${context.region}.amazonaws.com` } },
    });
    const vault = new BackupVault(this, "Resource", { name: props.name, kmsKeyArn: this.key.keyArn, tags: props.tags });
    this.vaultArn = vault.arn;
    this.vaultName = vault.name;
    new BackupVaultLockConfiguration(this, "Lock", {
      backupVaultName: vault.name,
      minRetentionDays: min,
      maxRetentionDays: max,
      changeableForDays: 3,
    });
    new BackupVaultPolicy(this, "Policy", {
      backupVaultName: vault.name,
      policy: new PolicyDocument([
        {
          Sid: "CopyIntoFromSourceAccounts",
          Effect: "Allow",
          Principal: { AWS: props.sourceAccountIds.map((a) => `arn:${context.partition}:iam::${a}:root`) },
          Action: "backup:CopyIntoBackupVault",
          Resource: "*",
        },
      ]).toJson(),
    });
    this.restoreTests(props, vault);
    account.adopt(this);
  }

  /**
   * A copy counts once it restores here, where it is restored from when the source account is lost: each month
   * the latest copied bucket is restored into a new bucket of this account and deleted after validation. S3 only:
   * a file system restores into the source account's subnets, which this account does not have.
   */
  private restoreTests(props: ArchiveVaultProps, vault: BackupVault): void {
    const context = AwsContext.of(this);
    const role = new IamRole(this, "RestoreRole", {
      namePrefix: `${props.name.slice(0, 24)}-restore-`,
      description: "Lets AWS Backup restore copied recovery points in the log archive to test them",
      assumeRolePolicy: new PolicyDocument([
        { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]).toJson(),
      tags: props.tags,
    });
    for (const attachment of ["RoleRestorePolicy", "RoleS3RestorePolicy"]) {
      new IamRolePolicyAttachment(this, attachment, {
        role: role.name,
        policyArn: `arn:${context.partition}:iam::aws:policy/${BACKUP_MANAGED_POLICIES[attachment]}`,
      });
    }
    this.key.grantEncryptDecrypt(granteeOfRole(role), "RestoreTests");
    this.key.grantAwsResourceGrants(granteeOfRole(role), "RestoreTestGrants");
    const plan = new BackupRestoreTestingPlan(this, "RestoreTesting", {
      name: `${props.name.replace(/-/g, "_")}_restore_tests`,
      scheduleExpression: RESTORE_TEST_SCHEDULE,
      startWindowHours: 24,
      recoveryPointSelection: [
        { algorithm: "LATEST_WITHIN_WINDOW", includeVaults: [vault.arn], recoveryPointTypes: ["SNAPSHOT"], selectionWindowDays: 31 },
      ],
      tags: props.tags,
    });
    new BackupRestoreTestingSelection(this, "RestoreTestingS3", {
      name: "s3_latest",
      restoreTestingPlanName: plan.name,
      protectedResourceType: "S3",
      protectedResourceArns: ["*"],
      iamRoleArn: role.arn,
      validationWindowHours: 4,
    });
    // The copied points are under this vault's key, which the role may use; the objects they restore carried the
    // source account's bucket keys, and no AWS document says which key a cross-account restore writes them with.
    recordAssumption(
      this,
      `restore tests of ${props.name}`,
      "the objects of a copied S3 recovery point restore under a key the archive's restore role can use; check that the first monthly restore job restores objects, not only a bucket",
    );
  }
}
