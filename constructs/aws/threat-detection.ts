import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { GuarddutyDetector } from "@cdktf/provider-aws/lib/guardduty-detector";
import { GuarddutyDetectorFeature } from "@cdktf/provider-aws/lib/guardduty-detector-feature";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SecurityhubAccount } from "@cdktf/provider-aws/lib/securityhub-account";
import { SecurityhubStandardsSubscription } from "@cdktf/provider-aws/lib/securityhub-standards-subscription";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { AlertSubscription, alertSubscriptionProblem } from "./alert-subscription";
import { IAlertTopic } from "./alert-topic";
import { AwsContext } from "./aws-context";
import { ConfigRecorder } from "./config-recorder";
import { PlatformKey } from "./platform-key";
import { PolicyDocument } from "./policy-document";

/**
 * GuardDuty protection plans the platform turns on. RUNTIME_MONITORING
 * already covers EKS runtime threats, so EKS_RUNTIME_MONITORING is left out
 * (GuardDuty rejects both together); the add-on management lets GuardDuty
 * install and update its agent on every EKS cluster.
 */
export const GUARDDUTY_FEATURES: ReadonlyArray<{ id: string; name: string; additional?: string[] }> = [
  { id: "EksAuditLogs", name: "EKS_AUDIT_LOGS" },
  { id: "S3DataEvents", name: "S3_DATA_EVENTS" },
  { id: "EbsMalwareProtection", name: "EBS_MALWARE_PROTECTION" },
  { id: "RuntimeMonitoring", name: "RUNTIME_MONITORING", additional: ["EKS_ADDON_MANAGEMENT"] },
];

export const FSBP_STANDARD = "standards/aws-foundational-security-best-practices/v/1.0.0";

export interface ThreatDetectionProps {
  /** Key that encrypts the alert topic; EventBridge is allowed to use it. */
  readonly key: PlatformKey;
  /**
   * Email addresses subscribed to the alert topic. SNS delivers to each only
   * after its owner follows the confirmation link SNS sends. @default - none
   */
  readonly alertEmails?: string[];
  /**
   * Other subscribers of the alert topic: an HTTPS endpoint (which must
   * confirm the subscription), or an SQS queue or Lambda function by ARN. A
   * Lambda function in this account gets the permission SNS needs to invoke
   * it; a queue's own policy must let sns.amazonaws.com send to it.
   * At least one subscriber, here or in alertEmails, is required. @default - none
   */
  readonly alertSubscriptions?: AlertSubscription[];
  /** AWS Config recording in this account and region: Security Hub's standard waits for it, as its controls evaluate its data. */
  readonly configRecorder: ConfigRecorder;
  /** Lowest GuardDuty severity (1 to 8.9) that raises an alert; 7 and above is "High". @default 7 */
  readonly minimumGuardDutySeverity?: number;
  /**
   * Name of the alert topic, so the service control policies can protect it and its subscriptions.
   * @default - a name Terraform makes up
   */
  readonly alertTopicName?: string;
  /**
   * Name of the EventBridge rule that routes findings to the topic, so the service control policies can keep it
   * from being deleted or disabled. @default - a name Terraform makes up
   */
  readonly findingsRuleName?: string;
  /**
   * A landing zone's alert topic to publish to instead of a topic of the platform's own
   * (`AlertTopic.fromTopicArn`): no topic, topic policy or subscription is made, and alertEmails and
   * alertSubscriptions must be empty, since the topic's subscribers are its owner's.
   * @default - a new topic, encrypted with `key`
   */
  readonly alertTopic?: IAlertTopic;
  /** Tags for the detector, rule and topic. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * Threat detection for the account: GuardDuty with EKS, S3, EBS malware and
 * runtime protection, Security Hub with the AWS Foundational Security Best
 * Practices standard (once AWS Config records), and an encrypted SNS topic
 * that receives high and critical findings of both and has at least one
 * subscriber.
 */
export class ThreatDetection extends Construct {
  readonly detectorId: string;
  readonly alertTopicArn: string;
  /** The topic findings go to: the platform's own, or the landing zone's (`alertTopic`). */
  readonly alertTopic: IAlertTopic;

  constructor(scope: Construct, id: string, props: ThreatDetectionProps) {
    super(scope, id);
    const minimumSeverity = props.minimumGuardDutySeverity ?? 7;
    if (!Number.isFinite(minimumSeverity) || minimumSeverity < 1 || minimumSeverity > 8.9) {
      throw new Error(`${this.node.path}: minimumGuardDutySeverity must be from 1 to 8.9, got ${minimumSeverity}.`);
    }
    const emails = props.alertEmails ?? [];
    const badEmail = emails.find((e) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e));
    if (badEmail !== undefined) {
      throw new Error(`${this.node.path}: alertEmails must hold email addresses, got '${badEmail}'.`);
    }
    const subscriptions = props.alertSubscriptions ?? [];
    const badSubscription = subscriptions.map(alertSubscriptionProblem).find((p) => p !== undefined);
    if (badSubscription !== undefined) throw new Error(`${this.node.path}: alertSubscriptions: ${badSubscription}.`);
    if (props.alertTopic && emails.length + subscriptions.length > 0) {
      throw new Error(
        `${this.node.path}: alertEmails and alertSubscriptions cannot be given with alertTopic: the landing zone's topic has its own subscribers, which cannot be changed here.`,
      );
    }
    // A topic nobody subscribes to raises alarms no one hears.
    if (!props.alertTopic && emails.length + subscriptions.length === 0) {
      throw new Error(
        `${this.node.path}: alertEmails or alertSubscriptions must name at least one subscriber of the alert topic; without one, findings reach no one.`,
      );
    }
    const context = AwsContext.of(this);

    const detector = new GuarddutyDetector(this, "Resource", {
      enable: true,
      findingPublishingFrequency: "FIFTEEN_MINUTES",
      tags: props.tags,
    });
    this.detectorId = detector.id;
    for (const feature of GUARDDUTY_FEATURES) {
      new GuarddutyDetectorFeature(this, feature.id, {
        detectorId: detector.id,
        name: feature.name,
        status: "ENABLED",
        additionalConfiguration: feature.additional?.map((name) => ({ name, status: "ENABLED" })),
      });
    }

    // Default standards off: the standard below is managed here, so Terraform
    // owns it and a later `destroy` does not leave an unmanaged subscription.
    const securityHub = new SecurityhubAccount(this, "SecurityHub", {
      enableDefaultStandards: false,
      autoEnableControls: true,
      controlFindingGenerator: "SECURITY_CONTROL",
    });
    new SecurityhubStandardsSubscription(this, "FoundationalBestPractices", {
      standardsArn: context.arn("securityhub", FSBP_STANDARD, { account: "" }),
      // The standard's controls evaluate AWS Config items: recording is on before they start.
      dependsOn: [securityHub, props.configRecorder.status],
    });

    const rule = new CloudwatchEventRule(this, "HighSeverityFindings", {
      name: props.findingsRuleName,
      description: "High and critical GuardDuty and Security Hub findings",
      eventPattern: JSON.stringify({
        $or: [
          {
            source: ["aws.guardduty"],
            "detail-type": ["GuardDuty Finding"],
            detail: { severity: [{ numeric: [">=", minimumSeverity] }] },
          },
          {
            source: ["aws.securityhub"],
            "detail-type": ["Security Hub Findings - Imported"],
            // Archived findings (resolved or gone) are not worth waking anyone for.
            detail: { findings: { Severity: { Label: ["HIGH", "CRITICAL"] }, RecordState: ["ACTIVE"] } },
          },
        ],
      }),
      tags: props.tags,
    });

    if (props.alertTopic) {
      this.alertTopic = props.alertTopic;
      this.alertTopicArn = props.alertTopic.topicArn;
      this.routeToAlerts(rule, "AlertTarget");
      return;
    }
    // SNS encrypts each message with a data key that EventBridge must be able to make. The statement carries no
    // condition: "Adding the aws:SourceAccount and aws:SourceArn to a AWS KMS policy is not supported for
    // EventBridge-to-encrypted topics" (SNS Developer Guide, Key management), and with one every alarm fails to
    // publish (FailedInvocations). Which rules may publish is limited by the topic policy (aws:SourceArn) instead.
    props.key.allowService({
      Sid: "EventBridgeUse",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
    });
    const topic = new SnsTopic(this, "AlertTopic", {
      name: props.alertTopicName,
      displayName: "Security findings",
      kmsMasterKeyId: props.key.keyArn,
      tags: props.tags,
    });
    this.alertTopicArn = topic.arn;
    this.alertTopic = { topicArn: topic.arn, imported: false };
    // EventBridge publishes only for the rules routed here (routeToAlerts), each named by aws:SourceArn.
    new SnsTopicPolicy(this, "AlertTopicPolicy", {
      arn: topic.arn,
      policy: Lazy.stringValue({ produce: () => this.topicPolicy(topic.arn) }),
    });
    this.routeToAlerts(rule, "AlertTarget");

    emails.forEach((email, index) => {
      new SnsTopicSubscription(this, `AlertEmail${index + 1}`, { topicArn: topic.arn, protocol: "email", endpoint: email });
    });
    subscriptions.forEach(({ protocol, endpoint }, index) => {
      const id = `Alert${protocol === "https" ? "Https" : protocol === "sqs" ? "Queue" : "Function"}${index + 1}`;
      // SNS invokes a function only when the function's resource policy lets it, for this topic.
      const permission =
        protocol === "lambda"
          ? new LambdaPermission(this, `${id}Permission`, {
              action: "lambda:InvokeFunction",
              functionName: endpoint,
              principal: "sns.amazonaws.com",
              sourceArn: topic.arn,
            })
          : undefined;
      // An https endpoint stays "pending confirmation" until it answers SNS's SubscriptionConfirmation.
      new SnsTopicSubscription(this, id, { topicArn: topic.arn, protocol, endpoint, dependsOn: permission ? [permission] : undefined });
    });
  }

  private readonly routedRuleArns: string[] = [];

  /**
   * Sends what an EventBridge rule matches to the alert topic: a target, and
   * the rule's ARN in the topic policy (EventBridge publishes as
   * events.amazonaws.com with the rule as aws:SourceArn). The topic's key
   * already lets EventBridge make the data keys SNS encrypts with.
   */
  routeToAlerts(rule: CloudwatchEventRule, targetId: string): CloudwatchEventTarget {
    this.routedRuleArns.push(rule.arn);
    return new CloudwatchEventTarget(this, targetId, { rule: rule.name, arn: this.alertTopicArn });
  }

  private topicPolicy(topicArn: string): string {
    return new PolicyDocument([
      {
        Sid: "EventBridgePublishFromAlertRules",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { ArnEquals: { "aws:SourceArn": this.routedRuleArns.length === 1 ? this.routedRuleArns[0] : [...this.routedRuleArns] } },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]).toJson();
  }
}
