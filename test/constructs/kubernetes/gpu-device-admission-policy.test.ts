import { Testing } from "cdktf";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { GpuDeviceAdmissionPolicy } from "../../../constructs/kubernetes/gpu-device-admission-policy";
import { SecureStack } from "../../../lib/secure-stack";
import { findingsOf, synthJson } from "./engine";

function setup() {
  const stack = new SecureStack(Testing.app(), "test");
  new GpuDeviceAdmissionPolicy(stack, "GpuDeviceAdmission");
  new NamespaceV1(stack, "Tenant", { metadata: { name: "team-a", labels: { "saip.io/tenant": "team-a" } } });
  return { stack, json: synthJson(stack) };
}

describe("GpuDeviceAdmissionPolicy", () => {
  it("fails closed, covers ephemeral containers, and is bound with Deny to every tenant namespace, after the policy exists", () => {
    const { json } = setup();
    const manifests = json.resource.kubernetes_manifest;
    const policy = manifests.gpu_device_admission.manifest;
    const binding = manifests.gpu_device_admission_binding;
    expect(policy.kind).toBe("ValidatingAdmissionPolicy");
    expect(policy.spec.failurePolicy).toBe("Fail");
    expect(policy.spec.matchConstraints.resourceRules[0].resources).toEqual(["pods", "pods/ephemeralcontainers"]);
    expect(binding.manifest.spec).toMatchObject({
      policyName: policy.metadata.name,
      validationActions: ["Deny"],
      matchResources: { namespaceSelector: { matchExpressions: [{ key: "saip.io/tenant", operator: "Exists" }] } },
    });
    expect(binding.depends_on).toEqual(["kubernetes_manifest.gpu_device_admission"]);
  });

  it("meets k8s-namespace-gpu-bypass-denied on a tenant namespace, as built", () => {
    const { stack } = setup();
    const finding = findingsOf(stack).find(
      (f) => f.ruleId === "k8s-namespace-gpu-bypass-denied" && f.resource === "kubernetes_namespace_v1.tenant",
    );
    expect(finding?.status).toBe("pass");
  });
});
