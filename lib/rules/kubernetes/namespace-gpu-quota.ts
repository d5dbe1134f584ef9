import { fail, pass, Rule, unresolved } from "../../compliance/rule";
import { isObject } from "../../terraform/model";
import { describe, rawAt, resolve } from "../helpers";
import { isTenantNamespace, labelsOf, NAMESPACE_TYPES, objectsIn, RESOURCE_QUOTA_TYPES, TENANT_LABEL } from "./util";

const GPU_REQUESTS = "requests.nvidia.com/gpu";

export const namespaceGpuQuota: Rule = {
  id: "k8s-namespace-gpu-quota",
  title: "Tenant namespaces cap the GPUs their pods may request",
  requirements: ["AICP-TENANT-03"],
  severity: "mandatory",
  waivable: true,
  appliesTo: NAMESPACE_TYPES,
  remediation: `Add a resource quota in the tenant namespace with spec.hard["${GPU_REQUESTS}"] set.`,
  // Namespaces whose labels are unknown are judged too, and come out unresolved.
  examples: {
    good: [
      `
      resource "kubernetes_namespace_v1" "team_a" {
        metadata {
          name   = "team-a"
          labels = { "saip.io/tenant" = "team-a" }
        }
      }

      resource "kubernetes_resource_quota_v1" "gpu" {
        metadata {
          name      = "gpu"
          namespace = kubernetes_namespace_v1.team_a.metadata[0].name
        }
        spec {
          hard = { "requests.nvidia.com/gpu" = "8" }
        }
      }
    `,
    ],
    bad: [
      `
      resource "kubernetes_namespace_v1" "team_a" {
        metadata {
          name   = "team-a"
          labels = { "saip.io/tenant" = "team-a" }
        }
      }
    `,
    ],
  },
  applies: (ns) => isTenantNamespace(ns) !== false,
  check(ns) {
    const labels = labelsOf(ns);
    if ("unknown" in labels) return unresolved(`${labels.unknown}; cannot tell whether it carries ${TENANT_LABEL}`);
    const { found, unknown } = objectsIn(ns, RESOURCE_QUOTA_TYPES);
    const lacking: string[] = [];
    const hidden = unknown.map((q) => `the namespace of ${q.address} is unknown`);
    for (const quota of found) {
      const hard = resolve(quota, rawAt(quota.body, "spec.hard"));
      if (hard.state === "absent") {
        lacking.push(`${quota.address} sets no spec.hard`);
        continue;
      }
      if (hard.state !== "known" || !isObject(hard.value)) {
        hidden.push(`${quota.address} spec.hard is ${describe(hard)}`);
        continue;
      }
      const cap = resolve(quota, hard.value[GPU_REQUESTS]);
      if (cap.state === "known") return pass(`${quota.address} caps ${GPU_REQUESTS} at ${describe(cap)}`);
      if (cap.state === "absent") lacking.push(`${quota.address} has no ${GPU_REQUESTS}`);
      else hidden.push(`${quota.address} sets ${GPU_REQUESTS} to ${describe(cap)}`);
    }
    if (hidden.length > 0) return unresolved(`no quota in the namespace is known to cap ${GPU_REQUESTS}: ${hidden.join(", ")}`);
    if (found.length === 0) return fail(`tenant namespace without a resource quota: no quota in the module is in ${ns.address}`);
    return fail(`no quota caps ${GPU_REQUESTS}: ${lacking.join(", ")}`);
  },
};
