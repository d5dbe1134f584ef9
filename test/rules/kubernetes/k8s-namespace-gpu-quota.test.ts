import { namespaceGpuQuota } from "../../../lib/rules/kubernetes/namespace-gpu-quota";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

const tenant = (name: string) => ({ metadata: { name, labels: { "saip.io/tenant": name } } });

describe("k8s-namespace-gpu-quota", () => {
  it("requires a GPU request quota in tenant namespaces only", () => {
    const findings = checkJson(namespaceGpuQuota, {
      resource: {
        kubernetes_namespace_v1: {
          capped: tenant("capped"),
          cpu_only: tenant("cpu-only"),
          bare: tenant("bare"),
          by_name: tenant("by-name"),
          platform: { metadata: { name: "platform" } },
          hidden: { metadata: { name: "hidden", labels: "${var.labels}" } },
        },
        kubernetes_resource_quota_v1: {
          capped: {
            metadata: { name: "gpu", namespace: "${kubernetes_namespace_v1.capped.metadata[0].name}" },
            spec: { hard: { "requests.nvidia.com/gpu": "8" } },
          },
          cpu_only: {
            metadata: { name: "cpu", namespace: "${kubernetes_namespace_v1.cpu_only.id}" },
            spec: [{ hard: { "requests.cpu": "64" } }],
          },
        },
        kubernetes_resource_quota: {
          by_name: { metadata: { name: "gpu", namespace: "by-name" }, spec: { hard: { "requests.nvidia.com/gpu": 4 } } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_namespace_v1.capped": "pass",
      "kubernetes_namespace_v1.cpu_only": "fail",
      "kubernetes_namespace_v1.bare": "fail",
      "kubernetes_namespace_v1.by_name": "pass",
      "kubernetes_namespace_v1.hidden": "fail",
    });
    expect(findingFor(findings, "kubernetes_namespace_v1.capped").message).toMatch(
      /kubernetes_resource_quota_v1\.capped caps requests\.nvidia\.com\/gpu at "8"/,
    );
    expect(findingFor(findings, "kubernetes_namespace_v1.cpu_only").message).toMatch(
      /kubernetes_resource_quota_v1\.cpu_only has no requests\.nvidia\.com\/gpu/,
    );
    expect(findingFor(findings, "kubernetes_namespace_v1.bare").message).toMatch(/without a resource quota/);
    expect(findingFor(findings, "kubernetes_namespace_v1.hidden").message).toMatch(/^unresolved: metadata\.labels is .*var\.labels/);
  });

  it("is unresolved when the cap or the quota's namespace is unknown", () => {
    const findings = checkJson(namespaceGpuQuota, {
      resource: {
        kubernetes_namespace_v1: { a: tenant("a"), b: tenant("b") },
        kubernetes_resource_quota_v1: {
          a: { metadata: { namespace: "a" }, spec: { hard: { "requests.nvidia.com/gpu": "${var.gpus}" } } },
          b: { metadata: { namespace: "${var.namespace}" }, spec: { hard: { "requests.nvidia.com/gpu": "2" } } },
        },
      },
    });
    expect(findingFor(findings, "kubernetes_namespace_v1.a").message).toMatch(/^unresolved: .*var\.gpus/);
    // The quota with an unknown namespace may be the one for either namespace.
    expect(findingFor(findings, "kubernetes_namespace_v1.b").message).toMatch(
      /^unresolved: .*namespace of kubernetes_resource_quota_v1\.b is unknown/,
    );
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      namespaceGpuQuota,
      `resource "kubernetes_namespace_v1" "team" {
         metadata {
           name   = "team"
           labels = { "saip.io/tenant" = "team" }
         }
       }
       resource "kubernetes_resource_quota_v1" "gpu" {
         metadata {
           name      = "gpu"
           namespace = kubernetes_namespace_v1.team.metadata[0].name
         }
         spec {
           hard = { "requests.nvidia.com/gpu" = "4" }
         }
       }
       resource "kubernetes_namespace_v1" "other" {
         metadata {
           name   = "other"
           labels = { "saip.io/tenant" = "other" }
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "kubernetes_namespace_v1.team": "pass", "kubernetes_namespace_v1.other": "fail" });
  });
});
