import type { IPlatformCluster } from "./eks-cluster";
import { AmiType } from "./instance-types";
import { NodeRole } from "./node-role";
import { PlatformKey } from "./platform-key";

// The public prop types of NodePool, apart from the construct so node-pool-validation.ts can use them without an import cycle.

// Each list is the one source for its values: the config schema, these types and node-pool-validation.ts read it.
/** What a pool is for: its label, taints and which tenants' workloads land on it. */
export const NODE_POOL_PURPOSES = ["training", "inference", "general", "system"] as const;
export type NodePoolPurpose = (typeof NODE_POOL_PURPOSES)[number];
/** "none", AMD SEV-SNP (memory encrypted by the CPU), or Nitro Enclaves (isolated VMs beside the instance). */
export const CONFIDENTIAL_MODES = ["none", "sev-snp", "nitro-enclaves"] as const;
export type ConfidentialMode = (typeof CONFIDENTIAL_MODES)[number];
/** ON_DEMAND, SPOT, or CAPACITY_BLOCK (EC2 Capacity Blocks for ML, which need `reservationId`). */
export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT", "CAPACITY_BLOCK"] as const;
export type CapacityType = (typeof CAPACITY_TYPES)[number];
/** The Kubernetes taint effects, as EKS spells them. */
export const TAINT_EFFECTS = ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];

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
  readonly type: CapacityType;
  /** Capacity Block or On-Demand Capacity Reservation to launch into. @default - none */
  readonly reservationId?: string;
  /** ON_DEMAND only: resource group of capacity reservations to launch into. @default - none */
  readonly reservationResourceGroupArn?: string;
}

export interface NodePoolProps {
  /**
   * The cluster the nodes join (`PlatformCluster`, or any IPlatformCluster): its name, its version and, through
   * its network, the VPC and private subnets the nodes launch into. `cluster.addNodePool(id, options)` gives it.
   */
  readonly cluster: IPlatformCluster;
  /** Kubernetes version of the nodes, e.g. "1.33". @default - the cluster's version */
  readonly kubernetesVersion?: string;
  /**
   * Some of the cluster network's private subnets, for a pool that must not use them all: Capacity Block pools
   * name only the reservation's zone. EFA pools use the first only (one Availability Zone).
   * @default - every private subnet of the cluster's network
   */
  readonly subnetIds?: string[];
  /** Customer-managed key that encrypts root and data volumes (the platform's checkpoints key). */
  readonly volumeKey: PlatformKey;
  /** What the pool runs; labels the nodes `saip.io/pool-purpose=<purpose>`. */
  readonly purpose: NodePoolPurpose;
  /** Instance types, all of one architecture and accelerator kind. */
  readonly instanceTypes: string[];
  /**
   * EKS AMI type. @default - Bottlerocket (dm-verity root, read-only, SELinux enforcing): its NVIDIA
   * variant for NVIDIA GPU types, standard otherwise (it carries the Neuron driver), matching the
   * architecture; AL2023 standard for confidential pools, which Bottlerocket cannot run (see defaultAmiType)
   */
  readonly amiType?: AmiType;
  /**
   * EKS release version of the node image, pinned so nodes change only when it is changed here:
   * Bottlerocket `1.34.0-18d04e52`, AL2023 `1.35.0-20260110` (README, "Node images").
   */
  readonly releaseVersion: string;
  /** Node counts. @default - 0/0/2 for accelerator pools (scale up when needed), 1/2/4 otherwise */
  readonly scaling?: NodePoolScaling;
  /** How instances are bought. @default { type: "ON_DEMAND" } */
  readonly capacity?: NodePoolCapacity;
  /**
   * Elastic Fabric Adapter for multi-node training: an EFA interface, a security group open to
   * itself only, and a cluster placement group unless the pool launches into a capacity
   * reservation (which brings its own placement), made in the cluster network's VPC. Needs `securityGroupIds`.
   * @default false
   */
  readonly efa?: boolean;
  /** Dedicates the pool to one tenant: label and NoSchedule taint `saip.io/tenant=<tenant>`. @default - shared by all tenants */
  readonly tenant?: string;
  /**
   * NVIDIA pools on Bottlerocket: every GPU cut into MIG slices of this profile (`3g.20gb`), each
   * advertised as one `nvidia.com/gpu`, with its own memory and compute, so tenants can share a
   * GPU without sharing memory. Only A100, H100 and H200 types (MIG_GPUS); not training pools.
   * @default - whole GPUs
   */
  readonly mig?: { readonly profile: string };
  /**
   * Dedicated (`tenant`) NVIDIA pools on Bottlerocket: pods per GPU, time-sliced. Time-slicing gives
   * no memory or fault isolation between the pods on a GPU, so a pool more than one tenant may
   * use cannot have it; not training pools. @default - none
   */
  readonly timeSlicing?: { readonly replicas: number };
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
