import { Testing } from "cdktf";
import { Construct } from "constructs";
import { attestationConditions, attestedKeyStatements, EnclaveAttestation } from "../../../constructs/aws/attestation";
import { SecureStack } from "../../../lib/secure-stack";

const IMAGE = "ab".repeat(48);
const PCR3 = "C0FFEE".repeat(16);
const ROLE = "arn:aws:iam::111122223333:role/enclave-parent";

function scope(): Construct {
  return new Construct(new SecureStack(Testing.app(), "test"), "ModelsKey");
}

describe("attestationConditions", () => {
  it("turns measurements into KMS RecipientAttestation condition keys, lower-cased", () => {
    expect(attestationConditions(scope(), { imageSha384: IMAGE, pcrs: { 3: PCR3, 8: "12".repeat(48) } })).toEqual({
      "kms:RecipientAttestation:ImageSha384": IMAGE,
      "kms:RecipientAttestation:PCR3": PCR3.toLowerCase(),
      "kms:RecipientAttestation:PCR8": "12".repeat(48),
    });
  });

  it("accepts PCR0 alone, or equal to the image hash", () => {
    expect(attestationConditions(scope(), { pcrs: { 0: IMAGE } })).toEqual({ "kms:RecipientAttestation:PCR0": IMAGE });
    expect(Object.keys(attestationConditions(scope(), { imageSha384: IMAGE, pcrs: { 0: IMAGE.toUpperCase() } }))).toHaveLength(2);
  });

  it.each<[EnclaveAttestation, RegExp]>([
    [{}, /test\/ModelsKey: attestation must give imageSha384 or at least one of pcrs \(0, 1, 2, 3, 4, 8\)/],
    [{ pcrs: {} }, /must give imageSha384 or at least one of pcrs/],
    [
      { imageSha384: "ab".repeat(32) },
      /test\/ModelsKey: attestation.imageSha384 must be a SHA-384 digest of 96 hexadecimal characters, got '.*' \(64 characters\)/,
    ],
    [{ imageSha384: `0x${"ab".repeat(47)}` }, /attestation.imageSha384 must be a SHA-384 digest/],
    [{ pcrs: { 2: "zz".repeat(48) } }, /attestation.pcrs.2 must be a SHA-384 digest/],
    [
      { pcrs: { 5: IMAGE } as unknown as EnclaveAttestation["pcrs"] },
      /attestation.pcrs has index '5'; KMS checks Nitro Enclave PCRs 0, 1, 2, 3, 4, 8 only/,
    ],
    [{ imageSha384: "0".repeat(96) }, /attestation.imageSha384 is all zeros, the value every debug-mode enclave reports/],
    [{ imageSha384: IMAGE, pcrs: { 0: "cd".repeat(48) } }, /imageSha384 and attestation.pcrs.0 are the same measurement but differ/],
  ])("rejects %p", (attestation, message) => {
    expect(() => attestationConditions(scope(), attestation)).toThrow(message);
  });
});

describe("attestedKeyStatements", () => {
  it("allows the parent roles Decrypt and GenerateDataKey only with the measurements", () => {
    const [allow] = attestedKeyStatements(scope(), { principalArns: [ROLE], attestation: { imageSha384: IMAGE, pcrs: { 3: PCR3 } } });
    expect(allow).toEqual({
      Sid: "EnclaveUseWithAttestation",
      Effect: "Allow",
      Principal: { AWS: [ROLE] },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: {
        StringEqualsIgnoreCase: {
          "kms:RecipientAttestation:ImageSha384": IMAGE,
          "kms:RecipientAttestation:PCR3": PCR3.toLowerCase(),
        },
      },
    });
  });

  it("denies everyone Decrypt without an attestation document, and any ReEncryptFrom", () => {
    const [, denyDecrypt, denyReEncrypt] = attestedKeyStatements(scope(), { principalArns: [ROLE], attestation: { pcrs: { 1: IMAGE } } });
    expect(denyDecrypt).toEqual({
      Sid: "DenyDecryptWithoutAttestation",
      Effect: "Deny",
      Principal: "*",
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { Null: { "kms:RecipientAttestation:PCR1": "true" } },
    });
    expect(denyReEncrypt).toEqual({
      Sid: "DenyReEncryptFromAttestedKey",
      Effect: "Deny",
      Principal: "*",
      Action: "kms:ReEncryptFrom",
      Resource: "*",
    });
  });

  it.each([
    [
      [],
      /enclaveAttestation.principalArns must name at least one role the enclave's KMS requests are signed with \(its pod's workload role on EKS\), got \[\]/,
    ],
    [["*"], /enclaveAttestation.principalArns must name roles, got '\*'/],
  ])("rejects principalArns %p", (principalArns, message) => {
    expect(() => attestedKeyStatements(scope(), { principalArns, attestation: { imageSha384: IMAGE } })).toThrow(message);
  });

  it("names the nested prop in measurement errors", () => {
    expect(() => attestedKeyStatements(scope(), { principalArns: [ROLE], attestation: { imageSha384: "abc" } })).toThrow(
      /enclaveAttestation.attestation.imageSha384 must be a SHA-384 digest/,
    );
  });
});
