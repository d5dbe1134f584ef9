import { DataAwsEksAddon } from "@cdktf/provider-aws/lib/data-aws-eks-addon";
import { EksAddon, EksAddonConfig } from "@cdktf/provider-aws/lib/eks-addon";
import { dependable, ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
// The rule aws-eks-workload-log-collection reads the same names.
import { COLLECTOR_ADDON, COLLECTOR_NAMESPACE, COLLECTOR_SERVICE_ACCOUNT } from "../../lib/rules/aws/logging/log-collector";
import { pascalCase } from "../../lib/naming";

// The EKS-managed add-ons of PlatformCluster, kept apart so the cluster file reads as the cluster.

/** DaemonSets nodes need as they join: installed with the cluster, so node groups can wait for them. */
export const NODE_ADDONS = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"] as const;
/** Deployments: they turn ACTIVE only once nodes can run them (see `waitForNodes`). */
export const WORKLOAD_ADDONS = ["coredns", "aws-ebs-csi-driver"] as const;
/** The add-ons the cluster installs: the two lists above are the only place their names are written. */
export type EksAddonName = (typeof NODE_ADDONS)[number] | (typeof WORKLOAD_ADDONS)[number];
export const EBS_CSI_SERVICE_ACCOUNT = "ebs-csi-controller-sa";

/**
 * The CloudWatch Observability add-on (CloudWatch agent and Fluent Bit) runs in
 * this namespace, and both its DaemonSets run as this service account, the one
 * its Pod Identity association names (CloudWatch User Guide, "Quick start with
 * the Amazon CloudWatch Observability EKS add-on": Pod Identity from add-on
 * version 3.1.0; the add-on's Helm chart, templates/linux/fluent-bit-daemonset.yaml).
 */
export const CLOUDWATCH_OBSERVABILITY_ADDON = COLLECTOR_ADDON;
export const CLOUDWATCH_AGENT_NAMESPACE = COLLECTOR_NAMESPACE;
export const CLOUDWATCH_AGENT_SERVICE_ACCOUNT = COLLECTOR_SERVICE_ACCOUNT;

export interface CloudWatchObservabilityOptions {
  readonly clusterName: string;
  /** Role the CloudWatch agent and Fluent Bit get through Pod Identity. */
  readonly roleArn: string;
  /** The add-on's configuration (JSON). */
  readonly configurationValues: string;
  /** What must exist first: the Pod Identity agent, the role's policy, nodes for the controller to run on. */
  readonly dependsOn: ITerraformDependable[];
  readonly addonVersion?: string;
  readonly tags?: Record<string, string>;
}

/** The container log collector as an EKS-managed add-on, with its identity through Pod Identity. */
export function cloudWatchObservabilityAddon(scope: Construct, id: string, options: CloudWatchObservabilityOptions): EksAddon {
  return new EksAddon(scope, id, {
    clusterName: options.clusterName,
    addonName: CLOUDWATCH_OBSERVABILITY_ADDON,
    addonVersion: options.addonVersion,
    configurationValues: options.configurationValues,
    podIdentityAssociation: [{ roleArn: options.roleArn, serviceAccount: CLOUDWATCH_AGENT_SERVICE_ACCOUNT }],
    resolveConflictsOnCreate: "OVERWRITE",
    resolveConflictsOnUpdate: "OVERWRITE",
    dependsOn: options.dependsOn,
    tags: options.tags,
  });
}

/**
 * The VPC CNI's configuration: without `enableNetworkPolicy` its network
 * policy agent stays off and every NetworkPolicy is stored and ignored (EKS
 * User Guide, "Restrict Pod network traffic with Kubernetes network
 * policies"). With it, EKS runs the network policy controller in the control
 * plane and the aws-node pods enforce policies with eBPF, which needs VPC CNI
 * 1.14 or later and a Linux kernel of 5.10 or later: every AL2023 and
 * Bottlerocket AMI type qualifies, and EKS's default add-on version for the
 * supported Kubernetes versions is far past 1.14. The value is a string, as
 * the add-on's configuration schema asks.
 */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true" } as const;

/**
 * The condition a `data.aws_eks_addon` of vpc-cni checks (a postcondition), so
 * a stack that creates NetworkPolicies on a cluster in another stack stops at
 * plan when that cluster's CNI would ignore them. The compliance rule
 * k8s-network-policy-enforced accepts exactly this expression.
 */
export const NETWORK_POLICY_GATE_CONDITION = 'try(jsondecode(self.configuration_values).enableNetworkPolicy, "") == "true"';

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
    new EksAddon(scope, `${pascalCase(name)}Addon`, {
      clusterName,
      addonName: name,
      addonVersion: addonVersions?.[name],
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags,
      ...extra,
    });
  // First: the EBS CSI driver waits for the Pod Identity agent.
  const podIdentityAgent = addon("eks-pod-identity-agent");
  return {
    "vpc-cni": addon("vpc-cni", { configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION) }),
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

/**
 * Reads the cluster's vpc-cni add-on and fails the plan unless it enforces
 * NetworkPolicies. Objects that only work when enforced (the tenants' network
 * policies) depend on it, so they are never applied to a cluster that would
 * accept and ignore them. The identity running the plan needs eks:DescribeAddon.
 */
export function networkPolicyGate(scope: Construct, id: string, clusterName: string): DataAwsEksAddon {
  return new DataAwsEksAddon(scope, id, {
    clusterName,
    addonName: "vpc-cni",
    lifecycle: {
      postcondition: [
        {
          condition: `\${${NETWORK_POLICY_GATE_CONDITION}}`,
          errorMessage: `The cluster's vpc-cni add-on does not set enableNetworkPolicy to "true", so NetworkPolicies would be stored and ignored; configure the add-on first.`,
        },
      ],
    },
  });
}
