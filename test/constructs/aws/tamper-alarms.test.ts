import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { Testing } from "cdktf";
import { AccessLogBucket } from "../../../constructs/aws/access-log-bucket";
import { ConfigRecorder } from "../../../constructs/aws/config-recorder";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { TAMPER_EVENTS, TamperAlarms } from "../../../constructs/aws/tamper-alarms";
import { ThreatDetection } from "../../../constructs/aws/threat-detection";
import { tamperAlarms } from "../../../lib/rules/aws/detection/detection-tamper-alarms";
import { SecureStack } from "../../../lib/secure-stack";
import { checkJson } from "../../rules/harness";

const ADMIN = "arn:aws:iam::111122223333:role/key-admin";

function synthAlarms() {
  const stack = new SecureStack(Testing.app(), "test");
  const key = new PlatformKey(stack, "AlertsKey", { purpose: "alerts", administrators: [ADMIN] });
  const configRecorder = new ConfigRecorder(stack, "ConfigRecorder", { key, accessLogs: new AccessLogBucket(stack, "AccessLogs") });
  const detection = new ThreatDetection(stack, "ThreatDetection", { key, alertEmails: ["sec@example.com"], configRecorder });
  new TamperAlarms(stack, "TamperAlarms", { detection, bucketNames: ["audit-bucket", configRecorder.bucketName] });
  new Cloudtrail(stack, "Trail", { name: "audit", s3BucketName: "audit-bucket" });
  return JSON.parse(Testing.synth(stack));
}

describe("TamperAlarms", () => {
  const doc = synthAlarms();
  const rules = doc.resource.aws_cloudwatch_event_rule as Record<string, { event_pattern: string }>;

  it("matches each family's CloudTrail management calls on the default bus", () => {
    for (const [family, events] of Object.entries(TAMPER_EVENTS)) {
      const pattern = JSON.parse(rules[`tamper_alarms_${family.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase()}`].event_pattern);
      expect(pattern["detail-type"]).toEqual(["AWS API Call via CloudTrail"]);
      expect(pattern.detail.eventName).toEqual(events.names);
    }
  });

  it("alarm on the alarm path itself (a rule's targets, the topic, its subscriptions) and on the registry's policies", () => {
    const patterns = Object.values<{ event_pattern: string }>(doc.resource.aws_cloudwatch_event_rule).map((r) =>
      JSON.parse(r.event_pattern),
    );
    const watched = (source: string) =>
      patterns.filter((p) => (p.source ?? []).includes(source)).flatMap((p) => (p.detail?.eventName ?? []) as string[]);
    expect(watched("aws.events")).toEqual(expect.arrayContaining(["PutTargets", "RemoveTargets", "DeleteRule", "DisableRule"]));
    expect(watched("aws.sns")).toEqual(
      expect.arrayContaining(["DeleteTopic", "Unsubscribe", "SetTopicAttributes", "SetSubscriptionAttributes"]),
    );
    expect(watched("aws.ecr")).toEqual(
      expect.arrayContaining([
        "SetRepositoryPolicy",
        "DeleteRepositoryPolicy",
        "PutLifecyclePolicy",
        "DeleteLifecyclePolicy",
        "PutRegistryPolicy",
        "DeleteRegistryPolicy",
        "PutRegistryScanningConfiguration",
        "DeletePullThroughCacheRule",
      ]),
    );
  });

  it("watches policy changes of the named buckets only", () => {
    const pattern = JSON.parse(rules.tamper_alarms_buckets.event_pattern);
    expect(pattern.detail.requestParameters.bucketName).toEqual(["audit-bucket", "${aws_s3_bucket.config_recorder_bucket.bucket}"]);
  });

  // The trap: a rule that matches but whose topic refuses EventBridge, or whose key it cannot use, alarms nobody.
  it("sends every rule to the alert topic, whose policy names each rule and whose key EventBridge may use", () => {
    const targets = Object.values(doc.resource.aws_cloudwatch_event_target as Record<string, { rule: string; arn: string }>);
    expect(targets).toHaveLength(Object.keys(TAMPER_EVENTS).length + 1);
    for (const target of targets) expect(target.arn).toBe("${aws_sns_topic.threat_detection_alert_topic.arn}");
    const statement = JSON.parse(doc.resource.aws_sns_topic_policy.threat_detection_alert_topic_policy.policy).Statement[0];
    expect([...statement.Condition.ArnEquals["aws:SourceArn"]].sort()).toEqual(
      Object.keys(rules)
        .map((name) => `\${aws_cloudwatch_event_rule.${name}.arn}`)
        .sort(),
    );
    const finding = checkJson(tamperAlarms, doc).find((f) => f.resource === "aws_cloudtrail.trail");
    expect(finding?.status).toBe("pass");
  });

  it("fail the tamper-alarms rule when the alarm path or the registry goes unwatched", () => {
    for (const [family, name] of [
      ["tamper_alarms_alarms", "PutTargets"],
      ["tamper_alarms_alarms", "SetSubscriptionAttributes"],
      ["tamper_alarms_registry", "SetRepositoryPolicy"],
    ]) {
      const broken = structuredClone(doc);
      const rule = broken.resource.aws_cloudwatch_event_rule[family];
      const pattern = JSON.parse(rule.event_pattern);
      pattern.detail.eventName = pattern.detail.eventName.filter((n: string) => n !== name);
      rule.event_pattern = JSON.stringify(pattern);
      const finding = checkJson(tamperAlarms, broken).find((f) => f.resource === "aws_cloudtrail.trail");
      expect([name, finding?.status]).toEqual([name, "fail"]);
      expect(finding?.message).toContain(name);
    }
  });
});
