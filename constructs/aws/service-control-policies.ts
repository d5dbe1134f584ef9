import { PolicyDocument, PolicyStatement } from "./policy-document";

/** What the service control policies protect, all known at synth: names the platform's constructs give. */
export interface ScpTargets {
  /** The platform's name: its resources carry the tag `saip:platform` with it (the provider's default tags). */
  readonly platform: string;
  readonly trailName: string;
  /** Log groups holding audit records: the trail's copy and the EKS control plane's. */
  readonly auditLogGroups: string[];
  /** The platform's backup vaults: its data's and its Terraform state's. */
  readonly backupVaultNames: string[];
  /** Prefix of the tamper alarms' EventBridge rule names. */
  readonly alarmRulePrefix: string;
  /** Name of the rule that routes findings to the alert topic: as much the alarm path as the tamper alarms. */
  readonly findingsRuleName: string;
  /** Name of the alert topic the alarms publish to. */
  readonly alertTopicName: string;
  /** May still administer keys (PutKeyPolicy): the key administrators and the deploying role. */
  readonly keyAdministrators: string[];
  /** The break-glass role: the one principal the policies spare, for a recorded emergency. */
  readonly breakGlassRoleArn: string;
  /**
   * The deploying role, which still configures what it creates (trail event selectors, log retention, detectors, alarm rules), never stops
   * or deletes it.
   */
  readonly deployerRoleArn: string;
}

/** AWS Organizations' limit on a service control policy, in characters of the document as sent. */
export const SCP_MAX_CHARACTERS = 5120;

const except = (arns: string[]) => ({ ArnNotLike: { "aws:PrincipalArn": [...new Set(arns)] } });

/**
 * Service control policies for the organization to attach to the platform's
 * account (AWS Security Reference Architecture: member accounts cannot turn
 * off what the security tooling accounts rely on). An SCP limits every
 * principal of the account, its root user and IAM administrators included,
 * and nothing in the account can detach it: only the management account can.
 * Each is one document under Organizations' 5,120-character limit, keyed by
 * the file name it is written to.
 */
export function serviceControlPolicies(t: ScpTargets): Record<string, PolicyDocument> {
  const breakGlass = [t.breakGlassRoleArn];
  // The partition of the roles the config names (aws, aws-cn, aws-us-gov): the policies are written at synth.
  const partition = /^arn:(aws[a-z-]*):/.exec(t.breakGlassRoleArn)?.[1] ?? "aws";
  // The deployer configures what it creates (event selectors, retention, detectors, alarm rules); it never stops or deletes them.
  const configurers = [t.deployerRoleArn, t.breakGlassRoleArn];
  const trail = `arn:${partition}:cloudtrail:*:*:trail/${t.trailName}`;
  const auditLogs = t.auditLogGroups.map((g) => `arn:${partition}:logs:*:*:log-group:${g}*`);
  const alertTopic = `arn:${partition}:sns:*:*:${t.alertTopicName}`;
  const platformTag = { StringEquals: { "aws:ResourceTag/saip:platform": t.platform } };
  const audit: PolicyStatement[] = [
    {
      Sid: "DenyStoppingTheTrail",
      Effect: "Deny",
      Action: ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"],
      Resource: trail,
      Condition: except(breakGlass),
    },
    // The provider creates the trail with CreateTrail, StartLogging, then PutEventSelectors, and
    // changes it with UpdateTrail (terraform-provider-aws internal/service/cloudtrail/trail.go):
    // denied to the deployer, the trail could be neither created nor changed. The alarms still fire.
    {
      Sid: "DenyNarrowingTheTrail",
      Effect: "Deny",
      Action: ["cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors"],
      Resource: trail,
      Condition: except(configurers),
    },
    {
      Sid: "DenyDeletingAuditLogs",
      Effect: "Deny",
      Action: ["logs:DeleteLogGroup", "logs:DeleteLogStream", "logs:DeleteSubscriptionFilter", "logs:DisassociateKmsKey"],
      Resource: auditLogs,
      Condition: except(breakGlass),
    },
    // aws_cloudwatch_log_group is created with CreateLogGroup then PutRetentionPolicy
    // (internal/service/logs/group.go), so the deployer sets the retention; nobody else does.
    {
      Sid: "DenyShorteningAuditLogRetention",
      Effect: "Deny",
      // PutSubscriptionFilter too: rewriting the log archive's subscription (a pattern that matches nothing) would stop the copy.
      Action: ["logs:PutRetentionPolicy", "logs:PutSubscriptionFilter"],
      Resource: auditLogs,
      Condition: except(configurers),
    },
    {
      Sid: "DenyDeletingBackups",
      Effect: "Deny",
      Action: [
        "backup:DeleteBackupVault",
        "backup:DeleteRecoveryPoint",
        "backup:DeleteBackupVaultLockConfiguration",
        "backup:DeleteBackupVaultAccessPolicy",
        "backup:PutBackupVaultAccessPolicy",
      ],
      Resource: [
        ...t.backupVaultNames.map((name) => `arn:${partition}:backup:*:*:backup-vault:${name}`),
        `arn:${partition}:backup:*:*:recovery-point:*`,
      ],
      Condition: except(breakGlass),
    },
    // Plans and selections carry only generated ids in their ARNs, so every plan of the account is covered. The
    // deployer keeps routine changes: every argument of aws_backup_selection forces a replacement (no update API),
    // so changing what is backed up deletes the selection first. Nobody else may stop the backups.
    {
      Sid: "DenyDismantlingBackupPlans",
      Effect: "Deny",
      Action: [
        "backup:DeleteBackupPlan",
        "backup:UpdateBackupPlan",
        "backup:DeleteBackupSelection",
        "backup:DeleteRestoreTestingPlan",
        "backup:UpdateRestoreTestingPlan",
        "backup:DeleteRestoreTestingSelection",
        "backup:UpdateRestoreTestingSelection",
      ],
      Resource: [`arn:${partition}:backup:*:*:backup-plan:*`, `arn:${partition}:backup:*:*:restore-testing-plan:*`],
      Condition: except(configurers),
    },
    { Sid: "DenyLeavingTheOrganization", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" },
  ];
  const keys: PolicyStatement[] = [
    // Keys carry the platform's tag from the provider's default tags; untagging them is denied too.
    {
      Sid: "DenyDestroyingPlatformKeys",
      Effect: "Deny",
      Action: ["kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:DisableKeyRotation", "kms:DeleteAlias"],
      Resource: "*",
      Condition: { ...platformTag, ...except(breakGlass) },
    },
    {
      Sid: "DenyRewritingPlatformKeyPolicies",
      Effect: "Deny",
      Action: ["kms:PutKeyPolicy", "kms:UntagResource"],
      Resource: "*",
      Condition: { ...platformTag, ...except([...t.keyAdministrators, t.breakGlassRoleArn]) },
    },
  ];
  const detection: PolicyStatement[] = [
    {
      Sid: "DenyTurningOffDetection",
      Effect: "Deny",
      Action: [
        "guardduty:DeleteDetector",
        "guardduty:DisassociateFromMasterAccount",
        "guardduty:DisassociateFromAdministratorAccount",
        "securityhub:DisableSecurityHub",
        "securityhub:BatchDisableStandards",
        "config:StopConfigurationRecorder",
        "config:DeleteConfigurationRecorder",
        "config:DeleteDeliveryChannel",
      ],
      Resource: "*",
      Condition: except(breakGlass),
    },
    { Sid: "DenyChangingDetectors", Effect: "Deny", Action: "guardduty:UpdateDetector", Resource: "*", Condition: except(configurers) },
    {
      Sid: "DenySilencingTamperAlarms",
      Effect: "Deny",
      Action: ["events:DeleteRule", "events:DisableRule", "events:RemoveTargets", "events:PutRule", "events:PutTargets"],
      Resource: [`arn:${partition}:events:*:*:rule/${t.alarmRulePrefix}*`, `arn:${partition}:events:*:*:rule/${t.findingsRuleName}`],
      Condition: except(configurers),
    },
    // The alarms' last hop: deleting the topic, rewriting its policy or key, or removing or filtering the
    // subscriptions (a filter policy on the e-mail subscription silences everything). The deployer sets the
    // topic's attributes and replaces subscriptions when the addresses change; it never deletes the topic.
    // A subscription's ARN is the topic's followed by ":<id>".
    {
      Sid: "DenyDeletingTheAlertTopic",
      Effect: "Deny",
      Action: "sns:DeleteTopic",
      Resource: alertTopic,
      Condition: except(breakGlass),
    },
    {
      Sid: "DenySilencingTheAlertTopic",
      Effect: "Deny",
      Action: ["sns:SetTopicAttributes", "sns:Unsubscribe", "sns:SetSubscriptionAttributes"],
      Resource: [alertTopic, `${alertTopic}:*`],
      Condition: except(configurers),
    },
  ];
  // Who may push to the platform's repositories and which images expire are set by their policies: an
  // administrator who could rewrite them could publish. The deployer writes them (aws_ecr_repository_policy,
  // aws_ecr_lifecycle_policy); the repositories carry the platform's tag from the provider's default tags.
  keys.push(
    {
      Sid: "DenyRewritingRepositoryPolicies",
      Effect: "Deny",
      Action: ["ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy", "ecr:PutLifecyclePolicy", "ecr:DeleteLifecyclePolicy"],
      Resource: "*",
      Condition: { ...platformTag, ...except(configurers) },
    },
    // Scanning too: Amazon Inspector's own changes come through its service-linked role, which no SCP restricts.
    // Replication would copy the model images to another account; the platform sets up none.
    {
      Sid: "DenyRewritingTheRegistryPolicy",
      Effect: "Deny",
      Action: [
        "ecr:PutRegistryPolicy",
        "ecr:DeleteRegistryPolicy",
        "ecr:PutRegistryScanningConfiguration",
        "ecr:PutReplicationConfiguration",
      ],
      Resource: "*",
      Condition: except(configurers),
    },
    // The denies above hold while a resource carries the platform's tag: changing or removing that tag would
    // lift them. Only the deployer (whose default tags write it) and break-glass may touch it.
    {
      Sid: "DenyRetaggingPlatformResources",
      Effect: "Deny",
      Action: ["kms:TagResource", "kms:UntagResource", "ecr:TagResource", "ecr:UntagResource"],
      Resource: "*",
      Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": ["saip:platform"] }, ...except(configurers) },
    },
  );
  return {
    "scp-audit.json": new PolicyDocument(audit),
    "scp-keys.json": new PolicyDocument(keys),
    "scp-detection.json": new PolicyDocument(detection),
  };
}
