import { BackupGlobalSettings } from "@cdktf/provider-aws/lib/backup-global-settings";
import { OrganizationsPolicy } from "@cdktf/provider-aws/lib/organizations-policy";
import { OrganizationsPolicyAttachment } from "@cdktf/provider-aws/lib/organizations-policy-attachment";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { PolicyDocument } from "./policy-document";
import { SCP_MAX_CHARACTERS } from "./service-control-policies";

export interface OrganizationGuardrailsProps {
  /** The service control policies, by file name (serviceControlPolicies). */
  readonly policies: Record<string, PolicyDocument>;
  /** A role in the organization's management account that may create and attach policies. */
  readonly managementRoleArn: string;
  /** Accounts or organizational units to attach them to: the platform's account, or its OU. */
  readonly targetIds: string[];
  /** Any region: AWS Organizations is global. */
  readonly region: string;
  /** Prefixes the policies' names. */
  readonly namePrefix: string;
  /**
   * Turns cross-account backup on for the organization, which only its management account can do (AWS Backup
   * developer guide, "Creating backup copies across AWS accounts"): without it every copy into a log archive fails.
   * @default false
   */
  readonly crossAccountBackup?: boolean;
}

/**
 * The service control policies as AWS Organizations resources, created in
 * the management account through a second AWS provider that assumes
 * `managementRoleArn`, and attached to the platform's account or OU. SCPs
 * must be enabled in the organization (EnablePolicyType SERVICE_CONTROL_POLICY,
 * done once by the management account); AWS Organizations rejects them otherwise.
 */
export class OrganizationGuardrails extends Construct {
  constructor(scope: Construct, id: string, props: OrganizationGuardrailsProps) {
    super(scope, id);
    if (props.targetIds.length === 0)
      throw new Error(`${this.node.path}: targetIds must name at least one account or organizational unit.`);
    const provider = new AwsProvider(this, "Management", {
      alias: "organization_management",
      region: props.region,
      assumeRole: [{ roleArn: props.managementRoleArn, sessionName: "saip-guardrails" }],
    });
    if (props.crossAccountBackup) {
      // The organization's other Backup settings stay its own: the provider would show them as a change on every plan
      // (terraform-provider-aws, backup_global_settings: "perpetual differences for any supported settings not
      // explicitly configured"), and setting them here could undo the organization's choice.
      new BackupGlobalSettings(this, "BackupSettings", {
        provider,
        globalSettings: { isCrossAccountBackupEnabled: "true" },
        lifecycle: { ignoreChanges: ['global_settings["isMpaEnabled"]', 'global_settings["isDelegatedAdministratorEnabled"]'] },
      });
    }
    for (const [file, document] of Object.entries(props.policies)) {
      const content = JSON.stringify(JSON.parse(document.toJson()));
      if (content.length > SCP_MAX_CHARACTERS)
        throw new Error(
          `${this.node.path}: ${file} is ${content.length} characters; AWS Organizations accepts at most ${SCP_MAX_CHARACTERS}.`,
        );
      const name = file.replace(/^scp-|\.json$/g, "");
      const policy = new OrganizationsPolicy(this, name, {
        provider,
        name: `${props.namePrefix}-${name}`,
        description: `Secure AI platform guardrails: ${name}`,
        type: "SERVICE_CONTROL_POLICY",
        content,
      });
      props.targetIds.forEach(
        (target, i) =>
          new OrganizationsPolicyAttachment(this, `${name}-attachment-${i + 1}`, { provider, policyId: policy.id, targetId: target }),
      );
    }
  }
}
