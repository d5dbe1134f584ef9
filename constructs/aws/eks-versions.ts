// Types only: the config schema imports this file, and needs no provider module.
import type { EksAddonName } from "./eks-addons";
import type { COLLECTOR_ADDON } from "../../lib/rules/aws/logging/log-collector";

/**
 * Kubernetes minor versions EKS offers in standard support, with the date
 * standard support ends (from the EKS version calendar). Clusters run with
 * `upgrade_policy { support_type = "STANDARD" }`, so EKS upgrades a cluster
 * itself when its version leaves standard support; a new cluster should start
 * on a version that has months left. Update this list when EKS releases a
 * version or one leaves standard support.
 */
export const EKS_STANDARD_SUPPORT: ReadonlyArray<{ readonly version: string; readonly standardSupportEnds: string }> = [
  { version: "1.35", standardSupportEnds: "2027-03-27" },
  { version: "1.36", standardSupportEnds: "2027-08-02" },
];

/** The versions a PlatformCluster accepts. */
export const SUPPORTED_EKS_VERSIONS: readonly string[] = EKS_STANDARD_SUPPORT.map((v) => v.version);

/** Shape of an EKS Kubernetes version: a minor version such as "1.35", without patch level. */
export const EKS_VERSION_FORMAT = /^1\.\d{2}$/;

/** Why a cluster cannot use `version`, or undefined when it can. */
export function eksVersionProblem(version: string): string | undefined {
  if (!EKS_VERSION_FORMAT.test(version)) return `version must be a Kubernetes minor version such as "1.35", got '${version}'.`;
  if (!SUPPORTED_EKS_VERSIONS.includes(version))
    return `version ${version} is not in EKS standard support; use one of ${SUPPORTED_EKS_VERSIONS.join(", ")}.`;
  return undefined;
}

/** The EKS-managed add-ons the platform installs: the cluster's five and the container log collector. */
export type PinnedEksAddon = EksAddonName | typeof COLLECTOR_ADDON;

/**
 * The version of each add-on a fresh apply installs, by Kubernetes version, so
 * that what runs is what was tested instead of whatever EKS's default is on the
 * day. Each is a version EKS offered for that Kubernetes version:
 * - kube-proxy and CoreDNS: the EKS User Guide's tables of the latest add-on
 *   version per Kubernetes version ("Manage kube-proxy", "Manage CoreDNS").
 * - vpc-cni, eks-pod-identity-agent, aws-ebs-csi-driver and
 *   amazon-cloudwatch-observability have no such table; the versions are those
 *   clusters of that Kubernetes version were created with in 2026-09, as
 *   recorded by their operators. The collector's configuration keys
 *   (containerLogs.fluentBit.config.extraFiles, agent.config) are those of its
 *   Helm chart 6.x (templates/linux/fluent-bit-configmap.yaml), and Pod
 *   Identity needs 3.1.0 or later.
 * Before changing one, confirm it with
 * `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>`;
 * a version EKS does not offer for the cluster fails the apply of that add-on.
 */
export const EKS_ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<PinnedEksAddon, string>>>> = {
  "1.35": {
    "vpc-cni": "v1.22.3-eksbuild.1",
    "kube-proxy": "v1.35.3-eksbuild.13",
    "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
    coredns: "v1.14.3-eksbuild.3",
    "aws-ebs-csi-driver": "v1.63.1-eksbuild.1",
    "amazon-cloudwatch-observability": "v6.6.0-eksbuild.1",
  },
  "1.36": {
    "vpc-cni": "v1.22.4-eksbuild.3",
    "kube-proxy": "v1.36.0-eksbuild.14",
    "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
    coredns: "v1.14.3-eksbuild.3",
    "aws-ebs-csi-driver": "v1.63.1-eksbuild.1",
    "amazon-cloudwatch-observability": "v6.6.0-eksbuild.1",
  },
};

/** The pinned add-on versions for a cluster of Kubernetes `version`; an error naming the version when none are known. */
export function eksAddonVersions(version: string): Readonly<Record<PinnedEksAddon, string>> {
  const versions = EKS_ADDON_VERSIONS[version];
  if (!versions)
    throw new Error(
      `no add-on versions are pinned for Kubernetes ${version}; EKS_ADDON_VERSIONS covers ${Object.keys(EKS_ADDON_VERSIONS).join(", ")}.`,
    );
  return versions;
}
