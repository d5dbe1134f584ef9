import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { Json, TfModule, TfResource } from "../../../terraform/model";
import { customerManagedKey, describe, documentAt, valueAt } from "../../helpers";
import { patternMatches, targetRules } from "./event-pattern";

const SOURCE = "aws.guardduty";
/** A high-severity finding as GuardDuty publishes it; a rule that carries it carries the findings worth an alarm. */
const HIGH_FINDING = { source: SOURCE, "detail-type": "GuardDuty Finding", detail: { severity: 8 } };

/**
 * Whether a parsed event pattern matches GuardDuty's high findings: "yes", "no", or "unknown" (a content
 * filter the engine does not judge). A rule on API calls GuardDuty records (source aws.guardduty too) does not.
 */
const matchesGuardDuty = (pattern: Json) => patternMatches(pattern, HIGH_FINDING as Json);

/**
 * Whether an event rule carries GuardDuty findings: "" when it does, why not
 * when it matches them but cannot deliver, undefined when it does not match
 * them, or an unresolved outcome. GuardDuty publishes to the default bus
 * only, and a disabled rule delivers nothing.
 */
function eventRuleProblem(rule: TfResource): string | Outcome | undefined {
  const pattern = documentAt(rule, "event_pattern");
  if (pattern.state === "absent") return undefined;
  if (pattern.state !== "known") return unresolved(`${rule.address} event_pattern is ${describe(pattern)}`);
  let parsed: Json = pattern.value;
  if (typeof pattern.value === "string") {
    const text = pattern.value;
    try {
      parsed = JSON.parse(text) as Json;
    } catch {
      const shown = text.length > 80 ? `${text.slice(0, 80)}...` : text;
      return unresolved(
        `${rule.address} event_pattern is not JSON the engine can read (a function call, an interpolation or malformed): ${shown}`,
      );
    }
  }
  const match = matchesGuardDuty(parsed);
  if (match !== "yes") {
    // An interpolated source may still name GuardDuty after apply.
    if (JSON.stringify(parsed).includes("${"))
      return unresolved(`${rule.address} event_pattern holds interpolations: ${JSON.stringify(parsed)}`);
    return match === "unknown" && JSON.stringify(parsed).includes(SOURCE)
      ? unresolved(`${rule.address} event_pattern filters GuardDuty's events in a way the engine does not judge: ${JSON.stringify(parsed)}`)
      : undefined;
  }
  const bus = valueAt(rule, "event_bus_name");
  if (bus.state === "unknown" || bus.state === "reference") return unresolved(`${rule.address} event_bus_name is ${describe(bus)}`);
  if (bus.state === "known" && !/^(default|arn:aws[\w-]*:events:[\w-]+:\d{12}:event-bus\/default)$/.test(String(bus.value))) {
    return `matches GuardDuty findings but listens on the event bus ${describe(bus)}; GuardDuty publishes to the default bus`;
  }
  const state = valueAt(rule, "state");
  const enabled = valueAt(rule, "is_enabled");
  for (const [key, value] of [
    ["state", state],
    ["is_enabled", enabled],
  ] as const) {
    if (value.state === "unknown" || value.state === "reference") return unresolved(`${rule.address} ${key} is ${describe(value)}`);
  }
  if (state.state === "known" && String(state.value).toUpperCase() === "DISABLED")
    return 'matches GuardDuty findings but is disabled (state is "DISABLED")';
  if (enabled.state === "known" && (enabled.value === false || enabled.value === "false"))
    return "matches GuardDuty findings but is disabled (is_enabled is false)";
  return "";
}

/** What a target of a GuardDuty rule does with the findings: a passing, failing or unresolved outcome. */
function targetOutcome(target: TfResource, rule: TfResource): Outcome {
  const arn = valueAt(target, "arn");
  const via = `${rule.address} sends GuardDuty findings through ${target.address}`;
  if (arn.state === "unknown") return unresolved(`${target.address} arn is ${describe(arn)}`);
  if (arn.state === "known") {
    const text = String(arn.value);
    if (/^arn:aws[\w-]*:sns:/.test(text))
      return unresolved(`${via} to the topic ${text}, which is not in the module, so its encryption cannot be checked`);
    return fail(`${via} to ${text}, not an SNS topic`);
  }
  if (arn.state !== "reference" || arn.target.type !== "aws_sns_topic")
    return fail(`${via} to ${arn.state === "reference" ? arn.target.address : "nothing (arn is not set)"}, not an SNS topic`);
  const topic = arn.target;
  if (valueAt(topic, "kms_master_key_id").state === "absent")
    return fail(`${via} to ${topic.address}, which is not encrypted (kms_master_key_id is not set)`);
  const key = customerManagedKey(topic, "kms_master_key_id");
  if (key.status === "pass") return pass(`${via} to ${topic.address}, ${key.message}`);
  return { status: key.status, message: `${via} to ${topic.address}, whose key is not shown to be customer-managed: ${key.message}` };
}

/** The verdict for the module: computed once, as every detector in it shares it. */
function routing(module: TfModule): Outcome {
  const passes: string[] = [];
  const problems: string[] = [];
  const open: string[] = [];
  const guardDutyRules = new Set<TfResource>();
  for (const rule of module.ofType("aws_cloudwatch_event_rule")) {
    const problem = eventRuleProblem(rule);
    if (problem === undefined) continue;
    if (typeof problem !== "string") open.push(problem.message);
    else if (problem) problems.push(`${rule.address} ${problem}`);
    else guardDutyRules.add(rule);
  }
  const targeted = new Set<TfResource>();
  for (const target of module.ofType("aws_cloudwatch_event_target")) {
    const rules = targetRules(module, target);
    if (!Array.isArray(rules)) {
      // A target whose rule is unknown only matters when some rule could carry the findings.
      if (guardDutyRules.size > 0 || open.length > 0) open.push(rules.message);
      continue;
    }
    for (const rule of rules.filter((r) => guardDutyRules.has(r))) {
      targeted.add(rule);
      const outcome = targetOutcome(target, rule);
      (outcome.status === "pass" ? passes : outcome.status === "fail" ? problems : open).push(outcome.message);
    }
  }
  if (passes.length > 0) return pass(passes.join("; "));
  for (const rule of guardDutyRules)
    if (!targeted.has(rule))
      problems.push(`${rule.address} matches GuardDuty findings but no aws_cloudwatch_event_target sends them anywhere`);
  if (open.length > 0) return unresolved(open.join("; "));
  if (problems.length === 0)
    problems.push(`no aws_cloudwatch_event_rule in the module matches source "${SOURCE}", so findings reach no one`);
  return fail(problems.join("; "));
}

export const guarddutyFindingsRouted: Rule = {
  id: "aws-guardduty-findings-routed",
  title: "GuardDuty findings are routed by EventBridge to an SNS topic encrypted with a customer-managed key",
  requirements: ["AICP-INCIDENT-03"],
  severity: "recommended",
  waivable: true,
  appliesTo: ["aws_guardduty_detector"],
  remediation:
    'Add an aws_cloudwatch_event_rule matching source "aws.guardduty" with an aws_cloudwatch_event_target sending to an aws_sns_topic whose kms_master_key_id is a customer-managed key (ThreatDetection does).',
  examples: {
    good: [
      `
      resource "aws_guardduty_detector" "main" {
        enable = true
      }

      resource "aws_kms_key" "alerts" {
        enable_key_rotation = true
      }

      resource "aws_sns_topic" "alerts" {
        name = "platform-alerts"
        kms_master_key_id = aws_kms_key.alerts.arn
      }

      resource "aws_cloudwatch_event_rule" "findings" {
        name = "guardduty-findings"
        event_pattern = jsonencode({
          source        = ["aws.guardduty"]
          "detail-type" = ["GuardDuty Finding"]
        })
      }

      resource "aws_cloudwatch_event_target" "alerts" {
        rule = aws_cloudwatch_event_rule.findings.name
        arn  = aws_sns_topic.alerts.arn
      }
    `,
    ],
    bad: [
      `
      resource "aws_guardduty_detector" "main" {
        enable = true
      }

      resource "aws_kms_key" "alerts" {
        enable_key_rotation = true
      }

      resource "aws_sns_topic" "alerts" {
        name = "platform-alerts"
      }

      resource "aws_cloudwatch_event_rule" "findings" {
        name = "guardduty-findings"
        event_pattern = jsonencode({
          source        = ["aws.guardduty"]
          "detail-type" = ["GuardDuty Finding"]
        })
      }

      resource "aws_cloudwatch_event_target" "alerts" {
        rule = aws_cloudwatch_event_rule.findings.name
        arn  = aws_sns_topic.alerts.arn
      }
    `,
    ],
  },
  check: (detector) => detector.module.cached("aws-guardduty-findings-routed", routing),
};
