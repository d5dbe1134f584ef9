import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { asNumber, describe, valueAt } from "../../helpers";
import { viaLaunchTemplate } from "./util";

export const launchTemplateImdsHopLimit: Rule = {
  id: "aws-launch-template-imds-hop-limit",
  title: "Instance metadata responses stop at the node (hop limit 1)",
  requirements: ["AICP-ACCESS-04"],
  severity: "mandatory",
  waivable: true,
  // Launch configurations take metadata_options too (Trivy's AVD-AWS-0130 judges them).
  appliesTo: ["aws_launch_template", "aws_instance", "aws_eks_node_group", "aws_launch_configuration"],
  checkov: ["CKV_AWS_341"],
  relations: {
    CKV_AWS_341: {
      relation: "stricter",
      reason:
        "CKV_AWS_341 passes a launch template or launch configuration that sets no hop limit; this rule fails it, because AMIs with ImdsSupport v2.0 (Amazon Linux 2023) then launch with 2; it also judges aws_instance and aws_eks_node_group, which CKV_AWS_341 does not",
    },
  },
  remediation:
    "Set metadata_options.http_put_response_hop_limit = 1 and give EKS node groups such a launch template; pods use IRSA or EKS Pod Identity instead of the node role.",
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
          http_tokens                 = "required"
          http_put_response_hop_limit = 2
        }
      }
    `,
    ],
  },
  check(resource) {
    if (resource.type !== "aws_eks_node_group") return hopLimitOne(resource);
    return viaLaunchTemplate(resource, hopLimitOne, () =>
      fail(
        "no launch_template: the launch template EKS generates sets http_put_response_hop_limit to 2, so pods can reach the node's credentials",
      ),
    );
  },
};

function hopLimitOne(resource: TfResource): Outcome {
  const endpoint = valueAt(resource, "metadata_options.http_endpoint");
  if (endpoint.state === "known" && endpoint.value === "disabled")
    return pass('the instance metadata service is disabled (metadata_options.http_endpoint is "disabled")');
  const limit = valueAt(resource, "metadata_options.http_put_response_hop_limit");
  if (limit.state === "unknown" || limit.state === "reference")
    return unresolved(`metadata_options.http_put_response_hop_limit is ${describe(limit)}`);
  if (limit.state === "absent") {
    // AMIs registered with ImdsSupport v2.0 (Amazon Linux 2023 among them) launch with a hop limit of 2 unless the instance sets one.
    const where =
      resource.type === "aws_instance"
        ? "on the instance"
        : resource.type === "aws_launch_configuration"
          ? "in the launch configuration"
          : "in the launch template";
    return fail(
      `metadata_options.http_put_response_hop_limit is not set ${where}, so the AMI decides: Amazon Linux 2023 AMIs (ImdsSupport v2.0) default to 2, which lets containers reach the instance role's credentials`,
    );
  }
  const hops = asNumber(limit);
  if (hops === 1) return pass("metadata_options.http_put_response_hop_limit is 1");
  return fail(`metadata responses travel past the node: metadata_options.http_put_response_hop_limit is ${describe(limit)}, expected 1`);
}
