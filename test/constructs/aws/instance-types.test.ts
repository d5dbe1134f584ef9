import {
  acceleratorOf,
  amiProblem,
  architectureOf,
  defaultAmiType,
  releaseVersionProblem,
  isGpuInstanceType,
  nitroEnclavesProblem,
  parseInstanceType,
  SEV_SNP_SIZES,
  sevSnpProblem,
  supportsNitroEnclaves,
  supportsSevSnp,
  vcpusOf,
} from "../../../constructs/aws/instance-types";
import { acceleratorOf as ruleAcceleratorOf } from "../../../lib/rules/aws/compute/util";

describe("instance types", () => {
  it("reads family and size from the name", () => {
    expect(parseInstanceType("m6a.2xlarge")).toEqual({ family: "m6a", size: "2xlarge" });
    expect(parseInstanceType("p6-b200.48xlarge")).toEqual({ family: "p6-b200", size: "48xlarge" });
    expect(parseInstanceType("c7i-flex.large")).toEqual({ family: "c7i-flex", size: "large" });
    expect(parseInstanceType("m5")).toBeUndefined();
    expect(parseInstanceType("M5.XLARGE")).toBeUndefined();
  });

  it.each([
    ["p5.48xlarge", "nvidia"],
    ["p4d.24xlarge", "nvidia"],
    ["g6e.12xlarge", "nvidia"],
    ["gr6.4xlarge", "nvidia"],
    ["g5g.2xlarge", "nvidia"],
    ["p6-b200.48xlarge", "nvidia"],
    ["trn1.32xlarge", "neuron"],
    ["inf2.xlarge", "neuron"],
    ["m6a.2xlarge", undefined],
    ["c7gn.large", undefined],
  ])("%s has accelerator %s, as the compliance rule sees it", (type, expected) => {
    expect(acceleratorOf(type)).toBe(expected);
    expect(acceleratorOf(type)).toBe(ruleAcceleratorOf(type));
    expect(isGpuInstanceType(type)).toBe(expected === "nvidia");
  });

  it.each([
    ["m7g.xlarge", "arm64"],
    ["c7gn.large", "arm64"],
    ["x2gd.xlarge", "arm64"],
    ["im4gn.large", "arm64"],
    ["is4gen.large", "arm64"],
    ["g5g.xlarge", "arm64"],
    ["a1.large", "arm64"],
    ["p6e-gb200.36xlarge", "arm64"],
    ["m6a.xlarge", "x86_64"],
    ["g5.xlarge", "x86_64"],
    ["gr6.4xlarge", "x86_64"],
    ["p5.48xlarge", "x86_64"],
    ["m7i-flex.large", "x86_64"],
  ])("%s is %s", (type, arch) => {
    expect(architectureOf(type)).toBe(arch);
  });

  it("counts vCPUs from the size name and leaves metal unknown", () => {
    expect([vcpusOf("m6g.medium"), vcpusOf("m5.large"), vcpusOf("m5.xlarge"), vcpusOf("m5.24xlarge"), vcpusOf("m5.metal")]).toEqual([
      1,
      2,
      4,
      96,
      undefined,
    ]);
  });

  it("picks Bottlerocket for the architecture and accelerator, and AL2023 for confidential pools", () => {
    expect(defaultAmiType("x86_64", "nvidia")).toBe("BOTTLEROCKET_x86_64_NVIDIA");
    expect(defaultAmiType("arm64", "nvidia")).toBe("BOTTLEROCKET_ARM_64_NVIDIA");
    expect(defaultAmiType("x86_64", "neuron")).toBe("BOTTLEROCKET_x86_64");
    expect(defaultAmiType("x86_64", undefined)).toBe("BOTTLEROCKET_x86_64");
    expect(defaultAmiType("arm64", undefined)).toBe("BOTTLEROCKET_ARM_64");
    expect(defaultAmiType("x86_64", undefined, "sev-snp")).toBe("AL2023_x86_64_STANDARD");
    expect(defaultAmiType("arm64", undefined, "nitro-enclaves")).toBe("AL2023_ARM_64_STANDARD");
  });

  it("checks release versions against the image family and, for AL2023, the Kubernetes version", () => {
    expect(releaseVersionProblem("BOTTLEROCKET_x86_64_NVIDIA", "1.34.0-18d04e52")).toBeUndefined();
    expect(releaseVersionProblem("BOTTLEROCKET_x86_64", "1.34.0")).toMatch(
      /'1.34.0' is not a release version of Bottlerocket such as 1.34.0-18d04e52/,
    );
    expect(releaseVersionProblem("AL2023_x86_64_STANDARD", "1.35.0-20260110", "1.35")).toBeUndefined();
    expect(releaseVersionProblem("AL2023_x86_64_STANDARD", "1.34.2-20260110", "1.35")).toMatch(
      /AL2023 release 1.34.2-20260110 is not built for Kubernetes 1.35/,
    );
    expect(releaseVersionProblem("AL2023_x86_64_STANDARD", "latest")).toMatch(/'latest' is not a release version of AL2023/);
  });

  it("matches AMI types to instance types", () => {
    expect(amiProblem("AL2023_x86_64_NVIDIA", "p5.48xlarge")).toBeUndefined();
    expect(amiProblem("BOTTLEROCKET_x86_64_NVIDIA", "g6.xlarge")).toBeUndefined();
    expect(amiProblem("BOTTLEROCKET_x86_64", "trn1.32xlarge")).toBeUndefined();
    expect(amiProblem("AL2023_x86_64_STANDARD", "p5.48xlarge")).toMatch(/NVIDIA GPUs, which AL2023_x86_64_STANDARD has no driver for/);
    expect(amiProblem("AL2023_x86_64_NVIDIA", "m6a.xlarge")).toMatch(/accelerator AMI but m6a.xlarge has no nvidia accelerator/);
    expect(amiProblem("AL2023_x86_64_STANDARD", "m7g.xlarge")).toMatch(/is for x86_64 but m7g.xlarge is arm64/);
    expect(amiProblem("AL2023_x86_64_NVIDIA", "trn1.32xlarge")).toMatch(/Neuron chips/);
  });

  describe("AMD SEV-SNP", () => {
    it("supports exactly the listed M6a, C6a and R6a sizes", () => {
      expect(Object.keys(SEV_SNP_SIZES).sort()).toEqual(["c6a", "m6a", "r6a"]);
      expect(["m6a.large", "m6a.2xlarge", "m6a.8xlarge", "c6a.16xlarge", "r6a.4xlarge"].every(supportsSevSnp)).toBe(true);
    });

    it.each([
      ["p5.48xlarge", /GPU instance type/],
      ["m5.xlarge", /only the m6a, c6a and r6a families/],
      ["m7a.xlarge", /only the m6a, c6a and r6a families/],
      ["m6a.12xlarge", /too large for AMD SEV-SNP: m6a supports large, .*8xlarge/],
      ["r6a.8xlarge", /too large/],
      ["m6a.metal", /too large/],
    ])("refuses %s", (type, message) => {
      expect(sevSnpProblem(type)).toMatch(message);
    });
  });

  describe("Nitro Enclaves", () => {
    it.each([
      "m5.xlarge",
      "m5a.xlarge",
      "m6i.2xlarge",
      "c6a.xlarge",
      "r6i.4xlarge",
      "m6g.large",
      "c7g.xlarge",
      "m7a.xlarge",
      "m7i.xlarge",
      "i4g.large",
      "d3.xlarge",
      "p5.48xlarge",
      "g6f.xlarge",
    ])("allows %s", (type) => {
      expect(nitroEnclavesProblem(type)).toBeUndefined();
    });

    it.each([
      ["t3.large", /burstable/],
      ["t3a.xlarge", /burstable/],
      ["t4g.xlarge", /burstable/],
      ["a1.xlarge", /first-generation Graviton/],
      ["c7i-flex.xlarge", /flex/],
      ["m7i-flex.2xlarge", /flex/],
      ["mac2.metal", /Mac/],
      ["m5.large", /too few vCPUs \(m5 supports sizes above large\)/],
      ["m6g.medium", /too few vCPUs/],
      ["m7a.large", /too few vCPUs \(m7a supports sizes above medium and large\)/],
      ["g6f.large", /too few vCPUs/],
      ["m5.metal", /bare metal/],
      ["m7i.metal-48xl", /bare metal/],
      ["hpc7a.96xlarge", /not on AWS's list/],
      ["u7i-12tb.224xlarge", /not on AWS's list/],
      ["nonsense", /not an instance type name/],
    ])("refuses %s", (type, message) => {
      expect(nitroEnclavesProblem(type)).toMatch(message);
      expect(supportsNitroEnclaves(type)).toBe(false);
    });
  });
});
