import { Token } from "cdktf";
import {
  Accelerator,
  acceleratorOf,
  AMI_TYPES,
  amiProblem,
  AmiType,
  architectureOf,
  BOTTLEROCKET_NVIDIA_RELEASES,
  bottlerocketAtLeast,
  defaultAmiType,
  isGpuInstanceType,
  migGpuOf,
  migProfileProblem,
  nitroEnclavesProblem,
  parseInstanceType,
  releaseVersionProblem,
  sevSnpProblem,
  vcpusOf,
} from "./instance-types";
import {
  CAPACITY_TYPES,
  CONFIDENTIAL_MODES,
  ConfidentialMode,
  NODE_POOL_PURPOSES,
  NodePoolCapacity,
  NodePoolProps,
  NodePoolScaling,
  NodeTaint,
  TAINT_EFFECTS,
} from "./node-pool-props";
import { GpuSharing } from "./node-pool-user-data";

/** What NodePool builds from its props: the props checked, defaults filled in, labels and taints worked out. */
export interface NodePoolPlan {
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
  /** NVIDIA pools: how their GPUs are handed out. */
  readonly gpuSharing: GpuSharing;
  /** The subnets the nodes launch into, and their Kubernetes version. */
  readonly subnetIds: string[];
  readonly kubernetesVersion: string;
}

const PURPOSES: readonly string[] = NODE_POOL_PURPOSES;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const isCount = (n: number, min: number) => Number.isInteger(n) && n >= min;

/** Checks the props and works out the defaults, labels and taints; throws `<path>: <prop> ...` on the first problem. */
export function planNodePool(path: string, name: string, props: NodePoolProps): NodePoolPlan {
  const fail = (message: string): never => {
    throw new Error(`${path}: ${message}`);
  };
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(name))
    fail(`name must be 1 to 63 letters, digits, - or _, starting with a letter or digit, got '${name}'.`);
  if (!PURPOSES.includes(props.purpose)) fail(`purpose must be one of ${PURPOSES.join(", ")}, got '${props.purpose}'.`);
  const network = props.cluster.network;
  const subnetIds = props.subnetIds ?? network.privateSubnetIds;
  if (Token.isUnresolved(subnetIds))
    fail("subnetIds must be a list whose length is known at synth (a list of subnet ids, not one list reference).");
  if (subnetIds.length === 0) fail("subnetIds must name at least one private subnet, got [].");
  // Nodes go only where the cluster's network keeps them private: a subnet of another VPC, or a public one, is refused.
  const foreign = subnetIds.find((s) => !network.privateSubnetIds.includes(s));
  if (foreign !== undefined)
    fail(`subnetIds must be private subnets of the cluster's network ${network.vpcId}, but '${foreign}' is not one.`);
  const kubernetesVersion = props.kubernetesVersion ?? props.cluster.version;
  const types = props.instanceTypes;
  if (Token.isUnresolved(types) || types.some((t) => Token.isUnresolved(t)))
    fail("instanceTypes must be instance type names known at synth, not references.");
  if (types.length === 0) fail("instanceTypes must name at least one instance type, got [].");
  const malformed = types.find((t) => !parseInstanceType(t));
  if (malformed !== undefined) fail(`instanceTypes includes '${malformed}', which is not an instance type name such as 'm6a.2xlarge'.`);
  const accelerator = acceleratorOf(types[0]);
  const mixed = types.find((t) => architectureOf(t) !== architectureOf(types[0]) || acceleratorOf(t) !== accelerator);
  if (mixed) fail(`instanceTypes must share one architecture and accelerator kind, but ${types[0]} and ${mixed} differ.`);

  const amiType = props.amiType ?? defaultAmiType(architectureOf(types[0]), accelerator, props.confidential ?? "none");
  if (!AMI_TYPES.includes(amiType)) fail(`amiType must be one of ${AMI_TYPES.join(", ")}, got '${amiType}'.`);
  if (typeof props.releaseVersion !== "string" || props.releaseVersion === "")
    fail(`releaseVersion is required: the ${amiType} release the nodes run, pinned (README, "Node images").`);
  if (!Token.isUnresolved(props.releaseVersion)) {
    const version = !Token.isUnresolved(kubernetesVersion) ? kubernetesVersion : undefined;
    const problem = releaseVersionProblem(amiType, props.releaseVersion, version);
    if (problem) fail(`releaseVersion ${problem}.`);
    // Older releases do not know the settings that keep NVIDIA_VISIBLE_DEVICES from reaching GPUs the pod was not given.
    if (
      /^BOTTLEROCKET_.*_NVIDIA$/.test(amiType) &&
      bottlerocketAtLeast(props.releaseVersion, BOTTLEROCKET_NVIDIA_RELEASES.injection) === false
    ) {
      fail(
        `releaseVersion ${props.releaseVersion} is older than Bottlerocket ${BOTTLEROCKET_NVIDIA_RELEASES.injection}, which first takes the settings that hand GPUs to containers only through the device plugin.`,
      );
    }
  }
  types.forEach((t) => {
    const problem = amiProblem(amiType, t);
    if (problem) fail(`amiType ${amiType} does not fit instance type ${t}: ${problem}.`);
  });

  const confidential = props.confidential ?? "none";
  if (!CONFIDENTIAL_MODES.includes(confidential))
    fail(`confidential must be one of ${CONFIDENTIAL_MODES.join(", ")}, got '${confidential}'.`);
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
      if (isGpuInstanceType(t))
        fail(`confidential "nitro-enclaves" pools may not use GPU instance type ${t}: enclaves cannot use the GPU.`);
      const problem = nitroEnclavesProblem(t);
      if (problem) fail(`confidential "nitro-enclaves" cannot run on instance type ${t}: ${problem}.`);
    });
    // The allocator is installed by an AL2023 user-data script (dnf); Bottlerocket has no package manager.
    if (!/^AL2023_(x86_64|ARM_64)_STANDARD$/.test(amiType))
      fail(`confidential "nitro-enclaves" needs an AL2023 standard amiType, got '${amiType}'.`);
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
      if (vcpus !== undefined && enclaveCpuCount > vcpus - 2)
        fail(`enclaveCpuCount ${enclaveCpuCount} leaves the node fewer than 2 of the ${vcpus} vCPUs of ${t}.`);
    });
  }

  const capacity = props.capacity ?? { type: "ON_DEMAND" };
  if (!CAPACITY_TYPES.includes(capacity.type)) fail(`capacity.type must be one of ${CAPACITY_TYPES.join(", ")}, got '${capacity.type}'.`);
  if (capacity.type === "CAPACITY_BLOCK" && !capacity.reservationId)
    fail("capacity type CAPACITY_BLOCK needs capacity.reservationId, the Capacity Block's reservation id (cr-...), got none.");
  if (capacity.type !== "ON_DEMAND" && capacity.reservationResourceGroupArn)
    fail(`capacity.reservationResourceGroupArn applies to ON_DEMAND only, got capacity type ${capacity.type}.`);
  if (capacity.type === "SPOT" && capacity.reservationId)
    fail(`capacity.reservationId applies to ON_DEMAND and CAPACITY_BLOCK, not SPOT, got '${capacity.reservationId}'.`);
  if (capacity.reservationId && capacity.reservationResourceGroupArn)
    fail("capacity.reservationId and capacity.reservationResourceGroupArn exclude each other; set one.");

  const scaling = props.scaling ?? (accelerator ? { min: 0, desired: 0, max: 2 } : { min: 1, desired: 2, max: 4 });
  const { min, desired, max } = scaling;
  if (![min, desired, max].every((n) => isCount(n, 0)) || max < 1 || min > desired || desired > max) {
    fail(`scaling must be whole numbers with 0 <= min <= desired <= max and max >= 1, got min ${min}, desired ${desired}, max ${max}.`);
  }
  const diskSizeGiB = props.diskSizeGiB ?? (accelerator ? 200 : 50);
  if (!isCount(diskSizeGiB, 20) || diskSizeGiB > 16384) fail(`diskSizeGiB must be a whole number from 20 to 16384, got ${diskSizeGiB}.`);

  if (props.efa && (props.securityGroupIds ?? []).length === 0) {
    fail(
      "efa needs securityGroupIds naming the cluster security group: EKS adds it only to launch templates that name no security groups, and an EFA interface must name them.",
    );
  }
  if (!Token.isUnresolved(kubernetesVersion) && !/^\d+\.\d+$/.test(kubernetesVersion)) {
    fail(`kubernetesVersion must look like "1.33", got '${kubernetesVersion}'.`);
  }
  const tenant = props.tenant;
  if (tenant !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(tenant)) {
    fail(`tenant must be a DNS label (lower-case letters, digits and dashes, at most 63), got '${tenant}'.`);
  }

  const gpuSharing = planGpuSharing(props, amiType, tenant, fail);
  const labels: Record<string, string> = { "saip.io/pool-purpose": props.purpose };
  // Lets workloads choose slices or whole GPUs: every partitioned pool advertises its slices as nvidia.com/gpu.
  if (gpuSharing.mig) labels["saip.io/gpu-partition"] = `mig-${gpuSharing.mig.profile}`;
  if (gpuSharing.timeSlicingReplicas) labels["saip.io/gpu-partition"] = `time-slicing-${gpuSharing.timeSlicingReplicas}`;
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
    if (value.length > 63 || !LABEL_VALUE.test(value))
      fail(`labels['${key}'] must be a Kubernetes label value (at most 63 letters, digits, -, _ or .), got '${value}'.`);
  }
  for (const taint of props.extraTaints ?? []) {
    if (taint.key.startsWith("saip.io/") || taints.some((t) => t.key === taint.key))
      fail(`extraTaints may not set '${taint.key}': the pool sets it, and saip.io/ keys are reserved.`);
    if (!TAINT_EFFECTS.includes(taint.effect))
      fail(`extraTaints '${taint.key}' effect must be one of ${TAINT_EFFECTS.join(", ")}, got '${taint.effect}'.`);
  }
  return {
    amiType,
    accelerator,
    confidential,
    capacity,
    scaling,
    diskSizeGiB,
    enclaveMemoryMiB,
    enclaveCpuCount,
    gpuSharing,
    subnetIds,
    kubernetesVersion,
    labels: { ...props.labels, ...labels },
    taints: [...taints, ...(props.extraTaints ?? [])],
  };
}

/**
 * MIG and time-slicing: only on Bottlerocket NVIDIA pools (whose settings
 * configure them), from the release that added each; MIG only on GPUs
 * Bottlerocket partitions, with one profile of theirs; time-slicing only on a
 * tenant's own pool, because it gives the pods on a GPU no memory isolation;
 * neither on training pools, which keep whole GPUs.
 */
function planGpuSharing(props: NodePoolProps, amiType: AmiType, tenant: string | undefined, fail: (message: string) => never): GpuSharing {
  const { mig, timeSlicing } = props;
  if (!mig && !timeSlicing) return {};
  const what = mig ? "mig" : "timeSlicing";
  if (mig && timeSlicing) fail("mig and timeSlicing exclude each other; set one.");
  if (!/^BOTTLEROCKET_.*_NVIDIA$/.test(amiType))
    fail(`${what} needs a Bottlerocket NVIDIA amiType, whose settings configure it, got '${amiType}'.`);
  if (props.purpose === "training") fail(`${what} does not apply to training pools, which keep whole GPUs.`);
  const release = Token.isUnresolved(props.releaseVersion) ? undefined : props.releaseVersion;
  const minimum = mig ? BOTTLEROCKET_NVIDIA_RELEASES.mig : BOTTLEROCKET_NVIDIA_RELEASES.timeSlicing;
  if (release !== undefined && bottlerocketAtLeast(release, minimum) === false)
    fail(`${what} needs Bottlerocket ${minimum} or later, got releaseVersion ${release}.`);
  if (timeSlicing) {
    if (!tenant)
      fail(
        "timeSlicing is refused on a pool more than one tenant may use (no tenant): time-sliced pods share the GPU's memory with no isolation.",
      );
    const replicas = timeSlicing.replicas;
    if (!Number.isInteger(replicas) || replicas < 2 || replicas > 16)
      fail(`timeSlicing.replicas must be a whole number from 2 to 16, got ${replicas}.`);
    return { timeSlicingReplicas: replicas };
  }
  const profile = (mig as { profile: string }).profile;
  const gpus = props.instanceTypes.map((t) => ({ type: t, gpu: migGpuOf(t) }));
  for (const { type } of gpus) {
    const problem = migProfileProblem(type, profile);
    if (problem) fail(`mig.profile cannot partition instance type ${type}: ${problem}.`);
  }
  const names = [...new Set(gpus.map((g) => ("gpu" in g.gpu ? g.gpu.gpu : "")))];
  if (names.length > 1) fail(`mig pools must use one GPU model, whose profile they name, but instanceTypes carry ${names.join(" and ")}.`);
  return { mig: { gpu: names[0], profile } };
}
