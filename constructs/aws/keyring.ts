import { Construct } from "constructs";
import { pascalCase } from "../../lib/naming";
import { AwsContext } from "./aws-context";
import { cloudWatchLogsKeyStatement } from "./encrypted-log-group";
import { EnclaveAttestationGrant } from "./attestation";
import { PlatformKey, PlatformKeyProps } from "./platform-key";
import { ServiceLinkedRole } from "./service-linked-role";

/** A tenant's own keys for what it alone reads: its datasets, checkpoints and models, under its prefix of the shared buckets. */
export interface TenantKeys {
  readonly datasets: PlatformKey;
  readonly checkpoints: PlatformKey;
  /**
   * Encrypts the tenant's objects in the models bucket (SSE-KMS), as `modelStore` does the rest: an attested
   * `models` key still wraps the weights inside, so this key alone never reveals them.
   */
  readonly modelStore: PlatformKey;
}

export interface KeyringProps {
  /** Principals (IAM role or user ARNs) that administer every key of the ring. */
  readonly administrators: string[];
  /**
   * The break-glass role, the only principal that may disable or delete a key of the ring, with MFA.
   * @default - nobody may disable or delete the keys
   */
  readonly breakGlassRoleArn?: string;
  /** Alias prefix shared by the keys: `alias/<aliasPrefix>/<purpose>`. @default "saip" */
  readonly aliasPrefix?: string;
  /** Days between scheduling a key's deletion and its deletion; 14 to 30. @default 30 */
  readonly deletionWindowInDays?: number;
  /** Tags for every key. @default - none */
  readonly tags?: Record<string, string>;
  /**
   * Makes the `models` key decrypt only inside an attested Nitro Enclave.
   * S3 cannot attest, so the models bucket is then encrypted with a separate
   * `modelStore` key and weights are wrapped client-side with `models`.
   * @default - no attestation: `models` and `modelStore` are the same key
   */
  readonly modelKeyAttestation?: EnclaveAttestationGrant;
}

/** Key actions the EC2 Auto Scaling service-linked role needs to launch instances with encrypted EBS volumes. */
export const AUTOSCALING_EBS_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/**
 * The platform's customer-managed keys, one per asset class, so that access
 * to one class (say, models) never implies access to another (datasets), and
 * each key's policy names only the services that class needs:
 *
 * - `alerts`: the alert topic, which EventBridge publishes to (ThreatDetection
 *   adds its statement): off the logs key, since that statement cannot name a source.
 * - `logs`: CloudWatch Logs (log groups of this account; the same statement
 *   EncryptedLogGroup adds, so the policy holds it once). CloudTrail is
 *   granted by AuditTrail, for its own trail only.
 * - `nodeVolumes`: the node groups' root and data volumes, a key of their
 *   own so that whoever can launch a node cannot read checkpoints. The EC2
 *   Auto Scaling service-linked role launches the instances (NodePool adds
 *   its statements). KMS rejects policies that name unknown principals and a
 *   fresh account has no such role before its first Auto Scaling group, so
 *   the stack creates the role when the account lacks it (ServiceLinkedRole)
 *   and the key waits for it. GuardDuty's malware scan of those volumes is
 *   let through the account's IAM, so it names no role that may be missing.
 * - `checkpoints`: volumes the EBS CSI driver claims for pods (the cluster's
 *   default StorageClass), which GuardDuty scans too.
 * - `registry`: ECR, for any repository of the account (pull-through cache and
 *   mirrors included): CreateRepository has the caller create ECR's grants.
 * - `backups`: CreateBackupVault has the caller create AWS Backup's grant.
 * - `clusterSecrets`: EKS envelope encryption of Kubernetes secrets. The
 *   cluster construct grants its cluster role with
 *   `clusterSecrets.grantEncryptDecrypt(clusterRoleArn)`, since the role is
 *   created there.
 * - `datasets`, `models`, `checkpoints` (buckets, file systems), `backups`,
 *   `registry`: the constructs that use them add their grants.
 */
export class Keyring extends Construct {
  readonly datasets: PlatformKey;
  readonly models: PlatformKey;
  /** Encrypts the models bucket (SSE-KMS); the same key as `models` unless the models key is attested. */
  readonly modelStore: PlatformKey;
  readonly checkpoints: PlatformKey;
  /** Encrypts node groups' EBS volumes. */
  readonly nodeVolumes: PlatformKey;
  readonly logs: PlatformKey;
  readonly clusterSecrets: PlatformKey;
  readonly backups: PlatformKey;
  readonly registry: PlatformKey;
  /**
   * Encrypts the alert topic. EventBridge publishes with a key statement that can carry no source condition
   * (SNS Developer Guide, key management), so it gets a key of its own that protects nothing but alerts.
   */
  readonly alerts: PlatformKey;
  /** Each tenant's keys (addTenant), by tenant name. */
  readonly tenants: Record<string, TenantKeys> = {};
  private readonly aliasPrefix: string;
  private readonly makeKey: (keyId: string, purpose: string, more?: Partial<PlatformKeyProps>) => PlatformKey;

  constructor(scope: Construct, id: string, props: KeyringProps) {
    super(scope, id);
    if (props.administrators.length === 0) {
      throw new Error(`${this.node.path}: administrators must name at least one key administrator principal, got [].`);
    }
    this.aliasPrefix = props.aliasPrefix ?? "saip";
    // Every key of the ring, tenants' included, has the same administration.
    const key = (this.makeKey = (keyId: string, purpose: string, more: Partial<PlatformKeyProps> = {}) =>
      new PlatformKey(this, keyId, {
        purpose,
        administrators: props.administrators,
        breakGlassRoleArn: props.breakGlassRoleArn,
        aliasPrefix: props.aliasPrefix,
        deletionWindowInDays: props.deletionWindowInDays,
        tags: props.tags,
        ...more,
      }));
    this.datasets = key("DatasetsKey", "datasets");
    this.models = key("ModelsKey", "models", { enclaveAttestation: props.modelKeyAttestation });
    this.modelStore = props.modelKeyAttestation ? key("ModelStoreKey", "model-store") : this.models;
    this.checkpoints = key("CheckpointsKey", "checkpoints");
    this.nodeVolumes = key("NodeVolumesKey", "node-volumes");
    this.logs = key("LogsKey", "logs");
    this.clusterSecrets = key("ClusterSecretsKey", "cluster-secrets");
    this.backups = key("BackupsKey", "backups");
    this.registry = key("RegistryKey", "registry");
    this.alerts = key("AlertsKey", "alerts");

    const context = AwsContext.of(this);
    this.logs.allowService(cloudWatchLogsKeyStatement(context));
    allowAutoScalingEbs(this.nodeVolumes);
    allowMalwareScanning(this.nodeVolumes, context);
    allowMalwareScanning(this.checkpoints, context);
    allowThroughService(this.registry, context, "ecr", ECR_CALLER_ACTIONS);
    allowThroughService(this.backups, context, "backup", BACKUP_CALLER_ACTIONS);
  }

  /**
   * Makes a tenant's keys, `alias/<aliasPrefix>/<tenant>/datasets`, `.../checkpoints` and `.../model-store`, administered as the
   * ring's others: pin them to the tenant's prefix of the shared buckets (SecureBucket.encryptPrefixWith), so that
   * the tenant's roles decrypt that tenant's objects only, and no grant to another tenant reaches them.
   */
  addTenant(tenant: string): TenantKeys {
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(tenant))
      throw new Error(`${this.node.path}: tenant must be lower-case letters, digits and dashes, got '${tenant}'.`);
    if (this.tenants[tenant]) throw new Error(`${this.node.path}: tenant '${tenant}' has its keys already.`);
    const id = pascalCase(tenant);
    const aliasPrefix = `${this.aliasPrefix}/${tenant}`;
    const own = (purpose: string, what: string) =>
      this.makeKey(`${id}${pascalCase(purpose)}Key`, purpose, { aliasPrefix, description: `Protects tenant ${tenant}'s ${what}` });
    const keys: TenantKeys = {
      datasets: own("datasets", "datasets"),
      checkpoints: own("checkpoints", "checkpoints"),
      modelStore: own("model-store", "stored models"),
    };
    return (this.tenants[tenant] = keys);
  }

  /** Every key of the ring. */
  get all(): PlatformKey[] {
    const keys = [
      this.datasets,
      this.models,
      this.checkpoints,
      this.nodeVolumes,
      this.logs,
      this.clusterSecrets,
      this.backups,
      this.registry,
      this.alerts,
    ];
    const tenantKeys = Object.values(this.tenants).flatMap((t) => [t.datasets, t.checkpoints, t.modelStore]);
    return [...(this.modelStore === this.models ? keys : [...keys, this.modelStore]), ...tenantKeys];
  }
}

/**
 * Lets the EC2 Auto Scaling service-linked role launch instances whose EBS
 * volumes the key encrypts: the keyring's checkpoints key, and any key a node
 * pool is given. Added once per key, however many pools share it.
 */
export function allowAutoScalingEbs(key: PlatformKey): void {
  const slr = ServiceLinkedRole.of(key, "autoscaling.amazonaws.com");
  key.dependOn(slr.resource);
  const role = slr.roleArn;
  key.addToPolicyOnce({
    Sid: "AutoScalingUseKeyForEbs",
    Effect: "Allow",
    Principal: { AWS: role },
    Action: AUTOSCALING_EBS_ACTIONS,
    Resource: "*",
  });
  // Attached volumes keep a grant for their lifetime; only grants for AWS resources (the volumes) are allowed.
  key.addToPolicyOnce({
    Sid: "AutoScalingCreateGrantForEbs",
    Effect: "Allow",
    Principal: { AWS: role },
    Action: "kms:CreateGrant",
    Resource: "*",
    Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
  });
}

/**
 * GuardDuty Malware Protection for EC2 scans the volumes through its
 * service-linked role, whose own policy lets it call CreateGrant on customer
 * keys (not tagged GuardDutyExcluded) to make an encrypted volume from the
 * snapshot (GuardDuty user guide, "Service-linked role permissions for
 * Malware Protection for EC2"). Those IAM permissions count only where the key
 * policy lets the account's IAM decide; the role is matched by
 * aws:PrincipalArn, which needs no principal to exist.
 */
export function allowMalwareScanning(key: PlatformKey, context: AwsContext): void {
  const role = `arn:${context.partition}:iam::${context.accountId}:role/aws-service-role/malware-protection.guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDutyMalwareProtection`;
  key.addToPolicyOnce({
    Sid: "GuardDutyMalwareScanThroughIam",
    Effect: "Allow",
    Principal: { AWS: context.accountRootArn },
    // CreateGrant makes the volume from the shared snapshot; ReEncryptFrom/To re-wrap the snapshot's data key for
    // GuardDuty's scanning account (GuardDuty user guide, Malware Protection's service-linked role and key permissions).
    Action: ["kms:CreateGrant", "kms:DescribeKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
    Resource: "*",
    Condition: { ArnEquals: { "aws:PrincipalArn": role } },
  });
}

/** CreateRepository calls DescribeKey and creates two grants, as the caller (ECR user guide, "Encryption at rest"). */
export const ECR_CALLER_ACTIONS = ["kms:CreateGrant", "kms:DescribeKey"];
/** CreateBackupVault with a customer key (AWS Backup developer guide, "Encryption for backups in AWS Backup"). */
export const BACKUP_CALLER_ACTIONS = ["kms:CreateGrant", "kms:GenerateDataKey", "kms:Decrypt", "kms:RetireGrant", "kms:DescribeKey"];

/**
 * Lets principals of this account use the key only through one AWS service
 * in this region, the pattern of AWS managed keys: the service calls KMS as
 * the caller when a resource is created (and later through the grants it
 * makes then), and IAM policies decide which callers may create such
 * resources. Covers every resource of that service in the account, so
 * repositories added later (pull-through caches, mirrors) can use the key.
 */
export function allowThroughService(key: PlatformKey, context: AwsContext, service: "ecr" | "backup", actions: string[]): void {
  key.addToPolicyOnce({
    Sid: service === "ecr" ? "UseThroughEcr" : "UseThroughBackup",
    Effect: "Allow",
    Principal: { AWS: context.accountRootArn },
    Action: actions,
    Resource: "*",
    Condition: { StringEquals: { "kms:ViaService": `${service}.${context.region}.amazonaws.com`, "kms:CallerAccount": context.accountId } },
  });
}
