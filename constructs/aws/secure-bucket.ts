import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { denyInsecureTransport, hardenBucket, IAccessLogBucket, validateBucketPrefix } from "./access-log-bucket";
import { BucketGrantOptions, BucketGrants, ImportedSecureBucket, ISecureBucket, SecureBucketAttributes } from "./bucket-grants";
import { Grant, Grantee } from "./grantee";
import { IPlatformKey } from "./platform-key";
import { PolicyDocument, PolicyStatement } from "./policy-document";

/**
 * What changes an object or its protection: writing (PutObject also covers copies and multipart completion), deleting, retention and legal
 * holds.
 */
export type { BucketGrantOptions, ISecureBucket, SecureBucketAttributes } from "./bucket-grants";

export const OBJECT_WRITE_ACTIONS = [
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
  "s3:BypassGovernanceRetention",
  "s3:RestoreObject",
];

export interface SecureBucketObjectLock {
  /** COMPLIANCE: nobody, not even the account root, can shorten retention or delete a locked version. @default "COMPLIANCE" */
  readonly mode?: "GOVERNANCE" | "COMPLIANCE";
  /** Days each new object version stays locked. */
  readonly days: number;
}

export interface SecureBucketProps {
  /** What the bucket holds (the platform's are DATA_BUCKETS); names, tags and log prefix. */
  readonly purpose: string;
  /** Key that encrypts every object (SSE-KMS with an S3 bucket key). */
  readonly key: IPlatformKey;
  /** Bucket that receives this bucket's server access logs, under the prefix `<purpose>/`. */
  readonly accessLogs: IAccessLogBucket;
  /** Write-once retention for every new object version; needs versioning, which is always on. @default - no Object Lock */
  readonly objectLock?: SecureBucketObjectLock;
  /** Days a replaced or deleted object version is kept before it expires. @default 90 */
  readonly noncurrentVersionDays?: number;
  /** Start of the bucket's name; S3 appends a unique suffix. At most 37 characters. @default "saip-<purpose>-" */
  readonly bucketPrefix?: string;
  /** Tags for the bucket, besides `Purpose`. @default - none */
  readonly tags?: Record<string, string>;
  /**
   * Object key prefixes an AWS service writes with SSE-S3 whatever the bucket asks, so the deny of other
   * encryption must not apply there: CloudTrail's digest files ("Digest files are encrypted with Amazon S3
   * managed keys", CloudTrail user guide, encrypting log files with AWS KMS keys). @default - none
   */
  readonly sseS3Prefixes?: string[];
}

/**
 * A private, KMS-encrypted, versioned S3 bucket for an AI asset class:
 * public access blocked, ACLs disabled, TLS-only, access-logged, and never
 * force-destroyed. Grant access with `grantRead` / `grantReadWrite`, which
 * also grant the matching use of the key.
 */
export class SecureBucket extends Construct implements ISecureBucket {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly key: IPlatformKey;
  readonly purpose: string;
  /** The bucket resource, for what must name it (a finding's address, a backup selection). */
  readonly resource: S3Bucket;
  /** The bucket policy, for resources that must wait for it (a trail checks it when created). */
  readonly policy: S3BucketPolicy;
  private readonly policyDocument: PolicyDocument;
  private readonly grants: BucketGrants;
  /** The deny of keys other than the bucket's; pinned prefixes are taken out of it (encryptPrefixWith). */
  /** The only principals that may write objects, once restrictWritesTo is called. */
  private writers?: string[];
  private readonly otherKeysDenied: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] };

  /**
   * A bucket that exists already, by name: grants go to the grantee's role
   * policy and the key, as for a platform bucket; what the check cannot see of
   * the bucket (its encryption, versioning, public access block, logging) is
   * reported as assumed.
   */
  static fromBucketAttributes(scope: Construct, id: string, attributes: SecureBucketAttributes): ISecureBucket {
    return new ImportedSecureBucket(scope, id, attributes);
  }

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    if (!/^[a-z0-9-]+$/.test(props.purpose)) {
      throw new Error(`${this.node.path}: purpose must be lower-case letters, digits and dashes, got '${props.purpose}'.`);
    }
    const prefix = props.bucketPrefix ?? `saip-${props.purpose}-`;
    validateBucketPrefix(this, prefix);
    const noncurrent = props.noncurrentVersionDays ?? 90;
    if (!Number.isInteger(noncurrent) || noncurrent < 1) {
      throw new Error(`${this.node.path}: noncurrentVersionDays must be a whole number of at least 1, got ${noncurrent}.`);
    }
    const lock = props.objectLock;
    const lockMode = lock?.mode ?? "COMPLIANCE";
    if (lock && (!Number.isInteger(lock.days) || lock.days < 1 || lock.days > 36500)) {
      throw new Error(`${this.node.path}: objectLock.days must be a whole number from 1 to 36500, got ${lock.days}.`);
    }
    if (lock && lockMode !== "GOVERNANCE" && lockMode !== "COMPLIANCE") {
      throw new Error(`${this.node.path}: objectLock.mode must be GOVERNANCE or COMPLIANCE, got '${lockMode}'.`);
    }
    this.key = props.key;
    this.purpose = props.purpose;

    const bucket = (this.resource = new S3Bucket(this, "Resource", {
      bucketPrefix: prefix,
      forceDestroy: false,
      objectLockEnabled: lock ? true : undefined,
      tags: { ...props.tags, Purpose: props.purpose },
    }));
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.grants = new BucketGrants(this, this);

    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      bucket: bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.key.keyArn },
          // One data key per bucket instead of a KMS call per object: cost and KMS quotas.
          bucketKeyEnabled: true,
          // Customer-provided keys would bypass the platform key and its audit trail.
          blockedEncryptionTypes: ["SSE-C"],
        },
      ],
    });
    const { versioning, publicAccessBlock } = hardenBucket(this, bucket);

    // Default encryption already applies the key to requests that send no
    // encryption headers (most SDK calls, and every UploadPart, which can't
    // carry them), so denying "header absent" would break them. The Null
    // conditions make each deny apply only when the header is present:
    // present and not aws:kms, or naming a key other than this one. Clients
    // that name the key must use its ARN.
    this.otherKeysDenied = {
      Sid: "DenyOtherKmsKeys",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: `${bucket.arn}/*`,
      Condition: {
        StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": props.key.keyArn },
        Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
      },
    };
    const policy = (this.policyDocument = new PolicyDocument([
      denyInsecureTransport(bucket.arn),
      {
        Sid: "DenyEncryptionOtherThanKms",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        ...(props.sseS3Prefixes?.length
          ? { NotResource: props.sseS3Prefixes.map((prefix) => `${bucket.arn}/${prefix}*`) }
          : { Resource: `${bucket.arn}/*` }),
        Condition: {
          StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
          Null: { "s3:x-amz-server-side-encryption": "false" },
        },
      },
      this.otherKeysDenied,
    ]));
    this.policy = new S3BucketPolicy(this, "Policy", {
      bucket: bucket.id,
      policy: Lazy.stringValue({ produce: () => policy.toJson() }),
      dependsOn: [publicAccessBlock],
    });

    // Date-partitioned keys carry the source bucket's name, so buckets sharing a purpose never mix their logs.
    new S3BucketLoggingA(this, "AccessLogging", {
      bucket: bucket.id,
      targetBucket: props.accessLogs.bucketName,
      targetPrefix: `${props.purpose}/`,
      targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
    });

    new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      bucket: bucket.id,
      dependsOn: [versioning],
      rule: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          // Provider 6 wants an explicit filter; an empty one means every object.
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: noncurrent }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
        {
          id: "abort-incomplete-multipart-uploads",
          status: "Enabled",
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });

    if (lock) {
      new S3BucketObjectLockConfigurationA(this, "ObjectLock", {
        bucket: bucket.id,
        dependsOn: [versioning],
        rule: { defaultRetention: { mode: lockMode, days: lock.days } },
      });
    }
  }

  /**
   * Adds a statement to the bucket policy, for AWS services that deliver to
   * the bucket (CloudTrail). Allow statements must name their principals.
   */
  addToResourcePolicy(statement: PolicyStatement): void {
    if (
      statement.Effect === "Allow" &&
      (statement.Principal === undefined ||
        statement.Principal === "*" ||
        ("AWS" in statement.Principal && [statement.Principal.AWS].flat().includes("*")))
    ) {
      throw new Error(`${this.node.path}: bucket policy Allow statements must name their principals; '*' is not allowed.`);
    }
    this.policyDocument.addStatement(statement);
  }

  /**
   * Makes the roles the only writers of the bucket: the policy denies every
   * write, delete and retention change of objects to any other principal,
   * account administrators included, matched by aws:PrincipalArn (the role's
   * ARN for its sessions). For stores written only through a publisher path.
   * Called again, it adds writers.
   */
  restrictWritesTo(roleArns: string[]): void {
    if (roleArns.length === 0)
      throw new Error(`${this.node.path}: restrictWritesTo needs at least one role ARN; with none nobody could write the bucket.`);
    // A later call adds writers (AWS Backup's role, which restores into the bucket) to the same statement.
    if (this.writers) {
      this.writers.push(...roleArns.filter((arn) => !this.writers!.includes(arn)));
      return;
    }
    this.writers = [...roleArns];
    this.addToResourcePolicy({
      Sid: "WritesOnlyByPublishers",
      Effect: "Deny",
      Principal: "*",
      Action: OBJECT_WRITE_ACTIONS,
      Resource: `${this.bucketArn}/*`,
      Condition: { ArnNotEquals: { "aws:PrincipalArn": this.writers } },
    });
  }

  /**
   * Has the objects under `prefix` (a tenant's `<tenant>/`) encrypted with a key of their own, so that a grant
   * within the prefix decrypts that prefix only, whatever its IAM policy says of the rest: the bucket policy denies
   * writes under the prefix that name another key, or ask for SSE-KMS without naming one (S3 would use the AWS
   * managed key). Writers there must name the key's ARN (`x-amz-server-side-encryption-aws-kms-key-id`): a request
   * without encryption headers gets the bucket's default key, which grants within the prefix do not include, so
   * KMS refuses it. UploadPart carries no encryption headers, so parts inherit the upload's key and pass.
   * Call before granting access that reaches the prefix.
   */
  encryptPrefixWith(prefix: string, key: IPlatformKey): void {
    this.grants.pinPrefix(prefix, key);
    const pinned = [...this.grants.pinnedPrefixes.keys()].map((p) => `${this.bucketArn}/${p}*`);
    // The bucket's own key is required everywhere but the pinned prefixes.
    delete this.otherKeysDenied.Resource;
    this.otherKeysDenied.NotResource = pinned;
    const n = this.grants.pinnedPrefixes.size;
    this.addToResourcePolicy({
      Sid: `DenyOtherKeysUnderPrefix${n}`,
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: `${this.bucketArn}/${prefix}*`,
      Condition: {
        StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": key.keyArn },
        Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
      },
    });
    this.addToResourcePolicy({
      Sid: `DenyUnnamedKeyUnderPrefix${n}`,
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: `${this.bucketArn}/${prefix}*`,
      Condition: {
        Null: { "s3:x-amz-server-side-encryption": "false", "s3:x-amz-server-side-encryption-aws-kms-key-id": "true" },
      },
    });
  }

  /** The keys objects of the bucket are encrypted with: its own, and those of prefixes with keys of their own. */
  get keys(): IPlatformKey[] {
    return [this.key, ...this.grants.pinnedPrefixes.values()];
  }

  /** Lets the grantee list the bucket and read objects (under `prefix` only, when given), and decrypt them with the key. */
  grantRead(grantee: Grantee, options: BucketGrantOptions = {}): Grant {
    return this.grants.grant(grantee, "Read", options.prefix);
  }

  /**
   * Lets the grantee read, write and delete current objects (under `prefix`
   * only, when given), and use the key both ways. Deleting object versions is
   * not granted: versioning keeps overwritten and deleted data recoverable.
   */
  grantReadWrite(grantee: Grantee, options: BucketGrantOptions = {}): Grant {
    return this.grants.grant(grantee, "ReadWrite", options.prefix);
  }
}
