import { launchTemplateImdsHopLimit } from "../../../../lib/rules/aws/compute/launch-template-imds-hop-limit";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-launch-template-imds-hop-limit", () => {
  it("requires a hop limit of 1; absent fails on templates and on instances", () => {
    const findings = checkJson(launchTemplateImdsHopLimit, {
      resource: {
        aws_launch_template: {
          one: { metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 } },
          two: { metadata_options: [{ http_tokens: "required", http_put_response_hop_limit: 2 }] },
          absent: { metadata_options: { http_tokens: "required" } },
          disabled: { metadata_options: { http_endpoint: "disabled" } },
          unknown: { metadata_options: { http_put_response_hop_limit: "${var.hops}" } },
        },
        aws_instance: {
          absent: { ami: "ami-1" },
          no_limit: { ami: "ami-1", metadata_options: [{ http_tokens: "required" }] },
          one: { ami: "ami-1", metadata_options: [{ http_put_response_hop_limit: 1 }] },
          three: { metadata_options: { http_put_response_hop_limit: "3" } },
        },
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
      "aws_instance.absent": "fail",
      "aws_instance.no_limit": "fail",
      "aws_instance.one": "pass",
      "aws_instance.three": "fail",
      "aws_eks_node_group.good": "pass",
      "aws_eks_node_group.bad": "fail",
      "aws_eks_node_group.default": "fail",
      "aws_eks_node_group.unknown": "fail",
    });
    expect(findingFor(findings, "aws_launch_template.two").message).toMatch(/http_put_response_hop_limit is 2, expected 1/);
    expect(findingFor(findings, "aws_launch_template.absent").message).toMatch(
      /not set in the launch template, so the AMI decides: Amazon Linux 2023 AMIs .*default to 2/,
    );
    expect(findingFor(findings, "aws_launch_template.unknown").message).toMatch(/^unresolved: .*var\.hops/);
    // Amazon Linux 2023 AMIs default to 2, so an instance without a hop limit is not confined to the node.
    expect(findingFor(findings, "aws_instance.absent").message).toBe(
      "metadata_options.http_put_response_hop_limit is not set on the instance, so the AMI decides: Amazon Linux 2023 AMIs (ImdsSupport v2.0) default to 2, which lets containers reach the instance role's credentials",
    );
    expect(findingFor(findings, "aws_instance.no_limit").message).toMatch(/not set on the instance/);
    expect(findingFor(findings, "aws_eks_node_group.bad").message).toMatch(/^launch template aws_launch_template\.two: .*is 2/);
    expect(findingFor(findings, "aws_eks_node_group.default").message).toMatch(/no launch_template: .*hop_limit to 2/);
    expect(findingFor(findings, "aws_eks_node_group.unknown").message).toMatch(/^unresolved: launch_template .*var\.template/);
  });

  it("judges launch configurations like launch templates", () => {
    const findings = checkJson(launchTemplateImdsHopLimit, {
      resource: {
        aws_launch_configuration: {
          one: { metadata_options: { http_put_response_hop_limit: 1 } },
          two: { metadata_options: { http_put_response_hop_limit: 2 } },
          unset: {},
          variable: { metadata_options: { http_put_response_hop_limit: "${var.hops}" } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_launch_configuration.one": "pass",
      "aws_launch_configuration.two": "fail",
      "aws_launch_configuration.unset": "fail",
      "aws_launch_configuration.variable": "fail",
    });
    expect(findingFor(findings, "aws_launch_configuration.unset").message).toMatch(/not set in the launch configuration/);
    expect(findingFor(findings, "aws_launch_configuration.variable").unresolved).toBe(true);
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
       }
       resource "aws_instance" "al2023" {
         ami = "ami-1"
       }`,
    );
    expect(statuses(findings)).toEqual({
      "aws_launch_template.ok": "pass",
      "aws_launch_template.pods": "fail",
      "aws_instance.al2023": "fail",
    });
  });
});
