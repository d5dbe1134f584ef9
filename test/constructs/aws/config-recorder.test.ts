import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
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
  it("records every supported resource type, global ones included, continuously, as the service-linked role it creates", () => {
    const { synth, json } = synthRecorder();
    expect(synth).toHaveResourceWithProperties(ConfigConfigurationRecorder, {
      name: "default",
      role_arn: `arn:\${data.aws_partition.aws_context_partition.partition}:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
      recording_group: { all_supported: true, include_global_resource_types: true },
      recording_mode: { recording_frequency: "CONTINUOUS" },
    });
    // Security Hub's Config.1 (critical) fails a recorder that uses any other role; a fresh account has none yet,
    // so it is created where a lookup finds none, and the recorder waits for it.
    const [slrName, slr] = Object.entries(json.resource.aws_iam_service_linked_role as Json)[0];
    expect(slr).toMatchObject({
      aws_service_name: "config.amazonaws.com",
      count: expect.stringMatching(/^\$\{length\(data\.aws_iam_roles\.\w+\.names\) == 0 \|\| /),
    });
    expect(json.resource.aws_config_configuration_recorder.config_recorder.depends_on).toEqual([`aws_iam_service_linked_role.${slrName}`]);
    expect(json.data.aws_iam_roles).toEqual({
      [Object.keys(json.data.aws_iam_roles)[0]]: expect.objectContaining({
        name_regex: "^AWSServiceRoleForConfig$",
        path_prefix: "/aws-service-role/config.amazonaws.com/",
      }),
    });
    expect(json.resource.aws_iam_role).toBeUndefined();
  });

  it("leaves global types to one region when asked", () => {
    const { synth } = synthRecorder({ recordGlobalResourceTypes: false });
    expect(synth).toHaveResourceWithProperties(ConfigConfigurationRecorder, {
      recording_group: { all_supported: true, include_global_resource_types: false },
    });
  });

  it("creates the recorder, then the delivery channel to the SSE-KMS bucket, then turns recording on", () => {
    const { synth, json } = synthRecorder();
    expect(synth).toHaveResourceWithProperties(ConfigDeliveryChannel, {
      s3_bucket_name: "${aws_s3_bucket.config_recorder_bucket.bucket}",
      s3_kms_key_arn: "${aws_kms_key.logs_key.arn}",
      depends_on: ["aws_config_configuration_recorder.config_recorder", "aws_s3_bucket_policy.config_recorder_bucket_policy"],
    });
    expect(synth).toHaveResourceWithProperties(ConfigConfigurationRecorderStatus, {
      name: "${aws_config_configuration_recorder.config_recorder.name}",
      is_enabled: true,
      depends_on: ["aws_config_delivery_channel.config_recorder_delivery_channel"],
    });
    const encryption = json.resource.aws_s3_bucket_server_side_encryption_configuration.config_recorder_bucket_encryption;
    expect(encryption.rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: "aws:kms",
      kms_master_key_id: "${aws_kms_key.logs_key.arn}",
    });
  });

  it("lets AWS Config write under AWSLogs/<account>/Config/ and use the key, for this account only", () => {
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
    expect(bucketPolicy.filter((s) => s.Sid?.startsWith("AWSConfig")).map((s) => [s.Sid, s.Action, s.Condition])).toEqual([
      ["AWSConfigBucketPermissionsCheck", "s3:GetBucketAcl", { StringEquals: { "aws:SourceAccount": ACCOUNT } }],
      ["AWSConfigBucketExistenceCheck", "s3:ListBucket", { StringEquals: { "aws:SourceAccount": ACCOUNT } }],
      [
        "AWSConfigBucketDelivery",
        "s3:PutObject",
        { StringEquals: { "aws:SourceAccount": ACCOUNT, "s3:x-amz-acl": "bucket-owner-full-control" } },
      ],
    ]);
    expect(statements(json.resource.aws_kms_key.logs_key.policy)).toContainEqual({
      Sid: "AWSConfigDelivery",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
    });
  });
});
