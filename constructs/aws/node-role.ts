import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamRolePolicyAttachmentsExclusive } from "@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { AwsContext } from "./aws-context";
import { Grantee } from "./grantee";
import { PolicyDocument } from "./policy-document";

/**
 * The AWS managed policies an EKS node needs to join the cluster, run the VPC
 * CNI and pull images, keyed by the construct id of their attachment.
 *
 * AmazonEKS_CNI_Policy sits on the node role because that is the EKS default;
 * giving it to the aws-node service account through IRSA or Pod Identity is
 * tighter and belongs to the cluster layer.
 */
export const NODE_MANAGED_POLICIES: Readonly<Record<string, string>> = {
  WorkerNodePolicy: "AmazonEKSWorkerNodePolicy",
  CniPolicy: "AmazonEKS_CNI_Policy",
  ContainerRegistryReadOnly: "AmazonEC2ContainerRegistryReadOnly",
};

export interface NodeRoleProps {
  /** Name of the role. @default - a unique name starting with "saip-node-" */
  readonly name?: string;
  /** Tags for the role. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * The IAM role of EKS nodes: trusted by EC2 only, with exactly the three AWS
 * managed policies nodes need. An exclusive attachment set removes any other
 * managed policy attached later by hand; add permissions for workloads to their
 * own roles (IRSA or EKS Pod Identity), not here.
 *
 * Node pools require IMDSv2 with a hop limit of 1, so containers outside the
 * host network cannot reach these credentials at all: pods that still expect
 * the node role must move to IRSA or Pod Identity.
 */
export class NodeRole extends Construct implements Grantee {
  readonly roleArn: string;
  readonly roleName: string;
  /** The policy attachments, for resources that must wait until nodes can join (node groups). */
  readonly attachments: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: NodeRoleProps = {}) {
    super(scope, id);
    if (props.name !== undefined && !/^[\w+=,.@-]{1,64}$/.test(props.name)) {
      throw new Error(`${this.node.path}: name must be 1 to 64 letters, digits or +=,.@_- characters, got '${props.name}'.`);
    }
    const context = AwsContext.of(this);
    const role = new IamRole(this, "Resource", {
      name: props.name,
      namePrefix: props.name === undefined ? "saip-node-" : undefined,
      description: "EKS nodes: join the cluster, run the VPC CNI, pull images",
      assumeRolePolicy: new PolicyDocument([
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]).toJson(),
      tags: props.tags,
    });
    this.roleArn = role.arn;
    this.roleName = role.name;

    const policyArns = Object.values(NODE_MANAGED_POLICIES).map((policy) => `arn:${context.partition}:iam::aws:policy/${policy}`);
    this.attachments = Object.keys(NODE_MANAGED_POLICIES).map(
      (attachmentId, i) => new IamRolePolicyAttachment(this, attachmentId, { role: role.name, policyArn: policyArns[i] }),
    );
    this.attachments.push(new IamRolePolicyAttachmentsExclusive(this, "ExclusivePolicyAttachments", { roleName: role.name, policyArns }));
  }
}
