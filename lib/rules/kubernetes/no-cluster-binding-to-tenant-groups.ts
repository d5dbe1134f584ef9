import { fail, pass, Rule, unresolved } from "../../compliance/rule";
import { TfModule } from "../../terraform/model";
import { blocksOf, describe, resolve } from "../helpers";
import { CLUSTER_ROLE_BINDING_TYPES, isTenantNamespace, NAMESPACE_TYPES, objectsIn, ROLE_BINDING_TYPES } from "./util";

/** Group name prefixes reserved for tenants. */
const TENANT_PREFIXES = ["tenant:", "saip:tenant:"];

/** Groups bound by role bindings in tenant namespaces, with the binding that makes each a tenant group. */
function tenantGroups(module: TfModule): Map<string, string> {
  return module.cached("k8s-no-cluster-binding-to-tenant-groups", () => {
    const groups = new Map<string, string>();
    const tenants = NAMESPACE_TYPES.flatMap((t) => module.ofType(t)).filter((ns) => isTenantNamespace(ns) === true);
    for (const ns of tenants) {
      for (const binding of objectsIn(ns, ROLE_BINDING_TYPES).found) {
        for (const subject of blocksOf(binding.body.subject)) {
          const kind = resolve(binding, subject.kind);
          const name = resolve(binding, subject.name);
          if (
            kind.state === "known" &&
            kind.value === "Group" &&
            name.state === "known" &&
            typeof name.value === "string" &&
            !groups.has(name.value)
          ) {
            groups.set(name.value, `${binding.address} in tenant namespace ${ns.address}`);
          }
        }
      }
    }
    return groups;
  });
}

export const noClusterBindingToTenantGroups: Rule = {
  id: "k8s-no-cluster-binding-to-tenant-groups",
  title: "No cluster role binding grants rights to a tenant's groups",
  requirements: ["AICP-TENANT-06"],
  severity: "mandatory",
  waivable: true,
  appliesTo: CLUSTER_ROLE_BINDING_TYPES,
  remediation: "Bind tenant groups with role bindings in their own namespace only, never with a cluster role binding.",
  examples: {
    good: [
      `
      resource "kubernetes_namespace_v1" "team_a" {
        metadata {
          name   = "team-a"
          labels = { "saip.io/tenant" = "team-a" }
        }
      }

      resource "kubernetes_role_binding_v1" "team_a" {
        metadata {
          name      = "edit"
          namespace = kubernetes_namespace_v1.team_a.metadata[0].name
        }
        role_ref {
          api_group = "rbac.authorization.k8s.io"
          kind      = "ClusterRole"
          name      = "edit"
        }
        subject {
          kind      = "Group"
          name      = "ml-researchers"
          api_group = "rbac.authorization.k8s.io"
        }
      }

      resource "kubernetes_cluster_role_binding_v1" "ops" {
        metadata {
          name = "ops-view"
        }
        role_ref {
          api_group = "rbac.authorization.k8s.io"
          kind      = "ClusterRole"
          name      = "view"
        }
        subject {
          kind      = "Group"
          name      = "platform-ops"
          api_group = "rbac.authorization.k8s.io"
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

      resource "kubernetes_role_binding_v1" "team_a" {
        metadata {
          name      = "edit"
          namespace = kubernetes_namespace_v1.team_a.metadata[0].name
        }
        role_ref {
          api_group = "rbac.authorization.k8s.io"
          kind      = "ClusterRole"
          name      = "edit"
        }
        subject {
          kind      = "Group"
          name      = "ml-researchers"
          api_group = "rbac.authorization.k8s.io"
        }
      }

      resource "kubernetes_cluster_role_binding_v1" "researchers" {
        metadata {
          name = "researchers-view"
        }
        role_ref {
          api_group = "rbac.authorization.k8s.io"
          kind      = "ClusterRole"
          name      = "view"
        }
        subject {
          kind      = "Group"
          name      = "ml-researchers"
          api_group = "rbac.authorization.k8s.io"
        }
      }
    `,
    ],
  },
  check(binding) {
    if (typeof binding.body.subject === "string") return unresolved(`subject is ${describe(resolve(binding, binding.body.subject))}`);
    const tenants = tenantGroups(binding.module);
    const found: string[] = [];
    const open: string[] = [];
    for (const subject of blocksOf(binding.body.subject)) {
      const kind = resolve(binding, subject.kind);
      const name = resolve(binding, subject.name);
      if (kind.state !== "known") {
        open.push(`a subject's kind is ${describe(kind)}`);
        continue;
      }
      if (kind.value !== "Group") continue;
      if (name.state !== "known" || typeof name.value !== "string" || name.value.indexOf("${") >= 0) {
        open.push(`a Group subject's name is ${describe(name)}`);
        continue;
      }
      const group = name.value;
      if (TENANT_PREFIXES.some((p) => group.startsWith(p))) found.push(`group "${group}" (a tenant group by its prefix)`);
      else if (tenants.has(group)) found.push(`group "${group}" (bound by ${tenants.get(group)})`);
    }
    if (found.length > 0) return fail(`grants cluster-wide rights to ${found.join(", ")}`);
    if (open.length > 0) return unresolved(open.join(", "));
    return pass("binds no tenant group");
  },
};
