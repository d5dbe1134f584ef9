import { launchTemplateImdsHopLimit } from "../../../../lib/rules/aws/compute/launch-template-imds-hop-limit";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-launch-template-imds-hop-limit", () => {
  it("requires a hop limit of 1; absent fails on templates and passes on instances", () => {
    const findings = checkJson(launchTemplateImdsHopLimit, {
      resource: {
        aws_launch_template: {
          one: { metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 } },
          two: { metadata_options: [{ http_tokens: "required", http_put_response_hop_limit: 2 }] },
          absent: { metadata_options: { http_tokens: "required" } },
          disabled: { metadata_options: { http_endpoint: "disabled" } },
          unknown: { metadata_options: { http_put_response_hop_limit: "${var.hops}" } },
        },
        aws_instance: { absent: { ami: "ami-1" }, three: { metadata_options: { http_put_response_hop_limit: "3" } } },
        aws_eks_node_group: {
          good: { launch_template: { id: "${aws_launch_template.one.id}" } },
          bad: { launch_template: { name: "${aws_launch_template.two.name}" } },
          default: {},
          unknown: { launch_template: { id: "${var.template}" } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_launch_template.one": "pass",
      "aws_launch_template.two": "fail",
      "aws_launch_template.absent": "fail",
      "aws_launch_template.disabled": "pass",
      "aws_launch_template.unknown": "fail",
      "aws_instance.absent": "pass",
      "aws_instance.three": "fail",
      "aws_eks_node_group.good": "pass",
      "aws_eks_node_group.bad": "fail",
      "aws_eks_node_group.default": "fail",
      "aws_eks_node_group.unknown": "fail",
    });
    expect(findingFor(findings, "aws_launch_template.two").message).toMatch(/http_put_response_hop_limit is 2, expected 1/);
    expect(findingFor(findings, "aws_launch_template.absent").message).toMatch(/not set in the launch template; the AMI or EKS default may be 2/);
    expect(findingFor(findings, "aws_launch_template.unknown").message).toMatch(/^unresolved: .*var\.hops/);
    expect(findingFor(findings, "aws_instance.absent").message).toMatch(/default is 1/);
    expect(findingFor(findings, "aws_eks_node_group.bad").message).toMatch(/^launch template aws_launch_template\.two: .*is 2/);
    expect(findingFor(findings, "aws_eks_node_group.default").message).toMatch(/no launch_template: .*hop_limit to 2/);
    expect(findingFor(findings, "aws_eks_node_group.unknown").message).toMatch(/^unresolved: launch_template .*var\.template/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      launchTemplateImdsHopLimit,
      `resource "aws_launch_template" "ok" {
         metadata_options {
           http_tokens                 = "required"
           http_put_response_hop_limit = 1
         }
       }
       resource "aws_launch_template" "pods" {
         metadata_options {
           http_put_response_hop_limit = 2
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_launch_template.ok": "pass", "aws_launch_template.pods": "fail" });
  });
});
