import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate, LaunchTemplateBlockDeviceMappings } from "@cdktf/provider-aws/lib/launch-template";
import { PlacementGroup } from "@cdktf/provider-aws/lib/placement-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { snakeCase } from "../../lib/naming";
import { AwsContext } from "./aws-context";
import {
  Accelerator, acceleratorOf, AMI_TYPES, amiProblem, AmiType, architectureOf, defaultAmiType, isGpuInstanceType,
  nitroEnclavesProblem, parseInstanceType, sevSnpProblem, vcpusOf,
} from "./instance-types";
import { AUTOSCALING_EBS_ACTIONS } from "./keyring";
import { NodeRole } from "./node-role";
import { PlatformKey } from "./platform-key";

export type NodePoolPurpose = "training" | "inference" | "general" | "system";
export type ConfidentialMode = "none" | "sev-snp" | "nitro-enclaves";
export type TaintEffect = "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE";

export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: TaintEffect;
}

export interface NodePoolScaling {
  readonly min: number;
  readonly desired: number;
  readonly max: number;
}

export interface NodePoolCapacity {
  /** ON_DEMAND, SPOT, or CAPACITY_BLOCK (EC2 Capacity Blocks for ML, which need `reservationId`). */
  readonly type: "ON_DEMAND" | "SPOT" | "CAPACITY_BLOCK";
  /** Capacity Block or On-Demand Capacity Reservation to launch into. @default - none */
  readonly reservationId?: string;
  /** ON_DEMAND only: resource group of capacity reservations to launch into. @default - none */
  readonly reservationResourceGroupArn?: string;
}

export interface NodePoolProps {
  /** Name of the EKS cluster the nodes join. */
  readonly clusterName: string;
  /** Kubernetes version of the nodes, e.g. "1.33". @default - the cluster's version */
  readonly kubernetesVersion?: string;
  /** Private subnets for the nodes. EFA pools use the first only (one Availability Zone); Capacity Block pools must name only the reservation's zone. */
  readonly subnetIds: string[];
  /** Customer-managed key that encrypts root and data volumes (the platform's checkpoints key). */
  readonly volumeKey: PlatformKey;
  /** What the pool runs; labels the nodes `saip.io/pool-purpose=<purpose>`. */
  readonly purpose: NodePoolPurpose;
  /** Instance types, all of one architecture and accelerator kind. */
  readonly instanceTypes: string[];
  /** EKS AMI type. @default - AL2023 NVIDIA for GPU types, AL2023 Neuron for Neuron types, AL2023 standard otherwise (matching the architecture) */
  readonly amiType?: AmiType;
  /** Node counts. @default - 0/0/2 for accelerator pools (scale up when needed), 1/2/4 otherwise */
  readonly scaling?: NodePoolScaling;
  /** How instances are bought. @default { type: "ON_DEMAND" } */
  readonly capacity?: NodePoolCapacity;
  /**
   * Elastic Fabric Adapter for multi-node training: an EFA interface, a security group open to
   * itself only, and a cluster placement group unless the pool launches into a capacity
   * reservation (which brings its own placement). Needs `vpcId` and `securityGroupIds`. @default false
   */
  readonly efa?: boolean;
  /** VPC of the subnets; EFA pools create their security group in it. @default - none (required when `efa` is true) */
  readonly vpcId?: string;
  /** Dedicates the pool to one tenant: label and NoSchedule taint `saip.io/tenant=<tenant>`. @default - shared by all tenants */
  readonly tenant?: string;
  /** Confidential computing: AMD SEV-SNP memory encryption, or Nitro Enclaves with the allocator installed. @default "none" */
  readonly confidential?: ConfidentialMode;
  /** Nitro Enclaves pools: MiB of memory the allocator reserves for enclaves. @default 4096 */
  readonly enclaveMemoryMiB?: number;
  /** Nitro Enclaves pools: vCPUs the allocator reserves for enclaves. @default 2 */
  readonly enclaveCpuCount?: number;
  /** Extra node labels; `saip.io/` keys and the pool's own labels are reserved. @default - none */
  readonly labels?: Record<string, string>;
  /** Extra taints; `saip.io/` keys and the pool's own taints are reserved. @default - none */
  readonly extraTaints?: NodeTaint[];
  /**
   * Security groups of the nodes, e.g. the cluster security group and file-system
   * clients. EKS adds the cluster security group itself only when the launch template
   * names none, so once groups are given, include it. @default - EKS attaches the cluster security group
   */
  readonly securityGroupIds?: string[];
  /** Size of the data volume (AL2023: the root volume) in GiB. @default - 200 for accelerator pools, 50 otherwise */
  readonly diskSizeGiB?: number;
  /** Role of the nodes. @default - a new NodeRole for this pool */
  readonly role?: NodeRole;
  /** Name of the node group. @default - the construct id in kebab case ("GpuPool" → "gpu-pool") */
  readonly name?: string;
  /** Tags for every resource, instances and volumes included. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * An EKS managed node group with its own launch template: IMDSv2 with a hop
 * limit of 1, encrypted gp3 volumes under a customer-managed key, detailed
 * monitoring, no SSH key or remote access, no public IPs, and node repair.
 * Accelerator pools carry their accelerator's NoSchedule taint; tenant pools a
 * tenant taint; confidential pools run on AMD SEV-SNP or Nitro Enclaves.
 */
export class NodePool extends Construct {
  readonly nodeGroupName: string;
  readonly nodeGroupArn: string;
  readonly launchTemplateId: string;
  readonly role: NodeRole;
  readonly roleArn: string;
  readonly amiType: AmiType;
  readonly accelerator?: Accelerator;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly NodeTaint[];
  /** EFA pools without a capacity reservation: the cluster placement group. */
  readonly placementGroupName?: string;
  /** EFA pools only: the security group that lets the nodes' EFA traffic reach each other. */
  readonly efaSecurityGroupId?: string;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    const name = props.name ?? snakeCase(id).replace(/_/g, "-");
    const plan = planNodePool(this.node.path, name, props);
    this.amiType = plan.amiType;
    this.accelerator = plan.accelerator;
    this.labels = plan.labels;
    this.taints = plan.taints;
    this.role = props.role ?? new NodeRole(this, "NodeRole", { tags: props.tags });
    this.roleArn = this.role.roleArn;
    allowAutoScalingEbs(props.volumeKey, AwsContext.of(this));

    const groups = [...(props.securityGroupIds ?? [])];
    let placementGroup: PlacementGroup | undefined;
    const reserved = Boolean(plan.capacity.reservationId || plan.capacity.reservationResourceGroupArn);
    if (props.efa) {
      // Reservations carry their own placement (Capacity Blocks sit in a cluster placement already);
      // a placement group the reservation was not made in would leave its capacity unused.
      if (!reserved) {
        placementGroup = new PlacementGroup(this, "PlacementGroup", { name: `${props.clusterName}-${name}`, strategy: "cluster", tags: props.tags });
        this.placementGroupName = placementGroup.name;
      }
      this.efaSecurityGroupId = this.efaSecurityGroup(props.vpcId as string, props.tags);
      groups.push(this.efaSecurityGroupId);
    }

    const template = new LaunchTemplate(this, "LaunchTemplate", {
      namePrefix: `${name}-`,
      description: `Nodes of the ${name} pool`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      monitoring: { enabled: true },
      blockDeviceMappings: volumes(plan.amiType, plan.diskSizeGiB, props.volumeKey.keyArn),
      // An EFA interface carries the security groups itself; EC2 refuses them in both places.
      // One EFA interface on network card 0: p5.48xlarge and similar have up to 32 cards and
      // reach full bandwidth only with an EFA interface on each, which this pool does not declare yet.
      vpcSecurityGroupIds: props.efa || groups.length === 0 ? undefined : groups,
      networkInterfaces: props.efa
        ? [{ deviceIndex: 0, networkCardIndex: 0, interfaceType: "efa", associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: groups }]
        : undefined,
      placement: placementGroup ? { groupName: placementGroup.name } : undefined,
      cpuOptions: plan.confidential === "sev-snp" ? { amdSevSnp: "enabled" } : undefined,
      enclaveOptions: plan.confidential === "nitro-enclaves" ? { enabled: true } : undefined,
      userData: plan.confidential === "nitro-enclaves" ? enclaveUserData(plan.enclaveMemoryMiB, plan.enclaveCpuCount) : undefined,
      instanceMarketOptions: plan.capacity.type === "CAPACITY_BLOCK" ? { marketType: "capacity-block" } : undefined,
      capacityReservationSpecification: reserved
        ? { capacityReservationTarget: { capacityReservationId: plan.capacity.reservationId, capacityReservationResourceGroupArn: plan.capacity.reservationResourceGroupArn } }
        : undefined,
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
        resourceType,
        tags: { ...props.tags, Name: `${props.clusterName}-${name}`, "saip.io/node-pool": name },
      })),
      tags: props.tags,
    });
    this.launchTemplateId = template.id;

    const group = new EksNodeGroup(this, "Resource", {
      clusterName: props.clusterName,
      nodeGroupName: name,
      nodeRoleArn: this.role.roleArn,
      // EFA needs every node in one cluster placement group, which lives in one zone.
      subnetIds: props.efa ? [props.subnetIds[0]] : props.subnetIds,
      version: props.kubernetesVersion,
      amiType: plan.amiType,
      capacityType: plan.capacity.type,
      instanceTypes: props.instanceTypes,
      scalingConfig: { minSize: plan.scaling.min, desiredSize: plan.scaling.desired, maxSize: plan.scaling.max },
      updateConfig: { maxUnavailablePercentage: 33 },
      labels: { ...plan.labels },
      taint: plan.taints.length > 0 ? plan.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) : undefined,
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      nodeRepairConfig: { enabled: true },
      tags: props.tags,
      // Nodes join only once the role carries its policies.
      dependsOn: this.role.attachments,
    });
    this.nodeGroupName = group.nodeGroupName;
    this.nodeGroupArn = group.arn;
  }

  /** EFA (and NCCL over it) needs all traffic between the nodes, and nothing else: the group admits only itself. */
  private efaSecurityGroup(vpcId: string, tags?: Record<string, string>): string {
    const scope = new Construct(this, "EfaSecurityGroup");
    const group = new SecurityGroup(scope, "Resource", {
      vpcId,
      namePrefix: "saip-efa-",
      description: "EFA: all traffic between the pool's nodes only",
      revokeRulesOnDelete: true,
      tags,
    });
    const self = { securityGroupId: group.id, ipProtocol: "-1", referencedSecurityGroupId: group.id, tags };
    new VpcSecurityGroupIngressRule(scope, "IngressFromSelf", { ...self, description: "EFA from the pool's nodes" });
    new VpcSecurityGroupEgressRule(scope, "EgressToSelf", { ...self, description: "EFA to the pool's nodes" });
    return group.id;
  }
}

/**
 * AL2023 boots from /dev/xvda. Bottlerocket keeps its OS on /dev/xvda (left
 * at the AMI's size, so it never falls below the snapshot) and containers and
 * images on /dev/xvdb; both are declared so neither falls back to the AMI's
 * default encryption.
 */
function volumes(ami: AmiType, sizeGiB: number, keyArn: string): LaunchTemplateBlockDeviceMappings[] {
  const ebs = (volumeSize?: number) => ({ encrypted: "true", kmsKeyId: keyArn, volumeType: "gp3", volumeSize, deleteOnTermination: "true" });
  if (!ami.startsWith("BOTTLEROCKET")) return [{ deviceName: "/dev/xvda", ebs: ebs(sizeGiB) }];
  return [{ deviceName: "/dev/xvda", ebs: ebs() }, { deviceName: "/dev/xvdb", ebs: ebs(sizeGiB) }];
}

/**
 * Installs the Nitro Enclaves CLI and starts its allocator, which reserves
 * memory and vCPUs for enclaves at boot. MIME multi-part, the format EKS
 * merges with its own nodeadm configuration for AL2023 managed nodes. dnf
 * reaches the AL2023 repositories in S3, so a VPC without internet egress
 * must let its S3 endpoint serve them.
 */
export function enclaveUserData(memoryMiB: number, cpuCount: number): string {
  const script = [
    "#!/bin/bash",
    "set -euo pipefail",
    "dnf install -y aws-nitro-enclaves-cli",
    "mkdir -p /etc/nitro_enclaves",
    "cat > /etc/nitro_enclaves/allocator.yaml <<'EOF'",
    "---",
    `memory_mib: ${memoryMiB}`,
    `cpu_count: ${cpuCount}`,
    "EOF",
    "systemctl enable --now nitro-enclaves-allocator.service",
  ];
  const mime = [
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="==SAIP=="',
    "",
    "--==SAIP==",
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    "",
    ...script,
    "",
    "--==SAIP==--",
    "",
  ];
  return Buffer.from(mime.join("\n")).toString("base64");
}

/**
 * The EC2 Auto Scaling service-linked role launches the nodes and creates
 * their encrypted volumes. The same statements the Keyring gives its
 * checkpoints key, added once per key.
 */
function allowAutoScalingEbs(key: PlatformKey, context: AwsContext): void {
  const role = `arn:${context.partition}:iam::${context.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
  key.addToPolicyOnce({
    Sid: "AutoScalingUseKeyForEbs",
    Effect: "Allow",
    Principal: { AWS: role },
    Action: AUTOSCALING_EBS_ACTIONS,
    Resource: "*",
  });
  key.addToPolicyOnce({
    Sid: "AutoScalingCreateGrantForEbs",
    Effect: "Allow",
    Principal: { AWS: role },
    Action: "kms:CreateGrant",
    Resource: "*",
    Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
  });
}

interface NodePoolPlan {
  readonly amiType: AmiType;
  readonly accelerator?: Accelerator;
  readonly confidential: ConfidentialMode;
  readonly capacity: NodePoolCapacity;
  readonly scaling: NodePoolScaling;
  readonly diskSizeGiB: number;
  readonly enclaveMemoryMiB: number;
  readonly enclaveCpuCount: number;
  readonly labels: Record<string, string>;
  readonly taints: NodeTaint[];
}

const PURPOSES: readonly string[] = ["training", "inference", "general", "system"];
const CONFIDENTIAL_MODES: readonly string[] = ["none", "sev-snp", "nitro-enclaves"];
const CAPACITY_TYPES: readonly string[] = ["ON_DEMAND", "SPOT", "CAPACITY_BLOCK"];
const TAINT_EFFECTS: readonly string[] = ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"];
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const isCount = (n: number, min: number) => Number.isInteger(n) && n >= min;

/** Checks the props and works out the defaults, labels and taints; throws `<path>: <prop> ...` on the first problem. */
function planNodePool(path: string, name: string, props: NodePoolProps): NodePoolPlan {
  const fail = (message: string): never => {
    throw new Error(`${path}: ${message}`);
  };
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(name)) fail(`name must be 1 to 63 letters, digits, - or _, starting with a letter or digit, got '${name}'.`);
  if (!PURPOSES.includes(props.purpose)) fail(`purpose must be one of ${PURPOSES.join(", ")}, got '${props.purpose}'.`);
  if (Token.isUnresolved(props.subnetIds)) fail("subnetIds must be a list whose length is known at synth (a list of subnet ids, not one list reference).");
  if (props.subnetIds.length === 0) fail("subnetIds must name at least one private subnet, got [].");
  const types = props.instanceTypes;
  if (Token.isUnresolved(types) || types.some((t) => Token.isUnresolved(t))) fail("instanceTypes must be instance type names known at synth, not references.");
  if (types.length === 0) fail("instanceTypes must name at least one instance type, got [].");
  const malformed = types.find((t) => !parseInstanceType(t));
  if (malformed !== undefined) fail(`instanceTypes includes '${malformed}', which is not an instance type name such as 'm6a.2xlarge'.`);
  const accelerator = acceleratorOf(types[0]);
  const mixed = types.find((t) => architectureOf(t) !== architectureOf(types[0]) || acceleratorOf(t) !== accelerator);
  if (mixed) fail(`instanceTypes must share one architecture and accelerator kind, but ${types[0]} and ${mixed} differ.`);

  const amiType = props.amiType ?? defaultAmiType(architectureOf(types[0]), accelerator);
  if (!AMI_TYPES.includes(amiType)) fail(`amiType must be one of ${AMI_TYPES.join(", ")}, got '${amiType}'.`);
  types.forEach((t) => {
    const problem = amiProblem(amiType, t);
    if (problem) fail(`amiType ${amiType} does not fit instance type ${t}: ${problem}.`);
  });

  const confidential = props.confidential ?? "none";
  if (!CONFIDENTIAL_MODES.includes(confidential)) fail(`confidential must be one of ${CONFIDENTIAL_MODES.join(", ")}, got '${confidential}'.`);
  if (confidential === "sev-snp") {
    types.forEach((t) => {
      const problem = sevSnpProblem(t);
      if (problem) fail(`confidential "sev-snp" cannot run on instance type ${t}: ${problem}.`);
    });
    // AWS lists Amazon Linux 2023 among the guest systems that support SEV-SNP; Bottlerocket is not listed.
    if (amiType !== "AL2023_x86_64_STANDARD") fail(`confidential "sev-snp" needs amiType AL2023_x86_64_STANDARD, got '${amiType}'.`);
  }
  const enclaves = confidential === "nitro-enclaves";
  if (enclaves) {
    types.forEach((t) => {
      // AWS allows enclaves on some GPU types, but an enclave cannot reach the GPU: GPU capacity stays out of enclave pools.
      if (isGpuInstanceType(t)) fail(`confidential "nitro-enclaves" pools may not use GPU instance type ${t}: enclaves cannot use the GPU.`);
      const problem = nitroEnclavesProblem(t);
      if (problem) fail(`confidential "nitro-enclaves" cannot run on instance type ${t}: ${problem}.`);
    });
    // The allocator is installed by an AL2023 user-data script (dnf); Bottlerocket has no package manager.
    if (!/^AL2023_(x86_64|ARM_64)_STANDARD$/.test(amiType)) fail(`confidential "nitro-enclaves" needs an AL2023 standard amiType, got '${amiType}'.`);
  } else if (props.enclaveMemoryMiB !== undefined || props.enclaveCpuCount !== undefined) {
    fail(`enclaveMemoryMiB and enclaveCpuCount apply to confidential "nitro-enclaves" only, got confidential "${confidential}".`);
  }
  const enclaveMemoryMiB = props.enclaveMemoryMiB ?? 4096;
  if (!isCount(enclaveMemoryMiB, 64)) fail(`enclaveMemoryMiB must be a whole number of at least 64, got ${enclaveMemoryMiB}.`);
  const enclaveCpuCount = props.enclaveCpuCount ?? 2;
  if (!isCount(enclaveCpuCount, 1)) fail(`enclaveCpuCount must be a whole number of at least 1, got ${enclaveCpuCount}.`);
  if (enclaves) {
    types.forEach((t) => {
      const vcpus = vcpusOf(t);
      // The parent instance keeps at least 2 vCPUs (Nitro Enclaves User Guide, "Working with multiple enclaves").
      if (vcpus !== undefined && enclaveCpuCount > vcpus - 2) fail(`enclaveCpuCount ${enclaveCpuCount} leaves the node fewer than 2 of the ${vcpus} vCPUs of ${t}.`);
    });
  }

  const capacity = props.capacity ?? { type: "ON_DEMAND" };
  if (!CAPACITY_TYPES.includes(capacity.type)) fail(`capacity.type must be one of ${CAPACITY_TYPES.join(", ")}, got '${capacity.type}'.`);
  if (capacity.type === "CAPACITY_BLOCK" && !capacity.reservationId) fail("capacity type CAPACITY_BLOCK needs capacity.reservationId, the Capacity Block's reservation id (cr-...), got none.");
  if (capacity.type !== "ON_DEMAND" && capacity.reservationResourceGroupArn) fail(`capacity.reservationResourceGroupArn applies to ON_DEMAND only, got capacity type ${capacity.type}.`);
  if (capacity.type === "SPOT" && capacity.reservationId) fail(`capacity.reservationId applies to ON_DEMAND and CAPACITY_BLOCK, not SPOT, got '${capacity.reservationId}'.`);
  if (capacity.reservationId && capacity.reservationResourceGroupArn) fail("capacity.reservationId and capacity.reservationResourceGroupArn exclude each other; set one.");

  const scaling = props.scaling ?? (accelerator ? { min: 0, desired: 0, max: 2 } : { min: 1, desired: 2, max: 4 });
  const { min, desired, max } = scaling;
  if (![min, desired, max].every((n) => isCount(n, 0)) || max < 1 || min > desired || desired > max) {
    fail(`scaling must be whole numbers with 0 <= min <= desired <= max and max >= 1, got min ${min}, desired ${desired}, max ${max}.`);
  }
  const diskSizeGiB = props.diskSizeGiB ?? (accelerator ? 200 : 50);
  if (!isCount(diskSizeGiB, 20) || diskSizeGiB > 16384) fail(`diskSizeGiB must be a whole number from 20 to 16384, got ${diskSizeGiB}.`);

  if (props.efa && !props.vpcId) fail("efa needs vpcId, the VPC of the subnets, for the EFA security group.");
  if (props.efa && (props.securityGroupIds ?? []).length === 0) {
    fail("efa needs securityGroupIds naming the cluster security group: EKS adds it only to launch templates that name no security groups, and an EFA interface must name them.");
  }
  if (props.kubernetesVersion !== undefined && !Token.isUnresolved(props.kubernetesVersion) && !/^\d+\.\d+$/.test(props.kubernetesVersion)) {
    fail(`kubernetesVersion must look like "1.33", got '${props.kubernetesVersion}'.`);
  }
  const tenant = props.tenant;
  if (tenant !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(tenant)) {
    fail(`tenant must be a DNS label (lower-case letters, digits and dashes, at most 63), got '${tenant}'.`);
  }

  const labels: Record<string, string> = { "saip.io/pool-purpose": props.purpose };
  const taints: NodeTaint[] = [];
  if (accelerator === "nvidia") {
    labels["nvidia.com/gpu.present"] = "true";
    taints.push({ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" });
  }
  if (accelerator === "neuron") taints.push({ key: "aws.amazon.com/neuron", value: "true", effect: "NO_SCHEDULE" });
  if (tenant) {
    labels["saip.io/tenant"] = tenant;
    taints.push({ key: "saip.io/tenant", value: tenant, effect: "NO_SCHEDULE" });
  }
  if (confidential !== "none") labels["saip.io/confidential"] = confidential;
  if (enclaves) {
    // The Nitro Enclaves device plugin's DaemonSet selects nodes with this label (aws-nitro-enclaves-k8s-device-plugin).
    labels["aws-nitro-enclaves-k8s-dp"] = "enabled";
    taints.push({ key: "aws.amazon.com/nitro-enclaves", value: "true", effect: "NO_SCHEDULE" });
  }

  for (const [key, value] of Object.entries(props.labels ?? {})) {
    if (key.startsWith("saip.io/") || key in labels) fail(`labels may not set '${key}': the pool sets it, and saip.io/ keys are reserved.`);
    if (value.length > 63 || !LABEL_VALUE.test(value)) fail(`labels['${key}'] must be a Kubernetes label value (at most 63 letters, digits, -, _ or .), got '${value}'.`);
  }
  for (const taint of props.extraTaints ?? []) {
    if (taint.key.startsWith("saip.io/") || taints.some((t) => t.key === taint.key)) fail(`extraTaints may not set '${taint.key}': the pool sets it, and saip.io/ keys are reserved.`);
    if (!TAINT_EFFECTS.includes(taint.effect)) fail(`extraTaints '${taint.key}' effect must be one of ${TAINT_EFFECTS.join(", ")}, got '${taint.effect}'.`);
  }
  return {
    amiType, accelerator, confidential, capacity, scaling, diskSizeGiB, enclaveMemoryMiB, enclaveCpuCount,
    labels: { ...props.labels, ...labels },
    taints: [...taints, ...(props.extraTaints ?? [])],
  };
}
