import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { Construct } from "constructs";
import { IAccessLogBucket } from "./access-log-bucket";
import { AwsContext } from "./aws-context";
import { PlatformKey } from "./platform-key";
import { SecureBucket } from "./secure-bucket";
import { ServiceLinkedRole } from "./service-linked-role";

export interface ConfigRecorderProps {
  /** Key that encrypts the delivered configuration items (SSE-KMS). */
  readonly key: PlatformKey;
  /** Bucket that receives the delivery bucket's server access logs. */
  readonly accessLogs: IAccessLogBucket;
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
 * account has none (ServiceLinkedRole), and an existing one is used as it is. Configuration items go to a dedicated, versioned SSE-KMS
 * bucket,
 * which config.amazonaws.com may write for this account only. Terraform
 * creates the recorder, then the delivery channel (AWS Config refuses a
 * channel without a recorder), then turns recording on.
 */
export class ConfigRecorder extends Construct {
  readonly recorderName: string;
  readonly bucketName: string;
  readonly roleArn: string;
  /** The resource that turns recording on; what needs recorded data (Security Hub standards) waits for it. */
  readonly status: ConfigConfigurationRecorderStatus;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const context = AwsContext.of(this);
    const sourceAccount = { "aws:SourceAccount": context.accountId };

    const bucket = new SecureBucket(this, "Bucket", { purpose: "config", key: props.key, accessLogs: props.accessLogs, tags: props.tags });
    this.bucketName = bucket.bucketName;
    // AWS Config developer guide, "Permissions for the Amazon S3 bucket" (service-linked role): the service
    // principal checks the ACL and the bucket, then writes under AWSLogs/<account>/Config/, for this account only.
    bucket.addToResourcePolicy({
      Sid: "AWSConfigBucketPermissionsCheck",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucket.bucketArn,
      Condition: { StringEquals: sourceAccount },
    });
    bucket.addToResourcePolicy({
      Sid: "AWSConfigBucketExistenceCheck",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: "s3:ListBucket",
      Resource: bucket.bucketArn,
      Condition: { StringEquals: sourceAccount },
    });
    bucket.addToResourcePolicy({
      Sid: "AWSConfigBucketDelivery",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucket.bucketArn}/AWSLogs/${context.accountId}/Config/*`,
      Condition: { StringEquals: { ...sourceAccount, "s3:x-amz-acl": "bucket-owner-full-control" } },
    });
    // "Permissions for the KMS key" (service-linked role): the service principal makes and unwraps data keys.
    props.key.allowService({
      Sid: "AWSConfigDelivery",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: sourceAccount },
    });

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
      s3BucketName: bucket.bucketName,
      s3KmsKeyArn: props.key.keyArn,
      snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
      // PutDeliveryChannel checks that it can write to the bucket, so the bucket policy comes first.
      dependsOn: [recorder, bucket.policy],
    });
    this.status = new ConfigConfigurationRecorderStatus(this, "Status", { name: recorder.name, isEnabled: true, dependsOn: [channel] });
  }
}
