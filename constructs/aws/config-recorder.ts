import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { AccessLogBucket } from "./access-log-bucket";
import { AwsContext } from "./aws-context";
import { PlatformKey } from "./platform-key";
import { PolicyDocument } from "./policy-document";
import { SecureBucket } from "./secure-bucket";

/** The AWS managed policy that lets AWS Config read the configuration of every supported resource. */
export const AWS_CONFIG_ROLE_POLICY = "policy/service-role/AWS_ConfigRole";

export interface ConfigRecorderProps {
  /** Key that encrypts the delivered configuration items (SSE-KMS). */
  readonly key: PlatformKey;
  /** Bucket that receives the delivery bucket's server access logs. */
  readonly accessLogs: AccessLogBucket;
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
 * Security Hub's controls evaluate. A custom role (trusting
 * config.amazonaws.com for this account, with the AWS_ConfigRole managed
 * policy) records, so a fresh account does not need the service-linked role
 * AWSServiceRoleForConfig first. Configuration items go to a dedicated,
 * versioned, SSE-KMS bucket. Terraform creates the recorder, then the
 * delivery channel (AWS Config refuses a channel without a recorder), then
 * turns recording on.
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
    const deliveryPrefix = `${bucket.bucketArn}/AWSLogs/${context.accountId}/Config/*`;
    // AWS Config developer guide, "Permissions for the Amazon S3 bucket": the service principal checks the
    // ACL and the bucket's existence, then writes under AWSLogs/<account>/Config/, for this account only.
    bucket.addToResourcePolicy({ Sid: "AWSConfigBucketPermissionsCheck", Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: bucket.bucketArn, Condition: { StringEquals: sourceAccount } });
    bucket.addToResourcePolicy({ Sid: "AWSConfigBucketExistenceCheck", Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "s3:ListBucket", Resource: bucket.bucketArn, Condition: { StringEquals: sourceAccount } });
    bucket.addToResourcePolicy({
      Sid: "AWSConfigBucketDelivery",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: deliveryPrefix,
      Condition: { StringEquals: { ...sourceAccount, "s3:x-amz-acl": "bucket-owner-full-control" } },
    });

    const role = new IamRole(this, "Role", {
      namePrefix: "aws-config-",
      description: "Lets AWS Config record resource configurations and deliver them",
      assumeRolePolicy: new PolicyDocument([
        { Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: sourceAccount } },
      ]).toJson(),
      tags: props.tags,
    });
    this.roleArn = role.arn;
    const managed = new IamRolePolicyAttachment(this, "ManagedPolicy", { role: role.name, policyArn: `arn:${context.partition}:iam::aws:${AWS_CONFIG_ROLE_POLICY}` });
    // With a custom role, AWS Config delivers as that role: it needs the bucket and the key itself.
    const delivery = new IamRolePolicy(this, "DeliveryPolicy", {
      role: role.name,
      namePrefix: "deliver-",
      policy: new PolicyDocument([
        { Effect: "Allow", Action: "s3:GetBucketAcl", Resource: bucket.bucketArn },
        { Effect: "Allow", Action: "s3:PutObject", Resource: deliveryPrefix, Condition: { StringLike: { "s3:x-amz-acl": "bucket-owner-full-control" } } },
      ]).toJson(),
    });
    props.key.addToPolicyOnce({ Sid: "AWSConfigDeliveryRole", Effect: "Allow", Principal: { AWS: role.arn }, Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: "*" });
    // The service-linked role path (a team that switches to it) writes as the service principal.
    props.key.allowService({
      Sid: "AWSConfigDelivery",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: sourceAccount },
    });

    const recorder = new ConfigConfigurationRecorder(this, "Resource", {
      name: "default",
      roleArn: role.arn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: props.recordGlobalResourceTypes ?? true },
      recordingMode: { recordingFrequency: "CONTINUOUS" },
      dependsOn: [managed],
    });
    this.recorderName = recorder.name;
    const channel = new ConfigDeliveryChannel(this, "DeliveryChannel", {
      name: "default",
      s3BucketName: bucket.bucketName,
      s3KmsKeyArn: props.key.keyArn,
      snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
      // PutDeliveryChannel checks that it can write to the bucket, so the policies come first.
      dependsOn: [recorder, bucket.policy, delivery],
    });
    this.status = new ConfigConfigurationRecorderStatus(this, "Status", { name: recorder.name, isEnabled: true, dependsOn: [channel] });
  }
}
