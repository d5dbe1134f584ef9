import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, JsonObject, TfModule, TfResource } from "../../../terraform/model";
import { attached, describe, isOutcome, policyStatements, rawAt, stringList, valueAt } from "../../helpers";

const TOPIC_REFERENCE = /\$\{\s*aws_sns_topic\.([\w-]+)\.(arn|id)\s*\}/g;

/** Topics that receive alerts: targets of EventBridge rules and actions of CloudWatch alarms. */
function alertTopics(module: TfModule): Set<TfResource> {
  const topics = new Set<TfResource>();
  for (const target of module.ofType("aws_cloudwatch_event_target")) {
    const arn = valueAt(target, "arn");
    if (arn.state === "reference" && arn.target.type === "aws_sns_topic") topics.add(arn.target);
  }
  for (const alarm of module.ofType("aws_cloudwatch_metric_alarm")) {
    const text = JSON.stringify(rawAt(alarm.body, "alarm_actions") ?? []);
    for (const match of text.matchAll(TOPIC_REFERENCE)) {
      const topic = module.get(`aws_sns_topic.${match[1]}`);
      if (topic) topics.add(topic);
    }
  }
  return topics;
}

/** Whether an aws_lambda_permission lets SNS invoke the subscription's function. */
function snsMayInvoke(subscription: TfResource): boolean {
  const endpoint = valueAt(subscription, "endpoint");
  return subscription.module.ofType("aws_lambda_permission").some((permission) => {
    const principal = valueAt(permission, "principal");
    if (principal.state !== "known" || principal.value !== "sns.amazonaws.com") return false;
    const fn = valueAt(permission, "function_name");
    if (fn.state === "known" && endpoint.state === "known") return fn.value === endpoint.value;
    return fn.state === "reference" && endpoint.state === "reference" && fn.target === endpoint.target;
  });
}

/** Pass when an aws_sqs_queue_policy of the queue allows sns.amazonaws.com to send; unresolved when unreadable; undefined when not. */
function queueAdmitsSns(subscription: TfResource, queue: TfResource): Outcome | undefined {
  for (const policy of attached(queue, "aws_sqs_queue_policy", "queue_url")) {
    const statements = policyStatements(policy, "policy");
    if (isOutcome(statements)) return statements;
    const admits = statements.some(
      (s) =>
        s.Effect === "Allow" &&
        isObject(s.Principal ?? null) &&
        stringList((s.Principal as JsonObject).Service).includes("sns.amazonaws.com") &&
        stringList(s.Action).some((a) => a === "sqs:SendMessage" || a === "sqs:*"),
    );
    if (admits) return pass(`${subscription.address} sends to ${queue.address}, whose ${policy.address} lets sns.amazonaws.com send`);
  }
  return undefined;
}

/** What one subscription delivers: pass (with what is assumed), fail or unresolved. */
function subscriptionOutcome(subscription: TfResource): Outcome {
  const protocol = valueAt(subscription, "protocol");
  const endpoint = valueAt(subscription, "endpoint");
  if (protocol.state !== "known") return unresolved(`${subscription.address} protocol is ${describe(protocol)}`);
  if (endpoint.state === "absent" || (endpoint.state === "known" && String(endpoint.value) === ""))
    return fail(`${subscription.address} has no endpoint`);
  if (endpoint.state === "unknown") return unresolved(`${subscription.address} endpoint is ${describe(endpoint)}`);
  const to = endpoint.state === "known" ? String(endpoint.value) : endpoint.target.address;
  switch (String(protocol.value)) {
    case "email":
    case "email-json":
      return pass(`${subscription.address} mails ${to} (SNS delivers once the recipient confirms, which the engine cannot see)`);
    case "https":
      return pass(`${subscription.address} posts to ${to} (SNS delivers once the endpoint confirms, which the engine cannot see)`);
    case "http":
      return fail(`${subscription.address} posts findings to ${to} over plain http`);
    case "lambda":
      return snsMayInvoke(subscription)
        ? pass(`${subscription.address} invokes ${to}, which an aws_lambda_permission lets SNS invoke`)
        : fail(
            `${subscription.address} invokes ${to}, but no aws_lambda_permission lets sns.amazonaws.com invoke it, so every delivery is refused`,
          );
    case "sqs":
      if (endpoint.state === "known")
        return pass(
          `${subscription.address} sends to the queue ${to} (assumed: its policy, outside the module, must let sns.amazonaws.com send)`,
        );
      return (
        queueAdmitsSns(subscription, endpoint.target) ??
        fail(
          `${subscription.address} sends to ${to}, whose aws_sqs_queue_policy does not let sns.amazonaws.com send, so SQS refuses every message`,
        )
      );
    case "sms":
      return pass(`${subscription.address} texts ${to}`);
    default:
      // Firehose needs a delivery role, application endpoints a platform application: what they need is not judged.
      return unresolved(`${subscription.address} delivers by ${String(protocol.value)} to ${to}, which the engine does not judge`);
  }
}

export const snsAlertTopicSubscribed: Rule = {
  id: "aws-sns-alert-topic-subscribed",
  title: "SNS topics that receive findings or alarms have a subscriber that can receive them",
  requirements: ["AICP-INCIDENT-03"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_sns_topic"],
  effect:
    "A finding or alarm published to the topic reaches someone: a subscription exists whose endpoint SNS can deliver to (email and HTTPS once confirmed).",
  remediation:
    "Subscribe the alert topic with aws_sns_topic_subscription (set detection.alertEmails or detection.alertSubscriptions); a Lambda subscriber needs an aws_lambda_permission for sns.amazonaws.com.",
  examples: {
    good: [
      `
      resource "aws_kms_key" "alerts" {
        enable_key_rotation = true
      }

      resource "aws_sns_topic" "alerts" {
        name              = "platform-alerts"
        kms_master_key_id = aws_kms_key.alerts.arn
      }

      resource "aws_cloudwatch_metric_alarm" "root_login" {
        alarm_name          = "root-login"
        namespace           = "Platform"
        metric_name         = "RootLogin"
        statistic           = "Sum"
        period              = 300
        evaluation_periods  = 1
        threshold           = 1
        comparison_operator = "GreaterThanOrEqualToThreshold"
        alarm_actions       = [aws_sns_topic.alerts.arn]
      }

      resource "aws_sns_topic_subscription" "oncall" {
        topic_arn = aws_sns_topic.alerts.arn
        protocol  = "email"
        endpoint  = "oncall@example.com"
      }
    `,
    ],
    bad: [
      `
      resource "aws_kms_key" "alerts" {
        enable_key_rotation = true
      }

      resource "aws_sns_topic" "alerts" {
        name              = "platform-alerts"
        kms_master_key_id = aws_kms_key.alerts.arn
      }

      resource "aws_cloudwatch_metric_alarm" "root_login" {
        alarm_name          = "root-login"
        namespace           = "Platform"
        metric_name         = "RootLogin"
        statistic           = "Sum"
        period              = 300
        evaluation_periods  = 1
        threshold           = 1
        comparison_operator = "GreaterThanOrEqualToThreshold"
        alarm_actions       = [aws_sns_topic.alerts.arn]
      }

      resource "aws_sns_topic_subscription" "webhook" {
        topic_arn = aws_sns_topic.alerts.arn
        protocol  = "http"
        endpoint  = "http://alerts.example.com/hook"
      }
    `,
    ],
  },
  applies: (topic) => topic.module.cached("aws-sns-alert-topics", alertTopics).has(topic),
  check(topic) {
    const subscriptions = attached(topic, "aws_sns_topic_subscription", "topic_arn");
    if (subscriptions.length === 0) return fail("receives alerts but has no aws_sns_topic_subscription, so they reach no one");
    const outcomes = subscriptions.map(subscriptionOutcome);
    const delivered = outcomes.filter((o) => o.status === "pass");
    if (delivered.length > 0) return pass(delivered.map((o) => o.message).join("; "));
    const open = outcomes.filter((o) => o.status === "unresolved");
    if (open.length > 0) return unresolved(open.map((o) => o.message).join("; "));
    return fail(outcomes.map((o) => o.message).join("; "));
  },
};
