import { EksAddon, EksAddonConfig } from "@cdktf/provider-aws/lib/eks-addon";
import { dependable, ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

// The EKS-managed add-ons of PlatformCluster, kept apart so the cluster file reads as the cluster.

export type EksAddonName = "vpc-cni" | "kube-proxy" | "eks-pod-identity-agent" | "coredns" | "aws-ebs-csi-driver";

/** DaemonSets nodes need as they join: installed with the cluster, so node groups can wait for them. */
export const NODE_ADDONS: EksAddonName[] = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"];
/** Deployments: they turn ACTIVE only once nodes can run them (see `waitForNodes`). */
export const WORKLOAD_ADDONS: EksAddonName[] = ["coredns", "aws-ebs-csi-driver"];
export const EBS_CSI_SERVICE_ACCOUNT = "ebs-csi-controller-sa";

export interface ClusterAddonsOptions {
  readonly clusterName: string;
  readonly addonVersions?: Partial<Record<EksAddonName, string>>;
  readonly tags?: Record<string, string>;
  /** Role the EBS CSI controller gets through Pod Identity. */
  readonly ebsCsiDriverRoleArn: string;
  /** The policy attachment of that role: the driver waits for it. */
  readonly ebsCsiDriverRolePolicy: ITerraformDependable;
}

/** Creates the core add-ons in `scope` (ids such as `VpcCniAddon`), the EBS CSI driver after the Pod Identity agent. */
export function createClusterAddons(scope: Construct, options: ClusterAddonsOptions): Record<EksAddonName, EksAddon> {
  const { clusterName, addonVersions, tags } = options;
  const addon = (name: EksAddonName, extra: Partial<EksAddonConfig> = {}) =>
    new EksAddon(scope, `${name.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join("")}Addon`, {
      clusterName, addonName: name, addonVersion: addonVersions?.[name], resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "OVERWRITE", tags, ...extra,
    });
  // First: the EBS CSI driver waits for the Pod Identity agent.
  const podIdentityAgent = addon("eks-pod-identity-agent");
  return {
    "vpc-cni": addon("vpc-cni"),
    "kube-proxy": addon("kube-proxy"),
    "eks-pod-identity-agent": podIdentityAgent,
    coredns: addon("coredns"),
    "aws-ebs-csi-driver": addon("aws-ebs-csi-driver", {
      podIdentityAssociation: [{ roleArn: options.ebsCsiDriverRoleArn, serviceAccount: EBS_CSI_SERVICE_ACCOUNT }],
      dependsOn: [podIdentityAgent, options.ebsCsiDriverRolePolicy],
    }),
  };
}

/** Makes the workload add-ons depend on the node groups as well, keeping their other dependencies. */
export function addonsWaitForNodes(addons: Readonly<Record<EksAddonName, EksAddon>>, nodeGroups: ITerraformDependable[]): void {
  for (const name of WORKLOAD_ADDONS) {
    const addon = addons[name];
    addon.dependsOn = [...new Set([...(addon.dependsOn ?? []), ...nodeGroups.map(dependable)])];
  }
}
