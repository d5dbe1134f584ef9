import { launchTemplateImdsv2 } from "../../../../lib/rules/aws/compute/launch-template-imdsv2";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-launch-template-imdsv2", () => {
  const doc = {
    resource: {
      aws_launch_template: {
        required: { metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 } },
        disabled: { metadata_options: [{ http_endpoint: "disabled" }] },
        optional: { metadata_options: [{ http_tokens: "optional" }] },
        absent: { name: "absent-lt" },
        unknown: { metadata_options: { http_tokens: "${var.tokens}" } },
      },
      aws_instance: {
        required: { ami: "ami-1", metadata_options: { http_tokens: "required" } },
        absent: { ami: "ami-1" },
      },
      aws_eks_node_group: {
        good: { launch_template: { id: "${aws_launch_template.required.id}", version: "${aws_launch_template.required.latest_version}" } },
        by_name: { launch_template: [{ name: "absent-lt", version: "1" }] },
        default: { instance_types: ["m5.large"] },
        external: { launch_template: { id: "lt-0abc", version: "3" } },
      },
    },
  };

  it("requires http_tokens = required (or a disabled endpoint), and node groups take their template's result", () => {
    const findings = checkJson(launchTemplateImdsv2, doc);
    expect(statuses(findings)).toEqual({
      "aws_launch_template.required": "pass",
      "aws_launch_template.disabled": "pass",
      "aws_launch_template.optional": "fail",
      "aws_launch_template.absent": "fail",
      "aws_launch_template.unknown": "fail",
      "aws_instance.required": "pass",
      "aws_instance.absent": "fail",
      "aws_eks_node_group.good": "pass",
      "aws_eks_node_group.by_name": "fail",
      "aws_eks_node_group.default": "fail",
      "aws_eks_node_group.external": "fail",
    });
    expect(findingFor(findings, "aws_launch_template.optional").message).toMatch(/http_tokens is "optional"/);
    expect(findingFor(findings, "aws_launch_template.absent").message).toMatch(/http_tokens is not set/);
    expect(findingFor(findings, "aws_launch_template.unknown").message).toMatch(/^unresolved: .*var\.tokens/);
    expect(findingFor(findings, "aws_eks_node_group.good").message).toMatch(
      /^launch template aws_launch_template\.required: IMDSv2 is required/,
    );
    expect(findingFor(findings, "aws_eks_node_group.by_name").message).toMatch(/^launch template aws_launch_template\.absent: /);
    expect(findingFor(findings, "aws_eks_node_group.default").message).toMatch(/no launch_template/);
    expect(findingFor(findings, "aws_eks_node_group.external").message).toMatch(
      /^unresolved: launch_template \(id "lt-0abc".*not an aws_launch_template/,
    );
  });

  it("judges launch configurations like launch templates", () => {
    const findings = checkJson(launchTemplateImdsv2, {
      resource: {
        aws_launch_configuration: {
          required: { image_id: "ami-1", instance_type: "m5.large", metadata_options: { http_tokens: "required" } },
          optional: { image_id: "ami-1", instance_type: "m5.large", metadata_options: { http_tokens: "optional" } },
          variable: { image_id: "ami-1", instance_type: "m5.large", metadata_options: { http_tokens: "${var.tokens}" } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_launch_configuration.required": "pass",
      "aws_launch_configuration.optional": "fail",
      "aws_launch_configuration.variable": "fail",
    });
    expect(findingFor(findings, "aws_launch_configuration.variable").unresolved).toBe(true);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      launchTemplateImdsv2,
      `resource "aws_launch_template" "nodes" {
         metadata_options {
           http_tokens = "required"
         }
       }
       resource "aws_eks_node_group" "gpu" {
         launch_template {
           id      = aws_launch_template.nodes.id
           version = aws_launch_template.nodes.latest_version
         }
       }
       resource "aws_instance" "legacy" {
         metadata_options {
           http_tokens = "optional"
         }
       }`,
    );
    expect(statuses(findings)).toEqual({
      "aws_launch_template.nodes": "pass",
      "aws_eks_node_group.gpu": "pass",
      "aws_instance.legacy": "fail",
    });
  });
});
