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

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_cloudwatch_log_group" "year" { retention_in_days = 400 }
       resource "aws_cloudwatch_log_group" "week" { retention_in_days = 7 }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_cloudwatch_log_group.year": "pass", "aws_cloudwatch_log_group.week": "fail" });
  });
});
