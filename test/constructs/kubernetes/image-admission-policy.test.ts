import { Testing } from "cdktf";
import { ImageAdmissionPolicy } from "../../../constructs/kubernetes/image-admission-policy";
import { SecureStack } from "../../../lib/secure-stack";

describe("ImageAdmissionPolicy", () => {
  it("deploys the policy and its two Deny bindings, each after the policy", () => {
    const stack = new SecureStack(Testing.app(), "test");
    new ImageAdmissionPolicy(stack, "ImageAdmission");
    const manifests = JSON.parse(Testing.synth(stack)).resource.kubernetes_manifest;
    expect(Object.keys(manifests).sort()).toEqual(["image_admission", "image_admission_platform_binding", "image_admission_tenants_binding"]);
    expect(manifests.image_admission.manifest).toMatchObject({ kind: "ValidatingAdmissionPolicy", spec: { failurePolicy: "Fail" } });
    for (const binding of ["image_admission_tenants_binding", "image_admission_platform_binding"]) {
      expect(manifests[binding].manifest.spec).toMatchObject({ policyName: "saip-image-provenance", validationActions: ["Deny"] });
      expect(manifests[binding].depends_on).toEqual(["kubernetes_manifest.image_admission"]);
    }
  });
});
