import { snsAlertTopicSubscribed as rule } from "../../../../lib/rules/aws/detection/sns-alert-topic-subscribed";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const FN = "arn:aws:lambda:eu-west-1:111122223333:function:page";

/** A topic that receives EventBridge findings, with `subscriptions` and any `extra` resources. */
function alerts(subscriptions: Record<string, object>, extra: Record<string, Record<string, object>> = {}) {
  return checkJson(rule, {
    resource: {
      aws_sns_topic: { alerts: {}, unused: {} },
      aws_cloudwatch_event_rule: { findings: { event_pattern: '{"source":["aws.guardduty"]}' } },
      aws_cloudwatch_event_target: { alert: { rule: "${aws_cloudwatch_event_rule.findings.name}", arn: "${aws_sns_topic.alerts.arn}" } },
      ...(Object.keys(subscriptions).length ? { aws_sns_topic_subscription: subscriptions } : {}),
      ...extra,
    },
  });
}
const on = (fields: object) => ({ topic_arn: "${aws_sns_topic.alerts.arn}", ...fields });

describe("aws-sns-alert-topic-subscribed", () => {
  it("passes an alert topic with an email subscriber, saying delivery waits for confirmation, and skips topics that receive no alerts", () => {
    const findings = alerts({ mail: on({ protocol: "email", endpoint: "sec@example.com" }) });
    expect(statuses(findings)).toEqual({ "aws_sns_topic.alerts": "pass" });
    expect(findingFor(findings, "aws_sns_topic.alerts").message).toBe(
      "aws_sns_topic_subscription.mail mails sec@example.com (SNS delivers once the recipient confirms, which the engine cannot see)",
    );
  });

  it("passes a Lambda subscriber SNS may invoke and an SQS queue whose policy admits SNS", () => {
    const lambda = alerts(
      { fn: on({ protocol: "lambda", endpoint: FN }) },
      {
        aws_lambda_permission: {
          sns: {
            action: "lambda:InvokeFunction",
            function_name: FN,
            principal: "sns.amazonaws.com",
            source_arn: "${aws_sns_topic.alerts.arn}",
          },
        },
      },
    );
    expect(findingFor(lambda, "aws_sns_topic.alerts").message).toBe(
      `aws_sns_topic_subscription.fn invokes ${FN}, which an aws_lambda_permission lets SNS invoke`,
    );
    const queuePolicy = JSON.stringify({
      Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: "*" }],
    });
    const sqs = alerts(
      { q: on({ protocol: "sqs", endpoint: "${aws_sqs_queue.findings.arn}" }) },
      {
        aws_sqs_queue: { findings: {} },
        aws_sqs_queue_policy: { findings: { queue_url: "${aws_sqs_queue.findings.id}", policy: queuePolicy } },
      },
    );
    expect(findingFor(sqs, "aws_sns_topic.alerts").message).toBe(
      "aws_sns_topic_subscription.q sends to aws_sqs_queue.findings, whose aws_sqs_queue_policy.findings lets sns.amazonaws.com send",
    );
  });

  it.each([
    ["no subscriber", {}, {}, "receives alerts but has no aws_sns_topic_subscription, so they reach no one"],
    [
      "a Lambda subscriber without a permission",
      { fn: on({ protocol: "lambda", endpoint: FN }) },
      {},
      `aws_sns_topic_subscription.fn invokes ${FN}, but no aws_lambda_permission lets sns.amazonaws.com invoke it, so every delivery is refused`,
    ],
    [
      "plain http",
      { web: on({ protocol: "http", endpoint: "http://hooks.example.com" }) },
      {},
      "aws_sns_topic_subscription.web posts findings to http://hooks.example.com over plain http",
    ],
    [
      "a queue whose policy does not admit SNS",
      { q: on({ protocol: "sqs", endpoint: "${aws_sqs_queue.findings.arn}" }) },
      { aws_sqs_queue: { findings: {} } },
      "aws_sns_topic_subscription.q sends to aws_sqs_queue.findings, whose aws_sqs_queue_policy does not let sns.amazonaws.com send, so SQS refuses every message",
    ],
  ])("fails %s", (_, subscriptions, extra, message) => {
    const findings = alerts(subscriptions, extra as Record<string, Record<string, object>>);
    expect(findingFor(findings, "aws_sns_topic.alerts")).toMatchObject({ status: "fail", unresolved: false, message });
  });

  it("is unresolved when the only subscriber's endpoint is a variable, and finds topics named in alarm actions", () => {
    const open = alerts({ v: on({ protocol: "email", endpoint: "${var.oncall}" }) });
    expect(findingFor(open, "aws_sns_topic.alerts")).toMatchObject({
      status: "fail",
      unresolved: true,
      message: "unresolved: aws_sns_topic_subscription.v endpoint is ${var.oncall} (unresolved)",
    });
    const alarm = checkJson(rule, {
      resource: { aws_sns_topic: { paging: {} }, aws_cloudwatch_metric_alarm: { gpu: { alarm_actions: ["${aws_sns_topic.paging.arn}"] } } },
    });
    expect(statuses(alarm)).toEqual({ "aws_sns_topic.paging": "fail" });
  });

  it("does not count a subscriber whose protocol it does not judge (Firehose needs a role, application endpoints an app)", () => {
    const finding = findingFor(
      alerts({ stream: on({ protocol: "firehose", endpoint: "arn:aws:firehose:eu-west-1:111122223333:deliverystream/f" }) }),
      "aws_sns_topic.alerts",
    );
    expect(finding.status).toBe("fail");
    expect(finding.unresolved).toBe(true);
    expect(finding.message).toMatch(/delivers by firehose to .*, which the engine does not judge/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      rule,
      `resource "aws_sns_topic" "alerts" {}
       resource "aws_sns_topic" "silent" {}
       resource "aws_cloudwatch_event_target" "a" {
         rule = "findings"
         arn  = aws_sns_topic.alerts.arn
       }
       resource "aws_cloudwatch_event_target" "b" {
         rule = "findings"
         arn  = aws_sns_topic.silent.arn
       }
       resource "aws_sns_topic" "open" {}
       resource "aws_cloudwatch_event_target" "c" {
         rule = "findings"
         arn  = aws_sns_topic.open.arn
       }
       resource "aws_sns_topic_subscription" "hook" {
         topic_arn = aws_sns_topic.alerts.arn
         protocol  = "https"
         endpoint  = "https://hooks.example.com/saip"
       }
       variable "protocol" {}
       resource "aws_sns_topic_subscription" "who" {
         topic_arn = aws_sns_topic.open.arn
         protocol  = var.protocol
         endpoint  = "sec@example.com"
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_sns_topic.alerts": "pass", "aws_sns_topic.silent": "fail", "aws_sns_topic.open": "fail" });
    expect(findingFor(findings, "aws_sns_topic.alerts").message).toMatch(
      /posts to https:\/\/hooks\.example\.com\/saip \(SNS delivers once the endpoint confirms/,
    );
    expect(findingFor(findings, "aws_sns_topic.silent").message).toBe(
      "receives alerts but has no aws_sns_topic_subscription, so they reach no one",
    );
    expect(findingFor(findings, "aws_sns_topic.open").message).toBe(
      "unresolved: aws_sns_topic_subscription.who protocol is ${var.protocol} (unresolved: var.protocol has no default and no value was given (--var, --var-file or a .tfvars file))",
    );
  });
});
