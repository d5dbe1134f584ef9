import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { Grantee } from "./grantee";
import { PolicyDocument } from "./policy-document";

export interface AccessRoleProps {
  /** What the role does, e.g. "Publishes model weights"; the role's description. */
  readonly job: string;
  /**
   * IAM role or user ARNs that may assume the role: people, or a pipeline's
   * role. IAM refuses a trust policy naming a principal that does not exist,
   * so each must exist before the role is created.
   */
  readonly principalArns: string[];
  /** Start of the role's name; IAM appends a unique suffix. At most 38 characters. @default "saip-access-" */
  readonly namePrefix?: string;
  /** Longest session, in seconds (3600 to 43200). @default 3600 */
  readonly maxSessionDuration?: number;
  /** Tags for the role. @default - none */
  readonly tags?: Record<string, string>;
}

const IAM_PRINCIPAL = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

/**
 * A role that named principals assume to do one job on the platform:
 * publishing datasets or models, reading the audit trail. It carries no
 * permissions of its own; buckets, keys and the trail grant them through
 * their `grant*` methods, so each job gets exactly what it needs.
 *
 * The trust policy names the principals themselves (not the account), and
 * lets them set a source identity, which CloudTrail records on every call
 * the role makes: the trail shows which person or pipeline acted.
 */
export class AccessRole extends Construct implements Grantee {
  readonly roleArn: string;
  readonly roleName: string;
  readonly principalArns: readonly string[];

  constructor(scope: Construct, id: string, props: AccessRoleProps) {
    super(scope, id);
    if (props.principalArns.length === 0) {
      throw new Error(
        `${this.node.path}: principalArns must name at least one IAM role or user that does this job (${props.job}), got [].`,
      );
    }
    const bad = props.principalArns.find((arn) => !Token.isUnresolved(arn) && !IAM_PRINCIPAL.test(arn));
    if (bad !== undefined) throw new Error(`${this.node.path}: principalArns must hold IAM role or user ARNs, got '${bad}'.`);
    const prefix = props.namePrefix ?? "saip-access-";
    if (!Token.isUnresolved(prefix) && !/^[\w+=,.@-]{1,38}$/.test(prefix)) {
      throw new Error(`${this.node.path}: namePrefix must be 1 to 38 letters, digits or +=,.@_-, got '${prefix}'.`);
    }
    const session = props.maxSessionDuration ?? 3600;
    if (!Number.isInteger(session) || session < 3600 || session > 43200) {
      throw new Error(`${this.node.path}: maxSessionDuration must be a whole number of seconds from 3600 to 43200, got ${session}.`);
    }
    const role = new IamRole(this, "Resource", {
      namePrefix: prefix,
      description: props.job,
      maxSessionDuration: session,
      assumeRolePolicy: new PolicyDocument([
        {
          Sid: "NamedPrincipals",
          Effect: "Allow",
          Principal: { AWS: [...props.principalArns] },
          Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
        },
      ]).toJson(),
      tags: props.tags,
    });
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.principalArns = [...props.principalArns];
  }
}
