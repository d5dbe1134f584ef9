import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Testing } from "cdktf";
import { EncryptedLogGroup } from "../../../constructs/aws/encrypted-log-group";
import { Keyring, KeyringProps } from "../../../constructs/aws/keyring";
import { SecureStack } from "../../../lib/secure-stack";
import { granteeFromRoleArn } from "../../../constructs/aws/grantee";

const ADMIN = "arn:aws:iam::111122223333:role/key-admin";

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: Record<string, unknown>;
  Action: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
};

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
      ["alerts", "backups", "checkpoints", "cluster_secrets", "datasets", "logs", "models", "node_volumes", "registry"]
        .map((k) => `keyring_${k}_key`)
        .sort(),
    );
    for (const alias of ["datasets", "models", "checkpoints", "node-volumes", "logs", "cluster-secrets", "backups", "registry", "alerts"]) {
      expect(synth).toHaveResourceWithProperties(KmsAlias, { name: `alias/saip/${alias}` });
    }
    expect(synth).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(ring.all).toHaveLength(9);
    expect(new Set(ring.all.map((k) => k.purpose)).size).toBe(9);
    expect(ring.clusterSecrets.aliasName).toBe("alias/saip/cluster-secrets");
  });

  it("passes alias prefix, deletion window and tags to every key", () => {
    const { synth } = synthRing({ aliasPrefix: "acme", deletionWindowInDays: 21, tags: { team: "ml" } });
    expect(synth).toHaveResourceWithProperties(KmsAlias, { name: "alias/acme/models" });
    expect(synth).toHaveResourceWithProperties(KmsKey, { deletion_window_in_days: 21, tags: { team: "ml" } });
  });

  it("lets CloudWatch Logs use the logs key only for this account's log groups in this region", () => {
    const logs = synthRing()
      .policy("keyring_logs_key")
      .find((s) => s.Sid === "CloudWatchLogsUse");
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

  it("lets the Auto Scaling service-linked role use the node volumes key for EBS, with grants only for AWS resources, and not the checkpoints key", () => {
    expect(
      synthRing()
        .policy("keyring_checkpoints_key")
        .filter((s) => s.Sid?.startsWith("AutoScaling")),
    ).toEqual([]);
    const statements = synthRing().policy("keyring_node_volumes_key");
    const role =
      "arn:${data.aws_partition.aws_context_partition.partition}:iam::${data.aws_caller_identity.aws_context_account.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
    expect(statements.find((s) => s.Sid === "AutoScalingUseKeyForEbs")).toEqual(
      expect.objectContaining({
        Principal: { AWS: role },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      }),
    );
    expect(statements.find((s) => s.Sid === "AutoScalingCreateGrantForEbs")).toEqual(
      expect.objectContaining({
        Principal: { AWS: role },
        Action: "kms:CreateGrant",
        Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
      }),
    );
  });

  it("grants no service on the keys whose users are added later", () => {
    const { policy } = synthRing();
    for (const name of ["datasets", "models", "cluster_secrets"]) {
      expect(policy(`keyring_${name}_key`).map((s) => s.Sid)).toEqual(["KeyAdministrators", "AccountReadsMetadata"]);
    }
  });

  const REGION = "${data.aws_region.aws_context_region.region}";
  const ACCOUNT = "${data.aws_caller_identity.aws_context_account.account_id}";
  const ROOT = `arn:\${data.aws_partition.aws_context_partition.partition}:iam::${ACCOUNT}:root`;

  // Before: the registry and backups keys allowed the account only administrative actions, so CreateRepository
  // and CreateBackupVault failed with AccessDenied on kms:CreateGrant.
  it("lets callers of this account create ECR repositories under the registry key, through ECR in this region only", () => {
    expect(
      synthRing()
        .policy("keyring_registry_key")
        .find((s) => s.Sid === "UseThroughEcr"),
    ).toEqual({
      Sid: "UseThroughEcr",
      Effect: "Allow",
      Principal: { AWS: ROOT },
      Action: ["kms:CreateGrant", "kms:DescribeKey"],
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": `ecr.${REGION}.amazonaws.com`, "kms:CallerAccount": ACCOUNT } },
    });
  });

  it("lets callers of this account create backup vaults under the backups key, through AWS Backup only", () => {
    const statement = synthRing()
      .policy("keyring_backups_key")
      .find((s) => s.Sid === "UseThroughBackup");
    expect(statement?.Action).toEqual(["kms:CreateGrant", "kms:GenerateDataKey", "kms:Decrypt", "kms:RetireGrant", "kms:DescribeKey"]);
    expect(statement?.Condition).toEqual({
      StringEquals: { "kms:ViaService": `backup.${REGION}.amazonaws.com`, "kms:CallerAccount": ACCOUNT },
    });
  });

  it("lets GuardDuty's malware scan create grants on the checkpoints key through IAM, naming no role that may be missing", () => {
    const statement = synthRing()
      .policy("keyring_checkpoints_key")
      .find((s) => s.Sid === "GuardDutyMalwareScanThroughIam");
    expect(statement?.Principal).toEqual({ AWS: ROOT });
    expect(statement?.Action).toEqual(["kms:CreateGrant", "kms:DescribeKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"]);
    expect(JSON.stringify(statement?.Condition)).toContain(
      "aws-service-role/malware-protection.guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDutyMalwareProtection",
    );
  });

  // Before: the checkpoints key named AWSServiceRoleForAutoScaling with nothing creating it, so in a fresh
  // account KMS rejected the policy (MalformedPolicyDocumentException).
  it("creates the Auto Scaling service-linked role unless the account has one, and orders the node volumes key after it", () => {
    const { synth } = synthRing();
    const doc = JSON.parse(synth);
    const slr = doc.resource.aws_iam_service_linked_role.service_linked_role_aws_service_role_for_auto_scaling;
    expect(slr).toMatchObject({ aws_service_name: "autoscaling.amazonaws.com", description: "Created by the secure AI platform" });
    expect(slr.count).toBe(
      '${length(data.aws_iam_roles.service_linked_role_aws_service_role_for_auto_scaling_existing.names) == 0 || one(data.aws_iam_role.service_linked_role_aws_service_role_for_auto_scaling_existing_role[*].description) == "Created by the secure AI platform" ? 1 : 0}',
    );
    expect(doc.data.aws_iam_roles.service_linked_role_aws_service_role_for_auto_scaling_existing).toMatchObject({
      name_regex: "^AWSServiceRoleForAutoScaling$",
      path_prefix: "/aws-service-role/autoscaling.amazonaws.com/",
    });
    expect(doc.resource.aws_kms_key.keyring_node_volumes_key.depends_on).toEqual([
      "aws_iam_service_linked_role.service_linked_role_aws_service_role_for_auto_scaling",
    ]);
    for (const name of ["datasets", "checkpoints", "logs", "registry"])
      expect(doc.resource.aws_kms_key[`keyring_${name}_key`].depends_on).toBeUndefined();
  });

  it("lets the cluster construct grant its role on the cluster-secrets key", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const ring = new Keyring(stack, "Keyring", { administrators: [ADMIN] });
    ring.clusterSecrets.grantEncryptDecrypt(granteeFromRoleArn("arn:aws:iam::111122223333:role/eks-cluster"));
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
