import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { blocksOf, describe, valueAt } from "../../helpers";
import { CidrScan, groupNamed, portsOf, scanCidrs } from "./util";

/**
 * Judges each resource that can open a group on its own: the group for its
 * inline `ingress` blocks, and each separate rule resource for itself, named
 * after the group it opens. So every opening gives exactly one finding.
 */
export const securityGroupNoOpenIngress: Rule = {
  id: "aws-security-group-no-open-ingress",
  title: "Security groups admit no ingress from the internet: 0.0.0.0/0, ::/0 or a /1 half of either",
  requirements: ["AICP-ACCESS-06"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_security_group", "aws_vpc_security_group_ingress_rule", "aws_security_group_rule"],
  checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"],
  trivy: ["AVD-AWS-0107"],
  relations: {
    CKV_AWS_24: {
      relation: "stricter",
      reason:
        "CKV_AWS_24 (checkov/terraform/checks/resource/aws/AbsSecurityGroupUnrestrictedIngress.py with port 22) fails an aws_security_group ingress block, or an ingress aws_security_group_rule, whose port range holds port 22 (0 to 0 read as every port) from 0.0.0.0/0 or ::/0; this rule fails the same resources, and any port, a /1 half of either range, and aws_vpc_security_group_ingress_rule resources too",
    },
    CKV_AWS_25: {
      relation: "stricter",
      reason:
        "CKV_AWS_25 (checkov/terraform/checks/resource/aws/AbsSecurityGroupUnrestrictedIngress.py with port 3389) fails an aws_security_group ingress block, or an ingress aws_security_group_rule, whose port range holds port 3389 (0 to 0 read as every port) from 0.0.0.0/0 or ::/0; this rule fails the same resources, and any port, a /1 half of either range, and aws_vpc_security_group_ingress_rule resources too",
    },
    CKV_AWS_260: {
      relation: "stricter",
      reason:
        "CKV_AWS_260 (checkov/terraform/checks/resource/aws/AbsSecurityGroupUnrestrictedIngress.py with port 80) fails an aws_security_group ingress block, or an ingress aws_security_group_rule, whose port range holds port 80 (0 to 0 read as every port) from 0.0.0.0/0 or ::/0; this rule fails the same resources, and any port, a /1 half of either range, and aws_vpc_security_group_ingress_rule resources too",
    },
    CKV_AWS_277: {
      relation: "stricter",
      reason:
        'CKV_AWS_277 (checkov/terraform/checks/resource/aws/AbsSecurityGroupUnrestrictedIngress.py with port -1) fails an aws_security_group ingress block, or an ingress aws_security_group_rule, whose port range holds -1 (protocol "-1", every port) from 0.0.0.0/0 or ::/0; this rule fails the same resources, and ingress from the internet on any port, a /1 half of either range, and aws_vpc_security_group_ingress_rule resources too',
    },
  },
  remediation:
    "Admit ingress only from the VPC's range, a prefix list or another security group (PrivateNetwork's endpoint group admits HTTPS from the VPC only).",
  examples: {
    good: [
      `
      resource "aws_security_group" "nodes" {
        name   = "nodes"
        vpc_id = "vpc-0a1b2c3d"
        ingress {
          protocol    = "tcp"
          from_port   = 443
          to_port     = 443
          cidr_blocks = ["10.0.0.0/16"]
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_security_group" "nodes" {
        name   = "nodes"
        vpc_id = "vpc-0a1b2c3d"
        ingress {
          protocol    = "tcp"
          from_port   = 22
          to_port     = 22
          cidr_blocks = ["0.0.0.0/0"]
        }
      }
    `,
    ],
  },
  applies(resource) {
    if (resource.type !== "aws_security_group_rule") return true;
    // Egress rules are out of scope; an unknown type is still judged (and comes out unresolved).
    const type = valueAt(resource, "type");
    return !(type.state === "known" && type.value === "egress");
  },
  check(resource) {
    switch (resource.type) {
      case "aws_security_group":
        return inlineIngress(resource);
      case "aws_vpc_security_group_ingress_rule": {
        const scan = scanCidrs(resource, resource.body.cidr_ipv4);
        scanCidrs(resource, resource.body.cidr_ipv6, scan);
        return judgeRule(resource, scan, portsOf(resource, resource.body, "ip_protocol"));
      }
      default: {
        const type = valueAt(resource, "type");
        if (type.state !== "known") return unresolved(`type is ${describe(type)}; cannot tell whether the rule admits ingress`);
        const scan = scanCidrs(resource, resource.body.cidr_blocks);
        scanCidrs(resource, resource.body.ipv6_cidr_blocks, scan);
        return judgeRule(resource, scan, portsOf(resource, resource.body, "protocol"));
      }
    }
  },
};

function judgeRule(rule: TfResource, scan: CidrScan, ports: string): Outcome {
  const group = groupNamed(rule);
  if (scan.open.length > 0) return fail(`opens ${group} to ${scan.open.join(" and ")} (${ports})`);
  if (scan.unknown.length > 0) return unresolved(`the source range of this rule on ${group} is ${scan.unknown.join(", ")}`);
  return pass(`admits no ingress to ${group} from 0.0.0.0/0, ::/0 or a /1 half of either`);
}

function inlineIngress(group: TfResource): Outcome {
  const raw = group.body.ingress;
  if (typeof raw === "string") return unresolved(`ingress is ${describe(valueAt(group, "ingress"))}`);
  const open: string[] = [];
  const unknown: string[] = [];
  for (const block of blocksOf(raw)) {
    const scan = scanCidrs(group, block.cidr_blocks);
    scanCidrs(group, block.ipv6_cidr_blocks, scan);
    if (scan.open.length > 0) open.push(`${scan.open.join(" and ")} (${portsOf(group, block, "protocol")})`);
    unknown.push(...scan.unknown);
  }
  if (open.length > 0) return fail(`inline ingress of ${group.address} admits ${open.join("; ")}`);
  if (unknown.length > 0) return unresolved(`inline ingress cidr_blocks of ${group.address} are ${unknown.join(", ")}`);
  return pass(
    `no inline ingress block of ${group.address} admits 0.0.0.0/0, ::/0 or a /1 half of either (separate rule resources are judged on their own)`,
  );
}
