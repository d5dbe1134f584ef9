import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { GuarddutyDetector } from "@cdktf/provider-aws/lib/guardduty-detector";
import { GuarddutyDetectorFeature } from "@cdktf/provider-aws/lib/guardduty-detector-feature";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SecurityhubAccount } from "@cdktf/provider-aws/lib/securityhub-account";
import { SecurityhubStandardsSubscription } from "@cdktf/provider-aws/lib/securityhub-standards-subscription";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Testing } from "cdktf";
import { AccessLogBucket } from "../../../constructs/aws/access-log-bucket";
import { ConfigRecorder } from "../../../constructs/aws/config-recorder";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { ThreatDetection, ThreatDetectionProps } from "../../../constructs/aws/threat-detection";
import { SecureStack } from "../../../lib/secure-stack";

const ADMIN = "arn:aws:iam::111122223333:role/key-admin";
type Statement = Record<string, unknown>;

function synthDetection(props: Partial<ThreatDetectionProps> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  const key = new PlatformKey(stack, "AlertsKey", { purpose: "alerts", administrators: [ADMIN] });
  const configRecorder = new ConfigRecorder(stack, "ConfigRecorder", { key, accessLogs: new AccessLogBucket(stack, "AccessLogs") });
  new ThreatDetection(stack, "ThreatDetection", { key, alertEmails: ["sec@example.com"], configRecorder, ...props });
  const synth = Testing.synth(stack);
  return { synth, json: JSON.parse(synth) };
}

function only<T = Record<string, unknown>>(json: { resource: Record<string, Record<string, unknown>> }, type: string): T {
  const values = Object.values(json.resource[type] ?? {});
  expect(values).toHaveLength(1);
  return values[0] as T;
}

describe("ThreatDetection", () => {
  it("enables GuardDuty and publishes findings every fifteen minutes", () => {
    const { synth, json } = synthDetection();
    expect(synth).toHaveResourceWithProperties(GuarddutyDetector, { enable: true, finding_publishing_frequency: "FIFTEEN_MINUTES" });
    expect(Object.keys(json.resource.aws_guardduty_detector)).toEqual(["threat_detection"]);
  });

  it("turns on EKS audit, S3, EBS malware and runtime protection with the EKS add-on", () => {
    const { synth, json } = synthDetection();
    const features = Object.values(json.resource.aws_guardduty_detector_feature) as Array<{ name: string; status: string }>;
    expect(features.map((f) => f.name).sort()).toEqual([
      "EBS_MALWARE_PROTECTION",
      "EKS_AUDIT_LOGS",
      "RUNTIME_MONITORING",
      "S3_DATA_EVENTS",
    ]);
    expect(features.every((f) => f.status === "ENABLED")).toBe(true);
    expect(synth).toHaveResourceWithProperties(GuarddutyDetectorFeature, {
      name: "RUNTIME_MONITORING",
      additional_configuration: [{ name: "EKS_ADDON_MANAGEMENT", status: "ENABLED" }],
    });
    expect(features.map((f) => f.name)).not.toContain("EKS_RUNTIME_MONITORING");
  });

  it("enables Security Hub with the Foundational Security Best Practices standard", () => {
    const { synth, json } = synthDetection();
    expect(synth).toHaveResourceWithProperties(SecurityhubAccount, { enable_default_standards: false, auto_enable_controls: true });
    expect(synth).toHaveResourceWithProperties(SecurityhubStandardsSubscription, {
      standards_arn:
        "arn:${data.aws_partition.aws_context_partition.partition}:securityhub:${data.aws_region.aws_context_region.region}::standards/aws-foundational-security-best-practices/v/1.0.0",
    });
    const subscription = only<{ depends_on: string[] }>(json, "aws_securityhub_standards_subscription");
    // The standard's controls evaluate AWS Config items, so it waits until recording is on.
    expect(subscription.depends_on).toEqual([
      "aws_securityhub_account.threat_detection_security_hub",
      "aws_config_configuration_recorder_status.config_recorder_status",
    ]);
  });

  it("matches GuardDuty findings of severity 7 and up and active high or critical Security Hub findings", () => {
    const rule = only<{ event_pattern: string }>(synthDetection().json, "aws_cloudwatch_event_rule");
    const pattern = JSON.parse(rule.event_pattern);
    expect(pattern.$or).toContainEqual(
      expect.objectContaining({ source: ["aws.guardduty"], detail: { severity: [{ numeric: [">=", 7] }] } }),
    );
    expect(pattern.$or).toContainEqual(
      expect.objectContaining({
        source: ["aws.securityhub"],
        detail: { findings: { Severity: { Label: ["HIGH", "CRITICAL"] }, RecordState: ["ACTIVE"] } },
      }),
    );
  });

  it("takes a different GuardDuty severity threshold", () => {
    const rule = only<{ event_pattern: string }>(synthDetection({ minimumGuardDutySeverity: 4 }).json, "aws_cloudwatch_event_rule");
    expect(rule.event_pattern).toContain('"numeric":[">=",4]');
  });

  it("sends alerts to a topic encrypted with the key", () => {
    const { synth } = synthDetection();
    expect(synth).toHaveResourceWithProperties(SnsTopic, { kms_master_key_id: "${aws_kms_key.alerts_key.arn}" });
    expect(synth).toHaveResourceWithProperties(CloudwatchEventTarget, {
      rule: "${aws_cloudwatch_event_rule.threat_detection_high_severity_findings.name}",
      arn: "${aws_sns_topic.threat_detection_alert_topic.arn}",
    });
  });

  it("lets only this rule publish, over TLS", () => {
    const policy = JSON.parse(only<{ policy: string }>(synthDetection().json, "aws_sns_topic_policy").policy);
    const allows = policy.Statement.filter((s: Statement) => s.Effect === "Allow");
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: "events.amazonaws.com" },
        Action: "sns:Publish",
        Condition: { ArnEquals: { "aws:SourceArn": "${aws_cloudwatch_event_rule.threat_detection_high_severity_findings.arn}" } },
      }),
    ]);
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    );
  });

  // SNS Developer Guide, Key management: a source condition on the key is not supported for EventBridge-to-encrypted
  // topics, and with one every alarm fails to publish; the topic policy limits which rules may publish.
  it("lets EventBridge use the topic's key with no source condition, which EventBridge cannot meet", () => {
    const key = only<{ policy: string }>(synthDetection().json, "aws_kms_key");
    expect(JSON.parse(key.policy).Statement).toContainEqual({
      Sid: "EventBridgeUse",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
    });
  });

  it("subscribes each alert email", () => {
    const { synth, json } = synthDetection({ alertEmails: ["sec@example.com", "oncall@example.com"] });
    expect(Object.keys(json.resource.aws_sns_topic_subscription)).toHaveLength(2);
    expect(synth).toHaveResourceWithProperties(SnsTopicSubscription, {
      protocol: "email",
      endpoint: "oncall@example.com",
      topic_arn: "${aws_sns_topic.threat_detection_alert_topic.arn}",
    });
  });

  it("subscribes an HTTPS endpoint, a queue and a function, letting SNS invoke the function for this topic only", () => {
    const fn = "arn:aws:lambda:eu-west-1:111122223333:function:page-oncall";
    const queue = "arn:aws:sqs:eu-west-1:111122223333:security-findings";
    const { synth, json } = synthDetection({
      alertEmails: [],
      alertSubscriptions: [
        { protocol: "https", endpoint: "https://events.pagerduty.com/integration/abc/enqueue" },
        { protocol: "sqs", endpoint: queue },
        { protocol: "lambda", endpoint: fn },
      ],
    });
    expect(
      Object.values(json.resource.aws_sns_topic_subscription)
        .map((s) => (s as { protocol: string }).protocol)
        .sort(),
    ).toEqual(["https", "lambda", "sqs"]);
    expect(synth).toHaveResourceWithProperties(LambdaPermission, {
      action: "lambda:InvokeFunction",
      function_name: fn,
      principal: "sns.amazonaws.com",
      source_arn: "${aws_sns_topic.threat_detection_alert_topic.arn}",
    });
    expect(synth).toHaveResourceWithProperties(SnsTopicSubscription, {
      protocol: "lambda",
      endpoint: fn,
      depends_on: ["aws_lambda_permission.threat_detection_alert_function3_permission"],
    });
  });

  // Defect: the topic had no subscriber by default, so findings reached no one.
  it("refuses a topic nobody receives", () => {
    expect(() => synthDetection({ alertEmails: [] })).toThrow(
      "test/ThreatDetection: alertEmails or alertSubscriptions must name at least one subscriber of the alert topic; without one, findings reach no one.",
    );
  });

  it.each([
    [{ minimumGuardDutySeverity: 0.5 }, /ThreatDetection: minimumGuardDutySeverity must be from 1 to 8.9, got 0.5/],
    [{ minimumGuardDutySeverity: 9 }, /minimumGuardDutySeverity must be from 1 to 8.9, got 9/],
    [{ alertEmails: ["not-an-email"] }, /ThreatDetection: alertEmails must hold email addresses, got 'not-an-email'/],
    [
      { alertSubscriptions: [{ protocol: "https" as const, endpoint: "http://hooks.example.com/x" }] },
      /ThreatDetection: alertSubscriptions: an https subscription needs an https:\/\/ URL, got 'http:\/\/hooks.example.com\/x'/,
    ],
    [
      { alertSubscriptions: [{ protocol: "sqs" as const, endpoint: "security-findings" }] },
      /alertSubscriptions: an sqs subscription needs an SQS queue ARN, got 'security-findings'/,
    ],
  ])("rejects %p", (props, message) => {
    expect(() => synthDetection(props)).toThrow(message);
  });
});
