/**
 * The table of EC2 instance families the platform knows, and what each can
 * do: accelerators (GPU, Neuron), Elastic Fabric Adapter, AMD SEV-SNP and
 * Nitro Enclaves. A config may name only types from known families, so a typo
 * (`g9z.mega`) is an error rather than a pool with a guessed GPU taint and
 * AMI. The accelerator, SEV-SNP and enclave facts come from instance-types.ts;
 * EFA support is per size, from the EC2 User Guide ("Supported instance types"
 * for EFA, as of 2025): the largest sizes and metal of each listed family.
 */
import {
  acceleratorOf,
  Accelerator,
  architectureOf,
  Architecture,
  nitroEnclavesProblem,
  parseInstanceType,
  sevSnpProblem,
} from "./instance-types";

export interface InstanceCapabilities {
  readonly architecture: Architecture;
  /** NVIDIA GPUs or AWS Neuron chips; undefined for CPU-only types. */
  readonly accelerator?: Accelerator;
  readonly efa: boolean;
  readonly sevSnp: boolean;
  readonly nitroEnclaves: boolean;
}

const families = (list: string) => list.split(/\s+/).filter(Boolean);

/** Every family a config may name: general purpose, compute, memory, storage, accelerated and HPC. */
const KNOWN_FAMILIES = new Set(
  families(`
  t3 t3a t4g m5 m5a m5ad m5d m5dn m5n m5zn m6a m6g m6gd m6i m6id m6idn m6in m7a m7g m7gd m7i m7i-flex m8a m8g m8gd m8i
  c5 c5a c5ad c5d c5n c6a c6g c6gd c6gn c6i c6id c6in c7a c7g c7gd c7gn c7i c7i-flex c8a c8g c8gd c8gn c8i
  r5 r5a r5ad r5b r5d r5dn r5n r6a r6g r6gd r6i r6id r6idn r6in r7a r7g r7gd r7i r7iz r8a r8g r8gd r8i
  x1 x1e x2gd x2idn x2iedn x2iezn x8g z1d u7i-6tb u7i-8tb u7i-12tb
  d3 d3en i3 i3en i4g i4i i7i i7ie i8g im4gn is4gen
  p3 p3dn p4d p4de p5 p5e p5en p6-b200 p6-b300 p6e-gb200 g4ad g4dn g5 g5g g6 g6e g6f gr6 gr6f g7e
  dl1 dl2q f1 f2 inf1 inf2 trn1 trn1n trn2 trn2u vt1 hpc6a hpc6id hpc7a hpc7g
`),
);

/** Sizes with EFA, by family. */
const EFA_SIZES: Readonly<Record<string, readonly string[]>> = {
  ...sizes("24xlarge metal", "m5dn m5n r5dn r5n"),
  ...sizes("12xlarge metal", "m5zn x2iezn"),
  ...sizes("9xlarge 18xlarge metal", "c5n"),
  ...sizes("32xlarge metal", "m6i m6id m6idn m6in c6i c6id c6in r6i r6id r6idn r6in x2idn x2iedn"),
  ...sizes("48xlarge metal", "m6a c6a r6a"),
  ...sizes("48xlarge metal-48xl", "m7a m7i c7a c7i r7a r7i m8a c8a r8a"),
  ...sizes("32xlarge metal-32xl", "r7iz"),
  ...sizes("16xlarge metal", "m7g m7gd c7g c7gd c7gn r7g r7gd"),
  ...sizes("16xlarge", "c6gn i4g im4gn"),
  ...sizes("24xlarge 48xlarge metal-24xl metal-48xl", "m8g m8gd c8g c8gd c8gn r8g r8gd"),
  ...sizes("48xlarge 96xlarge metal-48xl metal-96xl", "m8i c8i r8i"),
  ...sizes("12xlarge 24xlarge metal", "i3en"),
  ...sizes("32xlarge metal", "i4i"),
  ...sizes("24xlarge 48xlarge metal-24xl metal-48xl", "i7i i7ie i8g"),
  ...sizes("8xlarge 12xlarge 16xlarge metal", "g4dn"),
  ...sizes("8xlarge 12xlarge 16xlarge 24xlarge 48xlarge", "g5 g6 g6e"),
  ...sizes("8xlarge 12xlarge 24xlarge 48xlarge", "g7e"),
  ...sizes("8xlarge", "gr6"),
  ...sizes("24xlarge", "p3dn p4d p4de dl1 dl2q vt1"),
  ...sizes("48xlarge", "p5 p5e p5en p6-b200 p6-b300 trn2 trn2u inf2"),
  ...sizes("36xlarge", "p6e-gb200"),
  ...sizes("32xlarge", "trn1 trn1n hpc6id"),
  ...sizes("48xlarge", "hpc6a"),
  ...sizes("12xlarge 24xlarge 48xlarge 96xlarge", "hpc7a"),
  ...sizes("4xlarge 8xlarge 16xlarge", "hpc7g"),
};

function sizes(list: string, familyList: string): Record<string, readonly string[]> {
  return Object.fromEntries(families(familyList).map((family) => [family, families(list)]));
}

const SIZE = /^(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?|\d+tb)$/;

/** Why a config may not name this instance type, or undefined when the table knows it. */
export function instanceTypeProblem(type: string): string | undefined {
  const parsed = parseInstanceType(type);
  if (!parsed) return `'${type}' is not an instance type name such as m7i.xlarge`;
  if (!KNOWN_FAMILIES.has(parsed.family))
    return `${type} is not a known EC2 instance type: the ${parsed.family} family is not in the platform's table of instance families`;
  if (!SIZE.test(parsed.size)) return `${type} is not a known EC2 instance type: '${parsed.size}' is not an instance size`;
  return undefined;
}

/** The capabilities of a known type; undefined for a type the table does not know. */
export function instanceCapabilities(type: string): InstanceCapabilities | undefined {
  if (instanceTypeProblem(type)) return undefined;
  return {
    architecture: architectureOf(type),
    accelerator: acceleratorOf(type),
    efa: efaProblem(type) === undefined,
    sevSnp: sevSnpProblem(type) === undefined,
    nitroEnclaves: nitroEnclavesProblem(type) === undefined,
  };
}

/** Why a type cannot carry an Elastic Fabric Adapter, or undefined when it can. */
export function efaProblem(type: string): string | undefined {
  const parsed = parseInstanceType(type);
  if (!parsed) return `'${type}' is not an instance type name`;
  const supported = EFA_SIZES[parsed.family];
  if (!supported) return `${type} does not support EFA: the ${parsed.family} family has no EFA sizes`;
  if (!supported.includes(parsed.size)) return `${type} does not support EFA: ${parsed.family} supports it on ${supported.join(", ")}`;
  return undefined;
}
