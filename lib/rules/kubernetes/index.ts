import { Rule } from "../../compliance/rule";
import { containerNoPrivilegeEscalation } from "./container-no-privilege-escalation";
import { containerNotPrivileged } from "./container-not-privileged";
import { containerReadOnlyRootFs } from "./container-read-only-root-fs";
import { containerRunAsNonRoot } from "./container-run-as-non-root";
import { gpuDevicePluginVolumeMounts } from "./gpu-device-plugin-volume-mounts";
import { imageAdmissionEnforced } from "./image-admission-enforced";
import { imageFromPrivateRegistry } from "./image-from-private-registry";
import { imagePinnedByDigest } from "./image-pinned-by-digest";
import { imageSignatureEnforced } from "./image-signature-enforced";
import { manifestKindKnownAtPlan } from "./manifest-kind-known-at-plan";
import { namespaceDefaultDeny } from "./namespace-default-deny";
import { namespaceGpuBypassDenied } from "./namespace-gpu-bypass-denied";
import { namespaceGpuQuota } from "./namespace-gpu-quota";
import { namespacePlacementEnforced } from "./namespace-placement-enforced";
import { namespacePsaRestricted } from "./namespace-psa-restricted";
import { networkPolicyEnforced } from "./network-policy-enforced";
import { noClusterBindingToTenantGroups } from "./no-cluster-binding-to-tenant-groups";
import { podNoHostNamespaces } from "./pod-no-host-namespaces";
import { podNoHostPath } from "./pod-no-host-path";

export const kubernetesRules: Rule[] = [
  namespacePsaRestricted,
  namespaceDefaultDeny,
  namespaceGpuQuota,
  containerNotPrivileged,
  podNoHostNamespaces,
  podNoHostPath,
  containerNoPrivilegeEscalation,
  containerReadOnlyRootFs,
  containerRunAsNonRoot,
  imagePinnedByDigest,
  noClusterBindingToTenantGroups,
  networkPolicyEnforced,
  namespacePlacementEnforced,
  imageFromPrivateRegistry,
  imageAdmissionEnforced,
  imageSignatureEnforced,
  namespaceGpuBypassDenied,
  gpuDevicePluginVolumeMounts,
  manifestKindKnownAtPlan,
];
