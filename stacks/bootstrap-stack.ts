import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AccessLogBucket, denyInsecureTransport, hardenBucket } from "../constructs/aws/access-log-bucket";
import { ArchiveAccount } from "../constructs/aws/archive-account";
import { ArchiveVault } from "../constructs/aws/archive-vault";
import { AwsContext } from "../constructs/aws/aws-context";
import { PlatformBackup } from "../constructs/aws/platform-backup";
import { PlatformKey } from "../constructs/aws/platform-key";
import { PolicyDocument } from "../constructs/aws/policy-document";
import { SecureStack } from "../lib/secure-stack";
import { platformConfigOf } from "./config/define";
import { keepStackForRecovery } from "./recovery-record";
import { keyAdministratorsOf, PlatformConfig, PlatformConfigInput } from "./config/schema";

/** Where every stack of a platform keeps its state: known at synth, since a backend block cannot refer to resources. */
export interface StateLocation {
  readonly bucket: string;
  readonly region: string;
  /** The state key's alias; the S3 backend accepts `alias/...` and resolves it in the caller's account. */
  readonly kmsKeyId: string;
}

/** The state location a config names: `state.bucket` or `<name>-tfstate-<region>`, and the alias the bootstrap stack creates. */
export function stateLocation(config: PlatformConfig): StateLocation {
  const region = config.state.region ?? config.region;
  return { bucket: config.state.bucket ?? `${config.name}-tfstate-${region}`, region, kmsKeyId: `alias/${config.name}/terraform-state` };
}

/**
 * Points a stack at the state bucket: SSE-KMS with the state key, and S3
 * native locking (`use_lockfile`, Terraform 1.10 and later), so two applies
 * never write the same state.
 */
export function useStateBucket(stack: TerraformStack, location: StateLocation): void {
  new S3Backend(stack, {
    bucket: location.bucket,
    key: `${stack.node.id}.tfstate`,
    region: location.region,
    encrypt: true,
    kmsKeyId: location.kmsKeyId,
  });
  // cdktf 0.21's S3Backend has no field for it; Terraform's S3 backend reads use_lockfile (Terraform docs, backend "s3").
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}

/**
 * The first stack a team applies: the bucket and key that hold the state of
 * every stack (the state holds the cluster's endpoint and certificate, the roles the
 * Kubernetes provider uses). The bucket has a fixed name, versioning (a
 * bad write is recoverable), TLS only, public access blocked, ACLs off, and
 * SSE-KMS with a rotated key whose use is limited to S3 in this account. Its
 * own backend is this bucket too; the first apply runs with a local
 * override (see the README, "Terraform state").
 *
 * What rebuilds the platform is kept out of an administrator's reach too:
 * every stack writes its Terraform JSON beside its state at each apply
 * (`keepStackForRecovery`), and AWS Backup copies the bucket, versions and
 * all, into a vault of its own, locked like the platform's, with a monthly
 * restore test. Versioning alone is not enough: whoever may write the state
 * may also delete its versions.
 */
export class BootstrapStack extends SecureStack {
  readonly location: StateLocation;
  readonly bucketArn: string;
  readonly keyArn: string;
  /** The locked vault that keeps the state bucket's recovery points. */
  readonly backup?: PlatformBackup;
  /** The log-archive vault the state's recovery points are copied to (`audit.archive`). */
  readonly archiveVault?: ArchiveVault;

  /** Takes the config as written or parsed; defaults are applied here. */
  constructor(scope: Construct, id: string, input: PlatformConfigInput | PlatformConfig) {
    super(scope, id);
    const config = platformConfigOf(input, `${this.node.path}: config`);
    const location = (this.location = stateLocation(config));
    new AwsProvider(this, "aws", { region: location.region, defaultTags: [{ tags: { ...config.tags, "saip:platform": config.name } }] });
    const context = AwsContext.of(this);

    const keyAdministration = {
      administrators: keyAdministratorsOf(config),
      breakGlassRoleArn: config.governance.breakGlassRoleArn,
      aliasPrefix: config.name,
    };
    const key = new PlatformKey(this, "StateKey", { purpose: "terraform-state", ...keyAdministration });
    this.keyArn = key.keyArn;
    // Whoever may read or write the state objects (an IAM decision) may use the key, but only through S3.
    key.addToPolicy({
      Sid: "StateThroughS3",
      Effect: "Allow",
      Principal: { AWS: context.accountRootArn },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": `s3.${location.region}.amazonaws.com`, "kms:CallerAccount": context.accountId } },
    });

    const accessLogs = new AccessLogBucket(this, "AccessLogs");
    const bucket = new S3Bucket(this, "StateBucket", {
      bucket: location.bucket,
      forceDestroy: false,
      tags: { Purpose: "terraform-state" },
    });
    this.bucketArn = bucket.arn;
    const encryption = new S3BucketServerSideEncryptionConfigurationA(this, "StateBucketEncryption", {
      bucket: bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.keyArn },
          bucketKeyEnabled: true,
          blockedEncryptionTypes: ["SSE-C"],
        },
      ],
    });
    const { versioning, publicAccessBlock } = hardenBucket(new Construct(this, "StateBucketHardening"), bucket);
    new S3BucketPolicy(this, "StateBucketPolicy", {
      bucket: bucket.id,
      policy: new PolicyDocument([
        denyInsecureTransport(bucket.arn),
        {
          Sid: "DenyEncryptionOtherThanKms",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:PutObject",
          Resource: `${bucket.arn}/*`,
          Condition: {
            StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
            Null: { "s3:x-amz-server-side-encryption": "false" },
          },
        },
      ]).toJson(),
      dependsOn: [publicAccessBlock],
    });
    new S3BucketLoggingA(this, "StateBucketLogging", {
      bucket: bucket.id,
      targetBucket: accessLogs.bucketName,
      targetPrefix: "terraform-state/",
    });
    // Old state versions are how a broken apply is undone; keep them a year.
    new S3BucketLifecycleConfiguration(this, "StateBucketLifecycle", {
      bucket: bucket.id,
      dependsOn: [versioning],
      rule: [{ id: "expire-old-state-versions", status: "Enabled", filter: [{}], noncurrentVersionExpiration: [{ noncurrentDays: 365 }] }],
    });

    // AWS Backup keeps only resources of its own Region: a state bucket elsewhere is kept by its versions alone.
    if (location.region === config.region) {
      this.backup = new PlatformBackup(this, "StateBackup", {
        key: new PlatformKey(this, "StateBackupsKey", { purpose: "terraform-state-backups", ...keyAdministration }),
        resourceArns: [bucket.arn],
        sourceKeys: [key],
        name: `${config.name}-state`,
        minRetentionDays: config.backup.minRetentionDays,
        retentionDays: config.backup.retentionDays,
        restoreTestedTypes: ["S3"],
      });
      // A vault of its own in the log archive, made here: this stack is applied before the platform's, whose
      // archive vault does not exist yet when this plan is created.
      const archive = config.audit.archive;
      if (archive) {
        const account = new ArchiveAccount(this, "Archive", {
          accountId: archive.accountId,
          roleArn: archive.roleArn,
          region: location.region,
          defaultTags: { ...config.tags, "saip:platform": config.name },
        });
        const vault = (this.archiveVault = new ArchiveVault(account, "StateCopyVault", {
          name: `${config.name}-state-archive`,
          sourceAccountIds: [context.accountId],
          keyAdministrators: [...new Set([...(archive.keyAdministrators ?? config.keyAdministrators), archive.roleArn])],
          breakGlassRoleArn: archive.breakGlassRoleArn,
          aliasPrefix: `${config.name}-archive`,
          minRetentionDays: config.backup.minRetentionDays,
        }));
        this.backup.copyTo(vault);
      }
    }
    keepStackForRecovery(this, location, { region: location.region, dependsOn: [encryption, versioning] });

    new TerraformOutput(this, "state_bucket", { value: bucket.bucket });
    new TerraformOutput(this, "state_key_arn", { value: key.keyArn });
    useStateBucket(this, location);
  }
}
