import { securityGroupNoOpenIngress } from "../../../../lib/rules/aws/network/security-group-no-open-ingress";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-security-group-no-open-ingress", () => {
  const doc = {
    resource: {
      aws_vpc: { main: { cidr_block: "10.0.0.0/16" } },
      aws_security_group: {
        closed: { ingress: [{ from_port: 443, to_port: 443, protocol: "tcp", cidr_blocks: ["${aws_vpc.main.cidr_block}"] }] },
        ssh: { ingress: [{ from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: ["10.0.0.0/8", "0.0.0.0/0"] }] },
        v6: { ingress: { from_port: 0, to_port: 0, protocol: "-1", ipv6_cidr_blocks: ["::/0"] } },
        unknown: { ingress: [{ from_port: 443, to_port: 443, protocol: "tcp", cidr_blocks: ["${var.cidr}"] }] },
        target: {},
      },
      aws_vpc_security_group_ingress_rule: {
        https_vpc: {
          security_group_id: "${aws_security_group.target.id}",
          ip_protocol: "tcp",
          from_port: 443,
          to_port: 443,
          cidr_ipv4: "10.0.0.0/16",
        },
        world: {
          security_group_id: "${aws_security_group.target.id}",
          ip_protocol: "tcp",
          from_port: 22,
          to_port: 22,
          cidr_ipv4: "0.0.0.0/0",
        },
        world6: { security_group_id: "sg-0123", ip_protocol: "-1", cidr_ipv6: "::/0" },
        unknown: { security_group_id: "${aws_security_group.target.id}", ip_protocol: "tcp", from_port: 443, cidr_ipv4: "${var.cidr}" },
      },
      aws_security_group_rule: {
        open: {
          type: "ingress",
          security_group_id: "${aws_security_group.target.id}",
          protocol: "tcp",
          from_port: 3389,
          to_port: 3389,
          cidr_blocks: ["0.0.0.0/0"],
        },
        egress: {
          type: "egress",
          security_group_id: "${aws_security_group.target.id}",
          protocol: "-1",
          from_port: 0,
          to_port: 0,
          cidr_blocks: ["0.0.0.0/0"],
        },
        from_group: {
          type: "ingress",
          security_group_id: "${aws_security_group.target.id}",
          protocol: "tcp",
          from_port: 443,
          to_port: 443,
          source_security_group_id: "sg-1",
        },
        unknown_type: { type: "${var.direction}", security_group_id: "${aws_security_group.target.id}", cidr_blocks: ["0.0.0.0/0"] },
      },
    },
  };

  it("fails inline and separate ingress from the internet, one finding each, naming the group", () => {
    const findings = checkJson(securityGroupNoOpenIngress, doc);
    expect(statuses(findings)).toEqual({
      "aws_security_group.closed": "pass",
      "aws_security_group.ssh": "fail",
      "aws_security_group.v6": "fail",
      "aws_security_group.unknown": "fail",
      "aws_security_group.target": "pass",
      "aws_vpc_security_group_ingress_rule.https_vpc": "pass",
      "aws_vpc_security_group_ingress_rule.world": "fail",
      "aws_vpc_security_group_ingress_rule.world6": "fail",
      "aws_vpc_security_group_ingress_rule.unknown": "fail",
      "aws_security_group_rule.open": "fail",
      "aws_security_group_rule.from_group": "pass",
      "aws_security_group_rule.unknown_type": "fail",
    });
    expect(findingFor(findings, "aws_security_group.ssh").message).toMatch(/admits 0\.0\.0\.0\/0 \(tcp 22\)/);
    expect(findingFor(findings, "aws_security_group.v6").message).toMatch(/::\/0 \(all traffic\)/);
    expect(findingFor(findings, "aws_security_group.unknown").message).toMatch(/^unresolved: .*var\.cidr/);
    expect(findingFor(findings, "aws_vpc_security_group_ingress_rule.world").message).toBe(
      "opens aws_security_group.target to 0.0.0.0/0 (tcp 22)",
    );
    expect(findingFor(findings, "aws_vpc_security_group_ingress_rule.world6").message).toMatch(/opens sg-0123 to ::\/0/);
    expect(findingFor(findings, "aws_vpc_security_group_ingress_rule.unknown").message).toMatch(
      /^unresolved: .*aws_security_group\.target.*var\.cidr/,
    );
    expect(findingFor(findings, "aws_security_group_rule.open").message).toMatch(
      /opens aws_security_group\.target to 0\.0\.0\.0\/0 \(tcp 3389\)/,
    );
    expect(findingFor(findings, "aws_security_group_rule.unknown_type").message).toMatch(/^unresolved: type is .*var\.direction/);
  });

  it("treats a /1 as open: two of them admit every address", () => {
    const findings = checkJson(securityGroupNoOpenIngress, {
      resource: {
        aws_security_group: {
          halves: { ingress: [{ from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: ["0.0.0.0/1", "128.0.0.0/1"] }] },
          quarter: { ingress: [{ from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: ["0.0.0.0/2"] }] },
        },
        aws_vpc_security_group_ingress_rule: {
          upper: { security_group_id: "sg-1", ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: " 128.0.0.0/1" },
          v6_half: { security_group_id: "sg-1", ip_protocol: "-1", cidr_ipv6: "8000::/1" },
          v6_quarter: { security_group_id: "sg-1", ip_protocol: "-1", cidr_ipv6: "4000::/2" },
        },
        aws_security_group_rule: {
          v6: { type: "ingress", security_group_id: "sg-1", protocol: "tcp", from_port: 22, to_port: 22, ipv6_cidr_blocks: ["::/1"] },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_security_group.halves": "fail",
      "aws_security_group.quarter": "pass",
      "aws_vpc_security_group_ingress_rule.upper": "fail",
      "aws_vpc_security_group_ingress_rule.v6_half": "fail",
      "aws_vpc_security_group_ingress_rule.v6_quarter": "pass",
      "aws_security_group_rule.v6": "fail",
    });
    expect(findingFor(findings, "aws_security_group.halves").message).toMatch(/admits 0\.0\.0\.0\/1 and 128\.0\.0\.0\/1 \(tcp 22\)/);
    expect(findingFor(findings, "aws_vpc_security_group_ingress_rule.v6_half").message).toBe("opens sg-1 to 8000::/1 (all traffic)");
    expect(findingFor(findings, "aws_vpc_security_group_ingress_rule.v6_quarter").message).toBe(
      "admits no ingress to sg-1 from 0.0.0.0/0, ::/0 or a /1 half of either",
    );
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      securityGroupNoOpenIngress,
      `resource "aws_security_group" "ok" {
         ingress {
           from_port   = 443
           to_port     = 443
           protocol    = "tcp"
           cidr_blocks = ["10.0.0.0/16"]
         }
       }
       resource "aws_security_group" "open" {
         ingress {
           from_port   = 22
           to_port     = 22
           protocol    = "tcp"
           cidr_blocks = ["0.0.0.0/0"]
         }
       }
       resource "aws_vpc_security_group_ingress_rule" "open" {
         security_group_id = aws_security_group.ok.id
         ip_protocol       = "-1"
         cidr_ipv6         = "::/0"
       }
       resource "aws_vpc_security_group_ingress_rule" "half" {
         security_group_id = aws_security_group.ok.id
         ip_protocol       = "tcp"
         from_port         = 22
         to_port           = 22
         cidr_ipv4         = "128.0.0.0/1"
       }`,
    );
    expect(statuses(findings)).toEqual({
      "aws_security_group.ok": "pass",
      "aws_security_group.open": "fail",
      "aws_vpc_security_group_ingress_rule.open": "fail",
      "aws_vpc_security_group_ingress_rule.half": "fail",
    });
    expect(findingFor(findings, "aws_vpc_security_group_ingress_rule.open").message).toMatch(/opens aws_security_group\.ok to ::\/0/);
  });
});
