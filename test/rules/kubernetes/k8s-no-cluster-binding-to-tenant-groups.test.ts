import { noClusterBindingToTenantGroups } from "../../../lib/rules/kubernetes/no-cluster-binding-to-tenant-groups";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

const group = (name: string) => ({ kind: "Group", name, api_group: "rbac.authorization.k8s.io" });
const roleRef = (name: string) => ({ api_group: "rbac.authorization.k8s.io", kind: "ClusterRole", name });

describe("k8s-no-cluster-binding-to-tenant-groups", () => {
  it("fails cluster bindings of groups bound in tenant namespaces or named as tenant groups", () => {
    const findings = checkJson(noClusterBindingToTenantGroups, {
      resource: {
        kubernetes_namespace_v1: {
          team: { metadata: { name: "team-a", labels: { "saip.io/tenant": "team-a" } } },
          ops: { metadata: { name: "ops" } },
        },
        kubernetes_role_binding_v1: {
          team: {
            metadata: { name: "edit", namespace: "${kubernetes_namespace_v1.team.metadata[0].name}" },
            role_ref: roleRef("edit"),
            subject: [group("ml-researchers")],
          },
          ops: { metadata: { name: "admin", namespace: "ops" }, role_ref: roleRef("admin"), subject: [group("platform-ops")] },
        },
        kubernetes_cluster_role_binding_v1: {
          ops: {
            metadata: { name: "ops" },
            role_ref: roleRef("view"),
            subject: [group("platform-ops"), { kind: "User", name: "tenant:alice" }],
          },
          tenant_group: {
            metadata: { name: "researchers" },
            role_ref: roleRef("view"),
            subject: { kind: "Group", name: "ml-researchers" },
          },
          prefixed: { metadata: { name: "prefixed" }, role_ref: roleRef("view"), subject: [group("saip:tenant:team-b:admins")] },
          unknown: { metadata: { name: "unknown" }, role_ref: roleRef("view"), subject: [group("${var.group}")] },
        },
        kubernetes_cluster_role_binding: {
          legacy: { metadata: { name: "legacy" }, role_ref: roleRef("view"), subject: [group("tenant:team-c")] },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_cluster_role_binding_v1.ops": "pass",
      "kubernetes_cluster_role_binding_v1.tenant_group": "fail",
      "kubernetes_cluster_role_binding_v1.prefixed": "fail",
      "kubernetes_cluster_role_binding_v1.unknown": "fail",
      "kubernetes_cluster_role_binding.legacy": "fail",
    });
    expect(findingFor(findings, "kubernetes_cluster_role_binding_v1.tenant_group").message).toBe(
      'grants cluster-wide rights to group "ml-researchers" (bound by kubernetes_role_binding_v1.team in tenant namespace kubernetes_namespace_v1.team)',
    );
    expect(findingFor(findings, "kubernetes_cluster_role_binding_v1.prefixed").message).toMatch(
      /"saip:tenant:team-b:admins" \(a tenant group by its prefix\)/,
    );
    expect(findingFor(findings, "kubernetes_cluster_role_binding_v1.unknown").message).toMatch(/^unresolved: .*var\.group/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      noClusterBindingToTenantGroups,
      `resource "kubernetes_cluster_role_binding_v1" "ops" {
         metadata { name = "ops" }
         role_ref {
           api_group = "rbac.authorization.k8s.io"
           kind      = "ClusterRole"
           name      = "view"
         }
         subject {
           kind = "Group"
           name = "platform-ops"
         }
       }
       resource "kubernetes_cluster_role_binding_v1" "tenant" {
         metadata { name = "tenant" }
         role_ref {
           api_group = "rbac.authorization.k8s.io"
           kind      = "ClusterRole"
           name      = "view"
         }
         subject {
           kind = "Group"
           name = "tenant:team-a"
         }
       }`,
    );
    expect(statuses(findings)).toEqual({
      "kubernetes_cluster_role_binding_v1.ops": "pass",
      "kubernetes_cluster_role_binding_v1.tenant": "fail",
    });
  });
});
