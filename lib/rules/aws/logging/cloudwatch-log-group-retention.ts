import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { asNumber, describe, valueAt } from "../../helpers";
import { auditTrailRetention, isWorkloadLogGroup, WORKLOAD_LOG_TAG } from "./util";

const MIN_DAYS = 365;
const shown = (days: number) => (days === Infinity ? "forever" : `${days} days`);

export const cloudwatchLogGroupRetention: Rule = {
  id: "aws-cloudwatch-log-group-retention",
  title: "CloudWatch log groups keep events for at least a year; workload log groups as long as the audit trail's",
  requirements: ["AICP-AILOG-01", "AICP-AILOG-03"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_cloudwatch_log_group"],
  checkov: ["CKV_AWS_338"],
  relations: {
    CKV_AWS_338: {
      relation: "partial",
      reason:
        "passes a log group that leaves retention_in_days unset, whose events never expire, which CKV_AWS_338 fails; both pass 0 and 365 or more and fail fewer days (this rule also fails workload log groups kept shorter than the audit trail's group)",
    },
  },
  remediation: `Set retention_in_days to ${MIN_DAYS} or more, or leave it unset to keep events forever (EncryptedLogGroup keeps them ${MIN_DAYS} days by default); on groups tagged ${WORKLOAD_LOG_TAG.key}=${WORKLOAD_LOG_TAG.value}, at least the audit trail log group's retention.`,
  examples: {
    good: [
      `
      resource "aws_cloudwatch_log_group" "cluster" {
        name              = "/aws/eks/platform/cluster"
        retention_in_days = 365
      }
    `,
      `
      resource "aws_cloudtrail" "audit" {
        name                       = "platform-audit"
        s3_bucket_name             = "platform-audit-trail"
        cloud_watch_logs_group_arn = "\${aws_cloudwatch_log_group.trail.arn}:*"
      }
      resource "aws_cloudwatch_log_group" "trail" {
        name              = "/saip/cloudtrail/platform-audit"
        retention_in_days = 731
      }
      resource "aws_cloudwatch_log_group" "research" {
        name              = "/saip/platform/workloads/research"
        retention_in_days = 731
        tags              = { "saip:log-kind" = "workload" }
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
      `
      resource "aws_cloudtrail" "audit" {
        name                       = "platform-audit"
        s3_bucket_name             = "platform-audit-trail"
        cloud_watch_logs_group_arn = "\${aws_cloudwatch_log_group.trail.arn}:*"
      }
      resource "aws_cloudwatch_log_group" "trail" {
        name              = "/saip/cloudtrail/platform-audit"
        retention_in_days = 731
      }
      resource "aws_cloudwatch_log_group" "research" {
        name              = "/saip/platform/workloads/research"
        retention_in_days = 365
        tags              = { "saip:log-kind" = "workload" }
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
    return isWorkloadLogGroup(group) ? asLongAsTheTrail(group, days) : pass(`retention_in_days is ${days} (at least ${MIN_DAYS})`);
  },
};

/** Workload logs are read beside the audit trail in an investigation, so they must not expire first. */
function asLongAsTheTrail(group: TfResource, days: number): Outcome {
  const audit = auditTrailRetention(group.module);
  if (!audit) return pass(`retention_in_days is ${days} (at least ${MIN_DAYS}); no audit trail log group in this module to compare with`);
  if (days < audit.days) {
    return fail(
      `retention_in_days is ${days}, but this group holds workload logs (${WORKLOAD_LOG_TAG.key}=${WORKLOAD_LOG_TAG.value}) and the audit trail's ${audit.group.address} keeps events ${shown(audit.days)}: the workload logs would expire first`,
    );
  }
  return pass(`retention_in_days is ${days}, at least the audit trail's ${audit.group.address} (${shown(audit.days)})`);
}
