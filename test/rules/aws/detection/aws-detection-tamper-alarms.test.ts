import { tamperAlarms as rule, TAMPER_CALLS } from "../../../../lib/rules/aws/detection/detection-tamper-alarms";
import { checkHcl, checkJson, findingFor } from "../../harness";

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const ADMIN = "arn:aws:iam::111122223333:role/key-admin";
const apiCall = (source: string[], eventSource: string[], names: readonly string[], extra: object = {}) =>
  JSON.stringify({ source, "detail-type": ["AWS API Call via CloudTrail"], detail: { eventSource, eventName: [...names], ...extra } });
/** One rule per service, as TamperAlarms writes them. */
const tamperRules = (override: (name: string) => object = () => ({})) =>
  Object.fromEntries(
    TAMPER_CALLS.map((c, i) => [`r${i}`, { event_pattern: apiCall([c.source], [c.eventSource], c.names), ...override(`r${i}`) }]),
  );
const targets = (topic = "alerts", rules = TAMPER_CALLS.map((_c, i) => `r${i}`)) =>
  Object.fromEntries(
    rules.map((r) => [`t_${r}`, { rule: `\${aws_cloudwatch_event_rule.${r}.name}`, arn: `\${aws_sns_topic.${topic}.arn}` }]),
  );
const eventsKey = {
  Sid: "EventBridgeUse",
  Effect: "Allow",
  Principal: { Service: "events.amazonaws.com" },
  Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
  Resource: "*",
};
const admins = { Sid: "Admins", Effect: "Allow", Principal: { AWS: ADMIN }, Action: "kms:Put*", Resource: "*" };
const publish = (rules: string[]) => ({
  Sid: "EventBridgePublish",
  Effect: "Allow",
  Principal: { Service: "events.amazonaws.com" },
  Action: "sns:Publish",
  Resource: "${aws_sns_topic.alerts.arn}",
  Condition: { ArnEquals: { "aws:SourceArn": rules.map((r) => `\${aws_cloudwatch_event_rule.${r}.arn}`) } },
});
const tls = {
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "sns:Publish",
  Resource: "*",
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const ALL = TAMPER_CALLS.map((_c, i) => `r${i}`);

function platform(change: (doc: { resource: Record<string, Record<string, Record<string, unknown>>> }) => void = () => undefined) {
  const doc = {
    resource: {
      aws_cloudtrail: { audit: { name: "audit", s3_bucket_name: "audit-logs" } },
      aws_kms_key: { alerts: { policy: policy(admins, eventsKey) } },
      aws_sns_topic: { alerts: { kms_master_key_id: "${aws_kms_key.alerts.arn}" } },
      aws_sns_topic_policy: { alerts: { arn: "${aws_sns_topic.alerts.arn}", policy: policy(publish(ALL), tls) } },
      aws_cloudwatch_event_rule: tamperRules() as Record<string, Record<string, unknown>>,
      aws_cloudwatch_event_target: targets() as Record<string, Record<string, unknown>>,
    },
  };
  change(doc);
  return findingFor(checkJson(rule, doc), "aws_cloudtrail.audit");
}

describe("aws-detection-tamper-alarms", () => {
  it("passes when every tampering call reaches a topic that admits its rule, under a key EventBridge may use", () => {
    const finding = platform();
    expect(finding.status).toBe("pass");
    expect(finding.message).toMatch(/StopLogging \(aws_cloudwatch_event_rule\.r0\)/);
  });

  it("passes one rule with $or branches and a bucket rule narrowed to the audit buckets", () => {
    const finding = platform((doc) => {
      const branches = TAMPER_CALLS.filter((c) => c.source !== "aws.s3").map((c) => ({
        source: [c.source],
        detail: { eventName: [...c.names] },
      }));
      doc.resource.aws_cloudwatch_event_rule = {
        all: { event_pattern: JSON.stringify({ "detail-type": ["AWS API Call via CloudTrail"], $or: branches }) },
        buckets: {
          event_pattern: apiCall(["aws.s3"], ["s3.amazonaws.com"], ["PutBucketPolicy", "DeleteBucketPolicy"], {
            requestParameters: { bucketName: ["${aws_s3_bucket.audit.bucket}"] },
          }),
        },
      };
      doc.resource.aws_cloudwatch_event_target = targets("alerts", ["all", "buckets"]);
      doc.resource.aws_sns_topic_policy.alerts.policy = policy(publish(["all", "buckets"]), tls);
    });
    expect(finding.status).toBe("pass");
    expect(finding.message).toMatch(
      /PutBucketPolicy \(aws_cloudwatch_event_rule\.buckets, for the resources it names in detail\.requestParameters\)/,
    );
  });

  it("fails when a tampering call has no rule, naming the calls", () => {
    const finding = platform((doc) => {
      delete doc.resource.aws_cloudwatch_event_rule.r1;
      delete doc.resource.aws_cloudwatch_event_target.t_r1;
      doc.resource.aws_sns_topic_policy.alerts.policy = policy(publish(ALL.filter((r) => r !== "r1")), tls);
    });
    expect(finding.status).toBe("fail");
    expect(finding.message).toMatch(/no EventBridge rule sends PutKeyPolicy, DisableKey, ScheduleKeyDeletion/);
  });

  it("fails when the registry's rule leaves out turning scanning off", () => {
    const ecr = TAMPER_CALLS.findIndex((c) => c.source === "aws.ecr");
    const finding = platform((doc) => {
      const c = TAMPER_CALLS[ecr];
      doc.resource.aws_cloudwatch_event_rule[`r${ecr}`].event_pattern = apiCall(
        [c.source],
        [c.eventSource],
        c.names.filter((n) => n !== "PutRegistryScanningConfiguration"),
      );
    });
    expect(finding.status).toBe("fail");
    expect(finding.message).toMatch(/PutRegistryScanningConfiguration/);
  });

  // The classic trap: the alarm is configured, but SNS refuses EventBridge or cannot encrypt what it publishes.
  it("fails when the topic policy does not name the rule, or the topic's key does not let EventBridge encrypt", () => {
    const unnamed = platform((doc) => {
      doc.resource.aws_sns_topic_policy.alerts.policy = policy(publish(ALL.filter((r) => r !== "r0")), tls);
    });
    expect(unnamed.status).toBe("fail");
    expect(unnamed.message).toMatch(
      /StopLogging.*aws_sns_topic_policy\.alerts does not let events\.amazonaws\.com publish for aws_cloudwatch_event_rule\.r0/,
    );
    const keyless = platform((doc) => {
      doc.resource.aws_kms_key.alerts.policy = policy(admins);
    });
    expect(keyless.status).toBe("fail");
    expect(keyless.message).toMatch(
      /aws_kms_key\.alerts, the key of aws_sns_topic\.alerts, does not let events\.amazonaws\.com call kms:GenerateDataKey, kms:Decrypt/,
    ); // EventBridge's request to an encrypted topic carries no aws:SourceAccount (SNS Developer Guide, Key management).
    const scoped = platform((doc) => {
      doc.resource.aws_kms_key.alerts.policy = policy(admins, {
        ...eventsKey,
        Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
      });
    });
    expect(scoped.status).toBe("fail");
    expect(scoped.message).toMatch(/aws_kms_key\.alerts, the key of aws_sns_topic\.alerts, does not let events\.amazonaws\.com call/);
  });

  it("fails disabled rules, rules on another bus and rules nobody targets", () => {
    const disabled = platform((doc) => Object.assign(doc.resource.aws_cloudwatch_event_rule.r0, { state: "DISABLED" }));
    expect(disabled.message).toMatch(/aws_cloudwatch_event_rule\.r0 matches StopLogging but is disabled/);
    const bus = platform((doc) => Object.assign(doc.resource.aws_cloudwatch_event_rule.r2, { event_bus_name: "custom" }));
    expect(bus.message).toMatch(/r2 matches DeleteDetector but listens on the event bus "custom"/);
    const untargeted = platform((doc) => delete doc.resource.aws_cloudwatch_event_target.t_r4);
    expect(untargeted.message).toMatch(/DeleteLogGroup.*no aws_cloudwatch_event_target sends what aws_cloudwatch_event_rule\.r4 matches/);
  });

  it("leaves patterns, filters and topics the engine cannot read unresolved", () => {
    const variable = platform((doc) => Object.assign(doc.resource.aws_cloudwatch_event_rule.r0, { event_pattern: "${var.pattern}" }));
    expect(variable.unresolved).toBe(true);
    expect(variable.message).toMatch(/var\.pattern/);
    const filter = platform((doc) =>
      Object.assign(doc.resource.aws_cloudwatch_event_rule.r0, {
        event_pattern: JSON.stringify({
          source: [{ wildcard: "aws.cloud*" }],
          detail: { eventName: ["StopLogging", "DeleteTrail", "UpdateTrail"] },
        }),
      }),
    );
    expect(filter.unresolved).toBe(true);
    expect(filter.message).toMatch(/content filter/);
    const outside = platform((doc) => {
      for (const t of Object.values(doc.resource.aws_cloudwatch_event_target)) t.arn = "arn:aws:sns:eu-west-1:111122223333:alerts";
    });
    expect(outside.unresolved).toBe(true);
  });

  it("reads HCL", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_cloudtrail" "audit" {
         name = "audit"
         s3_bucket_name = "audit-logs"
       }
       resource "aws_cloudwatch_event_rule" "trail" {
         event_pattern = jsonencode({ source = ["aws.cloudtrail"] })
       }`,
    );
    // The jsonencode'd pattern is read: it names no event that undoes the trail, so the trail has no alarm.
    const finding = findingFor(hcl, "aws_cloudtrail.audit");
    expect(finding.status).toBe("fail");
    expect(finding.unresolved).toBeFalsy();
    const variable = await checkHcl(
      rule,
      `resource "aws_cloudtrail" "audit" {
         name = "audit"
         s3_bucket_name = "audit-logs"
       }
       variable "pattern" {}
       resource "aws_cloudwatch_event_rule" "trail" {
         event_pattern = var.pattern
       }`,
    );
    expect(findingFor(variable, "aws_cloudtrail.audit").unresolved).toBe(true);
  });
});
