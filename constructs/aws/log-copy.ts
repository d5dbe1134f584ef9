import { CloudwatchLogDestination } from "@cdktf/provider-aws/lib/cloudwatch-log-destination";
import { CloudwatchLogDestinationPolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-destination-policy";
import { CloudwatchLogSubscriptionFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-subscription-filter";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import { Construct } from "constructs";
import { IAccessLogBucket } from "./access-log-bucket";
import { AwsContext } from "./aws-context";
import { granteeOfRole } from "./grantee";
import { PlatformKey } from "./platform-key";
import { PolicyDocument } from "./policy-document";
import { SecureBucket } from "./secure-bucket";
import { recordAssumption } from "../../lib/compliance/construct-assumptions";

export interface LogCopyDestinationProps {
  /** Names the destination, the delivery stream and the roles; at most 40 letters, digits and dashes. */
  readonly name: string;
  /** The account whose log groups subscribe (logs:PutSubscriptionFilter), by id. */
  readonly sourceAccountId: string;
  /** Key that encrypts the copied log files. */
  readonly key: PlatformKey;
  /** Bucket that receives the copy bucket's server access logs. */
  readonly accessLogs: IAccessLogBucket;
  /** Days each copied file stays locked in COMPLIANCE mode. */
  readonly objectLockDays: number;
  /** What the bucket holds, for its name and tags. @default "log-copy" */
  readonly purpose?: string;
  /** Tags for what it creates. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * Where another account's log groups copy their events to, in the log-archive
 * account: a CloudWatch Logs destination, the Firehose stream behind it and a
 * locked, KMS-encrypted bucket the stream writes to. The sequence and
 * permissions are those of the CloudWatch Logs user guide, "Cross-account
 * cross-Region subscriptions using Firehose": the stream's role is assumed by
 * firehose.amazonaws.com (sts:ExternalId this account) and writes the bucket;
 * the destination's role is assumed by logs.amazonaws.com, for log groups of
 * the source account and of this one (the test message CloudWatch Logs sends
 * when the destination is created), and may only put records on the stream;
 * the destination's access policy lets the source account subscribe.
 * Built under an `ArchiveAccount`.
 */
export class LogCopyDestination extends Construct {
  readonly destinationArn: string;
  readonly deliveryStreamArn: string;
  readonly bucket: SecureBucket;
  /** The destination's access policy: a subscription filter waits for it, or PutSubscriptionFilter is refused. */
  readonly policy: CloudwatchLogDestinationPolicy;

  constructor(scope: Construct, id: string, props: LogCopyDestinationProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/.test(props.name))
      throw new Error(`${this.node.path}: name must be 1 to 40 letters, digits and dashes, got '${props.name}'.`);
    const context = AwsContext.of(this);
    const bucket = (this.bucket = new SecureBucket(this, "Bucket", {
      purpose: props.purpose ?? "log-copy",
      key: props.key,
      accessLogs: props.accessLogs,
      objectLock: { mode: "COMPLIANCE", days: props.objectLockDays },
      tags: props.tags,
    }));
    // S3 refuses an upload into a bucket with default retention unless it carries Content-MD5 or an
    // x-amz-checksum-* header (PutObject API reference); no Firehose document says which it sends.
    recordAssumption(
      this,
      `Firehose stream ${props.name}-stream`,
      "delivery into an Object Lock bucket with default retention (S3 requires Content-MD5 or a checksum header on each upload); check that objects arrive under AWSLogs/ after the first apply",
    );

    const streamName = `${props.name}-stream`;
    const streamArn = context.arn("firehose", `deliverystream/${streamName}`);
    const firehoseRole = new IamRole(this, "StreamRole", {
      namePrefix: `${props.name.slice(0, 24)}-firehose-`,
      description: `Lets Firehose stream ${streamName} write the copied logs to their bucket`,
      assumeRolePolicy: new PolicyDocument([
        {
          Effect: "Allow",
          Principal: { Service: "firehose.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "sts:ExternalId": context.accountId } },
        },
      ]).toJson(),
      tags: props.tags,
    });
    // Firehose developer guide, "Grant Firehose access to an Amazon S3 destination": these actions, on the bucket and its objects.
    const firehosePolicy = new IamRolePolicy(this, "StreamRolePolicy", {
      role: firehoseRole.name,
      namePrefix: "write-log-copies-",
      policy: new PolicyDocument([
        {
          Sid: "Bucket",
          Effect: "Allow",
          Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
          Resource: bucket.bucketArn,
        },
        {
          Sid: "Objects",
          Effect: "Allow",
          Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
          Resource: `${bucket.bucketArn}/*`,
        },
      ]).toJson(),
    });
    const keyGrant = props.key.grantEncryptDecrypt(granteeOfRole(firehoseRole), "LogCopyStreamWrites");

    const stream = new KinesisFirehoseDeliveryStream(this, "Stream", {
      name: streamName,
      destination: "extended_s3",
      extendedS3Configuration: {
        roleArn: firehoseRole.arn,
        bucketArn: bucket.bucketArn,
        kmsKeyArn: props.key.keyArn,
        prefix: "AWSLogs/",
        errorOutputPrefix: "errors/",
        bufferingInterval: 300,
        bufferingSize: 5,
        // CloudWatch Logs delivers its records gzip-compressed already.
        compressionFormat: "UNCOMPRESSED",
      },
      // Records wait in the stream for at most the buffering interval; the files are under the archive key.
      serverSideEncryption: { enabled: true, keyType: "AWS_OWNED_CMK" },
      tags: props.tags,
      dependsOn: [firehosePolicy, ...keyGrant.dependables, bucket.policy],
    });
    this.deliveryStreamArn = stream.arn;

    const logsRole = new IamRole(this, "DestinationRole", {
      namePrefix: `${props.name.slice(0, 24)}-logs-`,
      description: `Lets CloudWatch Logs put subscribed events on Firehose stream ${streamName}`,
      assumeRolePolicy: new PolicyDocument([
        {
          Effect: "Allow",
          Principal: { Service: "logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringLike: {
              "aws:SourceArn": [context.arn("logs", "*", { account: props.sourceAccountId }), context.arn("logs", "*")],
            },
          },
        },
      ]).toJson(),
      tags: props.tags,
    });
    const logsPolicy = new IamRolePolicy(this, "DestinationRolePolicy", {
      role: logsRole.name,
      namePrefix: "put-on-stream-",
      policy: new PolicyDocument([
        { Sid: "PutRecords", Effect: "Allow", Action: ["firehose:PutRecord", "firehose:PutRecordBatch"], Resource: streamArn },
      ]).toJson(),
    });
    // PutDestination sends a test message through the role, so the role's policy comes first.
    const destination = new CloudwatchLogDestination(this, "Resource", {
      name: props.name,
      roleArn: logsRole.arn,
      targetArn: stream.arn,
      tags: props.tags,
      dependsOn: [logsPolicy],
    });
    this.destinationArn = destination.arn;
    this.policy = new CloudwatchLogDestinationPolicy(this, "Policy", {
      destinationName: destination.name,
      accessPolicy: new PolicyDocument([
        {
          Sid: "SourceAccountSubscribes",
          Effect: "Allow",
          Principal: { AWS: `arn:${context.partition}:iam::${props.sourceAccountId}:root` },
          Action: "logs:PutSubscriptionFilter",
          Resource: destination.arn,
        },
      ]).toJson(),
    });
  }

  /**
   * Subscribes a log group of the source account to the destination: every
   * event is copied (an empty filter pattern). `scope` must create its
   * resources in the source account, outside the archive.
   */
  subscribe(scope: Construct, id: string, logGroupName: string): CloudwatchLogSubscriptionFilter {
    return new CloudwatchLogSubscriptionFilter(scope, id, {
      name: "copy-to-log-archive",
      logGroupName,
      destinationArn: this.destinationArn,
      filterPattern: "",
      dependsOn: [this.policy],
    });
  }
}
