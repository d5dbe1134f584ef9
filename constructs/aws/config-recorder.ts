import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { IAccessLogBucket } from "./access-log-bucket";
import { AwsContext } from "./aws-context";
import { PlatformKey } from "./platform-key";
import { PolicyStatement } from "./policy-document";
import { SecureBucket } from "./secure-bucket";
import { ServiceLinkedRole } from "./service-linked-role";

/**
 * The bucket policy statements AWS Config needs to deliver the items of
 * `accountId` to `bucketArn` (AWS Config developer guide, "Permissions for
 * the Amazon S3 bucket", service-linked role): the service principal checks
 * the ACL and the bucket, then writes under AWSLogs/<account>/Config/, for
 * that account only. The same statements admit another account's Config to a
 * log-archive bucket.
 */
export function configDeliveryStatements(bucketArn: string, accountId: string): PolicyStatement[] {
  const sourceAccount = { "aws:SourceAccount": accountId };
  return [
    {
      Sid: "AWSConfigBucketPermissionsCheck",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      Condition: { StringEquals: sourceAccount },
    },
    {
      Sid: "AWSConfigBucketExistenceCheck",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: "s3:ListBucket",
      Resource: bucketArn,
      Condition: { StringEquals: sourceAccount },
    },
    {
      Sid: "AWSConfigBucketDelivery",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucketArn}/AWSLogs/${accountId}/Config/*`,
      Condition: { StringEquals: { ...sourceAccount, "s3:x-amz-acl": "bucket-owner-full-control" } },
    },
  ];
}

/**
 * "Permissions for the KMS key" (service-linked role): the service principal makes and unwraps data keys, for
 * `accountId`'s delivery only.
 */
export function allowConfigDelivery(key: PlatformKey, accountId: string): void {
  key.allowService({
    Sid: "AWSConfigDelivery",
    Effect: "Allow",
    Principal: { Service: "config.amazonaws.com" },
    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  });
}

/** A delivery bucket made elsewhere (a log archive's) that already admits this account's AWS Config. */
export interface ConfigDeliveryBucket {
  readonly bucketName: string;
  /** Key the items are encrypted with, whose policy admits AWS Config. */
  readonly keyArn: string;
  /** The bucket's policy, which the delivery channel waits for. */
  readonly policy: ITerraformDependable;
}

export interface ConfigRecorderProps {
  /** Key that encrypts the delivered configuration items (SSE-KMS); not with `deliveryBucket`. */
  readonly key?: PlatformKey;
  /** Bucket that receives the delivery bucket's server access logs; not with `deliveryBucket`. */
  readonly accessLogs?: IAccessLogBucket;
  /**
   * A bucket in another account (the log archive's) to deliver to instead of one of its own: AWS Config's
   * service-linked role here writes across accounts, as the bucket and key policies there allow.
   * @default - a bucket of its own, encrypted with `key`
   */
  readonly deliveryBucket?: ConfigDeliveryBucket;
  /**
   * Record IAM users, groups, roles and policies, which are global. Record
   * them in one region of the account only, or every region reports them
   * again. @default true
   */
  readonly recordGlobalResourceTypes?: boolean;
  /** Tags for the bucket and role. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * AWS Config recording every supported resource type continuously, the data
 * Security Hub's controls evaluate. It records as the service-linked role
 * AWSServiceRoleForConfig, which Security Hub's control Config.1 (critical)
 * requires; a fresh account lacks that role, so it is created where the
 * account has none (ServiceLinkedRole), and an existing one is used as it is.
 * Configuration items go to a dedicated, versioned SSE-KMS bucket which
 * config.amazonaws.com may write for this account only, or to a log
 * archive's (`deliveryBucket`), which admits it the same way. Terraform
 * creates the recorder, then the delivery channel (AWS Config refuses a
 * channel without a recorder), then turns recording on.
 */
export class ConfigRecorder extends Construct {
  readonly recorderName: string;
  readonly bucketName: string;
  /** True when items go to a bucket of another account (`deliveryBucket`), which this account's alarms cannot watch. */
  readonly archived: boolean;
  readonly roleArn: string;
  /** The resource that turns recording on; what needs recorded data (Security Hub standards) waits for it. */
  readonly status: ConfigConfigurationRecorderStatus;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const context = AwsContext.of(this);
    const delivery = props.deliveryBucket ?? this.ownBucket(props, context.accountId);
    this.bucketName = delivery.bucketName;
    this.archived = props.deliveryBucket !== undefined;

    const role = ServiceLinkedRole.of(this, "config.amazonaws.com");
    this.roleArn = role.roleArn;

    const recorder = new ConfigConfigurationRecorder(this, "Resource", {
      name: "default",
      roleArn: this.roleArn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: props.recordGlobalResourceTypes ?? true },
      recordingMode: { recordingFrequency: "CONTINUOUS" },
      // PutConfigurationRecorder refuses a role that does not exist yet.
      dependsOn: [role.resource],
    });
    this.recorderName = recorder.name;
    const channel = new ConfigDeliveryChannel(this, "DeliveryChannel", {
      name: "default",
      s3BucketName: delivery.bucketName,
      s3KmsKeyArn: delivery.keyArn,
      snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
      // PutDeliveryChannel checks that it can write to the bucket, so the bucket policy comes first.
      dependsOn: [recorder, delivery.policy],
    });
    this.status = new ConfigConfigurationRecorderStatus(this, "Status", { name: recorder.name, isEnabled: true, dependsOn: [channel] });
  }

  private ownBucket(props: ConfigRecorderProps, accountId: string): ConfigDeliveryBucket {
    if (!props.key || !props.accessLogs)
      throw new Error(`${this.node.path}: key and accessLogs are required unless deliveryBucket names a bucket made elsewhere.`);
    const bucket = new SecureBucket(this, "Bucket", { purpose: "config", key: props.key, accessLogs: props.accessLogs, tags: props.tags });
    configDeliveryStatements(bucket.bucketArn, accountId).forEach((s) => bucket.addToResourcePolicy(s));
    allowConfigDelivery(props.key, accountId);
    return { bucketName: bucket.bucketName, keyArn: props.key.keyArn, policy: bucket.policy };
  }
}
