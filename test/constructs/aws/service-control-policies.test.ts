import { Testing } from "cdktf";
import { OrganizationGuardrails } from "../../../constructs/aws/organization-guardrails";
import { serviceControlPolicies, ScpTargets } from "../../../constructs/aws/service-control-policies";
import { SecureStack } from "../../../lib/secure-stack";
import { schemaIssues } from "../../schema/helpers";

const TARGETS: ScpTargets = {
  platform: "ai-platform",
  trailName: "ai-platform-audit",
  auditLogGroups: ["/saip/cloudtrail/ai-platform-audit", "/aws/eks/ai-platform/cluster"],
  backupVaultNames: ["ai-platform-platform", "ai-platform-state"],
  alarmRulePrefix: "ai-platform-tamper-",
  findingsRuleName: "ai-platform-findings",
  alertTopicName: "ai-platform-alerts",
  keyAdministrators: ["arn:aws:iam::111122223333:role/key-admin", "arn:aws:iam::111122223333:role/deployer"],
  breakGlassRoleArn: "arn:aws:iam::111122223333:role/break-glass",
  deployerRoleArn: "arn:aws:iam::111122223333:role/deployer",
};
type Statement = {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
};
const statements = (file: string): Statement[] => JSON.parse(serviceControlPolicies(TARGETS)[file].toJson()).Statement;
const bySid = (sid: string) =>
  Object.keys(serviceControlPolicies(TARGETS))
    .flatMap(statements)
    .find((s) => s.Sid === sid)!;

/**
 * Whether any statement of the policies denies the call: IAM's wildcard matching on action and resource, and ArnNotLike on the principal.
 */
function denies(targets: ScpTargets, principal: string, action: string, resource: string): string | undefined {
  const glob = (pattern: string, value: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".")}$`,
      "i",
    ).test(value);
  const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
  const all = Object.values(serviceControlPolicies(targets)).flatMap((d) => JSON.parse(d.toJson()).Statement as Statement[]);
  return all.find((st) => {
    if (st.Effect !== "Deny" || !list(st.Action).some((a) => glob(a, action)) || !list(st.Resource).some((r) => glob(r, resource)))
      return false;
    const spared = st.Condition?.ArnNotLike?.["aws:PrincipalArn"] as string[] | undefined;
    return !spared?.some((arn) => glob(arn, principal));
  })?.Sid;
}

describe("service control policies", () => {
  it("deny stopping the trail, deleting audit logs and backups, and leaving the organization, to all but the break-glass role", () => {
    expect(bySid("DenyStoppingTheTrail")).toMatchObject({
      Effect: "Deny",
      Resource: "arn:aws:cloudtrail:*:*:trail/ai-platform-audit",
      Condition: { ArnNotLike: { "aws:PrincipalArn": [TARGETS.breakGlassRoleArn] } },
    });
    expect(bySid("DenyDeletingAuditLogs").Resource).toEqual([
      "arn:aws:logs:*:*:log-group:/saip/cloudtrail/ai-platform-audit*",
      "arn:aws:logs:*:*:log-group:/aws/eks/ai-platform/cluster*",
    ]);
    expect(bySid("DenyDeletingBackups").Action).toEqual(expect.arrayContaining(["backup:DeleteBackupVault", "backup:DeleteRecoveryPoint"]));
    expect(bySid("DenyLeavingTheOrganization")).toEqual({
      Sid: "DenyLeavingTheOrganization",
      Effect: "Deny",
      Action: "organizations:LeaveOrganization",
      Resource: "*",
    });
  });

  it("deny destroying the platform's keys (by its tag) to all but the break-glass role, and rewriting their policies to all but the administrators", () => {
    expect(bySid("DenyDestroyingPlatformKeys").Condition).toEqual({
      StringEquals: { "aws:ResourceTag/saip:platform": "ai-platform" },
      ArnNotLike: { "aws:PrincipalArn": [TARGETS.breakGlassRoleArn] },
    });
    expect(bySid("DenyRewritingPlatformKeyPolicies").Condition?.ArnNotLike).toEqual({
      "aws:PrincipalArn": [...TARGETS.keyAdministrators, TARGETS.breakGlassRoleArn],
    });
  });

  it("deny changing the platform's tag, which the tag-conditioned denies hang on, to all but the deployer and break-glass", () => {
    const retag = bySid("DenyRetaggingPlatformResources");
    expect(retag.Action).toEqual(["kms:TagResource", "kms:UntagResource", "ecr:TagResource", "ecr:UntagResource"]);
    expect(retag.Condition).toEqual({
      "ForAnyValue:StringEquals": { "aws:TagKeys": ["saip:platform"] },
      ArnNotLike: { "aws:PrincipalArn": [TARGETS.deployerRoleArn, TARGETS.breakGlassRoleArn] },
    });
    expect(denies(TARGETS, TARGETS.keyAdministrators[0], "kms:TagResource", "*")).toBe("DenyRetaggingPlatformResources");
    expect(denies(TARGETS, TARGETS.deployerRoleArn, "kms:TagResource", "*")).toBeUndefined();
  });

  it("deny turning detection off, and touching the tamper alarms' rules to all but the deployer and break-glass role", () => {
    expect(bySid("DenyTurningOffDetection").Action).toEqual(
      expect.arrayContaining(["guardduty:DeleteDetector", "securityhub:DisableSecurityHub", "config:StopConfigurationRecorder"]),
    );
    // The findings route is as much the alarm path as the tamper alarms (a deployment review found it unprotected).
    expect(bySid("DenySilencingTamperAlarms").Resource).toEqual([
      "arn:aws:events:*:*:rule/ai-platform-tamper-*",
      "arn:aws:events:*:*:rule/ai-platform-findings",
    ]);
  });

  it("let the deployer make the calls the provider makes when it creates the trail and the log groups", () => {
    // terraform-provider-aws: aws_cloudwatch_log_group create is CreateLogGroup then PutRetentionPolicy
    // (internal/service/logs/group.go); aws_cloudtrail create is CreateTrail, StartLogging, then
    // PutEventSelectors, and an update is UpdateTrail (internal/service/cloudtrail/trail.go).
    const trail = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/ai-platform-audit";
    const group = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/eks/ai-platform/cluster";
    for (const [action, resource] of [
      ["cloudtrail:PutEventSelectors", trail],
      ["cloudtrail:UpdateTrail", trail],
      ["logs:PutRetentionPolicy", group],
      ["logs:PutRetentionPolicy", `${group}:*`],
      // The log archive's subscription: whoever else rewrites it can make it copy nothing.
      ["logs:PutSubscriptionFilter", group],
    ]) {
      expect([action, denies(TARGETS, TARGETS.deployerRoleArn, action, resource)]).toEqual([action, undefined]);
      expect([action, denies(TARGETS, "arn:aws:iam::111122223333:role/admin", action, resource)]).not.toEqual([action, undefined]);
      expect([action, denies(TARGETS, TARGETS.breakGlassRoleArn, action, resource)]).toEqual([action, undefined]);
    }
  });

  it("deny everyone but the deployer and break-glass stopping the backups: deleting or changing plans, selections and restore tests", () => {
    const plan = "arn:aws:backup:eu-west-1:111122223333:backup-plan:0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    const tests = "arn:aws:backup:eu-west-1:111122223333:restore-testing-plan:ai_platform_restore_tests-0a1b2c3d";
    for (const [action, resource] of [
      ["backup:DeleteBackupPlan", plan],
      ["backup:UpdateBackupPlan", plan],
      ["backup:DeleteBackupSelection", plan],
      ["backup:DeleteRestoreTestingPlan", tests],
      ["backup:UpdateRestoreTestingSelection", tests],
      ["backup:DeleteRestoreTestingSelection", tests],
    ]) {
      expect([action, denies(TARGETS, "arn:aws:iam::111122223333:role/admin", action, resource)]).toEqual([
        action,
        "DenyDismantlingBackupPlans",
      ]);
      expect([action, denies(TARGETS, TARGETS.deployerRoleArn, action, resource)]).toEqual([action, undefined]);
      expect([action, denies(TARGETS, TARGETS.breakGlassRoleArn, action, resource)]).toEqual([action, undefined]);
    }
  });

  it("still deny the deployer stopping or deleting the trail and deleting audit logs, which it never needs", () => {
    const trail = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/ai-platform-audit";
    const group = "arn:aws:logs:eu-west-1:111122223333:log-group:/saip/cloudtrail/ai-platform-audit";
    for (const [action, resource] of [
      ["cloudtrail:StopLogging", trail],
      ["cloudtrail:DeleteTrail", trail],
      ["logs:DeleteLogGroup", group],
      ["logs:DeleteLogStream", `${group}:log-stream:x`],
      ["logs:DisassociateKmsKey", group],
      ["logs:DeleteSubscriptionFilter", group],
    ]) {
      expect([action, denies(TARGETS, TARGETS.deployerRoleArn, action, resource)]).not.toEqual([action, undefined]);
      expect([action, denies(TARGETS, TARGETS.breakGlassRoleArn, action, resource)]).toEqual([action, undefined]);
    }
  });

  it("deny silencing the alert topic to all but the deployer and break-glass, and deleting it to all but break-glass", () => {
    const admin = "arn:aws:iam::111122223333:role/admin";
    const topic = "arn:aws:sns:eu-west-1:111122223333:ai-platform-alerts";
    const subscription = `${topic}:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
    for (const [action, resource] of [
      ["sns:DeleteTopic", topic],
      ["sns:SetTopicAttributes", topic],
      ["sns:Unsubscribe", subscription],
      ["sns:Unsubscribe", topic],
      ["sns:SetSubscriptionAttributes", subscription],
    ]) {
      expect([action, resource, denies(TARGETS, admin, action, resource)]).not.toEqual([action, resource, undefined]);
      expect([action, denies(TARGETS, TARGETS.breakGlassRoleArn, action, resource)]).toEqual([action, undefined]);
    }
    expect(denies(TARGETS, TARGETS.deployerRoleArn, "sns:DeleteTopic", topic)).toBe("DenyDeletingTheAlertTopic");
    for (const action of ["sns:SetTopicAttributes", "sns:SetSubscriptionAttributes", "sns:Unsubscribe"])
      expect([action, denies(TARGETS, TARGETS.deployerRoleArn, action, subscription)]).toEqual([action, undefined]);
    expect(denies(TARGETS, admin, "sns:SetTopicAttributes", "arn:aws:sns:eu-west-1:111122223333:team-topic")).toBeUndefined();
  });

  it("deny rewriting the platform's repository and registry policies to all but the deployer and break-glass", () => {
    const tagged = bySid("DenyRewritingRepositoryPolicies");
    expect(tagged.Action).toEqual([
      "ecr:SetRepositoryPolicy",
      "ecr:DeleteRepositoryPolicy",
      "ecr:PutLifecyclePolicy",
      "ecr:DeleteLifecyclePolicy",
    ]);
    expect(tagged.Condition).toEqual({
      StringEquals: { "aws:ResourceTag/saip:platform": "ai-platform" },
      ArnNotLike: { "aws:PrincipalArn": [TARGETS.deployerRoleArn, TARGETS.breakGlassRoleArn] },
    });
    const admin = "arn:aws:iam::111122223333:role/admin";
    expect(denies(TARGETS, admin, "ecr:PutRegistryPolicy", "arn:aws:ecr:eu-west-1:111122223333:registry/111122223333")).toBe(
      "DenyRewritingTheRegistryPolicy",
    );
    expect(denies(TARGETS, TARGETS.deployerRoleArn, "ecr:PutRegistryPolicy", "*")).toBeUndefined();
    // Turning enhanced scanning off is the registry's too.
    expect(denies(TARGETS, admin, "ecr:PutRegistryScanningConfiguration", "*")).toBe("DenyRewritingTheRegistryPolicy");
    expect(denies(TARGETS, TARGETS.deployerRoleArn, "ecr:PutRegistryScanningConfiguration", "*")).toBeUndefined();
    expect(denies(TARGETS, admin, "ecr:PutReplicationConfiguration", "*")).toBe("DenyRewritingTheRegistryPolicy");
  });

  it("follow the partition of the roles they spare", () => {
    const gov = serviceControlPolicies({ ...TARGETS, breakGlassRoleArn: "arn:aws-us-gov:iam::111122223333:role/break-glass" });
    expect(gov["scp-audit.json"].toJson()).toContain("arn:aws-us-gov:cloudtrail:*:*:trail/ai-platform-audit");
  });
});

describe("OrganizationGuardrails", () => {
  function synth(targetIds = ["111122223333"], crossAccountBackup?: boolean) {
    const stack = new SecureStack(Testing.app(), "test");
    new OrganizationGuardrails(stack, "Guardrails", {
      policies: serviceControlPolicies(TARGETS),
      managementRoleArn: "arn:aws:iam::999999999999:role/org-guardrails",
      targetIds,
      region: "eu-west-1",
      namePrefix: "ai-platform",
      crossAccountBackup,
    });
    return JSON.parse(Testing.synth(stack));
  }

  it("turns cross-account backup on in the management account when asked, and only then", () => {
    expect(synth(undefined, true).resource.aws_backup_global_settings).toEqual({
      guardrails_backup_settings: {
        provider: "aws.organization_management",
        global_settings: { isCrossAccountBackupEnabled: "true" },
        // The organization's other settings are left as they are, and not shown as a change on every plan.
        lifecycle: { ignore_changes: ['global_settings["isMpaEnabled"]', 'global_settings["isDelegatedAdministratorEnabled"]'] },
      },
    });
    expect(synth().resource.aws_backup_global_settings).toBeUndefined();
  });

  it("creates each policy in the management account through a provider that assumes the role there, and attaches it", () => {
    const doc = synth(["111122223333", "ou-ab12-cdef3456"]);
    expect(doc.provider.aws).toEqual([
      expect.objectContaining({
        alias: "organization_management",
        assume_role: [{ role_arn: "arn:aws:iam::999999999999:role/org-guardrails", session_name: "saip-guardrails" }],
      }),
    ]);
    const policies = Object.values(doc.resource.aws_organizations_policy) as Array<{
      name: string;
      type: string;
      content: string;
      provider: string;
    }>;
    expect(policies.map((p) => p.name).sort()).toEqual(["ai-platform-audit", "ai-platform-detection", "ai-platform-keys"]);
    for (const p of policies) {
      expect(p).toMatchObject({ type: "SERVICE_CONTROL_POLICY", provider: "aws.organization_management" });
      expect(p.content.length).toBeLessThanOrEqual(5120);
    }
    expect(
      Object.values(doc.resource.aws_organizations_policy_attachment)
        .map((a) => (a as { target_id: string }).target_id)
        .sort(),
    ).toEqual(["111122223333", "111122223333", "111122223333", "ou-ab12-cdef3456", "ou-ab12-cdef3456", "ou-ab12-cdef3456"]);
    expect(schemaIssues([{ file: "guardrails.tf.json", doc }])).toEqual([]);
  });

  it("refuses no targets", () => {
    expect(() => synth([])).toThrow("Guardrails: targetIds must name at least one account or organizational unit.");
  });
});
