import { Testing } from "cdktf";
import { TenantPlacementPolicy } from "../../../constructs/kubernetes/tenant-placement-policy";
import { PLACEMENT_VALIDATIONS, PLACEMENT_VARIABLES } from "../../../lib/rules/kubernetes/placement-policy";
import { SecureStack } from "../../../lib/secure-stack";
import { findingsOf, synthJson } from "./engine";
import { TenantNamespace } from "../../../constructs/kubernetes/tenant-namespace";
import { dedicatedTenantPool } from "../../../constructs/kubernetes/pod-placement";

function setup() {
  const stack = new SecureStack(Testing.app(), "test");
  const placement = new TenantPlacementPolicy(stack, "TenantPlacement");
  return { stack, placement, json: synthJson(stack) };
}

describe("TenantPlacementPolicy", () => {
  it("is a ValidatingAdmissionPolicy on pod creation and update that fails closed", () => {
    const { json } = setup();
    expect(json.resource.kubernetes_manifest.tenant_placement.manifest).toEqual({
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicy",
      metadata: { name: "saip-tenant-placement", labels: { "app.kubernetes.io/part-of": "saip" } },
      spec: {
        failurePolicy: "Fail",
        matchConstraints: {
          resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }],
        },
        variables: PLACEMENT_VARIABLES,
        validations: PLACEMENT_VALIDATIONS,
      },
    });
  });

  it("is bound, denying, in every namespace with a tenant label, after the policy exists", () => {
    const { json } = setup();
    expect(json.resource.kubernetes_manifest.tenant_placement_binding).toEqual({
      manifest: {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicyBinding",
        metadata: { name: "saip-tenant-placement", labels: { "app.kubernetes.io/part-of": "saip" } },
        spec: {
          policyName: "saip-tenant-placement",
          validationActions: ["Deny"],
          matchResources: { namespaceSelector: { matchExpressions: [{ key: "saip.io/tenant", operator: "Exists" }] } },
        },
      },
      depends_on: ["kubernetes_manifest.tenant_placement"],
    });
  });

  it("reads the tenant and its placement from namespace labels tenants cannot change, which TenantNamespace sets", () => {
    expect(PLACEMENT_VARIABLES.map((v) => v.expression).join(" ")).toMatch(
      /namespaceObject\.metadata\.labels\['saip\.io\/tenant'\].*namespaceObject\.metadata\.labels\['saip\.io\/placement'\] == 'dedicated'/,
    );
    const stack = new SecureStack(Testing.app(), "test");
    new TenantPlacementPolicy(stack, "TenantPlacement");
    new TenantNamespace(stack, "TeamA", {
      name: "team-a",
      groups: ["team-a-developers"],
      gpuQuota: 1,
      endpointCidrs: ["10.0.0.0/16"],
      dedicatedPool: dedicatedTenantPool("team-a"),
    });
    const placement = findingsOf(stack).find((f) => f.ruleId === "k8s-namespace-placement-enforced")!;
    expect(placement).toMatchObject({ status: "pass", resource: "kubernetes_namespace_v1.team_a" });
  });

  // Before, placement rested on scheduler.alpha.kubernetes.io annotations EKS never reads: the rule fails that.
  it("is what the placement rule needs: without it a tenant namespace fails", () => {
    const stack = new SecureStack(Testing.app(), "test");
    new TenantNamespace(stack, "TeamA", { name: "team-a", groups: ["team-a-developers"], gpuQuota: 1, endpointCidrs: ["10.0.0.0/16"] });
    const placement = findingsOf(stack).find((f) => f.ruleId === "k8s-namespace-placement-enforced")!;
    expect(placement).toMatchObject({
      status: "fail",
      message: "the module has no ValidatingAdmissionPolicy that enforces tenant placement",
    });
  });

  it("refuses a dedicated pool other than the saip.io/tenant label and taint admission enforces", () => {
    const stack = new SecureStack(Testing.app(), "test");
    expect(
      () =>
        new TenantNamespace(stack, "TeamA", {
          name: "team-a",
          groups: ["team-a-developers"],
          gpuQuota: 1,
          endpointCidrs: ["10.0.0.0/16"],
          dedicatedPool: { label: "pool=gpu", taint: { key: "pool", value: "gpu", effect: "NoSchedule" } },
        }),
    ).toThrow(
      "test/TeamA: dedicatedPool must be dedicatedTenantPool('team-a') (label and NoSchedule taint saip.io/tenant=team-a), which admission enforces, got label 'pool=gpu' and taint 'pool=gpu:NoSchedule'.",
    );
  });
});
