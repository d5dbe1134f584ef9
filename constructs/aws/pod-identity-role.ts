import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { AwsContext } from "./aws-context";
import { Grantee } from "./grantee";
import { PolicyDocument } from "./policy-document";

export interface PodIdentityRoleProps {
  /** Name of the EKS cluster whose pods may assume the role. */
  readonly clusterName: string;
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Name of the service account. */
  readonly serviceAccount: string;
  /**
   * Name of the IAM role, 1 to 64 characters. @default - generated, starting with `<namespace>-<serviceAccount>-` when that fits, else
   * `saip-workload-`
   */
  readonly roleName?: string;
  /** Tags for the role. @default - none */
  readonly tags?: Record<string, string>;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * An IAM role that EKS Pod Identity hands to one service account of one
 * namespace of one cluster, in this account (session tags in the trust
 * policy). It lives with the other AWS resources, so storage and keys can
 * grant it access in the same stack; `WorkloadIdentity` binds it to the
 * service account inside the cluster.
 */
export class PodIdentityRole extends Construct implements Grantee {
  readonly roleArn: string;
  readonly roleName: string;
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    if (props.roleName !== undefined && !Token.isUnresolved(props.roleName) && !ROLE_NAME.test(props.roleName)) {
      throw new Error(`${this.node.path}: roleName must be 1 to 64 letters, digits or +=,.@_-, got '${props.roleName}'.`);
    }
    const context = AwsContext.of(this);
    const trust = new PolicyDocument([
      {
        Sid: "EksPodIdentity",
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:SourceAccount": context.accountId,
            "aws:RequestTag/eks-cluster-arn": context.arn("eks", `cluster/${props.clusterName}`),
            "aws:RequestTag/kubernetes-namespace": props.namespace,
            "aws:RequestTag/kubernetes-service-account": props.serviceAccount,
          },
        },
      },
    ]);
    const prefix = `${props.namespace}-${props.serviceAccount}-`;
    const role = new IamRole(this, "Resource", {
      name: props.roleName,
      namePrefix: props.roleName ? undefined : !Token.isUnresolved(prefix) && prefix.length <= 38 ? prefix : "saip-workload-",
      description: `Pods running as service account ${props.serviceAccount}, through EKS Pod Identity`,
      assumeRolePolicy: trust.toJson(),
      tags: props.tags,
    });
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.clusterName = props.clusterName;
    this.namespace = props.namespace;
    this.serviceAccount = props.serviceAccount;
  }
}
