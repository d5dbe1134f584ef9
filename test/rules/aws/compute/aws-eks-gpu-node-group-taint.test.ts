import { eksGpuNodeGroupTaint } from "../../../../lib/rules/aws/compute/eks-gpu-node-group-taint";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-eks-gpu-node-group-taint", () => {
  it("requires the accelerator taint on GPU and Neuron node groups only", () => {
    const findings = checkJson(eksGpuNodeGroupTaint, {
      resource: {
        aws_launch_template: { gpu: { instance_type: "g6e.12xlarge" } },
        aws_eks_node_group: {
          cpu: { ami_type: "AL2023_x86_64_STANDARD", instance_types: ["m5.large"] },
          tainted: {
            ami_type: "AL2023_x86_64_NVIDIA",
            instance_types: ["p5.48xlarge"],
            taint: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
          },
          untainted: { ami_type: "AL2023_x86_64_NVIDIA", instance_types: ["p5.48xlarge"] },
          prefer: { instance_types: ["g5.xlarge"], taint: { key: "nvidia.com/gpu", effect: "PREFER_NO_SCHEDULE" } },
          neuron: {
            ami_type: "AL2023_x86_64_NEURON",
            instance_types: ["trn1.32xlarge"],
            taint: [{ key: "aws.amazon.com/neuron", effect: "NO_SCHEDULE" }],
          },
          neuron_wrong_key: { instance_types: ["inf2.xlarge"], taint: [{ key: "nvidia.com/gpu", effect: "NO_SCHEDULE" }] },
          via_template: { launch_template: { id: "${aws_launch_template.gpu.id}" } },
          unknown_type: { instance_types: ["${var.type}"] },
          unknown_taint: { ami_type: "BOTTLEROCKET_x86_64_NVIDIA", taint: [{ key: "nvidia.com/gpu", effect: "${var.effect}" }] },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_eks_node_group.tainted": "pass",
      "aws_eks_node_group.untainted": "fail",
      "aws_eks_node_group.prefer": "fail",
      "aws_eks_node_group.neuron": "pass",
      "aws_eks_node_group.neuron_wrong_key": "fail",
      "aws_eks_node_group.via_template": "fail",
      "aws_eks_node_group.unknown_type": "fail",
      "aws_eks_node_group.unknown_taint": "fail",
    });
    expect(findingFor(findings, "aws_eks_node_group.untainted").message).toMatch(
      /ami_type is "AL2023_x86_64_NVIDIA".*nvidia\.com\/gpu with effect NO_SCHEDULE; it has no taints/,
    );
    expect(findingFor(findings, "aws_eks_node_group.prefer").message).toMatch(/its taints are nvidia\.com\/gpu:PREFER_NO_SCHEDULE/);
    expect(findingFor(findings, "aws_eks_node_group.neuron_wrong_key").message).toMatch(/lacks the taint aws\.amazon\.com\/neuron/);
    expect(findingFor(findings, "aws_eks_node_group.via_template").message).toMatch(
      /aws_launch_template\.gpu instance_type includes "g6e\.12xlarge"/,
    );
    expect(findingFor(findings, "aws_eks_node_group.unknown_type").message).toMatch(/^unresolved: instance_types is .*var\.type/);
    expect(findingFor(findings, "aws_eks_node_group.unknown_taint").message).toMatch(/^unresolved: .*var\.effect/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      eksGpuNodeGroupTaint,
      `resource "aws_eks_node_group" "gpu" {
         ami_type       = "AL2023_x86_64_NVIDIA"
         instance_types = ["g6.xlarge"]
         taint {
           key    = "nvidia.com/gpu"
           value  = "true"
           effect = "NO_SCHEDULE"
         }
       }
       resource "aws_eks_node_group" "bare" { instance_types = ["p4d.24xlarge"] }
       resource "aws_eks_node_group" "cpu" { instance_types = ["c7g.large"] }`,
    );
    expect(statuses(findings)).toEqual({ "aws_eks_node_group.gpu": "pass", "aws_eks_node_group.bare": "fail" });
  });
});
