import { cloudwatchLogGroupRetention as rule } from "../../../../lib/rules/aws/logging/cloudwatch-log-group-retention";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-cloudwatch-log-group-retention", () => {
  it("passes a year or more and never-expiring groups, fails shorter retention", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_cloudwatch_log_group: {
          year: { retention_in_days: 365 },
          long: { retention_in_days: "3653" },
          forever: { retention_in_days: 0 },
          unset: {},
          month: { retention_in_days: 30 },
          variable: { retention_in_days: "${var.retention}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_cloudwatch_log_group.year": "pass",
      "aws_cloudwatch_log_group.long": "pass",
      "aws_cloudwatch_log_group.forever": "pass",
      "aws_cloudwatch_log_group.unset": "pass",
      "aws_cloudwatch_log_group.month": "fail",
      "aws_cloudwatch_log_group.variable": "fail",
    });
    expect(findingFor(findings, "aws_cloudwatch_log_group.unset").message).toMatch(/not set, so events are kept forever/);
    expect(findingFor(findings, "aws_cloudwatch_log_group.forever").message).toMatch(/kept forever/);
    expect(findingFor(findings, "aws_cloudwatch_log_group.month").message).toMatch(/retention_in_days is 30/);
    expect(findingFor(findings, "aws_cloudwatch_log_group.variable").message).toMatch(/^unresolved: .*var\.retention/);
  });

  it("holds workload log groups to the audit trail's retention", () => {
    const workload = { "saip:log-kind": "workload" };
    const findings = checkJson(rule, {
      resource: {
        aws_cloudtrail: { audit: { cloud_watch_logs_group_arn: "${aws_cloudwatch_log_group.trail.arn}:*" } },
        aws_cloudwatch_log_group: {
          trail: { retention_in_days: 731 },
          as_long: { retention_in_days: 731, tags: workload },
          longer: { retention_in_days: 1096, tags: workload },
          forever: { tags: workload },
          shorter: { retention_in_days: 400, tags: workload },
          other: { retention_in_days: 400 },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_cloudwatch_log_group.trail": "pass",
      "aws_cloudwatch_log_group.as_long": "pass",
      "aws_cloudwatch_log_group.longer": "pass",
      "aws_cloudwatch_log_group.forever": "pass",
      "aws_cloudwatch_log_group.shorter": "fail",
      "aws_cloudwatch_log_group.other": "pass",
    });
    expect(findingFor(findings, "aws_cloudwatch_log_group.shorter").message).toMatch(
      /holds workload logs .* aws_cloudwatch_log_group\.trail keeps events 731 days: the workload logs would expire first/,
    );
    expect(findingFor(findings, "aws_cloudwatch_log_group.as_long").message).toMatch(
      /at least the audit trail's aws_cloudwatch_log_group\.trail \(731 days\)/,
    );
  });

  it("holds workload groups to a never-expiring trail group, and to a year where no trail is in the module", () => {
    const workload = { "saip:log-kind": "workload" };
    const forever = checkJson(rule, {
      resource: {
        aws_cloudtrail: { audit: { cloud_watch_logs_group_arn: "${aws_cloudwatch_log_group.trail.arn}:*" } },
        aws_cloudwatch_log_group: { trail: {}, year: { retention_in_days: 3653, tags: workload } },
      },
    });
    expect(findingFor(forever, "aws_cloudwatch_log_group.year").message).toMatch(/keeps events forever/);
    const alone = checkJson(rule, { resource: { aws_cloudwatch_log_group: { year: { retention_in_days: 365, tags: workload } } } });
    expect(findingFor(alone, "aws_cloudwatch_log_group.year").message).toMatch(/no audit trail log group in this module/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_cloudwatch_log_group" "year" { retention_in_days = 400 }
       resource "aws_cloudwatch_log_group" "week" { retention_in_days = 7 }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_cloudwatch_log_group.year": "pass", "aws_cloudwatch_log_group.week": "fail" });
  });
});
