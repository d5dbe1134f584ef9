import { defaultSecurityGroupClosed } from "../../../../lib/rules/aws/network/default-security-group-closed";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-default-security-group-closed", () => {
  it("passes a default group with no rules and fails one that keeps some", () => {
    const findings = checkJson(defaultSecurityGroupClosed, {
      resource: {
        aws_default_security_group: {
          empty: { vpc_id: "${aws_vpc.main.id}", ingress: [], egress: [] },
          absent: { vpc_id: "${aws_vpc.main.id}" },
          egress: { egress: [{ from_port: 0, to_port: 0, protocol: "-1", cidr_blocks: ["0.0.0.0/0"] }] },
          both: { ingress: { from_port: 0, to_port: 0, protocol: "-1", self: true }, egress: [{ protocol: "-1" }, { protocol: "tcp" }] },
          unknown: { ingress: "${var.rules}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_default_security_group.empty": "pass",
      "aws_default_security_group.absent": "pass",
      "aws_default_security_group.egress": "fail",
      "aws_default_security_group.both": "fail",
      "aws_default_security_group.unknown": "fail",
    });
    expect(findingFor(findings, "aws_default_security_group.egress").message).toMatch(/keeps 1 egress rule$/);
    expect(findingFor(findings, "aws_default_security_group.both").message).toMatch(/1 ingress rule and 2 egress rules/);
    expect(findingFor(findings, "aws_default_security_group.unknown").message).toMatch(/^unresolved: ingress is .*var\.rules/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      defaultSecurityGroupClosed,
      `resource "aws_default_security_group" "closed" {
         vpc_id  = aws_vpc.main.id
         ingress = []
         egress  = []
       }
       resource "aws_default_security_group" "open" {
         ingress {
           protocol  = -1
           self      = true
           from_port = 0
           to_port   = 0
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_default_security_group.closed": "pass", "aws_default_security_group.open": "fail" });
  });
});
