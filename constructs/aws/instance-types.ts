import type { ConfidentialMode } from "./node-pool-props";

/**
 * Facts about EC2 instance types that node pools check at synth: CPU
 * architecture, accelerators, AMD SEV-SNP and Nitro Enclaves support. Types are
 * read from their names (`m6a.2xlarge`: family `m6a`, size `2xlarge`), so the
 * checks need no AWS call. Each `...Problem` function returns why a type does
 * not fit, or undefined when it does.
 */

export type Architecture = "x86_64" | "arm64";
export type Accelerator = "nvidia" | "neuron";

/** EKS managed node group AMI types for Amazon Linux 2023 and Bottlerocket (EKS API `amiType` values). */
export const AMI_TYPES = [
  "AL2023_x86_64_STANDARD",
  "AL2023_ARM_64_STANDARD",
  "AL2023_x86_64_NVIDIA",
  "AL2023_ARM_64_NVIDIA",
  "AL2023_x86_64_NEURON",
  "BOTTLEROCKET_x86_64",
  "BOTTLEROCKET_ARM_64",
  "BOTTLEROCKET_x86_64_NVIDIA",
  "BOTTLEROCKET_ARM_64_NVIDIA",
] as const;
export type AmiType = (typeof AMI_TYPES)[number];

export interface InstanceTypeName {
  readonly family: string;
  readonly size: string;
}

/** `p6-b200.48xlarge` → `{ family: "p6-b200", size: "48xlarge" }`; undefined when it is not an instance type name. */
export function parseInstanceType(type: string): InstanceTypeName | undefined {
  const match = /^([a-z][a-z0-9-]*[a-z0-9])\.([a-z0-9-]+)$/.exec(type);
  return match ? { family: match[1], size: match[2] } : undefined;
}

function familyOf(type: string): string {
  return parseInstanceType(type)?.family ?? type;
}

/**
 * NVIDIA GPU families (p, g, gr) and AWS Neuron families (trn, inf). The same
 * family pattern as the compliance rule on accelerator taints
 * (lib/rules/aws/compute/util.ts), so every pool that rule sees as an
 * accelerator pool is built with the accelerator's taint.
 */
export function acceleratorOf(type: string): Accelerator | undefined {
  const family = familyOf(type);
  if (/^(p|g|gr)\d/.test(family)) return "nvidia";
  if (/^(trn|inf)\d/.test(family)) return "neuron";
  return undefined;
}

export function isGpuInstanceType(type: string): boolean {
  return acceleratorOf(type) === "nvidia";
}

/**
 * Graviton families carry a `g` right after the generation (m7g, c7gn, x2gd,
 * im4gn, g5g); A1 is the first Graviton; `-gb` families (p6e-gb200) run NVIDIA
 * Grace CPUs. Everything else is x86_64.
 */
export function architectureOf(type: string): Architecture {
  const family = familyOf(type);
  return family === "a1" || /^[a-z]+\d+g/.test(family) || /-gb\d/.test(family) ? "arm64" : "x86_64";
}

/** vCPUs by EC2 size naming (medium 1, large 2, xlarge 4, Nxlarge 4N); undefined for metal and other sizes. */
export function vcpusOf(type: string): number | undefined {
  const size = parseInstanceType(type)?.size;
  if (size === "medium") return 1;
  if (size === "large") return 2;
  const match = size ? /^(\d*)xlarge$/.exec(size) : null;
  return match ? 4 * Number(match[1] || 1) : undefined;
}

export function amiArchitecture(ami: AmiType): Architecture {
  return ami.includes("ARM_64") ? "arm64" : "x86_64";
}

export function amiAccelerator(ami: AmiType): Accelerator | undefined {
  if (ami.endsWith("_NVIDIA")) return "nvidia";
  if (ami.endsWith("_NEURON")) return "neuron";
  return undefined;
}

/**
 * The AMI type a pool runs when none is chosen: Bottlerocket, whose root file
 * system is read-only and checked block by block by dm-verity at boot, with
 * SELinux enforcing; its NVIDIA variants for NVIDIA GPUs, and its standard
 * x86_64 variant for Neuron chips (it carries the Neuron driver). Confidential
 * pools run Amazon Linux 2023: AWS lists AL2023, not Bottlerocket, among the
 * guests that support AMD SEV-SNP, and the Nitro Enclaves allocator is
 * installed with dnf, which Bottlerocket does not have.
 */
export function defaultAmiType(
  architecture: Architecture,
  accelerator: Accelerator | undefined,
  confidential: ConfidentialMode = "none",
): AmiType {
  const arch = architecture === "arm64" ? "ARM_64" : "x86_64";
  if (confidential === "sev-snp" || confidential === "nitro-enclaves") {
    // The accelerator's AL2023 variant, so a GPU type in a confidential pool is refused for the confidential mode, not the image.
    if (accelerator === "neuron") return "AL2023_x86_64_NEURON";
    return `AL2023_${arch}_${accelerator === "nvidia" ? "NVIDIA" : "STANDARD"}` as AmiType;
  }
  if (accelerator === "neuron") return "BOTTLEROCKET_x86_64";
  return `BOTTLEROCKET_${arch}${accelerator === "nvidia" ? "_NVIDIA" : ""}` as AmiType;
}

/** The AMI type a pool of these instance types runs: its own, or the default above. */
export function poolAmiType(pool: {
  readonly amiType?: AmiType;
  readonly instanceTypes: readonly string[];
  readonly confidential?: ConfidentialMode;
}): AmiType {
  return (
    pool.amiType ?? defaultAmiType(architectureOf(pool.instanceTypes[0]), acceleratorOf(pool.instanceTypes[0]), pool.confidential ?? "none")
  );
}

/** Node image family of an AMI type: release versions are numbered per family. */
/** The node image families a pool boots, each with its own release numbering (config `nodeImages`). */
export const AMI_FAMILIES = ["bottlerocket", "al2023"] as const;
export type AmiFamily = (typeof AMI_FAMILIES)[number];

export function amiFamily(ami: AmiType): AmiFamily {
  return ami.startsWith("BOTTLEROCKET") ? "bottlerocket" : "al2023";
}

/**
 * EKS release versions of the managed node images: Bottlerocket's
 * `<os version>-<commit>` ("1.34.0-18d04e52"; EKS refuses the short form) and
 * AL2023's `<kubernetes version>.<patch>-<build date>` ("1.35.0-20260110").
 */
export const RELEASE_VERSION_FORMAT: Readonly<Record<AmiFamily, RegExp>> = {
  bottlerocket: /^\d+\.\d+\.\d+-[0-9a-f]{8}$/,
  al2023: /^1\.\d{2}\.\d+-\d{8}$/,
};

/** Why `release` cannot be the release version of `ami` nodes on Kubernetes `kubernetesVersion`, or undefined. */
export function releaseVersionProblem(ami: AmiType, release: string, kubernetesVersion?: string): string | undefined {
  const family = amiFamily(ami);
  const example = family === "bottlerocket" ? "1.34.0-18d04e52" : "1.35.0-20260110";
  if (!RELEASE_VERSION_FORMAT[family].test(release))
    return `'${release}' is not a release version of ${family === "bottlerocket" ? "Bottlerocket" : "AL2023"} such as ${example}`;
  // AL2023 images are built per Kubernetes version; Bottlerocket releases carry every supported version's variant.
  if (family === "al2023" && kubernetesVersion && !release.startsWith(`${kubernetesVersion}.`))
    return `AL2023 release ${release} is not built for Kubernetes ${kubernetesVersion}`;
  return undefined;
}

/**
 * Whether an AMI type can run an instance type: the same architecture, NVIDIA
 * drivers exactly for NVIDIA GPUs, and Neuron drivers for Neuron chips (the
 * AL2023 Neuron AMI, or Bottlerocket x86_64, which carries them; EKS User
 * Guide, "Use EKS-optimized accelerated AMIs").
 */
export function amiProblem(ami: AmiType, type: string): string | undefined {
  const arch = architectureOf(type);
  if (amiArchitecture(ami) !== arch) return `${ami} is for ${amiArchitecture(ami)} but ${type} is ${arch}`;
  const accelerator = acceleratorOf(type);
  if (accelerator === "neuron") {
    return ami === "AL2023_x86_64_NEURON" || ami === "BOTTLEROCKET_x86_64"
      ? undefined
      : `${type} has Neuron chips, which ${ami} has no driver for`;
  }
  if (accelerator === "nvidia" && amiAccelerator(ami) !== "nvidia") return `${type} has NVIDIA GPUs, which ${ami} has no driver for`;
  if (accelerator === undefined && amiAccelerator(ami))
    return `${ami} is an accelerator AMI but ${type} has no ${amiAccelerator(ami)} accelerator`;
  return undefined;
}

/**
 * Sizes that support AMD SEV-SNP: only M6a, C6a and R6a, up to the sizes below
 * (EC2 User Guide, "AMD SEV-SNP requirements", as of 2025; the EC2 API's
 * CpuOptions documentation also says "M6a, R6a, and C6a instance types only").
 * On shared tenancy only in US East (Ohio) and Europe (Ireland), which synth
 * cannot check: the region is a deploy-time value.
 */
export const SEV_SNP_SIZES: Readonly<Record<string, readonly string[]>> = {
  m6a: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge"],
  c6a: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"],
  r6a: ["large", "xlarge", "2xlarge", "4xlarge"],
};

export function sevSnpProblem(type: string): string | undefined {
  const parsed = parseInstanceType(type);
  if (!parsed) return `'${type}' is not an instance type name`;
  if (isGpuInstanceType(type)) return `${type} is a GPU instance type, and AMD SEV-SNP runs only on M6a, C6a and R6a`;
  const sizes = SEV_SNP_SIZES[parsed.family];
  if (!sizes) return `${type} is not an AMD SEV-SNP instance type: only the m6a, c6a and r6a families support it`;
  if (!sizes.includes(parsed.size)) return `${type} is too large for AMD SEV-SNP: ${parsed.family} supports ${sizes.join(", ")}`;
  return undefined;
}

export function supportsSevSnp(type: string): boolean {
  return sevSnpProblem(type) === undefined;
}

/**
 * Enclave-capable families and the non-metal sizes each excludes, from the
 * Nitro Enclaves User Guide ("Requirements", parent instance types), which
 * lists every supported family. The rule behind it: Nitro-virtualised
 * instances with at least 4 vCPUs on Intel or AMD, at least 2 on Graviton.
 * Bare metal sizes are never listed (no Nitro hypervisor to carve an enclave
 * out of), so every `metal` size is refused below.
 */
const ENCLAVE_FAMILIES: Readonly<Record<string, readonly string[]>> = Object.fromEntries([
  ...grouped(
    ["large"],
    "m5 m5a m5ad m5d m5dn m5n m5zn m6a m6i m6id m6idn m6in m7i m8i m8id",
    "c5 c5a c5ad c5d c5n c6a c6i c6id c6in c7i c8i c8id",
    "r5 r5a r5ad r5b r5d r5dn r5n r6a r6i r6id r6idn r6in r7i r7iz r8i r8id x8i z1d i3en i4i i7i i7ie g6f",
  ),
  ...grouped(
    ["medium"],
    "m6g m6gd m7g m7gd m8a m8azn m8g m8gb m8gd m8gn c6g c6gd c6gn c7g c7gd c8a c8g c8gb c8gd c8gn",
    "r6g r6gd r7g r7gd r8a r8g r8gb r8gd r8gn x2gd x8g",
  ),
  ...grouped(["medium", "large"], "m7a c7a r7a"),
  ...grouped(
    [],
    "x2idn x2iedn x2iezn x8aedz d3 d3en i4g i8g i8ge",
    "dl1 dl2q f2 g4dn g5 g6 g6e gr6 gr6f g7e inf1 inf2 p4d p4de p5 p5e p5en p6-b300 trn2 trn2u",
  ),
]);

function grouped(excluded: string[], ...families: string[]): Array<[string, string[]]> {
  return families
    .join(" ")
    .split(" ")
    .map((family) => [family, excluded]);
}

/** Families AWS names as never enclave-capable, with the reason, for clearer messages. */
export const NO_ENCLAVE_FAMILIES: Readonly<Record<string, string>> = {
  t2: "burstable",
  t3: "burstable",
  t3a: "burstable",
  t4g: "burstable",
  a1: "first-generation Graviton",
  "c7i-flex": "flex",
  "m7i-flex": "flex",
};

export function nitroEnclavesProblem(type: string): string | undefined {
  const parsed = parseInstanceType(type);
  if (!parsed) return `'${type}' is not an instance type name`;
  const { family, size } = parsed;
  const denied = NO_ENCLAVE_FAMILIES[family] ?? (family.startsWith("mac") ? "Mac" : undefined);
  if (denied) return `${type} cannot host Nitro Enclaves: ${denied} instance types do not support them`;
  const excluded = ENCLAVE_FAMILIES[family];
  if (!excluded) return `${type} cannot host Nitro Enclaves: the ${family} family is not on AWS's list of enclave-capable families`;
  if (size.includes("metal")) return `${type} cannot host Nitro Enclaves: bare metal sizes do not support them`;
  if (excluded.includes(size))
    return `${type} cannot host Nitro Enclaves: it has too few vCPUs (${family} supports sizes above ${excluded.join(" and ")})`;
  return undefined;
}

export function supportsNitroEnclaves(type: string): boolean {
  return nitroEnclavesProblem(type) === undefined;
}

/**
 * NVIDIA GPUs that Bottlerocket's MIG manager partitions, by the instance
 * families that carry them, with the profiles it accepts for each. The keys
 * are Bottlerocket's own names for the GPUs in
 * `settings.kubelet-device-plugins.nvidia.mig.profile` (bottlerocket-kernel-kit,
 * sources/nvidia-migmanager: "a100.40gb", "a100.80gb", "h100.80gb",
 * "h200.141gb"), and the profiles are the ones it has had since MIG arrived in
 * Bottlerocket 1.34.0 (bottlerocket-os/bottlerocket#4418; NVIDIA MIG User
 * Guide, supported profiles): every GPU of a node is cut into the same
 * profile, as many times as it fits. Its manager turns a profile it does not
 * know into one slice of the whole GPU without an error, so an unknown
 * profile is refused here instead.
 *
 * Not here: L4 and L40S (g6, g6e, gr6), A10G (g5), T4 (g4dn) and V100 (p3)
 * have no MIG; B200 (p6-b200) has MIG, but Bottlerocket's manager learned it
 * after 1.34.0 (bottlerocket-kernel-kit#136) in a release this table does not
 * pin; GB200 (p6e-gb200) and B300 (p6-b300) are not known to it in 1.34.0.
 */
export const MIG_GPUS: Readonly<Record<string, { readonly gpu: string; readonly profiles: readonly string[] }>> = {
  p4d: { gpu: "a100.40gb", profiles: ["1g.5gb", "2g.10gb", "3g.20gb", "7g.40gb"] },
  p4de: { gpu: "a100.80gb", profiles: ["1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "7g.80gb"] },
  p5: { gpu: "h100.80gb", profiles: ["1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "7g.80gb"] },
  p5e: { gpu: "h200.141gb", profiles: ["1g.18gb", "1g.35gb", "2g.35gb", "3g.71gb", "7g.141gb"] },
  p5en: { gpu: "h200.141gb", profiles: ["1g.18gb", "1g.35gb", "2g.35gb", "3g.71gb", "7g.141gb"] },
};

/** The first Bottlerocket release with each NVIDIA setting the platform writes. */
export const BOTTLEROCKET_NVIDIA_RELEASES = {
  /**
   * settings.nvidia-container-runtime.* (bottlerocket-project-website#506) and device-list-strategy = "volume-mounts" (bottlerocket#3718).
   */
  injection: "1.23.0",
  /** device-sharing-strategy = "time-slicing" (bottlerocket#4252: time-slicing landed in 1.25.0). */
  timeSlicing: "1.25.0",
  /** device-partitioning-strategy = "mig" and mig.profile (bottlerocket#4418, #4483: 1.34.0, single strategy only). */
  mig: "1.34.0",
} as const;

/** Bottlerocket's GPU name for the MIG profile settings of an instance type, or why it cannot be partitioned. */
export function migGpuOf(type: string): { gpu: string; profiles: readonly string[] } | { problem: string } {
  const parsed = parseInstanceType(type);
  if (!parsed) return { problem: `'${type}' is not an instance type name` };
  const known = MIG_GPUS[parsed.family];
  if (known) return known;
  if (!isGpuInstanceType(type)) return { problem: `${type} has no NVIDIA GPU` };
  return { problem: `${type} has no GPU that Bottlerocket partitions with MIG: only A100 (p4d, p4de), H100 (p5) and H200 (p5e, p5en)` };
}

/** Why `profile` cannot partition the GPUs of `type`, or undefined when it can. */
export function migProfileProblem(type: string, profile: string): string | undefined {
  const gpu = migGpuOf(type);
  if ("problem" in gpu) return gpu.problem;
  if (!gpu.profiles.includes(profile))
    return `'${profile}' is not a MIG profile of the ${gpu.gpu} GPU of ${type}: one of ${gpu.profiles.join(", ")}`;
  return undefined;
}

/** Whether Bottlerocket `release` (`1.34.0-18d04e52`) is `minimum` (`1.34.0`) or later; undefined when it is not a release. */
export function bottlerocketAtLeast(release: string, minimum: string): boolean | undefined {
  const parts = (v: string) => /^(\d+)\.(\d+)\.(\d+)/.exec(v)?.slice(1).map(Number);
  const [have, need] = [parts(release), parts(minimum)];
  if (!have || !need) return undefined;
  for (let i = 0; i < 3; i++) if (have[i] !== need[i]) return have[i] > need[i];
  return true;
}
