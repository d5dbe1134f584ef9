import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Testing } from "cdktf";
import { AccessLogBucket } from "../../../constructs/aws/access-log-bucket";
import { ConfigRecorder, ConfigRecorderProps } from "../../../constructs/aws/config-recorder";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { SecureStack } from "../../../lib/secure-stack";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ACCOUNT = "${data.aws_caller_identity.aws_context_account.account_id}";

function synthRecorder(props: Partial<ConfigRecorderProps> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  const key = new PlatformKey(stack, "LogsKey", { purpose: "logs", administrators: ["arn:aws:iam::111122223333:role/key-admin"] });
  new ConfigRecorder(stack, "ConfigRecorder", { key, accessLogs: new AccessLogBucket(stack, "AccessLogs"), ...props });
  const synth = Testing.synth(stack);
  return { synth, json: JSON.parse(synth) as Json };
}
const statements = (policy: string) => JSON.parse(policy).Statement as Json[];

describe("ConfigRecorder", () => {
  it("records every supported resource type, global ones included, continuously, with its own role", () => {
    const { synth } = synthRecorder();
    expect(synth).toHaveResourceWithProperties(ConfigConfigurationRecorder, {
      name: "default",
      role_arn: "${aws_iam_role.config_recorder_role.arn}",
      recording_group: { all_supported: true, include_global_resource_types: true },
      recording_mode: { recording_frequency: "CONTINUOUS" },
    });
    // A custom role, not the service-linked role a fresh account may not have yet.
    expect(synth).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: "arn:${data.aws_partition.aws_context_partition.partition}:iam::aws:policy/service-role/AWS_ConfigRole",
    });
  });

  it("leaves global resource types to one region when asked", () => {
    expect(synthRecorder({ recordGlobalResourceTypes: false }).synth).toHaveResourceWithProperties(ConfigConfigurationRecorder, {
      recording_group: { all_supported: true, include_global_resource_types: false },
    });
  });

  it("trusts config.amazonaws.com for this account only", () => {
    const role = Object.values(synthRecorder().json.resource.aws_iam_role)[0] as Json;
    expect(statements(role.assume_role_policy)).toEqual([
      { Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } },
    ]);
  });

  it("creates the recorder, then the delivery channel to the SSE-KMS bucket, then turns recording on", () => {
    const { synth, json } = synthRecorder();
    expect(synth).toHaveResourceWithProperties(ConfigDeliveryChannel, {
      s3_bucket_name: "${aws_s3_bucket.config_recorder_bucket.bucket}",
      s3_kms_key_arn: "${aws_kms_key.logs_key.arn}",
      depends_on: ["aws_config_configuration_recorder.config_recorder", "aws_s3_bucket_policy.config_recorder_bucket_policy", "aws_iam_role_policy.config_recorder_delivery_policy"],
    });
    expect(synth).toHaveResourceWithProperties(ConfigConfigurationRecorderStatus, {
      name: "${aws_config_configuration_recorder.config_recorder.name}",
      is_enabled: true,
      depends_on: ["aws_config_delivery_channel.config_recorder_delivery_channel"],
    });
    const encryption = json.resource.aws_s3_bucket_server_side_encryption_configuration.config_recorder_bucket_encryption;
    expect(encryption.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.logs_key.arn}" });
  });

  it("lets AWS Config write under AWSLogs/<account>/Config/ for this account, and the role use the key", () => {
    const { json } = synthRecorder();
    const bucketPolicy = statements(json.resource.aws_s3_bucket_policy.config_recorder_bucket_policy.policy);
    expect(bucketPolicy).toContainEqual({
      Sid: "AWSConfigBucketDelivery",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `\${aws_s3_bucket.config_recorder_bucket.arn}/AWSLogs/${ACCOUNT}/Config/*`,
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT, "s3:x-amz-acl": "bucket-owner-full-control" } },
    });
    expect(bucketPolicy.map((s) => s.Sid)).toEqual(expect.arrayContaining(["AWSConfigBucketPermissionsCheck", "AWSConfigBucketExistenceCheck"]));
    const keyPolicy = statements(json.resource.aws_kms_key.logs_key.policy);
    expect(keyPolicy).toContainEqual({ Sid: "AWSConfigDeliveryRole", Effect: "Allow", Principal: { AWS: "${aws_iam_role.config_recorder_role.arn}" }, Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: "*" });
    expect(keyPolicy).toContainEqual(expect.objectContaining({ Sid: "AWSConfigDelivery", Principal: { Service: "config.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } }));
    const rolePolicy = statements(json.resource.aws_iam_role_policy.config_recorder_delivery_policy.policy);
    expect(rolePolicy).toContainEqual(expect.objectContaining({ Action: "s3:PutObject", Resource: `\${aws_s3_bucket.config_recorder_bucket.arn}/AWSLogs/${ACCOUNT}/Config/*` }));
  });
});
