import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, Json, TfModule, TfResource } from "../../../terraform/model";
import { describe, rawAt, stringList, valueAt } from "../../helpers";
import { keyAllows, keyPolicySources } from "../../policies/key-access";
import { topicPublisherSourceKeys } from "../kms/key-consumers";
import { isEffect, readPolicies } from "../../policies/statements";
import { patternMatches, readEventPattern, ruleInactive, targetRules } from "./event-pattern";

/**
 * The management calls that undo a control and must raise an alarm, by the
 * EventBridge source and CloudTrail event source that carry them.
 */
export const TAMPER_CALLS: ReadonlyArray<{ source: string; eventSource: string; names: readonly string[] }> = [
  { source: "aws.cloudtrail", eventSource: "cloudtrail.amazonaws.com", names: ["StopLogging", "DeleteTrail", "UpdateTrail"] },
  { source: "aws.kms", eventSource: "kms.amazonaws.com", names: ["PutKeyPolicy", "DisableKey", "ScheduleKeyDeletion"] },
  { source: "aws.guardduty", eventSource: "guardduty.amazonaws.com", names: ["DeleteDetector"] },
  { source: "aws.securityhub", eventSource: "securityhub.amazonaws.com", names: ["DisableSecurityHub"] },
  { source: "aws.logs", eventSource: "logs.amazonaws.com", names: ["DeleteLogGroup"] },
  { source: "aws.s3", eventSource: "s3.amazonaws.com", names: ["PutBucketPolicy", "DeleteBucketPolicy"] },
  { source: "aws.backup", eventSource: "backup.amazonaws.com", names: ["DeleteBackupVault", "DeleteRecoveryPoint"] },
  {
    source: "aws.eks",
    eventSource: "eks.amazonaws.com",
    names: ["CreateAccessEntry", "UpdateAccessEntry", "DeleteAccessEntry", "AssociateAccessPolicy"],
  },
  // The alarm path itself: a rule's targets replaced, the topic deleted or rewritten, a subscription removed or filtered.
  { source: "aws.events", eventSource: "events.amazonaws.com", names: ["DeleteRule", "DisableRule", "RemoveTargets", "PutTargets"] },
  {
    source: "aws.sns",
    eventSource: "sns.amazonaws.com",
    names: ["DeleteTopic", "SetTopicAttributes", "Unsubscribe", "SetSubscriptionAttributes"],
  },
  // Who may push to the registry, which images expire, and whether they are scanned.
  {
    source: "aws.ecr",
    eventSource: "ecr.amazonaws.com",
    names: [
      "SetRepositoryPolicy",
      "DeleteRepositoryPolicy",
      "PutLifecyclePolicy",
      "DeleteLifecyclePolicy",
      "PutRegistryPolicy",
      "DeleteRegistryPolicy",
      "PutRegistryScanningConfiguration",
    ],
  },
];

/** The fields of a call's event that name resources: a rule may watch only some (the audit buckets). */
const NARROWABLE = ["detail.requestParameters"];
const EVENTS = "events.amazonaws.com";

/** Whether the topic's policy lets EventBridge publish for this rule: "" when it does, else why not, or an outcome. */
function topicAdmits(topic: TfResource, rule: TfResource): string | Outcome {
  const sources = [
    ...(rawAt(topic.body, "policy") === undefined ? [] : [topic]),
    ...topic.module
      .referrers(topic)
      .filter((r) => r.resource.type === "aws_sns_topic_policy" && r.key === "arn")
      .map((r) => r.resource),
  ];
  if (sources.length === 0)
    return `${topic.address} has no policy, and SNS's default lets only the topic's account publish, not EventBridge`;
  const { statements, unreadable } = readPolicies(sources);
  if (unreadable.length > 0) return unreadable[0];
  // The rule as EventBridge names it when publishing: its ARN, which only the module's reference spells.
  const ruleArn = `\${${rule.address}.arn}`;
  const request = {
    requester: { kind: "service" as const, service: EVENTS },
    action: "sns:Publish",
    present: { "aws:sourcearn": ruleArn, "aws:sourceaccount": "any" as const, "aws:securetransport": "true" },
    absent: ["aws:*", "sns:*"],
  };
  // The evaluator lets any two interpolations meet; a SourceArn naming another rule is no grant to this one.
  const forThisRule = statements.filter(({ statement }) => {
    if (!isEffect(statement, "Allow") || !isObject(statement.Condition)) return true;
    const arns = Object.values(statement.Condition)
      .flatMap((entries) => (isObject(entries) ? Object.entries(entries) : []))
      .filter(([k]) => k.toLowerCase() === "aws:sourcearn")
      .flatMap(([, v]) => stringList(v));
    return arns.length === 0 || arns.some((a) => a === ruleArn || !/^\$\{aws_cloudwatch_event_rule\.[\w-]+\.arn\}$/.test(a));
  });
  const { verdict, deniedBy } = keyAllows(forThisRule, request);
  if (verdict === "yes") return "";
  if (verdict === "unknown")
    return unresolved(
      `${sources.map((s) => s.address).join(", ")} may not let ${EVENTS} publish for ${rule.address}: a principal or condition is known only at apply`,
    );
  return `${sources.map((s) => s.address).join(", ")} does not let ${EVENTS} publish for ${rule.address}${deniedBy ? ` (denied by ${deniedBy})` : " (no Allow names the rule as aws:SourceArn)"}`;
}

/** Whether the topic's key (when encrypted) lets EventBridge make and open the data keys SNS uses. */
function keyAdmits(topic: TfResource): string | Outcome {
  const raw = valueAt(topic, "kms_master_key_id");
  if (raw.state === "absent") return "";
  const key =
    raw.state === "reference" && raw.target.type === "aws_kms_key"
      ? raw.target
      : raw.state === "reference" && raw.target.type === "aws_kms_alias"
        ? (() => {
            const t = valueAt(raw.target, "target_key_id");
            return t.state === "reference" && t.target.type === "aws_kms_key" ? t.target : undefined;
          })()
        : undefined;
  if (!key) return unresolved(`${topic.address} is encrypted with ${describe(raw)}, a key whose policy the module does not hold`);
  const sources = keyPolicySources(key);
  if (sources.length === 0)
    return `${key.address} has AWS's default policy, which lets no service principal use it: SNS drops what EventBridge publishes`;
  const { statements, unreadable } = readPolicies(sources);
  if (unreadable.length > 0) return unreadable[0];
  const denied: string[] = [];
  for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
    const { verdict } = keyAllows(statements, {
      requester: { kind: "service", service: EVENTS },
      action,
      present: topicPublisherSourceKeys(EVENTS),
      absent: ["kms:*", "aws:sourcearn", "aws:sourceaccount", "aws:principalarn"],
    });
    if (verdict === "unknown") return unresolved(`${key.address} may not let ${EVENTS} call ${action}: a condition is known only at apply`);
    if (verdict === "no") denied.push(action);
  }
  return denied.length === 0
    ? ""
    : `${key.address}, the key of ${topic.address}, does not let ${EVENTS} call ${denied.join(", ")}, so SNS drops every alarm EventBridge publishes`;
}

interface Watch {
  readonly rule: TfResource;
  readonly narrowed: string[];
}

/** The verdict for the module: computed once, since every trail of it shares it. */
function alarms(module: TfModule): Outcome {
  const open: string[] = [];
  const problems = new Set<string>();
  const delivering = new Map<TfResource, string | Outcome>();
  const deliveryOf = (rule: TfResource): string | Outcome => {
    const cached = delivering.get(rule);
    if (cached !== undefined) return cached;
    let result: string | Outcome = `no aws_cloudwatch_event_target sends what ${rule.address} matches to an SNS topic`;
    for (const target of module.ofType("aws_cloudwatch_event_target")) {
      const rules = targetRules(module, target);
      if (!Array.isArray(rules) || !rules.includes(rule)) continue;
      const arn = valueAt(target, "arn");
      if (arn.state !== "reference" || arn.target.type !== "aws_sns_topic") {
        result =
          arn.state === "unknown" || arn.state === "known"
            ? unresolved(`${target.address} sends ${rule.address}'s events to ${describe(arn)}, a topic the module does not hold`)
            : result;
        continue;
      }
      const topic = topicAdmits(arn.target, rule);
      const key = topic === "" ? keyAdmits(arn.target) : topic;
      if (key === "") return delivering.set(rule, "").get(rule)!;
      result = key;
    }
    delivering.set(rule, result);
    return result;
  };
  const rules: Array<{ rule: TfResource; pattern: Json }> = [];
  for (const rule of module.ofType("aws_cloudwatch_event_rule")) {
    const pattern = readEventPattern(rule);
    if (pattern === undefined) continue;
    if (isObject(pattern) && "status" in pattern && typeof pattern.status === "string") open.push(String(pattern.message));
    else rules.push({ rule, pattern: pattern as Json });
  }
  const watched: string[] = [];
  const missing: string[] = [];
  for (const call of TAMPER_CALLS) {
    for (const name of call.names) {
      const event = {
        source: call.source,
        "detail-type": "AWS API Call via CloudTrail",
        detail: { eventSource: call.eventSource, eventName: name },
      };
      const watches: Watch[] = [];
      let maybe = false;
      for (const { rule, pattern } of rules) {
        const narrowed: string[] = [];
        const match = patternMatches(pattern, event as Json, NARROWABLE, "", narrowed);
        if (match === "no") continue;
        if (match === "unknown") {
          maybe = true;
          continue;
        }
        const inactive = ruleInactive(rule);
        if (typeof inactive === "string") problems.add(`${rule.address} matches ${name} but ${inactive}`);
        else if (inactive) open.push(inactive.message);
        else watches.push({ rule, narrowed });
      }
      const delivered = watches.filter((w) => {
        const d = deliveryOf(w.rule);
        if (typeof d === "string" && d !== "") problems.add(d);
        else if (typeof d !== "string") open.push(d.message);
        return d === "";
      });
      if (delivered.length > 0) {
        const narrowed = delivered.every((w) => w.narrowed.length > 0);
        watched.push(
          `${name} (${delivered[0].rule.address}${narrowed ? `, for the resources it names in ${[...new Set(delivered.flatMap((w) => w.narrowed))].join(", ")}` : ""})`,
        );
      } else {
        missing.push(name);
        if (maybe) open.push(`whether an event rule matches ${name} depends on a content filter the engine does not judge`);
      }
    }
  }
  if (missing.length === 0)
    return pass(
      `EventBridge sends each call that undoes a control to an SNS topic that admits it, under a key EventBridge may use: ${watched.join("; ")}`,
    );
  const why = problems.size > 0 ? `; ${[...problems].join("; ")}` : "";
  if (open.length > 0 && problems.size === 0)
    return unresolved(`no alarm is shown for ${missing.join(", ")}: ${[...new Set(open)].join("; ")}`);
  return fail(`no EventBridge rule sends ${missing.join(", ")} (AWS API Call via CloudTrail) to an alert topic that can take it${why}`);
}

/**
 * A module in which the given calls raise an alarm, as TamperAlarms writes it: a rule per service
 * targeting the alert topic, which admits those rules and is encrypted with a key EventBridge may use.
 * The rule's examples are built from TAMPER_CALLS, so they follow the list.
 */
function alarmedModule(calls: typeof TAMPER_CALLS): string {
  const rule = (c: (typeof TAMPER_CALLS)[number], i: number) => `
resource "aws_cloudwatch_event_rule" "tamper_${i}" {
  name = "tamper-${c.source.replace("aws.", "")}"
  event_pattern = jsonencode({
    source        = ["${c.source}"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail        = { eventSource = ["${c.eventSource}"], eventName = [${c.names.map((n) => `"${n}"`).join(", ")}] }
  })
}

resource "aws_cloudwatch_event_target" "tamper_${i}" {
  rule = aws_cloudwatch_event_rule.tamper_${i}.name
  arn  = aws_sns_topic.alerts.arn
}
`;
  return `
resource "aws_cloudtrail" "audit" {
  name           = "audit"
  s3_bucket_name = "audit-logs"
}

resource "aws_kms_key" "alerts" {
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admins", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/key-admin" }, Action = "kms:Put*", Resource = "*" },
      { Sid = "EventBridgeUse", Effect = "Allow", Principal = { Service = "events.amazonaws.com" }, Action = ["kms:GenerateDataKey*", "kms:Decrypt"], Resource = "*" }
    ]
  })
}

resource "aws_sns_topic" "alerts" {
  name              = "platform-alerts"
  kms_master_key_id = aws_kms_key.alerts.arn
}

resource "aws_sns_topic_policy" "alerts" {
  arn = aws_sns_topic.alerts.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EventBridgePublish"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.alerts.arn
      Condition = { ArnEquals = { "aws:SourceArn" = [${calls.map((_c, i) => `aws_cloudwatch_event_rule.tamper_${i}.arn`).join(", ")}] } }
    }]
  })
}
${calls.map(rule).join("")}`;
}

export const tamperAlarms: Rule = {
  id: "aws-detection-tamper-alarms",
  title: "Calls that undo the audit trail, keys, detection, audit logs, bucket policies, backups or cluster access raise an alarm",
  requirements: ["AICP-INCIDENT-05"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_cloudtrail"],
  effect:
    "Each call that undoes a control (StopLogging, PutKeyPolicy, ScheduleKeyDeletion, DeleteDetector, DeleteLogGroup, PutBucketPolicy, DeleteBackupVault, access-entry changes and more) is matched by an enabled rule on the default bus whose target topic lets EventBridge publish for that rule and whose key lets EventBridge encrypt: the alarm is delivered, not only configured.",
  remediation:
    'Add aws_cloudwatch_event_rule resources matching detail-type "AWS API Call via CloudTrail" with these event names, targeted at the alert topic; let events.amazonaws.com publish with the rule as aws:SourceArn and let it call kms:GenerateDataKey and kms:Decrypt on the topic\'s key (TamperAlarms and ThreatDetection do).',
  examples: {
    good: [alarmedModule(TAMPER_CALLS)],
    // The registry's calls left unwatched: a new pusher policy or lifecycle rule goes unnoticed.
    bad: [alarmedModule(TAMPER_CALLS.filter((c) => c.source !== "aws.ecr"))],
  },
  check: (trail) => trail.module.cached("aws-detection-tamper-alarms", alarms),
};
