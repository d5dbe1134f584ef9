import { snsTopicCmk as rule } from "../../../../lib/rules/aws/detection/sns-topic-cmk";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-sns-topic-cmk", () => {
  it("passes customer-managed keys, fails no encryption and alias/aws/sns", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_kms_key: { alerts: {} },
        aws_sns_topic: {
          cmk: { kms_master_key_id: "${aws_kms_key.alerts.arn}" },
          none: {},
          aws_managed: { kms_master_key_id: "alias/aws/sns" },
          variable: { kms_master_key_id: "${var.key}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_sns_topic.cmk": "pass",
      "aws_sns_topic.none": "fail",
      "aws_sns_topic.aws_managed": "fail",
      "aws_sns_topic.variable": "fail",
    });
    expect(findingFor(findings, "aws_sns_topic.none").message).toMatch(/server-side encryption of the topic is off/);
    expect(findingFor(findings, "aws_sns_topic.aws_managed").message).toMatch(/alias\/aws\/sns/);
    expect(findingFor(findings, "aws_sns_topic.variable").message).toMatch(/^unresolved: .*var\.key/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_kms_key" "alerts" {}
       resource "aws_sns_topic" "good" { kms_master_key_id = aws_kms_key.alerts.id }
       resource "aws_sns_topic" "bad" {}`,
    );
    expect(statuses(hcl)).toEqual({ "aws_sns_topic.good": "pass", "aws_sns_topic.bad": "fail" });
  });
});
