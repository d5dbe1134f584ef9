import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { dependable, ITerraformDependable, TerraformResource, Token } from "cdktf";
import { PolicyStatement } from "./policy-document";

/**
 * An IAM role that storage, key and registry constructs can grant access to.
 * Workload roles (IRSA, Pod Identity), node roles, access roles and roles a
 * landing zone already has (`granteeFromRoleArn`) implement it.
 */
export interface Grantee {
  /** ARN of the role, named in key and resource policies. */
  readonly roleArn: string;
  /** Name of the role, to attach inline policies to. */
  readonly roleName: string;
}

/**
 * A role that exists already, by its ARN: its name is the ARN's last path
 * segment (`arn:aws:iam::111122223333:role/teams/recsys-trainer` is named
 * `recsys-trainer`), which inline policies attach to.
 */
export function granteeFromRoleArn(roleArn: string): Grantee {
  const match = Token.isUnresolved(roleArn)
    ? null
    : /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/.exec(roleArn);
  if (!match)
    throw new Error(
      `granteeFromRoleArn: '${roleArn}' is not an IAM role ARN (arn:<partition>:iam::<account>:role/<path/>name) known at synth.`,
    );
  return { roleArn, roleName: match[1] };
}

/** A role made with the provider's `IamRole`, as a grantee. */
export function granteeOfRole(role: { readonly arn: string; readonly name: string }): Grantee {
  return { roleArn: role.arn, roleName: role.name };
}

/**
 * What a grant created, so a caller can order resources after it (a pod that
 * reads a bucket at start must wait for its role policy), as aws-cdk's
 * `Grant` does. A grant is written where it takes effect: in the resource's
 * own policy when the platform owns the resource (the key or bucket policy),
 * or in the grantee's role policy when the resource was imported, since an
 * imported resource's policy cannot be edited.
 */
export class Grant {
  /** The grant changes nothing new: it was given before, or `combine` found nothing. */
  static readonly none = new Grant([], [], []);

  /** One grant made of several, e.g. a bucket grant with its key grant. */
  static combine(...grants: Grant[]): Grant {
    return new Grant(
      grants.flatMap((g) => g.resourceStatements),
      grants.flatMap((g) => g.principalPolicies),
      grants.flatMap((g) => g.dependables),
    );
  }

  constructor(
    /** Statements added to the resource's own policy (a key policy, a bucket policy). */
    readonly resourceStatements: readonly PolicyStatement[],
    /** Inline policies attached to the grantee's role. */
    readonly principalPolicies: readonly IamRolePolicy[],
    /** What carries the grant in Terraform: the resource whose policy changed, and each role policy. */
    readonly dependables: readonly ITerraformDependable[],
  ) {}

  /** Makes each resource wait until the grant is in place. */
  applyBefore(...resources: TerraformResource[]): void {
    if (this.dependables.length === 0) return;
    for (const resource of resources) {
      const have = resource.dependsOn ?? [];
      const add = this.dependables.map(dependable).filter((d) => !have.includes(d));
      resource.dependsOn = [...have, ...add];
    }
  }
}
