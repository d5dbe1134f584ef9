import { Testing } from "cdktf";
import { ImageAdmissionPolicy } from "../../../constructs/kubernetes/image-admission-policy";
import { SecureStack } from "../../../lib/secure-stack";

describe("ImageAdmissionPolicy", () => {
  it("deploys the policy and its two Deny bindings, each after the policy", () => {
    const stack = new SecureStack(Testing.app(), "test");
    new ImageAdmissionPolicy(stack, "ImageAdmission", { account: "111122223333", region: "eu-west-1" });
    const manifests = JSON.parse(Testing.synth(stack)).resource.kubernetes_manifest;
    expect(Object.keys(manifests).sort()).toEqual([
      "image_admission",
      "image_admission_platform_binding",
      "image_admission_tenants_binding",
    ]);
    expect(manifests.image_admission.manifest).toMatchObject({ kind: "ValidatingAdmissionPolicy", spec: { failurePolicy: "Fail" } });
    for (const binding of ["image_admission_tenants_binding", "image_admission_platform_binding"]) {
      expect(manifests[binding].manifest.spec).toMatchObject({ policyName: "saip-image-provenance", validationActions: ["Deny"] });
      expect(manifests[binding].depends_on).toEqual(["kubernetes_manifest.image_admission"]);
    }
  });

  it("admits only the platform's own account and region, written into the CEL", () => {
    const stack = new SecureStack(Testing.app(), "test");
    new ImageAdmissionPolicy(stack, "ImageAdmission", { account: "111122223333", region: "eu-west-1" });
    const validations = JSON.parse(Testing.synth(stack)).resource.kubernetes_manifest.image_admission.manifest.spec.validations as Array<{
      expression: string;
    }>;
    expect(validations).toHaveLength(3);
    for (const v of validations)
      expect(v.expression).toContain("c.image.matches('^111122223333[.]dkr[.]ecr(-fips)?[.]eu-west-1[.]amazonaws[.]com([.]cn)?/");
  });

  it.each([
    [{ account: "[0-9]{12}", region: "eu-west-1" }, "test/ImageAdmission: account '[0-9]{12}' is not a 12-digit AWS account ID."],
    [
      { account: "111122223333", region: "eu-west-1.evil" },
      "test/ImageAdmission: region 'eu-west-1.evil' is not an AWS region such as eu-west-1.",
    ],
  ])("refuses %j", (props, message) => {
    expect(() => new ImageAdmissionPolicy(new SecureStack(Testing.app(), "test"), "ImageAdmission", props)).toThrow(message);
  });
});
