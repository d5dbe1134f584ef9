import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { describe, valueAt } from "../../helpers";
import { viaLaunchTemplate } from "./util";

export const launchTemplateImdsv2: Rule = {
  id: "aws-launch-template-imdsv2",
  title: "Instances require IMDSv2 session tokens",
  requirements: ["AICP-ACCESS-04"],
  severity: "mandatory",
  waivable: true,
  // Launch configurations take metadata_options too (Trivy's AVD-AWS-0130 judges them).
  appliesTo: ["aws_launch_template", "aws_instance", "aws_eks_node_group", "aws_launch_configuration"],
  checkov: ["CKV_AWS_79"],
  relations: {
    CKV_AWS_79: {
      relation: "stricter",
      reason:
        'the same verdicts on aws_instance, aws_launch_template and aws_launch_configuration (http_tokens "required" or http_endpoint "disabled" pass, a missing metadata_options fails); also judges each aws_eks_node_group through its launch template, which CKV_AWS_79 does not',
    },
  },
  trivy: ["AVD-AWS-0130"],
  remediation:
    'Set metadata_options.http_tokens = "required" (or http_endpoint = "disabled") and give EKS node groups such a launch template.',
  examples: {
    good: [
      `
      resource "aws_kms_key" "data" {
        enable_key_rotation = true
      }

      resource "aws_launch_template" "gpu" {
        name = "gpu"
        metadata_options {
          http_endpoint               = "enabled"
          http_tokens                 = "required"
          http_put_response_hop_limit = 1
        }
        block_device_mappings {
          device_name = "/dev/xvda"
          ebs {
            encrypted  = true
            kms_key_id = aws_kms_key.data.arn
          }
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_launch_template" "gpu" {
        name = "gpu"
        metadata_options {
          http_tokens = "optional"
        }
      }
    `,
    ],
  },
  check(resource) {
    if (resource.type !== "aws_eks_node_group") return requiresTokens(resource);
    return viaLaunchTemplate(resource, requiresTokens, () =>
      fail("no launch_template: a node group cannot require IMDSv2 itself, and the launch template EKS generates leaves it to the AMI"),
    );
  },
};

export function requiresTokens(resource: TfResource): Outcome {
  const endpoint = valueAt(resource, "metadata_options.http_endpoint");
  if (endpoint.state === "known" && endpoint.value === "disabled")
    return pass('the instance metadata service is disabled (metadata_options.http_endpoint is "disabled")');
  const tokens = valueAt(resource, "metadata_options.http_tokens");
  if (tokens.state === "known" && tokens.value === "required")
    return pass('IMDSv2 is required: metadata_options.http_tokens is "required"');
  if (tokens.state === "unknown" || tokens.state === "reference") return unresolved(`metadata_options.http_tokens is ${describe(tokens)}`);
  if (endpoint.state === "unknown" || endpoint.state === "reference")
    return unresolved(`metadata_options.http_endpoint is ${describe(endpoint)}`);
  if (tokens.state === "absent")
    return fail('metadata_options.http_tokens is not set, so IMDSv1 stays available (the default is "optional")');
  return fail(`IMDSv1 stays available: metadata_options.http_tokens is ${describe(tokens)}`);
}
