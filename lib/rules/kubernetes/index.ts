import { Rule } from "../../compliance/rule";
import { containerNoPrivilegeEscalation } from "./container-no-privilege-escalation";
import { containerNotPrivileged } from "./container-not-privileged";
import { containerReadOnlyRootFs } from "./container-read-only-root-fs";
import { imagePinnedByDigest } from "./image-pinned-by-digest";
import { namespaceDefaultDeny } from "./namespace-default-deny";
import { namespaceGpuQuota } from "./namespace-gpu-quota";
import { namespacePsaRestricted } from "./namespace-psa-restricted";
import { noClusterBindingToTenantGroups } from "./no-cluster-binding-to-tenant-groups";
import { podNoHostNamespaces } from "./pod-no-host-namespaces";

export const kubernetesRules: Rule[] = [
  namespacePsaRestricted,
  namespaceDefaultDeny,
  namespaceGpuQuota,
  containerNotPrivileged,
  podNoHostNamespaces,
  containerNoPrivilegeEscalation,
  containerReadOnlyRootFs,
  imagePinnedByDigest,
  noClusterBindingToTenantGroups,
];
