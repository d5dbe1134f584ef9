import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Testing } from "cdktf";
import { DEFAULT_CONFIG } from "../../stacks/config/default";
import { parseConfig } from "../../stacks/config/load";
import { BootstrapStack, stateLocation } from "../../stacks/bootstrap-stack";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const config = parseConfig(DEFAULT_CONFIG, "reference");
const synth = Testing.synth(new BootstrapStack(Testing.app(), "bootstrap", config));
const json = JSON.parse(synth) as Json;
const statements = (policy: string) => JSON.parse(policy).Statement as Json[];

describe("BootstrapStack", () => {
  it("names the bucket and key so every backend knows them at synth", () => {
    expect(stateLocation(config)).toEqual({
      bucket: "ai-platform-tfstate-eu-west-1",
      region: "eu-west-1",
      kmsKeyId: "alias/ai-platform/terraform-state",
    });
    const custom = parseConfig({ ...DEFAULT_CONFIG, state: { bucket: "acme-ml-terraform-state", region: "eu-central-1" } }, "custom");
    expect(stateLocation(custom)).toEqual({
      bucket: "acme-ml-terraform-state",
      region: "eu-central-1",
      kmsKeyId: "alias/ai-platform/terraform-state",
    });
    expect(synth).toHaveResourceWithProperties(S3Bucket, { bucket: "ai-platform-tfstate-eu-west-1", force_destroy: false });
    expect(json.resource.aws_kms_alias.state_key_alias.name).toBe("alias/ai-platform/terraform-state");
  });

  it("keeps versions, blocks public access and encrypts with the rotated state key", () => {
    expect(synth).toHaveResourceWithProperties(S3BucketVersioningA, {
      bucket: "${aws_s3_bucket.state_bucket.id}",
      versioning_configuration: { status: "Enabled" },
    });
    expect(synth).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: "${aws_s3_bucket.state_bucket.id}",
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const encryption = json.resource.aws_s3_bucket_server_side_encryption_configuration.state_bucket_encryption;
    expect(encryption.rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: "aws:kms",
      kms_master_key_id: "${aws_kms_key.state_key.arn}",
    });
    expect(synth).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
  });

  it("refuses requests without TLS and lets the account use the key only through S3", () => {
    expect(statements(json.resource.aws_s3_bucket_policy.state_bucket_policy.policy)).toContainEqual(
      expect.objectContaining({ Sid: "DenyInsecureTransport", Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    );
    expect(statements(json.resource.aws_kms_key.state_key.policy)).toContainEqual(
      expect.objectContaining({
        Sid: "StateThroughS3",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Condition: {
          StringEquals: {
            "kms:ViaService": "s3.eu-west-1.amazonaws.com",
            "kms:CallerAccount": "${data.aws_caller_identity.aws_context_account.account_id}",
          },
        },
      }),
    );
  });

  it("keeps its own state in the bucket it creates, encrypted and locked", () => {
    expect(json.terraform.backend).toEqual({
      s3: {
        bucket: "ai-platform-tfstate-eu-west-1",
        key: "bootstrap.tfstate",
        region: "eu-west-1",
        encrypt: true,
        kms_key_id: "alias/ai-platform/terraform-state",
        use_lockfile: true,
      },
    });
  });

  it("backs the state bucket up into a locked vault of its own, with a key the backup role may use and a monthly restore test", () => {
    const selection = json.resource.aws_backup_selection.state_backup_selection;
    expect(selection).toMatchObject({
      resources: ["${aws_s3_bucket.state_bucket.arn}"],
      iam_role_arn: "${aws_iam_role.state_backup_role.arn}",
    });
    expect(json.resource.aws_backup_vault.state_backup).toMatchObject({
      name: "ai-platform-state",
      kms_key_arn: "${aws_kms_key.state_backups_key.arn}",
    });
    expect(json.resource.aws_backup_vault_lock_configuration.state_backup_lock).toMatchObject({
      changeable_for_days: 3,
      min_retention_days: 35,
    });
    // AWS Backup reads the objects with its role, through S3: the state key admits the role by name.
    expect(statements(json.resource.aws_kms_key.state_key.policy)).toContainEqual(
      expect.objectContaining({
        Principal: { AWS: "${aws_iam_role.state_backup_role.arn}" },
        Action: expect.arrayContaining(["kms:Decrypt", "kms:GenerateDataKey*"]),
      }),
    );
    expect(json.resource.aws_backup_restore_testing_selection.state_backup_restore_testing_s3.protected_resource_type).toBe("S3");
  });

  it("keeps its own Terraform JSON beside its state, once the bucket encrypts with the state key", () => {
    expect(json.resource.aws_s3_object.recovery_record).toMatchObject({
      bucket: "ai-platform-tfstate-eu-west-1",
      key: "recovery/bootstrap/cdk.tf.json",
      source: "${path.module}/cdk.tf.json",
      source_hash: '${filemd5("${path.module}/cdk.tf.json")}',
      depends_on: [
        "aws_s3_bucket_server_side_encryption_configuration.state_bucket_encryption",
        "aws_s3_bucket_versioning.state_bucket_hardening_versioning",
      ],
    });
    // No encryption header: the bucket's default (the state key) applies, where aws:kms alone would mean aws/s3.
    expect(json.resource.aws_s3_object.recovery_record).not.toHaveProperty("server_side_encryption");
    expect(json.resource.aws_s3_object.recovery_record).not.toHaveProperty("kms_key_id");
  });

  it("leaves a state bucket in another Region to its versions, which AWS Backup of this Region cannot reach", () => {
    const elsewhere = parseConfig({ ...DEFAULT_CONFIG, state: { region: "eu-central-1" } }, "elsewhere");
    const other = JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), "bootstrap", elsewhere))) as Json;
    expect(other.resource.aws_backup_selection).toBeUndefined();
    expect(other.resource.aws_s3_object.recovery_record.bucket).toBe("ai-platform-tfstate-eu-central-1");
  });

  it("copies the state's recovery points into a locked vault of its own in the log archive, through the archive's provider", () => {
    const archived = parseConfig(
      {
        ...DEFAULT_CONFIG,
        audit: { ...DEFAULT_CONFIG.audit, archive: { accountId: "444455556666", roleArn: "arn:aws:iam::444455556666:role/log-archive" } },
      },
      "archived",
    );
    const doc = JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), "bootstrap", archived))) as Json;
    expect(doc.provider.aws).toContainEqual(
      expect.objectContaining({
        alias: "archive",
        allowed_account_ids: ["444455556666"],
        assume_role: [expect.objectContaining({ role_arn: "arn:aws:iam::444455556666:role/log-archive" })],
      }),
    );
    const vault = doc.resource.aws_backup_vault.archive_state_copy_vault;
    expect(vault).toMatchObject({ name: "ai-platform-state-archive", provider: "aws.archive" });
    expect(doc.resource.aws_backup_vault_lock_configuration.archive_state_copy_vault_lock.provider).toBe("aws.archive");
    expect(doc.resource.aws_backup_plan.state_backup_plan.rule.map((r: Json) => r.copy_action)).toEqual([
      [{ destination_vault_arn: "${aws_backup_vault.archive_state_copy_vault.arn}", lifecycle: { delete_after: 35 } }],
      [{ destination_vault_arn: "${aws_backup_vault.archive_state_copy_vault.arn}", lifecycle: { delete_after: 90 } }],
    ]);
    // The plan itself stays in the state's account; without the archive it copies nowhere.
    expect(doc.resource.aws_backup_plan.state_backup_plan.provider).toBeUndefined();
    expect(json.resource.aws_backup_plan.state_backup_plan.rule[0].copy_action).toBeUndefined();
  });
});
