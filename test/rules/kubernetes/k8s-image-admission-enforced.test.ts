import { imageAdmissionEnforced } from "../../../lib/rules/kubernetes/image-admission-enforced";
import { imageBindingManifests, imagePolicyManifest } from "../../../lib/rules/kubernetes/image-policy";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

type Body = ReturnType<typeof imagePolicyManifest>;
const [tenantsBinding, platformBinding] = imageBindingManifests();
const namespaces = {
  team: { metadata: { name: "team", labels: { "saip.io/tenant": "team" } } },
  operators: { metadata: { name: "operators", labels: { "saip.io/image-policy": "enforced" } } },
  plain: { metadata: { name: "plain" } },
  unknown: { metadata: { name: "unknown", labels: "${var.labels}" } },
};
const withSpec = (change: (spec: Body["spec"]) => object) => {
  const policy = imagePolicyManifest();
  return { ...policy, spec: { ...policy.spec, ...change(policy.spec) } };
};

describe("k8s-image-admission-enforced", () => {
  it("passes tenant and labelled platform namespaces under the policy and its Deny bindings, and leaves unknown labels unresolved", () => {
    const findings = checkJson(imageAdmissionEnforced, {
      resource: {
        kubernetes_namespace_v1: namespaces,
        kubernetes_manifest: { policy: { manifest: imagePolicyManifest() }, tenants: { manifest: tenantsBinding }, platform: { manifest: platformBinding } },
      },
    });
    expect(statuses(findings)).toEqual({ "kubernetes_namespace_v1.team": "pass", "kubernetes_namespace_v1.operators": "pass", "kubernetes_namespace_v1.unknown": "fail" });
    expect(findingFor(findings, "kubernetes_namespace_v1.team").message).toBe("kubernetes_manifest.policy (bound with Deny by kubernetes_manifest.tenants) admits only private ECR images by digest in this namespace");
    expect(findingFor(findings, "kubernetes_namespace_v1.unknown").message).toMatch(/^unresolved: .*cannot tell which admission policies select it/);
  });

  it("fails a tenant namespace no policy checks", () => {
    const findings = checkJson(imageAdmissionEnforced, { resource: { kubernetes_namespace_v1: { team: namespaces.team } } });
    expect(findingFor(findings, "kubernetes_namespace_v1.team").message).toMatch(/^no ValidatingAdmissionPolicy checks images in this namespace/);
  });

  it.each<[string, object, RegExp]>([
    ["without a binding", { policy: { manifest: imagePolicyManifest() } }, /no binding puts kubernetes_manifest\.policy in force/],
    ["bound to warn only", { policy: { manifest: imagePolicyManifest() }, b: { manifest: { ...tenantsBinding, spec: { ...tenantsBinding.spec, validationActions: ["Audit"] } } } }, /binds "saip-image-provenance" without the Deny action/],
    ["bound to other namespaces", { policy: { manifest: imagePolicyManifest() }, b: { manifest: platformBinding } }, /kubernetes_manifest\.b does not select this namespace/],
    ["failing open", { policy: { manifest: withSpec(() => ({ failurePolicy: "Ignore" })) }, b: { manifest: tenantsBinding } }, /failurePolicy is "Ignore", so an evaluation error admits the pod unchecked/],
    ["blind to debug containers", { policy: { manifest: withSpec(() => ({ matchConstraints: { resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }] } })) }, b: { manifest: tenantsBinding } }, /does not cover pods\/ephemeralcontainers/],
    ["without the init container check", { policy: { manifest: withSpec((spec) => ({ validations: spec.validations.filter((_, i) => i !== 1) })) }, b: { manifest: tenantsBinding } }, /it lacks the validation "!has\(object\.spec\.initContainers\)/],
    ["skipped by a match condition", { policy: { manifest: withSpec(() => ({ matchConditions: [{ name: "never", expression: "false" }] })) }, b: { manifest: tenantsBinding } }, /matchConditions skip the policy for some requests/],
  ])("fails a tenant namespace under a policy %s", (_title, manifests, message) => {
    const findings = checkJson(imageAdmissionEnforced, { resource: { kubernetes_namespace_v1: { team: namespaces.team }, kubernetes_manifest: manifests } });
    expect(findingFor(findings, "kubernetes_namespace_v1.team").status).toBe("fail");
    expect(findingFor(findings, "kubernetes_namespace_v1.team").message).toMatch(message);
  });

  it("leaves a namespace unresolved when a binding's selector cannot be read", () => {
    const findings = checkJson(imageAdmissionEnforced, {
      resource: {
        kubernetes_namespace_v1: { team: namespaces.team },
        kubernetes_manifest: { policy: { manifest: imagePolicyManifest() }, b: { manifest: { ...tenantsBinding, spec: { ...tenantsBinding.spec, matchResources: { namespaceSelector: { matchExpressions: [{ key: "x", operator: "Gt" }] } } } } } },
      },
    });
    expect(findingFor(findings, "kubernetes_namespace_v1.team").message).toMatch(/^unresolved: no admission policy is known to check this namespace's images: .*operator "Gt"/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(imageAdmissionEnforced, `resource "kubernetes_namespace_v1" "team" {
      metadata {
        name   = "team"
        labels = { "saip.io/tenant" = "team" }
      }
    }`);
    expect(statuses(findings)).toEqual({ "kubernetes_namespace_v1.team": "fail" });
  });
});
