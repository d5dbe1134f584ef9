import { EfsBackupPolicy } from "@cdktf/provider-aws/lib/efs-backup-policy";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { FsxLustreFileSystem } from "@cdktf/provider-aws/lib/fsx-lustre-file-system";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { AwsContext } from "./aws-context";
import { TRAINING_FILE_SYSTEM_KINDS, TrainingFileSystemKind } from "./choices";
import { EncryptedLogGroup } from "./encrypted-log-group";
import { KEY_ENCRYPT_DECRYPT_ACTIONS, PlatformKey } from "./platform-key";

export type { TrainingFileSystemKind };

export interface TrainingFileSystemProps {
  /** FSx for Lustre (parallel, for large training jobs) or EFS (elastic NFS). @default "fsx-lustre" */
  readonly kind?: TrainingFileSystemKind;
  /** Key that encrypts the file system and its backups; the platform's checkpoints key. */
  readonly key: PlatformKey;
  /** VPC of the file system and its clients. */
  readonly vpcId: string;
  /** CIDR of the VPC; the file system's outbound traffic stays inside it. */
  readonly vpcCidr: string;
  /** Private subnets. EFS gets a mount target in each; FSx for Lustre lives in one Availability Zone and uses the first. */
  readonly subnetIds: string[];
  /** Security groups of the clients (cluster nodes) that may mount the file system. @default [] - no client access until `allowClient` */
  readonly clientSecurityGroupIds?: string[];
  /** FSx for Lustre only: capacity in GiB, 1200 or a multiple of 2400. @default 1200 */
  readonly storageCapacityGiB?: number;
  /** FSx for Lustre only: MB/s per TiB of storage: 125, 250, 500 or 1000. @default 250 */
  readonly perUnitStorageThroughput?: number;
  /**
   * FSx for Lustre only: days daily automatic backups are kept, 1 to 90. EFS backups follow AWS Backup's default plan (daily, 35 days).
   * @default 7
   */
  readonly backupRetentionDays?: number;
  /**
   * FSx for Lustre only: key of the log group that receives the file system's warnings and errors. Without a
   * destination FSx writes to `/aws/fsx/lustre`, a group it creates itself with no customer key and no retention.
   * @default - the file system's key
   */
  readonly logsKey?: PlatformKey;
  /** FSx for Lustre only: names the log group `/aws/fsx/<name>`. @default "saip-training" */
  readonly name?: string;
  /** FSx for Lustre only: days the log group keeps events. @default 365 */
  readonly logRetentionInDays?: number;
  /** Tags for the file system and its security group. @default - none */
  readonly tags?: Record<string, string>;
}

interface PortRange {
  readonly name: string;
  readonly from: number;
  readonly to: number;
}

/** Lustre: 988 for the LNet service, 1018-1023 for its data connections. */
const LUSTRE_PORTS: PortRange[] = [
  { name: "Lustre", from: 988, to: 988 },
  { name: "LustreData", from: 1018, to: 1023 },
];
const NFS_PORTS: PortRange[] = [{ name: "Nfs", from: 2049, to: 2049 }];

/**
 * Shared storage for training data and checkpoints, encrypted with a
 * customer-managed key, reachable only from the cluster nodes' security
 * groups on the file system's own ports, with daily automatic backups.
 *
 * FSx for Lustre uses the PERSISTENT_2 deployment type: the scratch types
 * ignore `kms_key_id` and keep no backups. Its security group admits Lustre
 * from itself too, since Lustre servers talk to each other.
 */
export class TrainingFileSystem extends Construct {
  readonly kind: TrainingFileSystemKind;
  readonly fileSystemId: string;
  readonly fileSystemArn: string;
  readonly dnsName: string;
  /** Lustre mount name (for the CSI driver's volume attributes); undefined for EFS. */
  readonly mountName?: string;
  readonly securityGroupId: string;
  private readonly securityGroup: Construct;
  private readonly ports: PortRange[];

  constructor(scope: Construct, id: string, props: TrainingFileSystemProps) {
    super(scope, id);
    this.kind = props.kind ?? "fsx-lustre";
    this.validate(props);
    const lustre = this.kind === "fsx-lustre";
    this.ports = lustre ? LUSTRE_PORTS : NFS_PORTS;

    this.securityGroup = new Construct(this, "SecurityGroup");
    const sg = new SecurityGroup(this.securityGroup, "Resource", {
      vpcId: props.vpcId,
      namePrefix: lustre ? "saip-training-lustre-" : "saip-training-efs-",
      description: lustre ? "Training FSx for Lustre: Lustre from cluster nodes only" : "Training EFS: NFS from cluster nodes only",
      revokeRulesOnDelete: true,
      tags: props.tags,
    });
    this.securityGroupId = sg.id;
    (props.clientSecurityGroupIds ?? []).forEach((client, i) => this.allowClient(`Client${i + 1}`, client));
    if (lustre) {
      this.ports.forEach((p) => this.rule("Ingress", "Self", p, { referencedSecurityGroupId: sg.id }));
      // Lustre servers also open connections to clients and peers; they stay inside the VPC.
      this.ports.forEach((p) => this.rule("Egress", "Vpc", p, { cidrIpv4: props.vpcCidr }));
    }
    // EFS mount targets only answer; security groups are stateful, so EFS needs no egress rule.

    this.allowKeyUseThrough(props.key, lustre ? "fsx" : "elasticfilesystem");
    if (lustre) {
      // FSx requires the group's name to begin with /aws/fsx/.
      const logGroup = new EncryptedLogGroup(this, "LogGroup", {
        name: `/aws/fsx/${props.name ?? "saip-training"}`,
        key: props.logsKey ?? props.key,
        retentionInDays: props.logRetentionInDays,
        tags: props.tags,
      });
      const fs = new FsxLustreFileSystem(this, "Resource", {
        deploymentType: "PERSISTENT_2",
        storageType: "SSD",
        storageCapacity: props.storageCapacityGiB ?? 1200,
        perUnitStorageThroughput: props.perUnitStorageThroughput ?? 250,
        subnetIds: [props.subnetIds[0]],
        securityGroupIds: [sg.id],
        kmsKeyId: props.key.keyArn,
        automaticBackupRetentionDays: props.backupRetentionDays ?? 7,
        copyTagsToBackups: true,
        skipFinalBackup: false,
        logConfiguration: { level: "WARN_ERROR", destination: logGroup.logGroupArn },
        tags: props.tags,
      });
      this.fileSystemId = fs.id;
      this.fileSystemArn = fs.arn;
      this.dnsName = fs.dnsName;
      this.mountName = fs.mountName;
    } else {
      const fs = new EfsFileSystem(this, "Resource", {
        encrypted: true,
        kmsKeyId: props.key.keyArn,
        performanceMode: "generalPurpose",
        throughputMode: "elastic",
        tags: props.tags,
      });
      new EfsBackupPolicy(this, "BackupPolicy", { fileSystemId: fs.id, backupPolicy: { status: "ENABLED" } });
      props.subnetIds.forEach(
        (subnetId, i) => new EfsMountTarget(this, `MountTarget${i + 1}`, { fileSystemId: fs.id, subnetId, securityGroups: [sg.id] }),
      );
      this.fileSystemId = fs.id;
      this.fileSystemArn = fs.arn;
      this.dnsName = fs.dnsName;
    }
  }

  /** Lets instances in `securityGroupId` (cluster nodes) mount the file system; `name` names the rules. */
  allowClient(name: string, securityGroupId: string): void {
    this.ports.forEach((p) => this.rule("Ingress", name, p, { referencedSecurityGroupId: securityGroupId }));
  }

  /** One rule per port range and peer, named like `LustreFromClient1` or `LustreDataToVpc`. */
  private rule(
    direction: "Ingress" | "Egress",
    peerName: string,
    port: PortRange,
    peer: { referencedSecurityGroupId?: string; cidrIpv4?: string },
  ): void {
    const preposition = direction === "Ingress" ? "From" : "To";
    const config = {
      securityGroupId: this.securityGroupId,
      ipProtocol: "tcp",
      fromPort: port.from,
      toPort: port.to,
      description: `${port.name} ${preposition.toLowerCase()} ${peerName}`,
      ...peer,
    };
    const id = `${port.name}${preposition}${peerName}`;
    if (direction === "Ingress") new VpcSecurityGroupIngressRule(this.securityGroup, id, config);
    else new VpcSecurityGroupEgressRule(this.securityGroup, id, config);
  }

  /**
   * FSx and EFS use the key through grants made with the deploying
   * principal's credentials, so the key policy lets IAM principals of this
   * account use it only through that service (the pattern of AWS managed
   * keys). Added once per key and service, however many file systems share it.
   */
  private allowKeyUseThrough(key: PlatformKey, service: "fsx" | "elasticfilesystem"): void {
    const context = AwsContext.of(this);
    key.addToPolicyOnce({
      Sid: service === "fsx" ? "UseThroughFsx" : "UseThroughEfs",
      Effect: "Allow",
      Principal: { AWS: context.accountRootArn },
      Action: [...KEY_ENCRYPT_DECRYPT_ACTIONS, "kms:CreateGrant"],
      Resource: "*",
      Condition: {
        StringEquals: { "kms:ViaService": `${service}.${context.region}.amazonaws.com`, "kms:CallerAccount": context.accountId },
      },
    });
  }

  private validate(props: TrainingFileSystemProps): void {
    const path = this.node.path;
    if (!TRAINING_FILE_SYSTEM_KINDS.includes(this.kind)) {
      throw new Error(`${path}: kind must be ${TRAINING_FILE_SYSTEM_KINDS.map((k) => `"${k}"`).join(" or ")}, got '${this.kind}'.`);
    }
    if (Token.isUnresolved(props.subnetIds)) {
      throw new Error(`${path}: subnetIds must be a list whose length is known at synth (a list of subnet ids, not one list reference).`);
    }
    if (props.subnetIds.length === 0) {
      throw new Error(`${path}: subnetIds must name at least one private subnet, got [].`);
    }
    const cidr = props.vpcCidr;
    if (!Token.isUnresolved(cidr) && (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || Number(cidr.split("/")[1]) < 8)) {
      throw new Error(`${path}: vpcCidr must be the VPC's IPv4 CIDR (a /8 or smaller), got '${cidr}'.`);
    }
    const fsxOnly = {
      storageCapacityGiB: props.storageCapacityGiB,
      perUnitStorageThroughput: props.perUnitStorageThroughput,
      backupRetentionDays: props.backupRetentionDays,
    };
    if (this.kind === "efs") {
      const given = Object.entries(fsxOnly).find(([, v]) => v !== undefined);
      if (given) throw new Error(`${path}: ${given[0]} applies to kind "fsx-lustre" only, got ${given[1]} with kind "efs".`);
      return;
    }
    const capacity = props.storageCapacityGiB ?? 1200;
    if (!Number.isInteger(capacity) || (capacity !== 1200 && (capacity <= 0 || capacity % 2400 !== 0))) {
      throw new Error(`${path}: storageCapacityGiB must be 1200 or a multiple of 2400, got ${capacity}.`);
    }
    const throughput = props.perUnitStorageThroughput ?? 250;
    if (![125, 250, 500, 1000].includes(throughput)) {
      throw new Error(`${path}: perUnitStorageThroughput must be 125, 250, 500 or 1000, got ${throughput}.`);
    }
    const retention = props.backupRetentionDays ?? 7;
    if (!Number.isInteger(retention) || retention < 1 || retention > 90) {
      throw new Error(`${path}: backupRetentionDays must be a whole number from 1 to 90, got ${retention}.`);
    }
  }
}
