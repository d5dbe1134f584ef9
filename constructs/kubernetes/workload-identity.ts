import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { Grantee } from "../aws/grantee";
import { PodIdentityRole } from "../aws/pod-identity-role";

export interface WorkloadIdentityProps {
  /** Name of the EKS cluster the pods run on (its Pod Identity agent add-on must be installed). */
  readonly clusterName: string;
  /** Namespace of the service account, e.g. `TenantNamespace.namespaceName`. */
  readonly namespace: string;
  /** Name of the service account pods run as: a DNS subdomain. */
  readonly name: string;
  /**
   * Name of the IAM role, 1 to 64 characters. @default - generated, starting with `<namespace>-<name>-` when that fits, else `saip-
   * workload-`
   */
  readonly roleName?: string;
  /**
   * A role made beside the platform's other AWS resources, so buckets and keys
   * there can grant it access without the stacks depending on each other.
   * @default - a new PodIdentityRole for this service account
   */
  readonly role?: PodIdentityRole;
  /** Tags for the role and the association. @default - none */
  readonly tags?: Record<string, string>;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A Kubernetes service account whose pods get an IAM role through EKS Pod
 * Identity: the role trusts `pods.eks.amazonaws.com` only for this cluster,
 * namespace and service account (session tags), in this account. Grant it
 * access like any role: `bucket.grantRead(identity)`.
 *
 * The service account mounts no Kubernetes API token: the Pod Identity
 * webhook adds its own projected token (audience `pods.eks.amazonaws.com`)
 * and the `AWS_CONTAINER_*` variables whatever `automountServiceAccountToken`
 * says, so the API token would only widen what a compromised pod can do.
 * Pods reach the agent on 169.254.170.23:80, which TenantNamespace allows.
 */
export class WorkloadIdentity extends Construct implements Grantee {
  readonly roleArn: string;
  readonly roleName: string;
  /** The service account's name, as a reference: pods that name it wait for it. */
  readonly serviceAccountName: string;
  readonly namespace: string;
  readonly associationArn: string;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    const literal = (value: string) => !Token.isUnresolved(value);
    if (literal(props.name) && (props.name.length > 253 || !DNS_SUBDOMAIN.test(props.name))) {
      throw new Error(`${this.node.path}: name must be a DNS subdomain (lower-case letters, digits, '-' and '.'), got '${props.name}'.`);
    }
    if (literal(props.namespace) && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(props.namespace)) {
      throw new Error(`${this.node.path}: namespace must be a DNS label, got '${props.namespace}'.`);
    }
    const account = new ServiceAccountV1(this, "Resource", {
      metadata: { name: props.name, namespace: props.namespace },
      automountServiceAccountToken: false,
    });
    this.serviceAccountName = account.metadata.name;
    this.namespace = account.metadata.namespace;

    // A role made elsewhere (with the platform's AWS resources) must be the one for this service account.
    const mismatch = (a: string, b: string) => literal(a) && literal(b) && a !== b;
    if (props.role && (mismatch(props.role.namespace, props.namespace) || mismatch(props.role.serviceAccount, props.name))) {
      throw new Error(
        `${this.node.path}: role is for ${props.role.namespace}/${props.role.serviceAccount}, not ${props.namespace}/${props.name}.`,
      );
    }
    const role =
      props.role ??
      new PodIdentityRole(this, "Role", {
        clusterName: props.clusterName,
        namespace: props.namespace,
        serviceAccount: props.name,
        roleName: props.roleName,
        tags: props.tags,
      });
    this.roleArn = role.roleArn;
    this.roleName = role.roleName;

    const association = new EksPodIdentityAssociation(this, "PodIdentity", {
      clusterName: props.clusterName,
      namespace: this.namespace,
      serviceAccount: this.serviceAccountName,
      roleArn: role.roleArn,
      tags: props.tags,
    });
    this.associationArn = association.associationArn;
  }
}
