import { cloudwatchLogGroupCmk as rule } from "../../../../lib/rules/aws/logging/cloudwatch-log-group-cmk";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-cloudwatch-log-group-cmk", () => {
  it("passes customer-managed keys, fails service encryption and AWS-managed aliases", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_kms_key: { logs: {} },
        aws_kms_alias: { logs: { name: "alias/saip/logs", target_key_id: "${aws_kms_key.logs.key_id}" } },
        aws_cloudwatch_log_group: {
          key: { kms_key_id: "${aws_kms_key.logs.arn}" },
          alias: { kms_key_id: "${aws_kms_alias.logs.arn}" },
          literal: { kms_key_id: "arn:aws:kms:eu-west-1:111122223333:key/abcd" },
          none: {},
          aws_managed: { kms_key_id: "alias/aws/logs" },
          variable: { kms_key_id: "${var.logs_key}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_cloudwatch_log_group.key": "pass",
      "aws_cloudwatch_log_group.alias": "pass",
      "aws_cloudwatch_log_group.literal": "pass",
      "aws_cloudwatch_log_group.none": "fail",
      "aws_cloudwatch_log_group.aws_managed": "fail",
      "aws_cloudwatch_log_group.variable": "fail",
    });
    expect(findingFor(findings, "aws_cloudwatch_log_group.none").message).toMatch(/kms_key_id is not set/);
    expect(findingFor(findings, "aws_cloudwatch_log_group.key").message).toMatch(/aws_kms_key\.logs/);
    expect(findingFor(findings, "aws_cloudwatch_log_group.variable").message).toMatch(/^unresolved: kms_key_id .*var\.logs_key/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_kms_key" "logs" {}
       resource "aws_cloudwatch_log_group" "good" { kms_key_id = aws_kms_key.logs.arn }
       resource "aws_cloudwatch_log_group" "plain" {}`,
    );
    expect(statuses(hcl)).toEqual({ "aws_cloudwatch_log_group.good": "pass", "aws_cloudwatch_log_group.plain": "fail" });
  });
});
