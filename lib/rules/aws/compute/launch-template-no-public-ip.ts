import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { blocksOf, describe, isTrue, resolve, valueAt } from "../../helpers";
import { launchTemplateOf, subnetsWithoutPublicIp } from "./util";

export const launchTemplateNoPublicIp: Rule = {
  id: "aws-launch-template-no-public-ip",
  title: "Instances get no public IP addresses",
  requirements: ["AICP-ACCESS-06"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_launch_template", "aws_instance", "aws_eks_node_group"],
  checkov: ["CKV_AWS_88"],
  relations: {
    CKV_AWS_88: {
      relation: "stricter",
      reason:
        "both fail associate_public_ip_address = true on aws_instance and a launch template's network interface; an instance that leaves it unset is judged here by its subnet's map_public_ip_on_launch (CKV_AWS_88 passes it), every network interface of a template is read (CKV_AWS_88 the first), and EKS node groups are judged too",
    },
  },
  remediation:
    "Set associate_public_ip_address = false (or leave it unset in launch templates) and launch into private subnets of PrivateNetwork.",
  examples: {
    good: [
      `
      resource "aws_launch_template" "gpu" {
        name = "gpu"
        network_interfaces {
          associate_public_ip_address = false
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_launch_template" "gpu" {
        name = "gpu"
        network_interfaces {
          associate_public_ip_address = true
        }
      }
    `,
    ],
  },
  check(resource) {
    if (resource.type === "aws_launch_template") {
      return templateSetting(resource) ?? pass("no network interface sets associate_public_ip_address");
    }
    if (resource.type === "aws_instance") {
      const value = valueAt(resource, "associate_public_ip_address");
      if (isTrue(value)) return fail("associate_public_ip_address is true");
      if (value.state === "unknown" || value.state === "reference") return unresolved(`associate_public_ip_address is ${describe(value)}`);
      if (value.state === "known") return pass(`associate_public_ip_address is ${describe(value)}`);
      if (resource.body.network_interface !== undefined && resource.body.subnet_id === undefined) {
        return unresolved(
          "associate_public_ip_address is not set and the instance attaches network_interface blocks, whose subnets decide",
        );
      }
      return fromSubnets(resource, "subnet_id", "associate_public_ip_address is not set, so the subnet decides");
    }
    return nodeGroup(resource);
  },
};

/** The template's own setting: fail when true, unresolved when unknown, undefined when no interface sets it. */
function templateSetting(template: TfResource): Outcome | undefined {
  const raw = template.body.network_interfaces;
  if (typeof raw === "string") return unresolved(`network_interfaces is ${describe(resolve(template, raw))}`);
  let explicitFalse = false;
  for (const nic of blocksOf(raw)) {
    const value = resolve(template, nic.associate_public_ip_address);
    if (isTrue(value)) return fail("network_interfaces.associate_public_ip_address is true");
    if (value.state === "unknown" || value.state === "reference")
      return unresolved(`network_interfaces.associate_public_ip_address is ${describe(value)}`);
    if (value.state === "known") explicitFalse = true;
  }
  return explicitFalse ? pass("network_interfaces.associate_public_ip_address is false") : undefined;
}

function fromSubnets(resource: TfResource, key: string, why: string): Outcome {
  const subnets = subnetsWithoutPublicIp(resource, key);
  return { status: subnets.status, message: `${why}: ${subnets.message}` };
}

/** EKS nodes take the template's setting, and otherwise the subnets' map_public_ip_on_launch. */
function nodeGroup(group: TfResource): Outcome {
  const link = launchTemplateOf(group);
  if (link.kind === "unknown") return unresolved(link.message);
  if (link.kind === "none") return fromSubnets(group, "subnet_ids", "no launch_template, so the subnets decide");
  const set = templateSetting(link.template);
  if (set) return { status: set.status, message: `launch template ${link.template.address}: ${set.message}` };
  return fromSubnets(
    group,
    "subnet_ids",
    `launch template ${link.template.address} does not set associate_public_ip_address, so the subnets decide`,
  );
}
