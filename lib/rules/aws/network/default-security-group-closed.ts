import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { blocksOf, describe, valueAt } from "../../helpers";

export const defaultSecurityGroupClosed: Rule = {
  id: "aws-default-security-group-closed",
  title: "Default security groups admit and send nothing",
  requirements: ["AICP-ACCESS-06"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_default_security_group"],
  checkov: ["CKV2_AWS_12"],
  relations: {
    CKV2_AWS_12: { relation: "partial", reason: "the check's source is not in the index this project reads: by its title it judges that every VPC's default security group restricts all traffic; this rule judges each declared aws_default_security_group, and a VPC whose default group Terraform does not manage gets no finding here" },
  },
  remediation: "Declare aws_default_security_group with ingress = [] and egress = [] (PrivateNetwork does).",
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
  check(group) {
    const found: string[] = [];
    for (const key of ["ingress", "egress"]) {
      const raw = group.body[key];
      // A whole-list expression (`${var.rules}`) can hold anything.
      if (typeof raw === "string") return unresolved(`${key} is ${describe(valueAt(group, key))}`);
      const count = blocksOf(raw).length;
      if (count > 0) found.push(`${count} ${key} rule${count > 1 ? "s" : ""}`);
    }
    if (found.length > 0) return fail(`the default security group keeps ${found.join(" and ")}`);
    return pass("the default security group has no ingress and no egress rules");
  },
};
