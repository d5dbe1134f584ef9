import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformResource, Token } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { AwsContext } from "./aws-context";

export interface ArchiveAccountProps {
  /** The log-archive account's id, 12 digits. */
  readonly accountId: string;
  /** The role Terraform assumes in that account to create what lives there; must be a role of `accountId`. */
  readonly roleArn: string;
  /** Region the archive's resources are created in: the platform's, since log destinations and Config delivery are regional. */
  readonly region: string;
  /** Tags every resource created there carries, as the platform's provider's default tags. @default - none */
  readonly defaultTags?: Record<string, string>;
  /** Alias of the provider configuration; resources there name it as `aws.<alias>`. @default "archive" */
  readonly alias?: string;
}

/**
 * Another AWS account the stack creates resources in, the log-archive account
 * of the AWS Security Reference Architecture: a second `aws` provider
 * configuration that assumes a role there and refuses any other account
 * (allowed_account_ids), so a wrong role fails the plan instead of writing the
 * archive into the account it watches. Constructs built under it see that
 * account in `AwsContext.of` (key policies name its root, not the stack's);
 * `adopt` then creates their resources through its provider.
 */
export class ArchiveAccount extends Construct {
  readonly accountId: string;
  readonly provider: AwsProvider;
  /** The archive's account, partition and region, for policies written under it. */
  readonly context: AwsContext;

  constructor(scope: Construct, id: string, props: ArchiveAccountProps) {
    super(scope, id);
    if (Token.isUnresolved(props.accountId) || !/^\d{12}$/.test(props.accountId))
      throw new Error(`${this.node.path}: accountId must be a 12-digit AWS account id known at synth, got '${props.accountId}'.`);
    const roleAccount = Token.isUnresolved(props.roleArn)
      ? undefined
      : /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]+$/.exec(props.roleArn)?.[1];
    if (roleAccount === undefined)
      throw new Error(`${this.node.path}: roleArn must be an IAM role ARN known at synth, got '${props.roleArn}'.`);
    if (roleAccount !== props.accountId)
      throw new Error(
        `${this.node.path}: roleArn must be a role in account ${props.accountId} (accountId), got one in account ${roleAccount}.`,
      );
    this.accountId = props.accountId;
    this.provider = new AwsProvider(this, "Provider", {
      alias: props.alias ?? "archive",
      region: props.region,
      assumeRole: [{ roleArn: props.roleArn, sessionName: "saip-log-archive" }],
      allowedAccountIds: [props.accountId],
      defaultTags: props.defaultTags ? [{ tags: props.defaultTags }] : undefined,
    });
    this.context = AwsContext.forAccount(this, props.accountId);
  }

  /**
   * Creates every resource under `construct` that names no provider through
   * the archive's. Call it once the construct is built: what is added later
   * under it (a grant's role policy for a platform role) stays in the stack's
   * own account.
   */
  adopt(construct: IConstruct): void {
    for (const child of construct.node.findAll()) {
      if (child instanceof TerraformResource && child.provider === undefined) child.provider = this.provider;
    }
  }
}
