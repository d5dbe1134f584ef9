import { eksNodeGroupReleasePinned } from "../../../../lib/rules/aws/compute/eks-node-group-release-pinned";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-eks-node-group-release-pinned", () => {
  it("passes a literal release, fails none, leaves a lookup unresolved and skips custom AMIs", () => {
    const findings = checkJson(eksNodeGroupReleasePinned, {
      data: { aws_ssm_parameter: { latest: { name: "/aws/service/bottlerocket/aws-k8s-1.35/x86_64/latest/image_version" } } },
      resource: {
        aws_launch_template: { custom: { image_id: "ami-0123456789abcdef0" } },
        aws_eks_node_group: {
          pinned: { ami_type: "BOTTLEROCKET_x86_64", release_version: "1.34.0-18d04e52" },
          unpinned: { ami_type: "BOTTLEROCKET_x86_64" },
          empty: { ami_type: "AL2023_x86_64_STANDARD", release_version: "" },
          latest: { ami_type: "BOTTLEROCKET_x86_64", release_version: "${nonsensitive(data.aws_ssm_parameter.latest.value)}" },
          variable: { release_version: "${var.release}" },
          custom: { launch_template: { id: "${aws_launch_template.custom.id}" } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_eks_node_group.pinned": "pass",
      "aws_eks_node_group.unpinned": "fail",
      "aws_eks_node_group.empty": "fail",
      "aws_eks_node_group.latest": "fail",
      "aws_eks_node_group.variable": "fail",
    });
    expect(findingFor(findings, "aws_eks_node_group.pinned").message).toBe('release_version is pinned to "1.34.0-18d04e52"');
    expect(findingFor(findings, "aws_eks_node_group.unpinned").message).toMatch(/^release_version is not set: EKS takes the newest image/);
    expect(findingFor(findings, "aws_eks_node_group.latest").message).toMatch(
      /^unresolved: release_version is .*; whether it names a fixed release is unknown until apply/,
    );
    expect(findingFor(findings, "aws_eks_node_group.variable").message).toMatch(/^unresolved: release_version is .*var\.release/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      eksNodeGroupReleasePinned,
      `resource "aws_eks_node_group" "pinned" { release_version = "1.35.0-20260110" }
       resource "aws_eks_node_group" "floating" { ami_type = "AL2023_x86_64_STANDARD" }`,
    );
    expect(statuses(findings)).toEqual({ "aws_eks_node_group.pinned": "pass", "aws_eks_node_group.floating": "fail" });
  });
});
