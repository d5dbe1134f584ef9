import { acceleratorOf, acceleratorOfAmiType } from "../../../../lib/rules/aws/compute/util";

describe("compute rule utilities", () => {
  it.each([
    ["p5.48xlarge", "nvidia"],
    ["p4d.24xlarge", "nvidia"],
    ["p6-b200.48xlarge", "nvidia"],
    ["g5.xlarge", "nvidia"],
    ["g5g.2xlarge", "nvidia"],
    ["gr6.4xlarge", "nvidia"],
    ["G6E.12XLARGE", "nvidia"],
    ["trn1n.32xlarge", "neuron"],
    ["trn2.48xlarge", "neuron"],
    ["inf2.xlarge", "neuron"],
  ])("%s is an accelerator family (%s)", (type, kind) => {
    expect(acceleratorOf(type)).toBe(kind);
  });

  it.each(["m5.large", "c7g.xlarge", "i4i.large", "im4gn.large", "r6g.large", "t3.medium", "hpc7g.16xlarge", "x2gd.large"])(
    "%s is not",
    (type) => {
      expect(acceleratorOf(type)).toBeUndefined();
    },
  );

  it("reads accelerator AMI types", () => {
    expect(acceleratorOfAmiType("AL2023_x86_64_NVIDIA")).toBe("nvidia");
    expect(acceleratorOfAmiType("BOTTLEROCKET_ARM_64_NVIDIA")).toBe("nvidia");
    expect(acceleratorOfAmiType("AL2_x86_64_GPU")).toBe("nvidia");
    expect(acceleratorOfAmiType("AL2023_x86_64_NEURON")).toBe("neuron");
    expect(acceleratorOfAmiType("AL2023_x86_64_STANDARD")).toBeUndefined();
    expect(acceleratorOfAmiType("BOTTLEROCKET_x86_64")).toBeUndefined();
  });
});
