import { defaultSecurityGroupClosed } from "../../../../lib/rules/aws/network/default-security-group-closed";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

/*
 * The cases of CKV2_AWS_12 (bridgecrewio/checkov, checkov/terraform/checks/graph_checks/aws/VPCHasRestrictedSG.yaml):
 * the finding is on the aws_vpc; it fails with no aws_default_security_group connected, with inline ingress or
 * egress in the default group, or with a rule resource connected to it.
 */
describe("aws-default-security-group-closed", () => {
  it("judges each VPC by the default group that manages it, as CKV2_AWS_12 does", () => {
    const findings = checkJson(defaultSecurityGroupClosed, {
      resource: {
        aws_vpc: { closed: {}, unmanaged: {}, inline: {}, attached: {}, unknown: {} },
        aws_default_security_group: {
          closed: { vpc_id: "${aws_vpc.closed.id}", ingress: [], egress: [] },
          inline: {
            vpc_id: "${aws_vpc.inline.id}",
            ingress: { from_port: 0, to_port: 0, protocol: "-1", self: true },
            egress: [{ protocol: "-1" }, { protocol: "tcp" }],
          },
          attached: { vpc_id: "${aws_vpc.attached.id}" },
          unknown: { vpc_id: "${aws_vpc.unknown.id}", ingress: "${var.rules}" },
          elsewhere: { vpc_id: "${var.vpc_id}", egress: [{ protocol: "-1", cidr_blocks: ["0.0.0.0/0"] }] },
        },
        aws_vpc_security_group_egress_rule: {
          out: { security_group_id: "${aws_default_security_group.attached.id}", ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_vpc.closed": "pass",
      "aws_vpc.unmanaged": "fail",
      "aws_vpc.inline": "fail",
      "aws_vpc.attached": "fail",
      "aws_vpc.unknown": "fail",
      // Its VPC is not in the module: the group is judged on its own.
      "aws_default_security_group.elsewhere": "fail",
    });
    expect(findingFor(findings, "aws_vpc.unmanaged").message).toMatch(/keeps the rules AWS creates it with/);
    expect(findingFor(findings, "aws_vpc.inline").message).toMatch(
      /keeps 1 ingress rule; aws_default_security_group\.inline keeps 2 egress rules$/,
    );
    expect(findingFor(findings, "aws_vpc.attached").message).toMatch(
      /aws_vpc_security_group_egress_rule\.out adds a rule to aws_default_security_group\.attached/,
    );
    expect(findingFor(findings, "aws_vpc.unknown").message).toMatch(
      /^unresolved: ingress of aws_default_security_group\.unknown is .*var\.rules/,
    );
  });

  it("judges the default VPC by the default group without a vpc_id (HCL)", async () => {
    const findings = await checkHcl(
      defaultSecurityGroupClosed,
      `resource "aws_default_vpc" "default" {}
       resource "aws_default_security_group" "default" {
         ingress {
           protocol  = -1
           self      = true
           from_port = 0
           to_port   = 0
         }
       }
       resource "aws_vpc" "main" {}
       resource "aws_default_security_group" "main" {
         vpc_id  = aws_vpc.main.id
         ingress = []
         egress  = []
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_default_vpc.default": "fail", "aws_vpc.main": "pass" });
  });
});
