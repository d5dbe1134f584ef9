import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Testing } from "cdktf";
import { EncryptedLogGroup } from "../../../constructs/aws/encrypted-log-group";
import { Keyring, KeyringProps } from "../../../constructs/aws/keyring";
import { SecureStack } from "../../../lib/secure-stack";

const ADMIN = "arn:aws:iam::111122223333:role/key-admin";

type Statement = { Sid?: string; Effect: string; Principal?: Record<string, unknown>; Action: string | string[]; Condition?: Record<string, Record<string, unknown>> };

function synthRing(props: Partial<KeyringProps> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  const ring = new Keyring(stack, "Keyring", { administrators: [ADMIN], ...props });
  const synth = Testing.synth(stack);
  const keys = JSON.parse(synth).resource.aws_kms_key as Record<string, { policy: string }>;
  const policy = (name: string): Statement[] => JSON.parse(keys[name].policy).Statement;
  return { ring, synth, keys, policy };
}

describe("Keyring", () => {
  it("makes one rotating key per asset class, with readable names and aliases", () => {
    const { synth, keys, ring } = synthRing();
    expect(Object.keys(keys).sort()).toEqual(
      ["backups", "checkpoints", "cluster_secrets", "datasets", "logs", "models", "registry"].map((k) => `keyring_${k}_key`).sort(),
    );
    for (const alias of ["datasets", "models", "checkpoints", "logs", "cluster-secrets", "backups", "registry"]) {
      expect(synth).toHaveResourceWithProperties(KmsAlias, { name: `alias/saip/${alias}` });
    }
    expect(synth).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(ring.all).toHaveLength(7);
    expect(new Set(ring.all.map((k) => k.purpose)).size).toBe(7);
    expect(ring.clusterSecrets.aliasName).toBe("alias/saip/cluster-secrets");
  });

  it("passes alias prefix, deletion window and tags to every key", () => {
    const { synth } = synthRing({ aliasPrefix: "acme", deletionWindowInDays: 21, tags: { team: "ml" } });
    expect(synth).toHaveResourceWithProperties(KmsAlias, { name: "alias/acme/models" });
    expect(synth).toHaveResourceWithProperties(KmsKey, { deletion_window_in_days: 21, tags: { team: "ml" } });
  });

  it("lets CloudWatch Logs use the logs key only for this account's log groups in this region", () => {
    const logs = synthRing().policy("keyring_logs_key").find((s) => s.Sid === "CloudWatchLogsUse");
    expect(logs?.Principal).toEqual({ Service: "logs.${data.aws_region.aws_context_region.region}.amazonaws.com" });
    expect(logs?.Action).toEqual(expect.arrayContaining(["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"]));
    expect(logs?.Condition).toEqual({
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn":
          "arn:${data.aws_partition.aws_context_partition.partition}:logs:${data.aws_region.aws_context_region.region}:${data.aws_caller_identity.aws_context_account.account_id}:log-group:*",
      },
    });
  });

  it("shares the CloudWatch Logs statement with encrypted log groups, so the key policy holds it once", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const ring = new Keyring(stack, "Keyring", { administrators: [ADMIN] });
    new EncryptedLogGroup(stack, "FlowLogs", { name: "/saip/vpc/flow-logs", key: ring.logs });
    const keys = JSON.parse(Testing.synth(stack)).resource.aws_kms_key;
    const statements: Statement[] = JSON.parse(keys.keyring_logs_key.policy).Statement;
    expect(statements.filter((s) => JSON.stringify(s.Principal).includes("logs."))).toHaveLength(1);
  });

  it("leaves CloudTrail to the audit trail, which grants only its own trail", () => {
    const statements = synthRing().policy("keyring_logs_key");
    expect(statements.filter((s) => JSON.stringify(s.Principal).includes("cloudtrail"))).toEqual([]);
  });

  it("lets the Auto Scaling service-linked role use the checkpoints key for EBS, with grants only for AWS resources", () => {
    const statements = synthRing().policy("keyring_checkpoints_key");
    const role =
      "arn:${data.aws_partition.aws_context_partition.partition}:iam::${data.aws_caller_identity.aws_context_account.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
    expect(statements.find((s) => s.Sid === "AutoScalingUseKeyForEbs")).toEqual(
      expect.objectContaining({
        Principal: { AWS: role },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      }),
    );
    expect(statements.find((s) => s.Sid === "AutoScalingCreateGrantForEbs")).toEqual(
      expect.objectContaining({ Principal: { AWS: role }, Action: "kms:CreateGrant", Condition: { Bool: { "kms:GrantIsForAWSResource": true } } }),
    );
  });

  it("grants no service on the keys whose users are added later", () => {
    const { policy } = synthRing();
    for (const name of ["datasets", "models", "cluster_secrets", "backups", "registry"]) {
      expect(policy(`keyring_${name}_key`).map((s) => s.Sid)).toEqual(["KeyAdministrators", "AccountAdministration"]);
    }
  });

  it("lets the cluster construct grant its role on the cluster-secrets key", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const ring = new Keyring(stack, "Keyring", { administrators: [ADMIN] });
    ring.clusterSecrets.grantEncryptDecrypt("arn:aws:iam::111122223333:role/eks-cluster");
    const keys = JSON.parse(Testing.synth(stack)).resource.aws_kms_key;
    const statements: Statement[] = JSON.parse(keys.keyring_cluster_secrets_key.policy).Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Principal: { AWS: "arn:aws:iam::111122223333:role/eks-cluster" } }));
  });

  it.each([
    [{ administrators: [] }, /^test\/Keyring: administrators must name at least one key administrator principal, got \[\]/],
    [{ deletionWindowInDays: 7 }, /test\/Keyring\/DatasetsKey: deletionWindowInDays must be a whole number from 14 to 30, got 7/],
  ])("rejects %p", (props, message) => {
    expect(() => synthRing(props)).toThrow(message);
  });
});

describe("Keyring with an attested models key", () => {
  const image = "a".repeat(96);
  it("keeps the attested key for weights and a separate key for the models bucket", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const ring = new Keyring(stack, "Keyring", {
      administrators: [ADMIN],
      modelKeyAttestation: { principalArns: ["arn:aws:iam::111122223333:role/enclave-node"], attestation: { imageSha384: image } },
    });
    expect(ring.models.attested).toBe(true);
    expect(ring.modelStore).not.toBe(ring.models);
    expect(ring.modelStore.attested).toBe(false);
    const policy = JSON.parse(JSON.parse(Testing.synth(stack)).resource.aws_kms_key.keyring_models_key.policy);
    expect(JSON.stringify(policy)).toContain("kms:RecipientAttestation:ImageSha384");
  });

  it("uses one key for both without attestation", () => {
    const ring = new Keyring(new SecureStack(Testing.app(), "test"), "Keyring", { administrators: [ADMIN] });
    expect(ring.modelStore).toBe(ring.models);
  });
});
