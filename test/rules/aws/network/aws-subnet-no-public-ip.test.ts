import { subnetNoPublicIp } from "../../../../lib/rules/aws/network/subnet-no-public-ip";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-subnet-no-public-ip", () => {
  it("passes subnets that do not map public IPs, absent meaning false", () => {
    const findings = checkJson(subnetNoPublicIp, {
      resource: {
        aws_subnet: {
          off: { cidr_block: "10.0.0.0/20", map_public_ip_on_launch: false },
          absent: { cidr_block: "10.0.16.0/20" },
          on: { cidr_block: "10.0.32.0/20", map_public_ip_on_launch: true },
          on_string: { cidr_block: "10.0.48.0/20", map_public_ip_on_launch: "true" },
          unknown: { cidr_block: "10.0.64.0/20", map_public_ip_on_launch: "${var.public}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_subnet.off": "pass",
      "aws_subnet.absent": "pass",
      "aws_subnet.on": "fail",
      "aws_subnet.on_string": "fail",
      "aws_subnet.unknown": "fail",
    });
    expect(findingFor(findings, "aws_subnet.absent").message).toMatch(/default is false/);
    expect(findingFor(findings, "aws_subnet.on").message).toMatch(/map_public_ip_on_launch is true/);
    expect(findingFor(findings, "aws_subnet.unknown").message).toMatch(/^unresolved: .*var\.public/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      subnetNoPublicIp,
      `resource "aws_subnet" "private" { cidr_block = "10.0.0.0/20" }
       resource "aws_subnet" "public" {
         cidr_block              = "10.0.16.0/20"
         map_public_ip_on_launch = true
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_subnet.private": "pass", "aws_subnet.public": "fail" });
  });
});
