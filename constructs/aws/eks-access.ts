import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation, EksAccessPolicyAssociationAccessScope } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { Token } from "cdktf";
import { Construct } from "constructs";

// PlatformCluster's access entries, kept apart so the cluster file reads as the cluster.

/** Access policies a tenant may get on its namespaces. */
export type NamespaceAccessPolicy = "AmazonEKSAdminPolicy" | "AmazonEKSEditPolicy" | "AmazonEKSViewPolicy";

export const IAM_PRINCIPAL = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/;

/**
 * The access entries of one cluster: one entry per principal (EKS allows no
 * more), one association per principal and policy. Entries are created in
 * `scope` (the cluster construct, as `AccessEntry<n>`), and errors name its path.
 */
export class ClusterAccessEntries {
  private readonly entries = new Map<string, Construct>();

  constructor(
    private readonly scope: Construct,
    private readonly clusterName: string,
    private readonly partition: string,
    private readonly tags?: Record<string, string>,
  ) {}

  /** See PlatformCluster.grantNamespaceAccess. */
  grantNamespaceAccess(principalArn: string, namespaces: string[], policy: NamespaceAccessPolicy): void {
    const bad = namespaces.find((ns) => !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns) || ns.startsWith("kube-"));
    if (namespaces.length === 0 || bad !== undefined) {
      throw new Error(
        `${this.scope.node.path}: namespaces must name at least one tenant namespace (a DNS label, not kube-*), got [${namespaces.join(", ")}].`,
      );
    }
    if (!["AmazonEKSAdminPolicy", "AmazonEKSEditPolicy", "AmazonEKSViewPolicy"].includes(policy)) {
      throw new Error(
        `${this.scope.node.path}: policy must be AmazonEKSAdminPolicy, AmazonEKSEditPolicy or AmazonEKSViewPolicy, got '${policy}'.`,
      );
    }
    this.associate(principalArn, policy, { type: "namespace", namespaces }, "principalArn");
  }

  /** See PlatformCluster.mapToGroups. */
  mapToGroups(principalArn: string, groups: string[]): void {
    // system: groups belong to Kubernetes; system:masters, for one, bypasses RBAC and every RoleBinding.
    const bad = groups.find((g) => !Token.isUnresolved(g) && (!/^\S+$/.test(g) || g.startsWith("system:")));
    if (groups.length === 0 || bad !== undefined) {
      throw new Error(
        `${this.scope.node.path}: groups must name at least one Kubernetes group (not system:*), got [${groups.join(", ")}].`,
      );
    }
    const { entry } = this.entryFor(principalArn, "principalArn");
    entry.kubernetesGroups = [...new Set([...(entry.kubernetesGroupsInput ?? []), ...groups])];
  }

  /** Associates an access policy with the principal's entry; `prop` names the prop in errors. */
  associate(principalArn: string, policy: string, accessScope: EksAccessPolicyAssociationAccessScope, prop: string): void {
    const { scope, entry } = this.entryFor(principalArn, prop);
    const id = policy.replace(/^AmazonEKS/, "");
    if (scope.node.tryFindChild(id)) {
      throw new Error(`${this.scope.node.path}: '${principalArn}' already has ${policy}; grant all its namespaces in one call.`);
    }
    new EksAccessPolicyAssociation(scope, id, {
      clusterName: this.clusterName,
      // Through the entry, so the association waits for it.
      principalArn: entry.principalArn,
      policyArn: `arn:${this.partition}:eks::aws:cluster-access-policy/${policy}`,
      accessScope,
    });
  }

  private entryFor(principalArn: string, prop: string): { scope: Construct; entry: EksAccessEntry } {
    if (!Token.isUnresolved(principalArn) && !IAM_PRINCIPAL.test(principalArn)) {
      throw new Error(`${this.scope.node.path}: ${prop} must be IAM role or user ARNs, got '${principalArn}'.`);
    }
    let scope = this.entries.get(principalArn);
    if (!scope) {
      scope = new Construct(this.scope, `AccessEntry${this.entries.size + 1}`);
      new EksAccessEntry(scope, "Resource", { clusterName: this.clusterName, principalArn, type: "STANDARD", tags: this.tags });
      this.entries.set(principalArn, scope);
    }
    return { scope, entry: scope.node.findChild("Resource") as EksAccessEntry };
  }
}
