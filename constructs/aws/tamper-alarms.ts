import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { Construct } from "constructs";
import { ThreatDetection } from "./threat-detection";

/**
 * The management calls that undo one of the platform's controls, by the
 * service that records them. CloudTrail delivers each to the account's
 * default EventBridge bus as "AWS API Call via CloudTrail" (EventBridge user
 * guide, "AWS service events delivered via AWS CloudTrail"), in the region
 * where the call was made, as long as a trail is logging: StopLogging itself
 * is delivered, the calls after it are not (which is why it alarms).
 */
export const TAMPER_EVENTS = {
  Trail: {
    source: "aws.cloudtrail",
    eventSource: "cloudtrail.amazonaws.com",
    names: ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"],
    what: "the audit trail stopped, deleted or narrowed",
  },
  Keys: {
    source: "aws.kms",
    eventSource: "kms.amazonaws.com",
    names: ["PutKeyPolicy", "DisableKey", "ScheduleKeyDeletion", "DisableKeyRotation", "DeleteAlias", "TagResource", "UntagResource"],
    what: "a key's policy replaced, its tags changed, or a key disabled or scheduled for deletion",
  },
  Detection: {
    source: ["aws.guardduty", "aws.securityhub", "aws.config"],
    eventSource: ["guardduty.amazonaws.com", "securityhub.amazonaws.com", "config.amazonaws.com"],
    names: [
      "DeleteDetector",
      "UpdateDetector",
      "DisableSecurityHub",
      "BatchDisableStandards",
      "StopConfigurationRecorder",
      "DeleteConfigurationRecorder",
      "DeleteDeliveryChannel",
    ],
    what: "GuardDuty, Security Hub or AWS Config turned off",
  },
  Logs: {
    source: "aws.logs",
    eventSource: "logs.amazonaws.com",
    names: ["DeleteLogGroup", "DeleteSubscriptionFilter", "DisassociateKmsKey"],
    what: "a log group (the EKS audit log, the trail's copy, flow logs) deleted or decrypted",
  },
  Buckets: {
    source: "aws.s3",
    eventSource: "s3.amazonaws.com",
    names: ["PutBucketPolicy", "DeleteBucketPolicy"],
    what: "the policy of an audit or model bucket replaced or removed",
  },
  Backups: {
    source: "aws.backup",
    eventSource: "backup.amazonaws.com",
    names: [
      "DeleteBackupVault",
      "DeleteRecoveryPoint",
      "DeleteBackupVaultLockConfiguration",
      "DeleteBackupPlan",
      "DeleteBackupSelection",
      "DeleteRestoreTestingPlan",
    ],
    what: "a backup vault, recovery point, plan, selection or restore test deleted",
  },
  Alarms: {
    source: ["aws.events", "aws.sns"],
    eventSource: ["events.amazonaws.com", "sns.amazonaws.com"],
    names: [
      "DeleteRule",
      "DisableRule",
      "RemoveTargets",
      "PutRule",
      "PutTargets",
      "DeleteTopic",
      "SetTopicAttributes",
      "Unsubscribe",
      "SetSubscriptionAttributes",
    ],
    what: "an alarm rule, its targets, the alert topic or its subscriptions changed (the last alarm before silence)",
  },
  Registry: {
    source: "aws.ecr",
    eventSource: "ecr.amazonaws.com",
    names: [
      "SetRepositoryPolicy",
      "DeleteRepositoryPolicy",
      "PutLifecyclePolicy",
      "DeleteLifecyclePolicy",
      "PutRegistryPolicy",
      "DeleteRegistryPolicy",
      // Scanning turned off, or where cached images come from and which policy their repositories get.
      "PutRegistryScanningConfiguration",
      "PutReplicationConfiguration",
      "TagResource",
      "UntagResource",
      "CreatePullThroughCacheRule",
      "UpdatePullThroughCacheRule",
      "DeletePullThroughCacheRule",
      "CreateRepositoryCreationTemplate",
      "UpdateRepositoryCreationTemplate",
      "DeleteRepositoryCreationTemplate",
    ],
    what: "who may push to a repository, which images expire, the registry's policy, its scanning, or its pull-through caches changed",
  },
  ClusterAccess: {
    source: "aws.eks",
    eventSource: "eks.amazonaws.com",
    names: ["CreateAccessEntry", "UpdateAccessEntry", "DeleteAccessEntry", "AssociateAccessPolicy", "DisassociateAccessPolicy"],
    what: "who may reach the cluster changed",
  },
} as const;

export interface TamperAlarmsProps {
  /** Where alarms go: its alert topic, which lets each rule publish. */
  readonly detection: ThreatDetection;
  /**
   * Buckets whose policy changes alarm: the trail's, the models', AWS Config's.
   * Other buckets' policies change in normal work. @default - every bucket's
   */
  readonly bucketNames?: string[];
  /**
   * Names each rule `<rulePrefix><family>`, so the service control policies can name them.
   * @default - names Terraform makes up
   */
  readonly rulePrefix?: string;
  /** Tags for the rules. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * EventBridge rules on the calls that undo the platform's controls (see
 * TAMPER_EVENTS), each sent to the alert topic. They live in the account
 * they watch, so whoever can delete a rule can silence it: changing a rule
 * or the topic alarms too (the call is delivered before the change takes
 * effect for later events), and the service control policies deny those
 * calls on the platform's rules to the member account.
 */
export class TamperAlarms extends Construct {
  readonly ruleArns: Record<keyof typeof TAMPER_EVENTS, string>;

  constructor(scope: Construct, id: string, props: TamperAlarmsProps) {
    super(scope, id);
    const arns: Partial<Record<keyof typeof TAMPER_EVENTS, string>> = {};
    for (const [family, events] of Object.entries(TAMPER_EVENTS) as Array<
      [keyof typeof TAMPER_EVENTS, (typeof TAMPER_EVENTS)[keyof typeof TAMPER_EVENTS]]
    >) {
      const detail: Record<string, unknown> = { eventSource: [events.eventSource].flat(), eventName: [...events.names] };
      if (family === "Buckets" && props.bucketNames && props.bucketNames.length > 0)
        detail.requestParameters = { bucketName: props.bucketNames };
      const rule = new CloudwatchEventRule(this, family, {
        name: props.rulePrefix ? `${props.rulePrefix}${family.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()}` : undefined,
        description: `Tamper alarm: ${events.what}`,
        eventPattern: JSON.stringify({ source: [events.source].flat(), "detail-type": ["AWS API Call via CloudTrail"], detail }),
        tags: props.tags,
      });
      props.detection.routeToAlerts(rule, `Tamper${family}Target`);
      arns[family] = rule.arn;
    }
    this.ruleArns = arns as Record<keyof typeof TAMPER_EVENTS, string>;
  }
}
