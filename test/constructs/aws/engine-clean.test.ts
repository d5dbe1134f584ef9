import { Testing } from "cdktf";
import { AccessLogBucket } from "../../../constructs/aws/access-log-bucket";
import { AccessRole } from "../../../constructs/aws/access-role";
import { AuditTrail } from "../../../constructs/aws/audit-trail";
import { ConfigRecorder } from "../../../constructs/aws/config-recorder";
import { IPlatformCluster, PlatformCluster } from "../../../constructs/aws/eks-cluster";
import { EncryptedLogGroup } from "../../../constructs/aws/encrypted-log-group";
import { Keyring, KeyringProps } from "../../../constructs/aws/keyring";
import { ImageMirror } from "../../../constructs/aws/image-mirror";
import { ImagePublisher } from "../../../constructs/aws/image-publisher";
import { ModelRegistry } from "../../../constructs/aws/model-registry";
import { NodePool } from "../../../constructs/aws/node-pool";
import { PlatformBackup } from "../../../constructs/aws/platform-backup";
import { PodIdentityRole } from "../../../constructs/aws/pod-identity-role";
import { PrivateNetwork } from "../../../constructs/aws/private-network";
import { SecureBucket } from "../../../constructs/aws/secure-bucket";
import { TamperAlarms } from "../../../constructs/aws/tamper-alarms";
import { ThreatDetection } from "../../../constructs/aws/threat-detection";
import { TrainingFileSystem } from "../../../constructs/aws/training-file-system";
import { check } from "../../../lib/compliance/engine";
import { ALL_RULES } from "../../../lib/rules";
import { SecureStack } from "../../../lib/secure-stack";
import { addDocument } from "../../../lib/terraform/load";
import { TfModule } from "../../../lib/terraform/model";
import { granteeFromRoleArn } from "../../../constructs/aws/grantee";
import { testNetwork } from "./cluster-fixture";
import { beyondSingleAccount } from "../../single-account";

const ADMIN = "arn:aws:iam::111122223333:role/key-admin";
const SUBNETS = ["subnet-aaa", "subnet-bbb"];

/** Synthesizes what `build` adds to a fresh stack and runs every rule of the catalogue over it. */
function checkConstruct(build: (stack: SecureStack, keys: Keyring) => void, keyring: Partial<KeyringProps> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  const keys = new Keyring(stack, "Keys", { administrators: [ADMIN], ...keyring });
  build(stack, keys);
  const module = new TfModule("test");
  addDocument(module, JSON.parse(Testing.synth(stack)), "cdk.tf.json");
  // A construct alone gets cdktf's default local backend; the stacks that deploy it set the state bucket.
  return check([module], { rules: ALL_RULES.filter((r) => r.id !== "aws-state-backend-encrypted-locked") });
}

/** Node pools judge their subnets, so they get real ones from a network in the same stack. */
/** A cluster as node pools see it, in a PrivateNetwork of the stack, so the no-public-IP rule reads its subnets. */
const clusterIn = (stack: SecureStack, keys: Keyring): IPlatformCluster => ({
  clusterName: "ai",
  version: "1.35",
  network: new PrivateNetwork(stack, "Network", {
    cidr: "10.0.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b"],
    logsKey: keys.logs,
  }),
});

const failures = (report: ReturnType<typeof checkConstruct>) =>
  beyondSingleAccount(report.findings.filter((f) => f.status !== "pass")).map((f) => `${f.ruleId} ${f.resource}: ${f.message}`);

/**
 * Every construct, as a user gets it without asking, passes every rule that
 * applies to it, with no waiver. Each case also names rules that must have
 * run, so a construct that stopped producing the resource would not pass by
 * having nothing to check.
 */
/** An enclave platform's model key decrypts only for the measured image (AICP-ASSET-02). */
// The enclave decrypts with its pod's Pod Identity role (declared in the build below), never a node role.
const ENCLAVE_WORKLOAD = { clusterName: "ai", namespace: "acme", serviceAccount: "model-enclave", roleName: "acme-model-enclave" };
const ATTESTED: Partial<KeyringProps> = {
  modelKeyAttestation: {
    principalArns: [`arn:aws:iam::111122223333:role/${ENCLAVE_WORKLOAD.roleName}`],
    attestation: { imageSha384: "ab".repeat(48) },
  },
};
/** A data store is in use once someone may write it (aws-s3-bucket-named-writer). */
const publisher = (stack: SecureStack) =>
  new AccessRole(stack, "Publisher", { job: "Publishes data", principalArns: ["arn:aws:iam::111122223333:role/pipeline"] });

describe.each<[string, (stack: SecureStack, keys: Keyring) => void, string[], Partial<KeyringProps>?]>([
  ["Keyring", () => undefined, ["aws-kms-key-rotation", "aws-kms-key-policy-no-wildcard-principal"]],
  [
    "SecureBucket and AccessLogBucket",
    (stack, keys) =>
      new SecureBucket(stack, "DatasetsBucket", {
        purpose: "datasets",
        key: keys.datasets,
        accessLogs: new AccessLogBucket(stack, "AccessLogs"),
      }).grantReadWrite(publisher(stack)),
    ["aws-s3-bucket-cmk-encryption", "aws-s3-bucket-tls-only", "aws-s3-bucket-access-logging", "aws-s3-bucket-public-access-block"],
  ],
  [
    "SecureBucket with object lock",
    (stack, keys) => {
      const bucket = new SecureBucket(stack, "ModelsBucket", {
        purpose: "models",
        key: keys.models,
        accessLogs: new AccessLogBucket(stack, "AccessLogs"),
        objectLock: { days: 30 },
      });
      const role = publisher(stack);
      bucket.grantReadWrite(role);
      bucket.restrictWritesTo([role.roleArn]);
    },
    ["aws-s3-bucket-versioning", "aws-s3-model-store-publisher-only"],
  ],
  [
    "TrainingFileSystem (FSx for Lustre)",
    (stack, keys) =>
      new TrainingFileSystem(stack, "Checkpoints", { key: keys.checkpoints, vpcId: "vpc-1", vpcCidr: "10.0.0.0/16", subnetIds: SUBNETS }),
    ["aws-fsx-lustre-cmk", "aws-fsx-lustre-backups", "aws-security-group-no-open-ingress"],
  ],
  [
    "TrainingFileSystem (EFS)",
    (stack, keys) =>
      new TrainingFileSystem(stack, "Checkpoints", {
        kind: "efs",
        key: keys.checkpoints,
        vpcId: "vpc-1",
        vpcCidr: "10.0.0.0/16",
        subnetIds: SUBNETS,
      }),
    ["aws-efs-cmk", "aws-efs-backup-policy"],
  ],
  [
    "EncryptedLogGroup",
    (stack, keys) => new EncryptedLogGroup(stack, "Logs", { name: "/saip/test", key: keys.logs }),
    ["aws-cloudwatch-log-group-cmk", "aws-cloudwatch-log-group-retention"],
  ],
  [
    "PrivateNetwork",
    (stack, keys) =>
      new PrivateNetwork(stack, "Network", { cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], logsKey: keys.logs }),
    ["aws-vpc-flow-logs", "aws-default-security-group-closed", "aws-subnet-no-public-ip", "aws-vpc-interface-endpoint-policy"],
  ],
  [
    "PrivateNetwork with NAT egress",
    (stack, keys) =>
      new PrivateNetwork(stack, "Network", {
        cidr: "10.0.0.0/16",
        availabilityZones: ["eu-west-1a", "eu-west-1b"],
        logsKey: keys.logs,
        egress: "nat",
      }),
    ["aws-subnet-no-public-ip"],
  ],
  [
    "ModelRegistry and ImageMirror, with their publisher",
    (stack, keys) => {
      const registry = new ModelRegistry(stack, "ModelRegistry", { repositories: ["serving"], key: keys.registry });
      const mirror = new ImageMirror(stack, "ImageMirror", { key: keys.registry });
      new ImagePublisher(stack, "ImagePublisher", {
        principalArns: ["arn:aws:iam::111122223333:role/ci"],
        registries: [registry, mirror.mirror],
      });
    },
    ["aws-ecr-immutable-tags", "aws-ecr-scan-on-push", "aws-ecr-cmk", "aws-ecr-push-only-by-publishers", "aws-ecr-continuous-scanning"],
  ],
  [
    // A trail is watched by the tamper alarms, which send to ThreatDetection's alert topic.
    "AuditTrail with its tamper alarms",
    (stack, keys) => {
      const accessLogs = new AccessLogBucket(stack, "AccessLogs");
      new AuditTrail(stack, "AuditTrail", { logsKey: keys.logs, accessLogs, dataEventBucketArns: ["arn:aws:s3:::datasets"] });
      const detection = new ThreatDetection(stack, "Detection", {
        key: keys.logs,
        alertEmails: ["sec@example.com"],
        configRecorder: new ConfigRecorder(stack, "ConfigRecorder", { key: keys.logs, accessLogs }),
      });
      new TamperAlarms(stack, "TamperAlarms", { detection });
    },
    [
      "aws-cloudtrail-multi-region",
      "aws-cloudtrail-log-file-validation",
      "aws-cloudtrail-cmk",
      "aws-cloudtrail-s3-data-events",
      "aws-cloudtrail-bucket-object-lock",
      "aws-detection-tamper-alarms",
    ],
  ],
  [
    "ThreatDetection and ConfigRecorder",
    (stack, keys) =>
      new ThreatDetection(stack, "Detection", {
        key: keys.logs,
        alertEmails: ["sec@example.com"],
        configRecorder: new ConfigRecorder(stack, "ConfigRecorder", {
          key: keys.logs,
          accessLogs: new AccessLogBucket(stack, "AccessLogs"),
        }),
      }),
    ["aws-guardduty-eks-protection", "aws-sns-topic-cmk", "aws-sns-alert-topic-subscribed", "aws-securityhub-config-recorder"],
  ],
  [
    "PlatformBackup",
    (stack, keys) => new PlatformBackup(stack, "Backup", { key: keys.backups, resourceArns: ["arn:aws:s3:::datasets"] }),
    ["aws-backup-vault-cmk", "aws-backup-vault-locked", "aws-backup-selection-covers-resources", "aws-backup-restore-tested"],
  ],
  [
    "PlatformCluster",
    (stack, keys) =>
      new PlatformCluster(stack, "Cluster", {
        name: "ai",
        version: "1.35",
        network: testNetwork(SUBNETS),
        secretsKey: keys.clusterSecrets,
        logsKey: keys.logs,
        volumeKey: keys.checkpoints,
        admins: [ADMIN],
      }),
    ["aws-eks-private-endpoint", "aws-eks-secrets-encryption", "aws-eks-control-plane-logging", "aws-eks-access-entries"],
  ],
  [
    "NodePool (GPU training with EFA)",
    (stack, keys) =>
      new NodePool(stack, "TrainingPool", {
        cluster: clusterIn(stack, keys),
        volumeKey: keys.checkpoints,
        purpose: "training",
        instanceTypes: ["p5.48xlarge"],
        efa: true,
        securityGroupIds: ["sg-cluster"],
        releaseVersion: "1.34.0-18d04e52",
      }),
    [
      "aws-launch-template-imdsv2",
      "aws-launch-template-imds-hop-limit",
      "aws-launch-template-ebs-cmk",
      "aws-eks-gpu-node-group-taint",
      "aws-eks-node-group-no-remote-access",
    ],
  ],
  [
    "NodePool (SEV-SNP)",
    (stack, keys) =>
      new NodePool(stack, "ConfidentialPool", {
        cluster: clusterIn(stack, keys),
        volumeKey: keys.checkpoints,
        purpose: "inference",
        instanceTypes: ["m6a.2xlarge"],
        confidential: "sev-snp",
        releaseVersion: "1.35.0-20260110",
      }),
    ["aws-launch-template-no-public-ip", "aws-eks-node-group-no-remote-access"],
  ],
  [
    "NodePool (Nitro Enclaves, tenant-dedicated)",
    (stack, keys) => {
      new NodePool(stack, "EnclavePool", {
        cluster: clusterIn(stack, keys),
        volumeKey: keys.checkpoints,
        purpose: "inference",
        instanceTypes: ["m6i.2xlarge"],
        confidential: "nitro-enclaves",
        tenant: "acme",
        releaseVersion: "1.35.0-20260110",
      });
      new PodIdentityRole(stack, "EnclaveWorkload", ENCLAVE_WORKLOAD);
      keys.models.grantEnvelopeEncrypt(granteeFromRoleArn("arn:aws:iam::111122223333:role/model-release"));
    },
    [
      "aws-launch-template-imdsv2",
      "aws-confidential-node-group-enabled",
      "aws-kms-model-key-attestation",
      "aws-confidential-attested-key-used",
    ],
    ATTESTED,
  ],
])("%s", (_name, build, expectedRules, keyring) => {
  it("passes every applicable rule without a waiver", () => {
    const report = checkConstruct(build, keyring);
    expect(failures(report)).toEqual([]);
    expect(report.waivers).toEqual([]);
    const ran = new Set(report.findings.map((f) => f.ruleId));
    expect(expectedRules.filter((rule) => !ran.has(rule))).toEqual([]);
  });
});
