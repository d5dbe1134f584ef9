import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Lazy, Token } from "cdktf";
import { Construct } from "constructs";
import { recordAssumption } from "../../lib/compliance/construct-assumptions";
import { AwsContext } from "./aws-context";
import { PolicyDocument, PolicyStatement } from "./policy-document";

/** Throws unless `prefix` can start an S3 bucket name (Terraform's bucket_prefix allows 37 characters). */
export function validateBucketPrefix(scope: Construct, prefix: string): void {
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(prefix) || prefix.length > 37) {
    throw new Error(
      `${scope.node.path}: bucketPrefix must be at most 37 lower-case letters, digits, dots and dashes, starting with a letter or digit, got '${prefix}'.`,
    );
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
export function hardenBucket(
  scope: Construct,
  bucket: S3Bucket,
): { versioning: S3BucketVersioningA; publicAccessBlock: S3BucketPublicAccessBlock } {
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

/**
 * Elastic Load Balancing's log-writing account in each Region opened before
 * August 2022, from the Elastic Load Balancing guide ("Enable access logs for
 * your Application Load Balancer", step 2; the same table backs the AWS
 * provider's aws_elb_service_account and AWS CDK's ELBV2_ACCOUNTS). The list
 * is closed: Regions opened since have no such account, and ELB writes there
 * as the service principal ELB_LOG_DELIVERY_SERVICE.
 */
export const ELB_LEGACY_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-south-1": "718504428378",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-southeast-3": "589379963580",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-west-3": "009996457667",
  "eu-south-1": "635631232127",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-gov-west-1": "048591011584",
  "us-gov-east-1": "190560391635",
  "cn-north-1": "638102146993",
  "cn-northwest-1": "037604701340",
};

/** The principal Elastic Load Balancing writes access logs as in Regions opened in August 2022 or later. */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** The tag that declares a bucket a server access log bucket, which the compliance engine exempts from logging and SSE-KMS. */
export const ACCESS_LOG_ROLE_TAG = { key: "saip:role", value: "access-logs" } as const;

const LOG_PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Where buckets deliver their server access logs: the platform's `AccessLogBucket`, or a landing zone's log archive. */
export interface IAccessLogBucket {
  readonly bucketName: string;
  readonly bucketArn: string;
  /** True for a bucket brought in by name; load balancers cannot be let write to it from here. */
  readonly imported: boolean;
}

export interface AccessLogBucketProps {
  /** Start of the bucket's name; S3 appends a unique suffix. At most 37 characters. @default "saip-access-logs-" */
  readonly bucketPrefix?: string;
  /** Days access logs are kept; at least 90 so investigations can look back. @default 365 */
  readonly retentionDays?: number;
  /** Days a replaced or deleted log object version is kept. @default 90 */
  readonly noncurrentVersionDays?: number;
  /** Tags for the bucket; `saip:role = "access-logs"` is always added. @default - only the role tag */
  readonly tags?: Record<string, string>;
}

/**
 * The bucket that receives S3 server access logs of the platform's buckets,
 * and Elastic Load Balancing access logs where `allowLoadBalancerLogs` lets it.
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
export class AccessLogBucket extends Construct implements IAccessLogBucket {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly imported = false;

  /**
   * A landing zone's log archive bucket, by name: buckets log to it, and what
   * the check cannot see of it (that its policy lets logging.s3.amazonaws.com
   * deliver for this account, its retention, versioning and public access
   * block) is reported as assumed.
   */
  static fromBucketName(scope: Construct, id: string, bucketName: string, partition = "aws"): IAccessLogBucket {
    if (Token.isUnresolved(bucketName) || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucketName)) {
      throw new Error(
        `${scope.node.path}/${id}: bucketName must be an S3 bucket name known at synth (3 to 63 lower-case letters, digits, '.' and '-'), got '${bucketName}'.`,
      );
    }
    const imported = new Construct(scope, id);
    recordAssumption(
      imported,
      `existing access log bucket ${bucketName}`,
      "a bucket policy that lets logging.s3.amazonaws.com deliver this account's server access logs, versioning, public access blocked, and a retention of a year or more",
    );
    return { bucketName, bucketArn: `arn:${partition}:s3:::${bucketName}`, imported: true };
  }
  /** The bucket policy, for resources that must wait until they may write (load balancers check it when logging is turned on). */
  readonly policy: S3BucketPolicy;
  private readonly policyDocument: PolicyDocument;
  private readonly loadBalancerPrefixes = new Set<string>();
  private loadBalancerRegion?: string;

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

    // The role tag declares a log bucket, so the compliance engine accepts its SSE-S3 encryption and that it does not log itself.
    const bucket = new S3Bucket(this, "Resource", {
      bucketPrefix: prefix,
      forceDestroy: false,
      tags: { ...props.tags, [ACCESS_LOG_ROLE_TAG.key]: ACCESS_LOG_ROLE_TAG.value },
    });
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;

    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, blockedEncryptionTypes: ["SSE-C"] }],
    });
    const { versioning, publicAccessBlock } = hardenBucket(this, bucket);

    // Log delivery is granted by this policy, not by the log delivery group's ACL (ACLs are off).
    const context = AwsContext.of(this);
    const policy = (this.policyDocument = new PolicyDocument([
      denyInsecureTransport(bucket.arn),
      {
        Sid: "AllowServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${bucket.arn}/*`,
        Condition: { StringEquals: { "aws:SourceAccount": context.accountId } },
      },
    ]));
    this.policy = new S3BucketPolicy(this, "Policy", {
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
        {
          id: "abort-incomplete-multipart-uploads",
          status: "Enabled",
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
  }

  /**
   * Lets Elastic Load Balancing write access logs of this account's load
   * balancers under `<prefix>/AWSLogs/<account>/`, and returns the policy for
   * the load balancer to depend on (ELB tests the write when logging is turned
   * on). `region` is the load balancer's Region, which is this bucket's too.
   *
   * The principal is chosen at synth from `region`, because it differs by
   * Region and nothing at plan time can choose it safely: Regions opened
   * before August 2022 need ELB's regional account (ELB_LEGACY_LOG_ACCOUNTS),
   * later ones the service principal, scoped with aws:SourceAccount. The
   * provider's aws_elb_service_account data source is not used: it fails in
   * every Region opened since, and would hide the principal from the
   * compliance engine behind an unresolved reference.
   */
  allowLoadBalancerLogs(prefix: string, region: string): S3BucketPolicy {
    if (Token.isUnresolved(prefix) || !LOG_PREFIX.test(prefix) || /awslogs/i.test(prefix)) {
      throw new Error(
        `${this.node.path}: load balancer log prefix must be S3 key segments of letters, digits and !_.*'()- separated by single '/', without leading or trailing '/' and without 'AWSLogs', got '${prefix}'.`,
      );
    }
    if (Token.isUnresolved(region) || !REGION.test(region)) {
      throw new Error(
        `${this.node.path}: load balancer region must be a Region name known at synth, such as 'eu-west-1', got '${region}'.`,
      );
    }
    if (this.loadBalancerRegion !== undefined && this.loadBalancerRegion !== region) {
      throw new Error(
        `${this.node.path}: load balancers log only to a bucket in their own Region; this bucket already serves ${this.loadBalancerRegion}, got '${region}'.`,
      );
    }
    this.loadBalancerRegion = region;
    if (this.loadBalancerPrefixes.has(prefix)) return this.policy;
    this.loadBalancerPrefixes.add(prefix);

    const context = AwsContext.of(this);
    const legacyAccount = ELB_LEGACY_LOG_ACCOUNTS[region];
    // The account in the key path keeps other accounts' load balancers out under either principal.
    this.policyDocument.addStatement({
      Sid: `LoadBalancerLogDelivery${this.loadBalancerPrefixes.size}`,
      Effect: "Allow",
      Principal: legacyAccount ? { AWS: `arn:${context.partition}:iam::${legacyAccount}:root` } : { Service: ELB_LOG_DELIVERY_SERVICE },
      Action: "s3:PutObject",
      Resource: `${this.bucketArn}/${prefix}/AWSLogs/${context.accountId}/*`,
      ...(legacyAccount ? {} : { Condition: { StringEquals: { "aws:SourceAccount": context.accountId } } }),
    });
    return this.policy;
  }
}
