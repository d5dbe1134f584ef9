import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { attached, describe, valueAt } from "../../helpers";

export const vpcFlowLogs: Rule = {
  id: "aws-vpc-flow-logs",
  title: "VPCs record flow logs of all traffic",
  requirements: ["AICP-INCIDENT-02"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_vpc", "aws_default_vpc"],
  checkov: ["CKV2_AWS_11"],
  relations: {
    CKV2_AWS_11: {
      relation: "stricter",
      reason:
        "CKV2_AWS_11 passes an aws_vpc with any connected aws_flow_log; this rule requires one with traffic_type ALL and judges aws_default_vpc too",
    },
  },
  remediation:
    'Add an aws_flow_log with vpc_id referring to the VPC and traffic_type = "ALL" (PrivateNetwork does, into an encrypted log group).',
  examples: {
    good: [
      `
      resource "aws_vpc" "platform" {
        cidr_block = "10.0.0.0/16"
      }

      resource "aws_flow_log" "all" {
        vpc_id               = aws_vpc.platform.id
        traffic_type         = "ALL"
        log_destination_type = "cloud-watch-logs"
        log_destination      = "arn:aws:logs:eu-west-1:111122223333:log-group:/vpc/flow"
        iam_role_arn         = "arn:aws:iam::111122223333:role/flow-logs"
      }
    `,
    ],
    bad: [
      `
      resource "aws_vpc" "platform" {
        cidr_block = "10.0.0.0/16"
      }

      resource "aws_flow_log" "rejects" {
        vpc_id               = aws_vpc.platform.id
        traffic_type         = "REJECT"
        log_destination_type = "cloud-watch-logs"
        log_destination      = "arn:aws:logs:eu-west-1:111122223333:log-group:/vpc/flow"
        iam_role_arn         = "arn:aws:iam::111122223333:role/flow-logs"
      }
    `,
    ],
  },
  check(vpc) {
    const logs = attached(vpc, "aws_flow_log", "vpc_id");
    if (logs.length === 0) return fail(`no aws_flow_log in the module has vpc_id referring to ${vpc.address}`);
    const seen: string[] = [];
    let unknown: string | undefined;
    for (const log of logs) {
      const traffic = valueAt(log, "traffic_type");
      if (traffic.state === "known" && String(traffic.value).toUpperCase() === "ALL")
        return pass(`${log.address} records ALL traffic of the VPC`);
      if (traffic.state === "unknown" || traffic.state === "reference")
        unknown ??= `${log.address} sets traffic_type to ${describe(traffic)}`;
      seen.push(`${log.address} records ${describe(traffic)}`);
    }
    if (unknown) return unresolved(unknown);
    return fail(`no flow log records ALL traffic: ${seen.join(", ")}`);
  },
};
