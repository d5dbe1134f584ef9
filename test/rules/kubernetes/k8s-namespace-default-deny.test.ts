import { namespaceDefaultDeny } from "../../../lib/rules/kubernetes/namespace-default-deny";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

const DENY = { pod_selector: {}, policy_types: ["Ingress", "Egress"] };

describe("k8s-namespace-default-deny", () => {
  it("passes a namespace with an empty-selector policy denying both directions, however it is named", () => {
    const findings = checkJson(namespaceDefaultDeny, {
      resource: {
        kubernetes_namespace_v1: {
          by_reference: { metadata: { name: "a" } },
          by_id: { metadata: { name: "b" } },
          by_literal: { metadata: { name: "c" } },
          ingress_only: { metadata: { name: "d" } },
          selective: { metadata: { name: "e" } },
          allowing: { metadata: { name: "f" } },
          none: { metadata: { name: "g" } },
        },
        kubernetes_network_policy_v1: {
          a: { metadata: { name: "deny", namespace: "${kubernetes_namespace_v1.by_reference.metadata[0].name}" }, spec: DENY },
          b: {
            metadata: { name: "deny", namespace: "${kubernetes_namespace_v1.by_id.id}" },
            spec: [{ pod_selector: [{ match_labels: {} }], policy_types: ["Egress", "Ingress"] }],
          },
          d: {
            metadata: { name: "deny", namespace: "${kubernetes_namespace_v1.ingress_only.metadata[0].name}" },
            spec: { pod_selector: {}, policy_types: ["Ingress"] },
          },
          e: {
            metadata: { name: "deny", namespace: "${kubernetes_namespace_v1.selective.metadata[0].name}" },
            spec: { ...DENY, pod_selector: { match_labels: { app: "x" } } },
          },
          f: {
            metadata: { name: "allow", namespace: "${kubernetes_namespace_v1.allowing.metadata[0].name}" },
            spec: { ...DENY, ingress: [{}] },
          },
        },
        kubernetes_network_policy: { c: { metadata: { name: "deny", namespace: "c" }, spec: DENY } },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_namespace_v1.by_reference": "pass",
      "kubernetes_namespace_v1.by_id": "pass",
      "kubernetes_namespace_v1.by_literal": "pass",
      "kubernetes_namespace_v1.ingress_only": "fail",
      "kubernetes_namespace_v1.selective": "fail",
      "kubernetes_namespace_v1.allowing": "fail",
      "kubernetes_namespace_v1.none": "fail",
    });
    expect(findingFor(findings, "kubernetes_namespace_v1.by_reference").message).toMatch(/kubernetes_network_policy_v1\.a denies all/);
    expect(findingFor(findings, "kubernetes_namespace_v1.ingress_only").message).toMatch(/policy_types lacks Egress/);
    expect(findingFor(findings, "kubernetes_namespace_v1.selective").message).toMatch(/selects only some pods/);
    expect(findingFor(findings, "kubernetes_namespace_v1.allowing").message).toMatch(/has ingress rules/);
    expect(findingFor(findings, "kubernetes_namespace_v1.none").message).toMatch(
      /no network policy in the module is in kubernetes_namespace_v1\.none/,
    );
  });

  it("is unresolved when a policy's namespace or types cannot be known", () => {
    const findings = checkJson(namespaceDefaultDeny, {
      resource: {
        kubernetes_namespace_v1: { a: { metadata: { name: "a" } }, b: { metadata: { name: "b" } } },
        kubernetes_network_policy_v1: {
          somewhere: { metadata: { name: "deny", namespace: "${var.namespace}" }, spec: DENY },
          types: { metadata: { name: "deny", namespace: "b" }, spec: { pod_selector: {}, policy_types: "${var.types}" } },
        },
      },
    });
    expect(findingFor(findings, "kubernetes_namespace_v1.a").message).toMatch(
      /^unresolved: .*kubernetes_network_policy_v1\.somewhere is .*var\.namespace/,
    );
    expect(findingFor(findings, "kubernetes_namespace_v1.b").message).toMatch(/^unresolved: .*policy_types is .*var\.types/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      namespaceDefaultDeny,
      `resource "kubernetes_namespace_v1" "team" {
         metadata { name = "team" }
       }
       resource "kubernetes_network_policy_v1" "deny" {
         metadata {
           name      = "default-deny"
           namespace = kubernetes_namespace_v1.team.metadata[0].name
         }
         spec {
           pod_selector {}
           policy_types = ["Ingress", "Egress"]
         }
       }
       resource "kubernetes_namespace_v1" "open" {
         metadata { name = "open" }
       }
       resource "kubernetes_network_policy_v1" "allow_all" {
         metadata {
           name      = "allow-all"
           namespace = kubernetes_namespace_v1.open.metadata[0].name
         }
         spec {
           pod_selector {}
           policy_types = ["Ingress", "Egress"]
           ingress {}
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "kubernetes_namespace_v1.team": "pass", "kubernetes_namespace_v1.open": "fail" });
  });
});
