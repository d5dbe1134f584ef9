import { vpcFlowLogs } from "../../../../lib/rules/aws/network/vpc-flow-logs";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-vpc-flow-logs", () => {
  it("passes a VPC with a flow log of ALL traffic in the module", () => {
    const findings = checkJson(vpcFlowLogs, {
      resource: {
        aws_vpc: {
          logged: { cidr_block: "10.0.0.0/16" },
          rejects: { cidr_block: "10.1.0.0/16" },
          none: { cidr_block: "10.2.0.0/16" },
          unknown: { cidr_block: "10.3.0.0/16" },
        },
        aws_flow_log: {
          all: { vpc_id: "${aws_vpc.logged.id}", traffic_type: "ALL", log_destination: "${aws_cloudwatch_log_group.flow.arn}" },
          reject: { vpc_id: "${aws_vpc.rejects.id}", traffic_type: "REJECT" },
          unknown: { vpc_id: "${aws_vpc.unknown.id}", traffic_type: "${var.traffic}" },
          subnet: { subnet_id: "${aws_subnet.a.id}", traffic_type: "ALL" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_vpc.logged": "pass",
      "aws_vpc.rejects": "fail",
      "aws_vpc.none": "fail",
      "aws_vpc.unknown": "fail",
    });
    expect(findingFor(findings, "aws_vpc.logged").message).toMatch(/aws_flow_log\.all records ALL/);
    expect(findingFor(findings, "aws_vpc.rejects").message).toMatch(/aws_flow_log\.reject records "REJECT"/);
    expect(findingFor(findings, "aws_vpc.none").message).toMatch(/no aws_flow_log/);
    expect(findingFor(findings, "aws_vpc.unknown").message).toMatch(/^unresolved: .*var\.traffic/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      vpcFlowLogs,
      `resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
       resource "aws_flow_log" "main" {
         vpc_id       = aws_vpc.main.id
         traffic_type = "ALL"
       }
       resource "aws_default_vpc" "default" {}`,
    );
    expect(statuses(findings)).toEqual({ "aws_vpc.main": "pass", "aws_default_vpc.default": "fail" });
  });
});
