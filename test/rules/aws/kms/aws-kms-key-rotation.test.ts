import { kmsKeyRotation } from "../../../../lib/rules/aws/kms/kms-key-rotation";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-kms-key-rotation", () => {
  it("passes keys that rotate and fails the rest, absent meaning off", () => {
    const findings = checkJson(kmsKeyRotation, {
      resource: {
        aws_kms_key: {
          on: { enable_key_rotation: true },
          text: { enable_key_rotation: "true" },
          off: { enable_key_rotation: false },
          none: {},
          variable: { enable_key_rotation: "${var.rotate}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_kms_key.on": "pass",
      "aws_kms_key.text": "pass",
      "aws_kms_key.off": "fail",
      "aws_kms_key.none": "fail",
      "aws_kms_key.variable": "fail",
    });
    expect(findingFor(findings, "aws_kms_key.none").message).toMatch(/enable_key_rotation is not set/);
    expect(findingFor(findings, "aws_kms_key.off").message).toMatch(/enable_key_rotation is false/);
    expect(findingFor(findings, "aws_kms_key.variable").message).toMatch(/^unresolved: .*var\.rotate/);
    expect(findingFor(findings, "aws_kms_key.variable").unresolved).toBe(true);
  });

  it("does not judge asymmetric and HMAC keys, which KMS cannot rotate", () => {
    const findings = checkJson(kmsKeyRotation, {
      resource: {
        aws_kms_key: {
          rsa: { customer_master_key_spec: "RSA_2048", key_usage: "SIGN_VERIFY" },
          hmac: { customer_master_key_spec: "HMAC_256", key_usage: "GENERATE_VERIFY_MAC" },
          symmetric: { customer_master_key_spec: "SYMMETRIC_DEFAULT" },
          unknown_spec: { customer_master_key_spec: "${var.spec}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({ "aws_kms_key.symmetric": "fail", "aws_kms_key.unknown_spec": "fail" });
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      kmsKeyRotation,
      `resource "aws_kms_key" "on" { enable_key_rotation = true }
       resource "aws_kms_key" "off" {}`,
    );
    expect(statuses(findings)).toEqual({ "aws_kms_key.on": "pass", "aws_kms_key.off": "fail" });
  });
});
