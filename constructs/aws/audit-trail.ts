import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { recordAssumption } from "../../lib/compliance/construct-assumptions";
import { IAccessLogBucket } from "./access-log-bucket";
import { AwsContext } from "./aws-context";
import { EncryptedLogGroup, MIN_LOG_RETENTION_DAYS } from "./encrypted-log-group";
import { Grantee } from "./grantee";
import { IPlatformKey, PlatformKey } from "./platform-key";
import { PolicyDocument, PolicyStatement } from "./policy-document";
import { SecureBucket } from "./secure-bucket";

export interface AuditTrailProps {
  /** Key that encrypts the trail's log files and its CloudWatch log group. */
  readonly logsKey: PlatformKey;
  /** Bucket that receives the audit bucket's server access logs. */
  readonly accessLogs: IAccessLogBucket;
  /** ARNs of the buckets whose object reads and writes are recorded: the dataset and model buckets. */
  readonly dataEventBucketArns: string[];
  /** Days each log file stays locked in COMPLIANCE mode; at least 365. @default 365 */
  readonly objectLockDays?: number;
  /** Days events are kept in the CloudWatch log group; at least 365. @default 365 */
  readonly retentionInDays?: number;
  /** Name of the trail. @default "saip-audit" */
  readonly trailName?: string;
  /** Tags for the trail, bucket, log group and role. @default - none */
  readonly tags?: Record<string, string>;
  /**
   * A locked bucket and its key in a log-archive account (`LogArchive.trailStorage`) whose policies already admit this
   * trail: the trail delivers its log and digest files there instead of to a bucket of its own, out of this account's
   * administrators' reach. The CloudWatch log group stays here, under `logsKey`.
   * @default - a bucket of its own, encrypted with `logsKey`
   */
  readonly archive?: ArchivedTrailStorage;
}

/** A trail's bucket and key in another account, made and admitted there (LogArchive). */
export interface ArchivedTrailStorage {
  readonly bucket: SecureBucket;
  readonly key: IPlatformKey;
}

/**
 * The bucket policy statements CloudTrail needs to deliver to `bucketArn`,
 * limited to the one trail by aws:SourceArn. The ACL header is still sent by
 * CloudTrail although the bucket enforces object ownership.
 */
export function cloudTrailDeliveryStatements(bucketArn: string, trailArn: string, accountId: string): PolicyStatement[] {
  const sourceArn = { "aws:SourceArn": trailArn };
  return [
    {
      Sid: "CloudTrailAclCheck",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      Condition: { StringEquals: sourceArn },
    },
    {
      Sid: "CloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucketArn}/AWSLogs/${accountId}/*`,
      Condition: { StringEquals: { ...sourceArn, "s3:x-amz-acl": "bucket-owner-full-control" } },
    },
  ];
}

/**
 * A multi-region CloudTrail trail with log file validation, recording
 * management events and the object-level events of the data buckets. Logs go
 * to a dedicated, KMS-encrypted audit bucket whose objects are locked in
 * COMPLIANCE mode (nobody can delete or alter them before the lock ends), and
 * to an encrypted CloudWatch log group for alerting and queries.
 */
export class AuditTrail extends Construct implements IAuditTrail {
  /**
   * An organization trail the landing zone already runs, by ARN, in place of
   * the platform's own: nothing is created, and what the check cannot see of
   * it (all Regions, log file validation, KMS encryption, a locked bucket,
   * and object-level events of `dataEventBucketArns`) is reported as assumed.
   */
  static fromTrailArn(scope: Construct, id: string, trailArn: string, dataEventBucketArns: string[] = []): IAuditTrail {
    const match = Token.isUnresolved(trailArn)
      ? null
      : /^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/([A-Za-z0-9][A-Za-z0-9._-]{2,127})$/.exec(trailArn);
    if (!match)
      throw new Error(
        `${scope.node.path}/${id}: trailArn must be a CloudTrail trail ARN (arn:<partition>:cloudtrail:<region>:<account>:trail/<name>) known at synth, got '${trailArn}'.`,
      );
    const imported = new Construct(scope, id);
    const dataEvents =
      dataEventBucketArns.length > 0 ? `, and object-level data events of ${dataEventBucketArns.length} platform bucket(s)` : "";
    recordAssumption(
      imported,
      `existing organization trail ${trailArn}`,
      `management events of every Region, log file validation, KMS encryption and delivery to a bucket locked against deletion${dataEvents}`,
    );
    return { trailArn, trailName: match[1], imported: true };
  }

  readonly imported = false;
  readonly trailName: string;
  readonly trailArn: string;
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly logGroupName: string;
  /** The locked bucket the trail delivers log and digest files to. */
  readonly bucket: SecureBucket;
  /** True when the bucket is a log archive's, in another account (`archive`). */
  readonly archived: boolean;
  private readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const trailName = (this.trailName = props.trailName ?? "saip-audit");
    const objectLockDays = props.objectLockDays ?? 365;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/.test(trailName)) {
      throw new Error(
        `${this.node.path}: trailName must be 3 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit, got '${trailName}'.`,
      );
    }
    if (!Number.isInteger(objectLockDays) || objectLockDays < MIN_LOG_RETENTION_DAYS || objectLockDays > 36500) {
      throw new Error(
        `${this.node.path}: objectLockDays must be a whole number from ${MIN_LOG_RETENTION_DAYS} to 36500, got ${objectLockDays}.`,
      );
    }
    if (props.dataEventBucketArns.length === 0) {
      throw new Error(`${this.node.path}: dataEventBucketArns must name at least one bucket whose object events are recorded.`);
    }
    const badArn = props.dataEventBucketArns.find((arn) => !Token.isUnresolved(arn) && !/^arn:[a-z-]+:s3:::[^/]+$/.test(arn));
    if (badArn !== undefined) {
      throw new Error(`${this.node.path}: dataEventBucketArns must hold S3 bucket ARNs, got '${badArn}'.`);
    }
    const context = AwsContext.of(this);
    // Built from the name: the key and bucket policies must name the trail before it exists.
    const trailArn = context.arn("cloudtrail", `trail/${trailName}`);

    this.archived = props.archive !== undefined;
    const bucket = props.archive?.bucket ?? this.ownBucket(props, trailArn, objectLockDays);
    const trailKeyArn = props.archive?.key.keyArn ?? props.logsKey.keyArn;
    this.bucket = bucket;
    this.bucketName = bucket.bucketName;
    this.bucketArn = bucket.bucketArn;
    this.trailKeyArn = trailKeyArn;

    const logGroup = new EncryptedLogGroup(this, "LogGroup", {
      name: trailLogGroupName(trailName),
      key: props.logsKey,
      retentionInDays: props.retentionInDays,
      tags: props.tags,
    });
    this.logGroupName = logGroup.logGroupName;
    this.logGroupArn = logGroup.logGroupArn;

    const role = new IamRole(this, "LogsRole", {
      namePrefix: "cloudtrail-logs-",
      description: `Lets CloudTrail trail ${trailName} write to its log group`,
      assumeRolePolicy: new PolicyDocument([
        {
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": context.accountId } },
        },
      ]).toJson(),
      tags: props.tags,
    });
    const rolePolicy = new IamRolePolicy(this, "LogsRolePolicy", {
      role: role.name,
      namePrefix: "write-log-streams-",
      policy: new PolicyDocument([
        {
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${logGroup.logGroupArn}:log-stream:*`,
        },
      ]).toJson(),
    });

    // CloudTrail checks the bucket policy when the trail is created, so the trail waits for it.
    const trail = new Cloudtrail(this, "Resource", {
      name: trailName,
      s3BucketName: bucket.bucketName,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: trailKeyArn,
      // CloudTrail wants the log stream wildcard on the group ARN.
      cloudWatchLogsGroupArn: `${logGroup.logGroupArn}:*`,
      cloudWatchLogsRoleArn: role.arn,
      advancedEventSelector: [
        { name: "Management events, read and write", fieldSelector: [{ field: "eventCategory", equalTo: ["Management"] }] },
        {
          name: "Object events of dataset, model and checkpoint buckets",
          fieldSelector: [
            { field: "eventCategory", equalTo: ["Data"] },
            { field: "resources.type", equalTo: ["AWS::S3::Object"] },
            { field: "resources.ARN", startsWith: props.dataEventBucketArns.map((arn) => `${arn}/`) },
          ],
        },
      ],
      tags: props.tags,
      dependsOn: [rolePolicy, bucket.policy],
    });
    this.trailArn = trail.arn;
  }

  /** The key the log files are encrypted with: the archive's with `archive`, else the logs key. */
  readonly trailKeyArn: string;

  private ownBucket(props: AuditTrailProps, trailArn: string, objectLockDays: number): SecureBucket {
    const context = AwsContext.of(this);
    props.logsKey.allowService({
      Sid: "CloudTrailUse",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      // Decrypt too: the audit bucket uses an S3 Bucket Key, which CloudTrail must be able to unwrap.
      Action: ["kms:GenerateDataKey*", "kms:Decrypt", "kms:DescribeKey"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": trailArn } },
    });
    const bucket = new SecureBucket(this, "Bucket", {
      purpose: "audit",
      key: props.logsKey,
      accessLogs: props.accessLogs,
      objectLock: { mode: "COMPLIANCE", days: objectLockDays },
      tags: props.tags,
      // CloudTrail writes digest files with SSE-S3, so log file validation needs them admitted.
      sseS3Prefixes: [`AWSLogs/${context.accountId}/CloudTrail-Digest/`],
    });
    cloudTrailDeliveryStatements(bucket.bucketArn, trailArn, context.accountId).forEach((s) => bucket.addToResourcePolicy(s));
    return bucket;
  }

  private readonly auditors = new Set<Grantee>();
  /**
   * Lets the grantee read the trail and prove it intact: list and read the
   * log and digest files, decrypt them with the logs key (the bucket's SSE-KMS
   * key), fetch the public keys that verify the digest signatures, and query
   * the trail's log group. That is what `aws cloudtrail validate-logs
   * --trail-arn <arn> --start-time <t>` needs (AWS CLI reference, validate-logs;
   * CloudTrail user guide, "Validating CloudTrail log file integrity"): it calls
   * DescribeTrails to find the bucket, ListPublicKeys for the signing keys of
   * the period, and ListObjects and GetObject on the digest and log files.
   * Reading changes nothing: the files stay locked in COMPLIANCE mode.
   */
  grantRead(grantee: Grantee): void {
    if (this.auditors.has(grantee)) return;
    this.auditors.add(grantee);
    this.bucket.grantRead(grantee);
    if (this.archived) {
      // Across accounts S3 wants the bucket policy to admit the role too, and KMS the role's own policy to name the key.
      const sid = `Auditor${this.auditors.size}`;
      this.bucket.addToResourcePolicy({
        Sid: `${sid}ListsArchive`,
        Effect: "Allow",
        Principal: { AWS: grantee.roleArn },
        Action: ["s3:ListBucket", "s3:GetBucketLocation"],
        Resource: this.bucketArn,
      });
      this.bucket.addToResourcePolicy({
        Sid: `${sid}ReadsArchive`,
        Effect: "Allow",
        Principal: { AWS: grantee.roleArn },
        Action: "s3:GetObject*",
        Resource: `${this.bucketArn}/*`,
      });
    }
    new IamRolePolicy(this, `Audit${Construct.isConstruct(grantee) ? grantee.node.id : this.auditors.size}`, {
      role: grantee.roleName,
      namePrefix: "audit-trail-read-",
      policy: new PolicyDocument([
        // These CloudTrail actions do not take a trail ARN as their resource (service authorization reference).
        {
          Sid: "TrailAndSigningKeys",
          Effect: "Allow",
          Action: ["cloudtrail:DescribeTrails", "cloudtrail:ListPublicKeys", "cloudtrail:LookupEvents"],
          Resource: "*",
        },
        {
          Sid: "TrailStatus",
          Effect: "Allow",
          Action: ["cloudtrail:GetTrail", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors"],
          Resource: this.trailArn,
        },
        {
          Sid: "QueryLogGroup",
          Effect: "Allow",
          Action: ["logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents"],
          Resource: [this.logGroupArn, `${this.logGroupArn}:log-stream:*`],
        },
        ...(this.archived
          ? [
              {
                Sid: "DecryptArchivedLogs",
                Effect: "Allow" as const,
                Action: ["kms:Decrypt", "kms:DescribeKey"],
                Resource: this.trailKeyArn,
              },
            ]
          : []),
      ]).toJson(),
    });
  }
}

/** A trail that records the platform's API activity: the platform's `AuditTrail`, or an organization trail (`AuditTrail.fromTrailArn`). */
export interface IAuditTrail {
  readonly trailArn: string;
  readonly trailName: string;
  /** True for a trail brought in by ARN: nothing here configures it, so it is assumed, not checked. */
  readonly imported: boolean;
}

/** The log group a trail's events are copied to, known at synth (service control policies name it). */
export const trailLogGroupName = (trailName: string) => `/saip/cloudtrail/${trailName}`;
