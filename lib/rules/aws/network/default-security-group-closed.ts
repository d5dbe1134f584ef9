import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { attached, blocksOf, describe, valueAt } from "../../helpers";

/** Rule resources that add to a group from outside it; any of them keeps the default group open. */
const RULE_RESOURCES = ["aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"];

/**
 * The aws_default_security_group resources that manage a VPC's default group: those whose vpc_id
 * refers to it, and for the default VPC also those with no vpc_id (the provider then adopts the
 * default VPC's group).
 */
function defaultGroupsOf(vpc: TfResource): TfResource[] {
  const groups = attached(vpc, "aws_default_security_group", "vpc_id");
  if (vpc.type === "aws_default_vpc")
    for (const g of vpc.module.ofType("aws_default_security_group"))
      if (valueAt(g, "vpc_id").state === "absent" && !groups.includes(g)) groups.push(g);
  return groups;
}

/** Whether the VPC a default group belongs to is in the module, where that VPC's finding judges the group. */
function judgedWithItsVpc(group: TfResource): boolean {
  const vpc = valueAt(group, "vpc_id");
  if (vpc.state === "reference") return vpc.target.type === "aws_vpc" || vpc.target.type === "aws_default_vpc";
  return vpc.state === "absent" && group.module.ofType("aws_default_vpc").length > 0;
}

/** What keeps a managed default group open: its inline rules and the rule resources attached to it. */
function openings(group: TfResource): { open: string[]; unknown?: Outcome } {
  const open: string[] = [];
  for (const key of ["ingress", "egress"]) {
    const raw = group.body[key];
    // A whole-list expression (`${var.rules}`) can hold anything.
    if (typeof raw === "string") return { open, unknown: unresolved(`${key} of ${group.address} is ${describe(valueAt(group, key))}`) };
    const count = blocksOf(raw).length;
    if (count > 0) open.push(`${group.address} keeps ${count} ${key} rule${count > 1 ? "s" : ""}`);
  }
  for (const type of RULE_RESOURCES)
    for (const rule of attached(group, type, "security_group_id")) open.push(`${rule.address} adds a rule to ${group.address}`);
  return { open };
}

/**
 * Judges each VPC, as CKV2_AWS_12 does: its default security group must be managed by an
 * aws_default_security_group with no rules, inline or attached. When Terraform adopts a default
 * group, the provider removes every rule AWS created it with (all traffic from the group's own
 * members, all egress) and then adds only the declared ones; a default group Terraform does not
 * manage keeps AWS's rules. A default group whose VPC is not in the module is judged on its own.
 */
export const defaultSecurityGroupClosed: Rule = {
  id: "aws-default-security-group-closed",
  title: "Default security groups admit and send nothing",
  requirements: ["AICP-ACCESS-06"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_vpc", "aws_default_vpc", "aws_default_security_group"],
  checkov: ["CKV2_AWS_12"],
  relations: {
    CKV2_AWS_12: {
      relation: "stricter",
      reason:
        "CKV2_AWS_12 (checkov/terraform/checks/graph_checks/aws/VPCHasRestrictedSG.yaml) fails an aws_vpc with no connected aws_default_security_group, or whose default group has ingress or egress attributes or a connected aws_security_group_rule, aws_vpc_security_group_ingress_rule or aws_vpc_security_group_egress_rule; this rule fails the same aws_vpc resources, and also judges aws_default_vpc, a default group whose VPC is not in the module, and fails rules it cannot read before apply",
    },
  },
  remediation:
    "Declare aws_default_security_group for every VPC with vpc_id set and ingress = [] and egress = [], and attach no rule resources to it (PrivateNetwork does).",
  examples: {
    good: [
      `
      resource "aws_vpc" "platform" {
        cidr_block = "10.0.0.0/16"
      }

      resource "aws_default_security_group" "default" {
        vpc_id = aws_vpc.platform.id
      }
    `,
    ],
    bad: [
      `
      resource "aws_vpc" "platform" {
        cidr_block = "10.0.0.0/16"
      }

      resource "aws_default_security_group" "default" {
        vpc_id = aws_vpc.platform.id
        ingress {
          protocol  = -1
          self      = true
          from_port = 0
          to_port   = 0
        }
      }
    `,
    ],
  },
  applies: (resource) => resource.type !== "aws_default_security_group" || !judgedWithItsVpc(resource),
  check(resource) {
    const groups = resource.type === "aws_default_security_group" ? [resource] : defaultGroupsOf(resource);
    if (groups.length === 0) {
      return fail(
        `no aws_default_security_group in the module manages the default security group of ${resource.address}, so it keeps the rules AWS creates it with: all traffic from its own members, and all egress`,
      );
    }
    const open: string[] = [];
    let unknown: Outcome | undefined;
    for (const group of groups) {
      const found = openings(group);
      unknown ??= found.unknown;
      open.push(...found.open);
    }
    if (open.length > 0) return fail(`the default security group is not closed: ${open.join("; ")}`);
    if (unknown) return unknown;
    return pass(
      `${groups.map((g) => g.address).join(", ")} ${groups.length > 1 ? "manage" : "manages"} the default security group with no ingress and no egress rules`,
    );
  },
};
