import { DataAwsIamRole } from "@cdktf/provider-aws/lib/data-aws-iam-role";
import { DataAwsIamRoles } from "@cdktf/provider-aws/lib/data-aws-iam-roles";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsContext } from "./aws-context";

/** The description the platform gives a service-linked role it creates, so a later plan knows the role is its own. */
export const CREATED_BY_PLATFORM = "Created by the secure AI platform";

/** Service-linked roles the platform names (key policies, the AWS Config recorder), by the service that owns them. */
export const SERVICE_LINKED_ROLES = {
  "autoscaling.amazonaws.com": "AWSServiceRoleForAutoScaling",
  "config.amazonaws.com": "AWSServiceRoleForConfig",
} as const;
export type LinkedService = keyof typeof SERVICE_LINKED_ROLES;

/**
 * A service-linked role that policies can name in any account.
 *
 * KMS rejects a key policy naming a principal that does not exist
 * (MalformedPolicyDocumentException), and an AWS service creates its role
 * only on first use: EC2 Auto Scaling's `AWSServiceRoleForAutoScaling`
 * appears with the account's first Auto Scaling group, after the key
 * policy that must name it. `aws_iam_service_linked_role` fails when the role
 * exists already, so the role is created only when an `aws_iam_roles` lookup
 * finds none, or finds the one this platform created (its description says
 * so; without that a second plan would destroy it). A policy that names the
 * role depends on `resource`; the AWS provider retries CreateKey on
 * MalformedPolicyDocumentException for two minutes while IAM propagates.
 */
export class ServiceLinkedRole extends Construct {
  /** The one role of `service` in the stack that holds `scope`. */
  static of(scope: Construct, service: LinkedService): ServiceLinkedRole {
    const stack = TerraformStack.of(scope);
    const id = `ServiceLinkedRole-${SERVICE_LINKED_ROLES[service]}`;
    return (stack.node.tryFindChild(id) as ServiceLinkedRole | undefined) ?? new ServiceLinkedRole(stack, id, service);
  }

  readonly roleName: string;
  /** The role's ARN, built from its name: the same whether the platform or AWS created it. */
  readonly roleArn: string;
  /** Created only when the account lacks the role; give it to the dependsOn of every policy that names the role. */
  readonly resource: IamServiceLinkedRole;

  private constructor(scope: Construct, id: string, service: LinkedService) {
    super(scope, id);
    const context = AwsContext.of(this);
    this.roleName = SERVICE_LINKED_ROLES[service];
    this.roleArn = `arn:${context.partition}:iam::${context.accountId}:role/aws-service-role/${service}/${this.roleName}`;

    const lookup = new DataAwsIamRoles(this, "Existing", { nameRegex: `^${this.roleName}$`, pathPrefix: `/aws-service-role/${service}/` });
    const found = `data.aws_iam_roles.${lookup.friendlyUniqueId}.names`;
    const existing = new DataAwsIamRole(this, "ExistingRole", { name: this.roleName });
    existing.addOverride("count", `\${length(${found})}`);
    this.resource = new IamServiceLinkedRole(this, "Resource", { awsServiceName: service, description: CREATED_BY_PLATFORM });
    const ours = `one(data.aws_iam_role.${existing.friendlyUniqueId}[*].description) == "${CREATED_BY_PLATFORM}"`;
    this.resource.addOverride("count", `\${length(${found}) == 0 || ${ours} ? 1 : 0}`);
  }
}
