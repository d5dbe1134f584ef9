import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { describe, isTrue, valueAt } from "../../helpers";

export const subnetNoPublicIp: Rule = {
  id: "aws-subnet-no-public-ip",
  title: "Subnets do not give instances public IP addresses",
  requirements: ["AICP-ACCESS-06"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_subnet"],
  checkov: ["CKV_AWS_130"],
  relations: {
    CKV_AWS_130: {
      relation: "equivalent",
      reason: "both fail map_public_ip_on_launch = true only; a value not known before apply is unresolved here",
    },
  },
  remediation: "Leave map_public_ip_on_launch unset or false (PrivateNetwork's subnets, public NAT subnets included, set it false).",
  examples: {
    good: [
      `
      resource "aws_subnet" "private" {
        vpc_id     = "vpc-0a1b2c3d"
        cidr_block = "10.0.0.0/20"
      }
    `,
    ],
    bad: [
      `
      resource "aws_subnet" "private" {
        vpc_id                  = "vpc-0a1b2c3d"
        cidr_block              = "10.0.0.0/20"
        map_public_ip_on_launch = true
      }
    `,
    ],
  },
  check(subnet) {
    // The provider default is false.
    const value = valueAt(subnet, "map_public_ip_on_launch");
    if (value.state === "unknown" || value.state === "reference") return unresolved(`map_public_ip_on_launch is ${describe(value)}`);
    if (isTrue(value)) return fail("map_public_ip_on_launch is true: instances launched here get public IP addresses");
    return pass(`map_public_ip_on_launch is ${describe(value)}${value.state === "absent" ? " (the default is false)" : ""}`);
  },
};
