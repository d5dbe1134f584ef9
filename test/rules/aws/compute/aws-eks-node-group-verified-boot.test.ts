import { eksNodeGroupVerifiedBoot } from "../../../../lib/rules/aws/compute/eks-node-group-verified-boot";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-eks-node-group-verified-boot", () => {
  it("passes Bottlerocket, fails Amazon Linux, leaves custom and unknown images unresolved and skips confidential pools", () => {
    const findings = checkJson(eksNodeGroupVerifiedBoot, {
      resource: {
        aws_launch_template: {
          custom: { image_id: "ami-0123456789abcdef0" },
          snp: { cpu_options: [{ amd_sev_snp: "enabled" }] },
          enclaves: { enclave_options: { enabled: true } },
        },
        aws_eks_node_group: {
          gpu: { ami_type: "BOTTLEROCKET_x86_64_NVIDIA" },
          arm: { ami_type: "BOTTLEROCKET_ARM_64" },
          al2023: { ami_type: "AL2023_x86_64_NVIDIA" },
          defaulted: { instance_types: ["m7i.xlarge"] },
          custom: { ami_type: "CUSTOM", launch_template: { id: "${aws_launch_template.custom.id}" } },
          variable: { ami_type: "${var.ami_type}" },
          snp: { ami_type: "AL2023_x86_64_STANDARD", launch_template: { id: "${aws_launch_template.snp.id}" } },
          enclaves: { ami_type: "AL2023_x86_64_STANDARD", launch_template: { name: "${aws_launch_template.enclaves.name}" } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_eks_node_group.gpu": "pass",
      "aws_eks_node_group.arm": "pass",
      "aws_eks_node_group.al2023": "fail",
      "aws_eks_node_group.defaulted": "fail",
      "aws_eks_node_group.custom": "fail",
      "aws_eks_node_group.variable": "fail",
    });
    expect(findingFor(findings, "aws_eks_node_group.gpu").message).toMatch(/dm-verity checks the read-only root file system at boot/);
    expect(findingFor(findings, "aws_eks_node_group.al2023").message).toMatch(
      /^ami_type is "AL2023_x86_64_NVIDIA", whose root file system is writable and not verified at boot/,
    );
    expect(findingFor(findings, "aws_eks_node_group.defaulted").message).toMatch(/^no ami_type, so EKS picks an Amazon Linux image/);
    expect(findingFor(findings, "aws_eks_node_group.custom").message).toMatch(
      /^unresolved: launch template aws_launch_template\.custom sets image_id to "ami-0123456789abcdef0": a custom AMI/,
    );
    expect(findingFor(findings, "aws_eks_node_group.variable").message).toMatch(/^unresolved: ami_type is .*var\.ami_type/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      eksNodeGroupVerifiedBoot,
      `resource "aws_eks_node_group" "bottlerocket" { ami_type = "BOTTLEROCKET_x86_64" }
       resource "aws_eks_node_group" "amazon_linux" { ami_type = "AL2023_ARM_64_STANDARD" }`,
    );
    expect(statuses(findings)).toEqual({ "aws_eks_node_group.bottlerocket": "pass", "aws_eks_node_group.amazon_linux": "fail" });
  });
});
