import { namespacePsaRestricted } from "../../../lib/rules/kubernetes/namespace-psa-restricted";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

describe("k8s-namespace-psa-restricted", () => {
  it("requires the restricted enforce label", () => {
    const findings = checkJson(namespacePsaRestricted, {
      locals: { psa: { "pod-security.kubernetes.io/enforce": "restricted" } },
      resource: {
        kubernetes_namespace_v1: {
          from_local: { metadata: { name: "l", labels: "${local.psa}" } },
          restricted: { metadata: { name: "a", labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
          baseline: { metadata: [{ name: "b", labels: { "pod-security.kubernetes.io/enforce": "baseline" } }] },
          unlabelled: { metadata: { name: "c" } },
          unknown_value: { metadata: { name: "d", labels: { "pod-security.kubernetes.io/enforce": "${var.level}" } } },
        },
        kubernetes_namespace: { unknown_labels: { metadata: { name: "e", labels: "${var.labels}" } } },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_namespace_v1.from_local": "pass",
      "kubernetes_namespace_v1.restricted": "pass",
      "kubernetes_namespace_v1.baseline": "fail",
      "kubernetes_namespace_v1.unlabelled": "fail",
      "kubernetes_namespace_v1.unknown_value": "fail",
      "kubernetes_namespace.unknown_labels": "fail",
    });
    expect(findingFor(findings, "kubernetes_namespace_v1.baseline").message).toMatch(/is "baseline", expected "restricted"/);
    expect(findingFor(findings, "kubernetes_namespace_v1.unlabelled").message).toMatch(/is not set/);
    expect(findingFor(findings, "kubernetes_namespace_v1.unknown_value").message).toMatch(/^unresolved: .*var\.level/);
    expect(findingFor(findings, "kubernetes_namespace.unknown_labels").message).toMatch(/^unresolved: metadata\.labels is .*var\.labels/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      namespacePsaRestricted,
      `resource "kubernetes_namespace_v1" "ok" {
         metadata {
           name   = "ok"
           labels = { "pod-security.kubernetes.io/enforce" = "restricted" }
         }
       }
       resource "kubernetes_namespace_v1" "privileged" {
         metadata {
           name   = "privileged"
           labels = { "pod-security.kubernetes.io/enforce" = "privileged" }
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "kubernetes_namespace_v1.ok": "pass", "kubernetes_namespace_v1.privileged": "fail" });
  });
});
