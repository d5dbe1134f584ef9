import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { asNumber, describe, valueAt } from "../../helpers";

const MIN_DAYS = 365;

export const cloudwatchLogGroupRetention: Rule = {
  id: "aws-cloudwatch-log-group-retention",
  title: "CloudWatch log groups keep events for at least a year",
  requirements: ["AICP-AILOG-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_cloudwatch_log_group"],
  checkov: ["CKV_AWS_338"],
  relations: {
    CKV_AWS_338: { relation: "partial", reason: "passes a log group that leaves retention_in_days unset, whose events never expire, which CKV_AWS_338 fails; both pass 0 and 365 or more and fail fewer days" },
  },
  remediation: `Set retention_in_days to ${MIN_DAYS} or more, or leave it unset to keep events forever (EncryptedLogGroup keeps them ${MIN_DAYS} days by default).`,
  examples: {
    good: [
      `
      resource "aws_cloudwatch_log_group" "cluster" {
        name              = "/aws/eks/platform/cluster"
        retention_in_days = 365
      }
    `,
    ],
    bad: [
      `
      resource "aws_cloudwatch_log_group" "cluster" {
        name              = "/aws/eks/platform/cluster"
        retention_in_days = 7
      }
    `,
    ],
  },
  check(group) {
    const value = valueAt(group, "retention_in_days");
    if (value.state === "unknown" || value.state === "reference") return unresolved(`retention_in_days is ${describe(value)}`);
    const days = value.state === "absent" ? 0 : asNumber(value);
    if (days === undefined) return fail(`retention_in_days is ${describe(value)}, not a number of days`);
    // 0, like leaving it unset, means events never expire.
    if (days === 0) return pass(`retention_in_days is ${describe(value)}, so events are kept forever`);
    if (days < MIN_DAYS) return fail(`retention_in_days is ${days}: events expire before the ${MIN_DAYS} days investigations may need`);
    return pass(`retention_in_days is ${days} (at least ${MIN_DAYS})`);
  },
};
