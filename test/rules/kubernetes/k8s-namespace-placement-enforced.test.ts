import { namespacePlacementEnforced } from "../../../lib/rules/kubernetes/namespace-placement-enforced";
import { PLACEMENT_VALIDATIONS, placementBindingManifest, placementPolicyManifest } from "../../../lib/rules/kubernetes/placement-policy";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

const tenant = (name: string, extra: object = {}) => ({
  metadata: { name, labels: { "saip.io/tenant": name, "saip.io/placement": "dedicated" }, ...extra },
});
const ANNOTATED = {
  annotations: {
    "scheduler.alpha.kubernetes.io/node-selector": "saip.io/tenant=team",
    "scheduler.alpha.kubernetes.io/defaultTolerations": "[]",
  },
};
const namespaces = { team: tenant("team"), platform: { metadata: { name: "platform" } } };

describe("k8s-namespace-placement-enforced", () => {
  it("passes tenant namespaces a ValidatingAdmissionPolicy and its Deny binding put under the placement validations", () => {
    const findings = checkJson(namespacePlacementEnforced, {
      resource: {
        kubernetes_namespace_v1: namespaces,
        kubernetes_manifest: { policy: { manifest: placementPolicyManifest() }, binding: { manifest: placementBindingManifest() } },
      },
    });
    // The platform namespace carries no tenant label, so the rule does not judge it.
    expect(statuses(findings)).toEqual({ "kubernetes_namespace_v1.team": "pass" });
    expect(findingFor(findings, "kubernetes_namespace_v1.team").message).toBe(
      "kubernetes_manifest.policy (bound with Deny by kubernetes_manifest.binding) enforces placement of the namespace's pods at admission",
    );
  });

  it("fails namespaces that rely on the scheduler.alpha annotations EKS's admission never reads", () => {
    const findings = checkJson(namespacePlacementEnforced, { resource: { kubernetes_namespace_v1: { team: tenant("team", ANNOTATED) } } });
    expect(findingFor(findings, "kubernetes_namespace_v1.team").message).toBe(
      "relies on scheduler.alpha.kubernetes.io/node-selector and scheduler.alpha.kubernetes.io/defaultTolerations, which only the PodNodeSelector and PodTolerationRestriction admission plugins read, " +
        "and EKS enables neither; the module has no ValidatingAdmissionPolicy that enforces tenant placement",
    );
  });

  it.each([
    ["without its binding", (p: Policy, _b: Policy) => ({ policy: p }), /no binding puts kubernetes_manifest\.policy in force/],
    [
      "bound to warn only",
      (p: Policy, b: Policy) => ({
        policy: p,
        binding: { manifest: { ...b.manifest, spec: { ...b.manifest.spec, validationActions: ["Warn"] } } },
      }),
      /kubernetes_manifest\.binding binds "saip-tenant-placement" without the Deny action/,
    ],
    [
      "with failurePolicy Ignore",
      (p: Policy, b: Policy) => ({
        policy: { manifest: { ...p.manifest, spec: { ...p.manifest.spec, failurePolicy: "Ignore" } } },
        binding: b,
      }),
      /failurePolicy is "Ignore", so an evaluation error lets pods through/,
    ],
    [
      "missing the toleration check",
      (p: Policy, b: Policy) => ({
        policy: {
          manifest: {
            ...p.manifest,
            spec: { ...p.manifest.spec, validations: p.manifest.spec.validations.filter((_: unknown, i: number) => i !== 1) },
          },
        },
        binding: b,
      }),
      /it lacks the validation "!has\(object\.spec\.tolerations\)/,
    ],
    [
      "covering only CREATE",
      (p: Policy, b: Policy) => ({
        policy: {
          manifest: {
            ...p.manifest,
            spec: {
              ...p.manifest.spec,
              matchConstraints: { resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }] },
            },
          },
        },
        binding: b,
      }),
      /does not cover CREATE and UPDATE of pods/,
    ],
    [
      "skipped by a match condition",
      (p: Policy, b: Policy) => ({
        policy: { manifest: { ...p.manifest, spec: { ...p.manifest.spec, matchConditions: [{ name: "never", expression: "false" }] } } },
        binding: b,
      }),
      /matchConditions skip the policy for some requests/,
    ],
    [
      "narrowed to some objects",
      (p: Policy, b: Policy) => ({
        policy: {
          manifest: {
            ...p.manifest,
            spec: {
              ...p.manifest.spec,
              matchConstraints: { ...p.manifest.spec.matchConstraints, objectSelector: { matchLabels: { checked: "yes" } } },
            },
          },
        },
        binding: b,
      }),
      /matchConstraints\.objectSelector narrows the pods the policy sees/,
    ],
    [
      "bound to other namespaces",
      (p: Policy, b: Policy) => ({
        policy: p,
        binding: {
          manifest: {
            ...b.manifest,
            spec: { ...b.manifest.spec, matchResources: { namespaceSelector: { matchLabels: { team: "other" } } } },
          },
        },
      }),
      /kubernetes_manifest\.binding does not select this namespace/,
    ],
  ])("fails a policy %s", (_, edit, message) => {
    const manifests = edit({ manifest: placementPolicyManifest() } as Policy, { manifest: placementBindingManifest() } as Policy);
    const findings = checkJson(namespacePlacementEnforced, {
      resource: { kubernetes_namespace_v1: { team: tenant("team") }, kubernetes_manifest: manifests },
    });
    expect(findingFor(findings, "kubernetes_namespace_v1.team")).toMatchObject({ status: "fail", message: expect.stringMatching(message) });
  });

  it("is unresolved when a manifest, the namespace's labels or the binding's selector cannot be read", () => {
    const hidden = checkJson(namespacePlacementEnforced, {
      resource: { kubernetes_namespace_v1: { team: tenant("team") }, kubernetes_manifest: { any: { manifest: "${var.policy}" } } },
    });
    expect(findingFor(hidden, "kubernetes_namespace_v1.team").message).toBe(
      "unresolved: no ValidatingAdmissionPolicy is known to enforce placement: kubernetes_manifest.any manifest is ${var.policy} (unresolved)",
    );
    const labels = checkJson(namespacePlacementEnforced, {
      resource: { kubernetes_namespace_v1: { team: { metadata: { name: "team", labels: "${var.labels}" } } } },
    });
    expect(findingFor(labels, "kubernetes_namespace_v1.team").message).toMatch(
      /^unresolved: metadata\.labels is \$\{var\.labels\} \(unresolved\); cannot tell whether it carries saip\.io\/tenant/,
    );
    const binding = placementBindingManifest();
    const selector = {
      ...binding,
      spec: {
        ...binding.spec,
        matchResources: { namespaceSelector: { matchExpressions: [{ key: "tier", operator: "Gt", values: ["1"] }] } },
      },
    };
    const odd = checkJson(namespacePlacementEnforced, {
      resource: {
        kubernetes_namespace_v1: { team: tenant("team") },
        kubernetes_manifest: { policy: { manifest: placementPolicyManifest() }, binding: { manifest: selector } },
      },
    });
    expect(findingFor(odd, "kubernetes_namespace_v1.team").message).toMatch(
      /^unresolved: .*cannot tell whether it selects this namespace, its namespaceSelector uses operator "Gt"/,
    );
  });

  it("keeps the three checks of tenant placement in the policy's exact CEL", () => {
    expect(PLACEMENT_VALIDATIONS.map((v) => v.expression)).toEqual([
      "request.operation != 'CREATE' || !has(object.spec.nodeName) || object.spec.nodeName == ''",
      "!has(object.spec.tolerations) || object.spec.tolerations.all(t, has(t.key) && t.key != '' && (t.key != 'saip.io/tenant' || ((!has(t.operator) || t.operator == 'Equal') && has(t.value) && t.value == variables.tenant)))",
      "!variables.dedicated || (has(object.spec.nodeSelector) && 'saip.io/tenant' in object.spec.nodeSelector && object.spec.nodeSelector['saip.io/tenant'] == variables.tenant)",
    ]);
  });

  it("reads HCL the same way", async () => {
    const cel = (text: string) => text.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
    const policy = placementPolicyManifest();
    const findings = await checkHcl(
      namespacePlacementEnforced,
      `resource "kubernetes_namespace_v1" "team" {
         metadata {
           name   = "team"
           labels = { "saip.io/tenant" = "team", "saip.io/placement" = "dedicated" }
         }
       }
       resource "kubernetes_namespace_v1" "annotated" {
         metadata {
           name        = "annotated"
           labels      = { "saip.io/tenant" = "annotated" }
           annotations = { "scheduler.alpha.kubernetes.io/node-selector" = "saip.io/tenant=annotated" }
         }
       }
       resource "kubernetes_manifest" "policy" {
         manifest = {
           apiVersion = "admissionregistration.k8s.io/v1"
           kind       = "ValidatingAdmissionPolicy"
           metadata   = { name = "saip-tenant-placement" }
           spec = {
             failurePolicy    = "Fail"
             matchConstraints = { resourceRules = [{ apiGroups = [""], apiVersions = ["v1"], operations = ["CREATE", "UPDATE"], resources = ["pods"] }] }
             variables        = [${policy.spec.variables.map((v) => `{ name = "${v.name}", expression = "${cel(v.expression)}" }`).join(", ")}]
             validations      = [${policy.spec.validations.map((v) => `{ expression = "${cel(v.expression)}", message = "denied" }`).join(", ")}]
           }
         }
       }
       resource "kubernetes_manifest" "binding" {
         manifest = {
           apiVersion = "admissionregistration.k8s.io/v1"
           kind       = "ValidatingAdmissionPolicyBinding"
           metadata   = { name = "saip-tenant-placement" }
           spec = {
             policyName        = "saip-tenant-placement"
             validationActions = ["Deny"]
             matchResources    = { namespaceSelector = { matchLabels = { "saip.io/placement" = "dedicated" } } }
           }
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "kubernetes_namespace_v1.team": "pass", "kubernetes_namespace_v1.annotated": "fail" });
    expect(findingFor(findings, "kubernetes_namespace_v1.annotated").message).toMatch(
      /^relies on scheduler\.alpha\.kubernetes\.io\/node-selector, .*EKS enables neither; kubernetes_manifest\.binding does not select this namespace$/,
    );
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Policy = { manifest: any };
