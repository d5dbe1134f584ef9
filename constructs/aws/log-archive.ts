import { Construct } from "constructs";
import { AccessLogBucket } from "./access-log-bucket";
import { ArchiveAccount } from "./archive-account";
import { ArchiveVault } from "./archive-vault";
import { ArchivedTrailStorage, cloudTrailDeliveryStatements } from "./audit-trail";
import { AwsContext } from "./aws-context";
import { allowConfigDelivery, ConfigDeliveryBucket, configDeliveryStatements } from "./config-recorder";
import { MIN_LOG_RETENTION_DAYS } from "./encrypted-log-group";
import { LogCopyDestination } from "./log-copy";
import { PlatformKey } from "./platform-key";
import { SecureBucket } from "./secure-bucket";

export interface LogArchiveProps {
  /** The log-archive account's id. */
  readonly accountId: string;
  /** The role Terraform assumes there; a role of `accountId`. It administers the archive's keys (KMS's lockout safety check). */
  readonly roleArn: string;
  /** The platform's Region, where the archive's resources are created too. */
  readonly region: string;
  /** Default tags of every resource created there. @default - none */
  readonly defaultTags?: Record<string, string>;
  /** Administrators of the archive's keys, besides `roleArn`: they change key policies, never disable or delete a key. */
  readonly keyAdministrators: string[];
  /** The only principal that may disable or delete an archive key, with MFA. @default - nobody */
  readonly breakGlassRoleArn?: string;
  /** Names and alias prefix of what is created: `<name>-...`. */
  readonly name: string;
  /** Name of the platform's trail, which alone may write the trail bucket and use its key. */
  readonly trailName: string;
  /** Days each trail log file and copied log file stays locked in COMPLIANCE mode; at least 365. @default 365 */
  readonly objectLockDays?: number;
  /** The copy vault lock's shortest retention; at least 7. @default 35 */
  readonly minRetentionDays?: number;
  /** The copy vault lock's longest retention. @default 365 */
  readonly maxRetentionDays?: number;
}

/**
 * The platform's audit storage in a separate log-archive account, as the AWS
 * Security Reference Architecture places it: the trail's bucket and key, the
 * AWS Config delivery bucket, a locked backup copy vault and the destination
 * of a copy of the cluster's control-plane logs, all created through a second
 * provider that assumes `roleArn` there. An administrator of the platform's
 * account cannot delete, shorten or rewrite any of it; only the archive
 * account's administrators (and the archive keys' administrators) can.
 *
 * Each is admitted from the platform's account only, by the caller AWS
 * documents for it: CloudTrail (aws:SourceArn the trail; the key also by
 * kms:EncryptionContext:aws:cloudtrail:arn), AWS Config's service principal
 * (aws:SourceAccount the platform's), the platform account's AWS Backup
 * (backup:CopyIntoBackupVault) and its log groups (logs:PutSubscriptionFilter).
 */
export class LogArchive extends Construct {
  readonly account: ArchiveAccount;
  readonly accountId: string;
  /** Encrypts the trail's log files, the Config items and the copied logs. */
  readonly key: PlatformKey;
  readonly accessLogs: AccessLogBucket;
  readonly trailBucket: SecureBucket;
  readonly configBucket: SecureBucket;
  readonly vault: ArchiveVault;
  readonly logCopy: LogCopyDestination;
  /** The trail's locked bucket, by name and ARN. */
  readonly trailBucketName: string;
  readonly trailBucketArn: string;
  /** The AWS Config delivery bucket, by name and ARN. */
  readonly configBucketName: string;
  readonly configBucketArn: string;
  /** The locked bucket the control-plane log copy lands in, by name and ARN. */
  readonly logCopyBucketName: string;
  readonly logCopyBucketArn: string;
  /** The copy vault, which backup plans copy into (`PlatformBackup.copyTo`), and its own key. */
  readonly vaultArn: string;
  readonly vaultKeyArn: string;
  /** The key of the trail's log files, the Config items and the copied logs. */
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    const objectLockDays = props.objectLockDays ?? 365;
    if (!Number.isInteger(objectLockDays) || objectLockDays < MIN_LOG_RETENTION_DAYS || objectLockDays > 36500)
      throw new Error(
        `${this.node.path}: objectLockDays must be a whole number from ${MIN_LOG_RETENTION_DAYS} to 36500, got ${objectLockDays}.`,
      );
    // The platform's account and the trail's ARN, as seen from the stack's own provider.
    const watched = AwsContext.of(scope);
    const trailArn = watched.arn("cloudtrail", `trail/${props.trailName}`);

    const account = (this.account = new ArchiveAccount(this, "Account", props));
    this.accountId = account.accountId;
    const keyAdministration = {
      administrators: [...new Set([...props.keyAdministrators, props.roleArn])],
      breakGlassRoleArn: props.breakGlassRoleArn,
      aliasPrefix: `${props.name}-archive`,
    };
    const key = (this.key = new PlatformKey(account, "LogsKey", { purpose: "logs", ...keyAdministration }));
    this.accessLogs = new AccessLogBucket(account, "AccessLogs", { bucketPrefix: `${props.name.slice(0, 18)}-archive-logs-` });

    // CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail": encrypt for the one trail (aws:SourceArn, and
    // the encryption context CloudTrail adds for trails of its account), and Decrypt for the S3 Bucket Key.
    key.allowService({
      Sid: "CloudTrailEncrypt",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceArn": trailArn },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": watched.arn("cloudtrail", "trail/*", { region: "*" }) },
      },
    });
    // The bucket's default encryption with an S3 Bucket Key: S3 makes the data key on CloudTrail's behalf, with the bucket's context.
    key.allowService({
      Sid: "CloudTrailThroughS3",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": trailArn, "kms:ViaService": `s3.${watched.region}.amazonaws.com` } },
    });
    key.allowService({
      Sid: "CloudTrailBucketKey",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": trailArn } },
    });
    const trailBucket = (this.trailBucket = new SecureBucket(account, "TrailBucket", {
      purpose: "audit",
      bucketPrefix: `${props.name.slice(0, 22)}-audit-`,
      key,
      accessLogs: this.accessLogs,
      objectLock: { mode: "COMPLIANCE", days: objectLockDays },
      // CloudTrail writes digest files with SSE-S3, under the platform account's prefix.
      sseS3Prefixes: [`AWSLogs/${watched.accountId}/CloudTrail-Digest/`],
    }));
    cloudTrailDeliveryStatements(trailBucket.bucketArn, trailArn, watched.accountId).forEach((s) => trailBucket.addToResourcePolicy(s));

    const configBucket = (this.configBucket = new SecureBucket(account, "ConfigBucket", {
      purpose: "config",
      bucketPrefix: `${props.name.slice(0, 22)}-config-`,
      key,
      accessLogs: this.accessLogs,
    }));
    configDeliveryStatements(configBucket.bucketArn, watched.accountId).forEach((s) => configBucket.addToResourcePolicy(s));
    allowConfigDelivery(key, watched.accountId);

    this.vault = new ArchiveVault(account, "CopyVault", {
      name: `${props.name}-archive`,
      sourceAccountIds: [watched.accountId],
      keyAdministrators: keyAdministration.administrators,
      breakGlassRoleArn: props.breakGlassRoleArn,
      aliasPrefix: keyAdministration.aliasPrefix,
      minRetentionDays: props.minRetentionDays,
      maxRetentionDays: props.maxRetentionDays,
    });

    this.logCopy = new LogCopyDestination(account, "ClusterLogCopy", {
      name: `${props.name}-cluster-logs`,
      sourceAccountId: watched.accountId,
      key,
      accessLogs: this.accessLogs,
      objectLockDays,
      purpose: "cluster-logs",
    });
    account.adopt(account);
    this.keyArn = key.keyArn;
    this.trailBucketName = trailBucket.bucketName;
    this.trailBucketArn = trailBucket.bucketArn;
    this.configBucketName = configBucket.bucketName;
    this.configBucketArn = configBucket.bucketArn;
    this.logCopyBucketName = this.logCopy.bucket.bucketName;
    this.logCopyBucketArn = this.logCopy.bucket.bucketArn;
    this.vaultArn = this.vault.vaultArn;
    this.vaultKeyArn = this.vault.key.keyArn;
  }

  /** The trail's bucket and key, for `AuditTrailProps.archive`. */
  get trailStorage(): ArchivedTrailStorage {
    return { bucket: this.trailBucket, key: this.key };
  }

  /** The Config delivery bucket, for `ConfigRecorderProps.deliveryBucket`. */
  get configDelivery(): ConfigDeliveryBucket {
    return { bucketName: this.configBucket.bucketName, keyArn: this.key.keyArn, policy: this.configBucket.policy };
  }
}
