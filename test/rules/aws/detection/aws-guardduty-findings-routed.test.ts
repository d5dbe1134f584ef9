import { Testing } from "cdktf";
import { AccessLogBucket } from "../../../../constructs/aws/access-log-bucket";
import { ConfigRecorder } from "../../../../constructs/aws/config-recorder";
import { PlatformKey } from "../../../../constructs/aws/platform-key";
import { ThreatDetection } from "../../../../constructs/aws/threat-detection";
import { guarddutyFindingsRouted as rule } from "../../../../lib/rules/aws/detection/guardduty-findings-routed";
import { SecureStack } from "../../../../lib/secure-stack";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const GUARDDUTY = JSON.stringify({ source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"] });
const EITHER = JSON.stringify({
  $or: [{ source: ["aws.securityhub"] }, { source: ["aws.guardduty"], detail: { severity: [{ numeric: [">=", 7] }] } }],
});

/** One module: a detector, an event rule with `pattern`, a target from it to `arn`, and topics with and without a CMK. */
function routed(pattern: string | undefined, target: Record<string, string>, rules: Record<string, object> = {}) {
  return checkJson(rule, {
    resource: {
      aws_guardduty_detector: { main: { enable: true } },
      aws_kms_key: { alerts: {} },
      aws_sns_topic: {
        cmk: { kms_master_key_id: "${aws_kms_key.alerts.arn}" },
        plain: {},
        aws_managed: { kms_master_key_id: "alias/aws/sns" },
        variable: { kms_master_key_id: "${var.key}" },
      },
      aws_cloudwatch_event_rule: {
        findings: { name: "guardduty-findings", ...(pattern === undefined ? {} : { event_pattern: pattern }) },
        ...rules,
      },
      aws_cloudwatch_event_target: { alert: target },
    },
  });
}
const message = (findings: ReturnType<typeof checkJson>) => findingFor(findings, "aws_guardduty_detector.main").message;
const status = (findings: ReturnType<typeof checkJson>) => findingFor(findings, "aws_guardduty_detector.main").status;

describe("aws-guardduty-findings-routed", () => {
  it.each([
    [
      "source at the top, target by .name",
      GUARDDUTY,
      { rule: "${aws_cloudwatch_event_rule.findings.name}", arn: "${aws_sns_topic.cmk.arn}" },
    ],
    [
      "source in a top-level $or, target by .id",
      EITHER,
      { rule: "${aws_cloudwatch_event_rule.findings.id}", arn: "${aws_sns_topic.cmk.arn}" },
    ],
    ["target by the rule's literal name", GUARDDUTY, { rule: "guardduty-findings", arn: "${aws_sns_topic.cmk.id}" }],
  ])("passes findings routed to a CMK-encrypted topic: %s", (_, pattern, target) => {
    const findings = routed(pattern, target);
    expect(status(findings)).toBe("pass");
    expect(message(findings)).toMatch(
      /aws_cloudwatch_event_rule\.findings sends GuardDuty findings through aws_cloudwatch_event_target\.alert to aws_sns_topic\.cmk, encrypted with the customer-managed key aws_kms_key\.alerts/,
    );
  });

  it.each([
    [
      "no GuardDuty source",
      JSON.stringify({ source: ["aws.securityhub"] }),
      "${aws_sns_topic.cmk.arn}",
      /no aws_cloudwatch_event_rule in the module matches source "aws\.guardduty"/,
    ],
    [
      "GuardDuty only in a nested $or",
      JSON.stringify({ detail: { $or: [{ source: ["aws.guardduty"] }] } }),
      "${aws_sns_topic.cmk.arn}",
      /no aws_cloudwatch_event_rule in the module matches/,
    ],
    // A tamper alarm on GuardDuty's own API calls (DeleteDetector) names source aws.guardduty but carries no finding.
    [
      "only a rule on GuardDuty's API calls",
      JSON.stringify({
        source: ["aws.guardduty"],
        "detail-type": ["AWS API Call via CloudTrail"],
        detail: { eventName: ["DeleteDetector"] },
      }),
      "${aws_sns_topic.cmk.arn}",
      /no aws_cloudwatch_event_rule in the module matches/,
    ],
    [
      "a severity threshold above every high finding",
      JSON.stringify({ source: ["aws.guardduty"], detail: { severity: [{ numeric: [">", 9] }] } }),
      "${aws_sns_topic.cmk.arn}",
      /no aws_cloudwatch_event_rule in the module matches/,
    ],
    [
      "an unencrypted topic",
      GUARDDUTY,
      "${aws_sns_topic.plain.arn}",
      /to aws_sns_topic\.plain, which is not encrypted \(kms_master_key_id is not set\)/,
    ],
    [
      "an AWS-managed key",
      GUARDDUTY,
      "${aws_sns_topic.aws_managed.arn}",
      /aws_sns_topic\.aws_managed, whose key is not shown to be customer-managed: .*alias\/aws\/sns/,
    ],
    ["a target that is not a topic", GUARDDUTY, "${aws_kms_key.alerts.arn}", /to aws_kms_key\.alerts, not an SNS topic/],
  ])("fails %s", (_, pattern, arn, expected) => {
    const findings = routed(pattern, { rule: "${aws_cloudwatch_event_rule.findings.name}", arn });
    expect(status(findings)).toBe("fail");
    expect(findings[0].unresolved).toBe(false);
    expect(message(findings)).toMatch(expected);
  });

  it("fails a GuardDuty rule with no target, a disabled rule and a rule on a custom bus", () => {
    const orphan = routed(GUARDDUTY, { rule: "other", arn: "${aws_sns_topic.cmk.arn}" });
    expect(message(orphan)).toMatch(
      /aws_cloudwatch_event_rule\.findings matches GuardDuty findings but no aws_cloudwatch_event_target sends them anywhere/,
    );
    const disabled = checkJson(rule, {
      resource: {
        aws_guardduty_detector: { main: {} },
        aws_kms_key: { k: {} },
        aws_sns_topic: { t: { kms_master_key_id: "${aws_kms_key.k.arn}" } },
        aws_cloudwatch_event_rule: {
          off: { event_pattern: GUARDDUTY, state: "DISABLED" },
          bus: { event_pattern: GUARDDUTY, event_bus_name: "security" },
        },
        aws_cloudwatch_event_target: {
          off: { rule: "${aws_cloudwatch_event_rule.off.name}", arn: "${aws_sns_topic.t.arn}" },
          bus: { rule: "${aws_cloudwatch_event_rule.bus.name}", arn: "${aws_sns_topic.t.arn}" },
        },
      },
    });
    expect(status(disabled)).toBe("fail");
    expect(message(disabled)).toMatch(/aws_cloudwatch_event_rule\.off matches GuardDuty findings but is disabled/);
    expect(message(disabled)).toMatch(/aws_cloudwatch_event_rule\.bus matches GuardDuty findings but listens on the event bus "security"/);
  });

  it.each([
    [
      "a pattern from a variable",
      "${var.pattern}",
      { arn: "${aws_sns_topic.cmk.arn}" },
      /^unresolved: aws_cloudwatch_event_rule\.findings event_pattern is .*var\.pattern/,
    ],
    [
      "a pattern built by a function",
      '${jsonencode({ source = ["aws.guardduty"] })}',
      { arn: "${aws_sns_topic.cmk.arn}" },
      /^unresolved: aws_cloudwatch_event_rule\.findings event_pattern is .*jsonencode/,
    ],
    [
      "a topic ARN from a variable",
      GUARDDUTY,
      { arn: "${var.topic}" },
      /^unresolved: aws_cloudwatch_event_target\.alert arn is .*var\.topic/,
    ],
    [
      "a topic outside the module",
      GUARDDUTY,
      { arn: "arn:aws:sns:eu-west-1:111122223333:alerts" },
      /^unresolved: .*arn:aws:sns:eu-west-1:111122223333:alerts, which is not in the module/,
    ],
    [
      "a topic key from a variable",
      GUARDDUTY,
      { arn: "${aws_sns_topic.variable.arn}" },
      /^unresolved: .*aws_sns_topic\.variable, whose key is not shown to be customer-managed: .*var\.key/,
    ],
  ])("is unresolved with %s", (_, pattern, target, expected) => {
    const findings = routed(pattern, { rule: "${aws_cloudwatch_event_rule.findings.name}", ...target });
    expect(status(findings)).toBe("fail");
    expect(findings[0].unresolved).toBe(true);
    expect(message(findings)).toMatch(expected);
  });

  it("passes when one route is complete, even beside an unreadable rule", () => {
    const findings = routed(
      GUARDDUTY,
      { rule: "${aws_cloudwatch_event_rule.findings.name}", arn: "${aws_sns_topic.cmk.arn}" },
      { other: { event_pattern: "${var.pattern}" } },
    );
    expect(status(findings)).toBe("pass");
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_guardduty_detector" "main" {}
       resource "aws_kms_key" "alerts" {}
       resource "aws_sns_topic" "alerts" { kms_master_key_id = aws_kms_key.alerts.arn }
       resource "aws_cloudwatch_event_rule" "findings" {
         event_pattern = <<-EOT
           {"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"]}
         EOT
       }
       resource "aws_cloudwatch_event_target" "alerts" {
         rule = aws_cloudwatch_event_rule.findings.name
         arn  = aws_sns_topic.alerts.arn
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_guardduty_detector.main": "pass" });
    const bad = await checkHcl(
      rule,
      `resource "aws_guardduty_detector" "main" {}
       resource "aws_sns_topic" "alerts" {}
       resource "aws_cloudwatch_event_rule" "findings" {
         event_pattern = "{\\"source\\": [\\"aws.guardduty\\"]}"
       }
       resource "aws_cloudwatch_event_target" "alerts" {
         rule = aws_cloudwatch_event_rule.findings.name
         arn  = aws_sns_topic.alerts.arn
       }`,
    );
    expect(statuses(bad)).toEqual({ "aws_guardduty_detector.main": "fail" });
    expect(bad[0].message).toMatch(/aws_sns_topic\.alerts, which is not encrypted/);
  });

  it("passes ThreatDetection's synthesized output", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const key = new PlatformKey(stack, "AlertsKey", { purpose: "alerts", administrators: ["arn:aws:iam::111122223333:role/key-admin"] });
    const configRecorder = new ConfigRecorder(stack, "ConfigRecorder", { key, accessLogs: new AccessLogBucket(stack, "AccessLogs") });
    new ThreatDetection(stack, "ThreatDetection", { key, alertEmails: ["sec@example.com"], configRecorder });
    const findings = checkJson(rule, JSON.parse(Testing.synth(stack)));
    expect(statuses(findings)).toEqual({ "aws_guardduty_detector.threat_detection": "pass" });
    expect(findings[0].message).toMatch(
      /through aws_cloudwatch_event_target\.\w+ to aws_sns_topic\.\w+, encrypted with the customer-managed key aws_kms_key\.\w+/,
    );
  });
});
