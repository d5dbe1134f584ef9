import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { AwsContext } from "./aws-context";
import { PolicyDocument, PolicyStatement } from "./policy-document";

/** Throws unless `prefix` can start an S3 bucket name (Terraform's bucket_prefix allows 37 characters). */
export function validateBucketPrefix(scope: Construct, prefix: string): void {
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(prefix) || prefix.length > 37) {
    throw new Error(`${scope.node.path}: bucketPrefix must be at most 37 lower-case letters, digits, dots and dashes, starting with a letter or digit, got '${prefix}'.`);
  }
}

/** Denies every request that does not use TLS, for the bucket and its objects. */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * What every platform bucket has: versioning, all four public access block
 * flags, and ACLs disabled (BucketOwnerEnforced), so access is decided by
 * policies alone.
 */
export function hardenBucket(scope: Construct, bucket: S3Bucket): { versioning: S3BucketVersioningA; publicAccessBlock: S3BucketPublicAccessBlock } {
  const versioning = new S3BucketVersioningA(scope, "Versioning", {
    bucket: bucket.id,
    versioningConfiguration: { status: "Enabled" },
  });
  const publicAccessBlock = new S3BucketPublicAccessBlock(scope, "PublicAccessBlock", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, "OwnershipControls", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
  return { versioning, publicAccessBlock };
}

export interface AccessLogBucketProps {
  /** Start of the bucket's name; S3 appends a unique suffix. At most 37 characters. @default "saip-access-logs-" */
  readonly bucketPrefix?: string;
  /** Days access logs are kept; at least 90 so investigations can look back. @default 365 */
  readonly retentionDays?: number;
  /** Days a replaced or deleted log object version is kept. @default 90 */
  readonly noncurrentVersionDays?: number;
  /** Tags for the bucket. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * The bucket that receives S3 server access logs of the platform's buckets.
 *
 * Hardened like every platform bucket (versioning, public access blocked,
 * ACLs disabled, TLS only, lifecycle) with two deliberate differences, both
 * required by S3 server access logging:
 * - Encryption is SSE-S3 (AES256), not SSE-KMS: the S3 user guide allows
 *   default encryption on a log destination bucket only with SSE-S3; default
 *   SSE-KMS is not supported for server access log delivery.
 * - It does not log its own access: a destination bucket that logs to
 *   itself loops, and logging it elsewhere only moves the problem. Reading
 *   these logs is audited by CloudTrail instead.
 * Object Lock is not set either: S3 cannot deliver server access logs to a
 * bucket with Object Lock.
 */
export class AccessLogBucket extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps = {}) {
    super(scope, id);
    const prefix = props.bucketPrefix ?? "saip-access-logs-";
    validateBucketPrefix(this, prefix);
    const retention = props.retentionDays ?? 365;
    if (!Number.isInteger(retention) || retention < 90) {
      throw new Error(`${this.node.path}: retentionDays must be a whole number of at least 90, got ${retention}.`);
    }
    const noncurrent = props.noncurrentVersionDays ?? 90;
    if (!Number.isInteger(noncurrent) || noncurrent < 1) {
      throw new Error(`${this.node.path}: noncurrentVersionDays must be a whole number of at least 1, got ${noncurrent}.`);
    }

    const bucket = new S3Bucket(this, "Resource", { bucketPrefix: prefix, forceDestroy: false, tags: props.tags });
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;

    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, blockedEncryptionTypes: ["SSE-C"] }],
    });
    const { versioning, publicAccessBlock } = hardenBucket(this, bucket);

    // Log delivery is granted by this policy, not by the log delivery group's ACL (ACLs are off).
    const context = AwsContext.of(this);
    const policy = new PolicyDocument([
      denyInsecureTransport(bucket.arn),
      {
        Sid: "AllowServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${bucket.arn}/*`,
        Condition: { StringEquals: { "aws:SourceAccount": context.accountId } },
      },
    ]);
    new S3BucketPolicy(this, "Policy", {
      bucket: bucket.id,
      policy: Lazy.stringValue({ produce: () => policy.toJson() }),
      dependsOn: [publicAccessBlock],
    });

    new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      bucket: bucket.id,
      dependsOn: [versioning],
      rule: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{}],
          expiration: [{ days: retention }],
          noncurrentVersionExpiration: [{ noncurrentDays: noncurrent }],
        },
        { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: [{}], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] },
      ],
    });
  }
}
