import { guarddutyS3Protection as rule } from "../../../../lib/rules/aws/detection/guardduty-s3-protection";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-guardduty-s3-protection", () => {
  it("passes S3_DATA_EVENTS or the inline s3_logs data source", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_guardduty_detector: {
          feature: {},
          inline: { datasources: [{ s3_logs: [{ enable: true }] }] },
          off: {},
          none: {},
          disabled: { enable: "${var.enabled}" },
          variable: {},
        },
        aws_guardduty_detector_feature: {
          feature: { detector_id: "${aws_guardduty_detector.feature.id}", name: "S3_DATA_EVENTS", status: "ENABLED" },
          off: { detector_id: "${aws_guardduty_detector.off.id}", name: "S3_DATA_EVENTS", status: "DISABLED" },
          variable: { detector_id: "${aws_guardduty_detector.variable.id}", name: "${var.feature}", status: "ENABLED" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_guardduty_detector.feature": "pass",
      "aws_guardduty_detector.inline": "pass",
      "aws_guardduty_detector.off": "fail",
      "aws_guardduty_detector.none": "fail",
      "aws_guardduty_detector.disabled": "fail",
      "aws_guardduty_detector.variable": "fail",
    });
    expect(findingFor(findings, "aws_guardduty_detector.inline").message).toMatch(/datasources\.s3_logs\.enable is true/);
    expect(findingFor(findings, "aws_guardduty_detector.off").message).toMatch(/S3_DATA_EVENTS is not enabled/);
    expect(findingFor(findings, "aws_guardduty_detector.disabled").message).toMatch(/^unresolved: enable .*var\.enabled/);
    expect(findingFor(findings, "aws_guardduty_detector.variable").message).toMatch(
      /^unresolved: aws_guardduty_detector_feature\.variable/,
    );
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_guardduty_detector" "good" {}
       resource "aws_guardduty_detector_feature" "s3" {
         detector_id = aws_guardduty_detector.good.id
         name        = "S3_DATA_EVENTS"
         status      = "ENABLED"
       }
       resource "aws_guardduty_detector" "bare" {}`,
    );
    expect(statuses(hcl)).toEqual({ "aws_guardduty_detector.good": "pass", "aws_guardduty_detector.bare": "fail" });
  });
});
