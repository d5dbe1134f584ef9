import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import type { PlatformKey } from "secure-ai-platform/aws";

export interface FeatureStoreBucketProps {
  /** Key that encrypts every object; a key of the platform's keyring (`stack.keys.datasets`). */
  readonly key: PlatformKey;
  /** Name of the bucket that receives the server access logs, under `feature-store/`. */
  readonly accessLogBucketName: string;
  /** Backs the bucket up with this AWS Backup plan and role (the platform's). @default - not backed up */
  readonly backup?: { readonly planId: string; readonly roleArn: string };
  /** Days a replaced or deleted feature file version is kept. @default 30 */
  readonly noncurrentVersionDays?: number;
}

/**
 * The recommendations team's offline feature store: a bucket of feature
 * tables (Parquet) the training jobs read. Written by the team with the AWS
 * provider's resources, not the platform's SecureBucket, and checked by the
 * same compliance rules as everything else in the stack: KMS encryption with
 * a platform key, versioning, public access blocked, ACLs off, TLS only,
 * access logs.
 */
export class FeatureStoreBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: FeatureStoreBucketProps) {
    super(scope, id);
    const bucket = (this.bucket = new S3Bucket(this, "Resource", {
      bucketPrefix: "recsys-feature-store-",
      forceDestroy: false,
      tags: { Purpose: "feature-store" },
    }));
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;

    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.key.keyArn }, bucketKeyEnabled: true }],
    });
    const versioning = new S3BucketVersioningA(this, "Versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "OwnershipControls", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketPolicy(this, "Policy", {
      bucket: bucket.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucket.arn, `${bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
      dependsOn: [publicAccessBlock],
    });
    new S3BucketLoggingA(this, "AccessLogging", { bucket: bucket.id, targetBucket: props.accessLogBucketName, targetPrefix: "feature-store/" });
    new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      bucket: bucket.id,
      dependsOn: [versioning],
      rule: [
        {
          id: "expire-noncurrent-feature-files",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 30 }],
        },
      ],
    });

    if (props.backup) {
      // AWS Backup backs up S3 only with versioning on. The role must be able to use `key`: the platform's
      // backup role may use the keys of the platform's own buckets (the datasets key among them).
      new BackupSelection(this, "Backup", { name: "recsys-feature-store", planId: props.backup.planId, iamRoleArn: props.backup.roleArn, resources: [bucket.arn] });
    }
  }
}
