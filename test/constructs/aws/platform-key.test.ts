import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { App, Testing } from "cdktf";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { SecureStack } from "../../../lib/secure-stack";
import { granteeFromRoleArn } from "../../../constructs/aws/grantee";

const ADMIN = "arn:aws:iam::111122223333:role/key-admin";

function synthKey(props: Partial<ConstructorParameters<typeof PlatformKey>[2]> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  const key = new PlatformKey(stack, "ModelsKey", { purpose: "models", administrators: [ADMIN], ...props });
  return { key, stack, synth: Testing.synth(stack) };
}

function keyPolicy(synth: string): { Statement: Array<Record<string, unknown>> } {
  const key = Object.values(JSON.parse(synth).resource.aws_kms_key)[0] as { policy: string };
  return JSON.parse(key.policy);
}

describe("PlatformKey", () => {
  it("rotates yearly and waits 30 days before deletion by default", () => {
    const { synth } = synthKey();
    expect(synth).toHaveResourceWithProperties(KmsKey, {
      enable_key_rotation: true,
      rotation_period_in_days: 365,
      deletion_window_in_days: 30,
    });
  });

  it("gets a readable resource name and an alias that says what it protects", () => {
    const { synth } = synthKey();
    expect(Object.keys(JSON.parse(synth).resource.aws_kms_key)).toEqual(["models_key"]);
    expect(synth).toHaveResourceWithProperties(KmsAlias, { name: "alias/saip/models" });
  });

  it("names the administrators and gives them no cryptographic use", () => {
    const policy = keyPolicy(synthKey().synth);
    const admin = policy.Statement.find((s) => s.Sid === "KeyAdministrators");
    expect(admin?.Principal).toEqual({ AWS: [ADMIN] });
    expect(admin?.Action).not.toContain("kms:Decrypt");
    // A grant is a way to use the key, so administrators cannot make one (not even through a wildcard).
    expect((admin?.Action as string[]).filter((a) => a.startsWith("kms:Create"))).toEqual(["kms:CreateAlias"]);
    const principals = policy.Statement.flatMap((s) => [s.Principal, ...Object.values((s.Principal as object) ?? {})].flat());
    expect(principals).not.toContain("*");
  });

  it("adds grants to the key policy", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const key = new PlatformKey(stack, "ModelsKey", { purpose: "models", administrators: [ADMIN] });
    key.grantDecrypt(granteeFromRoleArn("arn:aws:iam::111122223333:role/inference"));
    const policy = keyPolicy(Testing.synth(stack));
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { AWS: "arn:aws:iam::111122223333:role/inference" },
        Action: ["kms:Decrypt", "kms:DescribeKey"],
      }),
    );
  });

  it("lets a role create grants for AWS resources only", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const key = new PlatformKey(stack, "ModelsKey", { purpose: "models", administrators: [ADMIN] });
    key.grantAwsResourceGrants(granteeFromRoleArn("arn:aws:iam::111122223333:role/backup"));
    const grant = keyPolicy(Testing.synth(stack)).Statement.find((s) => s.Principal && JSON.stringify(s.Principal).includes("role/backup"));
    expect(grant).toMatchObject({
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
    });
  });

  it.each([
    [{ deletionWindowInDays: 7 }, /deletionWindowInDays must be a whole number from 14 to 30, got 7/],
    [{ rotationPeriodInDays: 30 }, /rotationPeriodInDays must be a whole number from 90 to 2560/],
    [{ administrators: [] }, /administrators must name at least one/],
  ])("rejects %p", (props, message) => {
    expect(() => synthKey(props)).toThrow(message);
  });

  it("refuses wildcard principals", () => {
    const stack = new SecureStack(new App(), "test");
    const key = new PlatformKey(stack, "ModelsKey", { purpose: "models", administrators: [ADMIN] });
    expect(() => key.addToPolicy({ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt" })).toThrow(/'\*' is not allowed/);
  });
});

describe("PlatformKey with enclaveAttestation", () => {
  const IMAGE = "9f".repeat(48);
  const PARENT = "arn:aws:iam::111122223333:role/enclave-parent";
  const attested = { principalArns: [PARENT], attestation: { imageSha384: IMAGE, pcrs: { 8: "5e".repeat(48) } } };

  function attestedKey() {
    const stack = new SecureStack(Testing.app(), "test");
    const key = new PlatformKey(stack, "ModelsKey", { purpose: "models", administrators: [ADMIN], enclaveAttestation: attested });
    return { stack, key };
  }

  it("is not attested by default", () => {
    expect(synthKey().key.attested).toBe(false);
    expect(keyPolicy(synthKey().synth).Statement.map((s) => s.Sid)).toEqual(["KeyAdministrators", "AccountReadsMetadata"]);
  });

  it("lets the parent role decrypt only with the enclave's measurements and denies plaintext to everyone else", () => {
    const { stack, key } = attestedKey();
    expect(key.attested).toBe(true);
    const statements = keyPolicy(Testing.synth(stack)).Statement;
    expect(statements.find((s) => s.Sid === "EnclaveUseWithAttestation")).toEqual({
      Sid: "EnclaveUseWithAttestation",
      Effect: "Allow",
      Principal: { AWS: [PARENT] },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: {
        StringEqualsIgnoreCase: { "kms:RecipientAttestation:ImageSha384": IMAGE, "kms:RecipientAttestation:PCR8": "5e".repeat(48) },
      },
    });
    expect(statements.find((s) => s.Sid === "DenyDecryptWithoutAttestation")).toMatchObject({
      Effect: "Deny",
      Principal: "*",
      Action: "kms:Decrypt",
      Condition: { Null: { "kms:RecipientAttestation:ImageSha384": "true" } },
    });
    expect(statements.find((s) => s.Sid === "DenyReEncryptFromAttestedKey")).toMatchObject({ Effect: "Deny", Action: "kms:ReEncryptFrom" });
    // The enclave statement is the only Allow that names kms:Decrypt.
    const allowsDecrypt = statements.filter(
      (s) => s.Effect === "Allow" && [s.Action].flat().some((a) => /^kms:(Decrypt|\*)$/.test(String(a))),
    );
    expect(allowsDecrypt.map((s) => s.Sid)).toEqual(["EnclaveUseWithAttestation"]);
  });

  it("refuses to grant plain Decrypt on an attested key", () => {
    const { key } = attestedKey();
    expect(() => key.grantDecrypt(granteeFromRoleArn("arn:aws:iam::111122223333:role/inference"))).toThrow(
      /test\/ModelsKey: the key is attested \(enclaveAttestation\), so \{"AWS":"arn:aws:iam::111122223333:role\/inference"\} cannot be allowed kms:Decrypt: it decrypts only inside the measured enclave/,
    );
    expect(() => key.grantEncryptDecrypt(granteeFromRoleArn("arn:aws:iam::111122223333:role/trainer"))).toThrow(
      /cannot be allowed kms:Decrypt and kms:ReEncryptFrom/,
    );
    expect(() => key.addToPolicy({ Effect: "Allow", Principal: { AWS: ADMIN }, Action: "kms:*", Resource: "*" })).toThrow(
      /cannot be allowed kms:Decrypt/,
    );
    expect(() => key.addToPolicy({ Effect: "Allow", Principal: { AWS: ADMIN }, Action: "KMS:ReEncrypt*", Resource: "*" })).toThrow(
      /cannot be allowed kms:ReEncryptFrom/,
    );
    expect(() =>
      key.allowService({
        Sid: "Logs",
        Effect: "Allow",
        Principal: { Service: "logs.amazonaws.com" },
        Action: ["kms:Decrypt"],
        Resource: "*",
      }),
    ).toThrow(/cannot be allowed kms:Decrypt/);
  });

  it("lets writers encrypt without reading", () => {
    const { stack, key } = attestedKey();
    key.grantEncrypt(granteeFromRoleArn("arn:aws:iam::111122223333:role/model-publisher"));
    key.addToPolicy({ Effect: "Deny", Principal: { AWS: ADMIN }, Action: "kms:*", Resource: "*" });
    const grant = keyPolicy(Testing.synth(stack)).Statement.find((s) => JSON.stringify(s.Principal).includes("model-publisher"));
    expect(grant).toMatchObject({
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptTo", "kms:DescribeKey"],
    });
  });

  it("validates the measurements", () => {
    const make = (attestation: object) => () =>
      new PlatformKey(new SecureStack(Testing.app(), "test"), "ModelsKey", {
        purpose: "models",
        administrators: [ADMIN],
        enclaveAttestation: { principalArns: [PARENT], attestation },
      });
    expect(make({ imageSha384: "9f".repeat(40) })).toThrow(
      /test\/ModelsKey: enclaveAttestation.attestation.imageSha384 must be a SHA-384 digest of 96 hexadecimal characters, got '.*' \(80 characters\)/,
    );
    expect(make({})).toThrow(/enclaveAttestation.attestation must give imageSha384 or at least one of pcrs/);
    expect(make({ pcrs: { 7: IMAGE } })).toThrow(/enclaveAttestation.attestation.pcrs has index '7'/);
  });
});

describe("PlatformKey.grantEnvelopeEncrypt", () => {
  const PUBLISHER = "arn:aws:iam::111122223333:role/model-release";

  it("lets a publisher make data keys under an attested key, and still nobody but the enclave decrypts", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const key = new PlatformKey(stack, "ModelsKey", {
      purpose: "models",
      administrators: [ADMIN],
      enclaveAttestation: {
        principalArns: ["arn:aws:iam::111122223333:role/enclave-workload"],
        attestation: { imageSha384: "9f".repeat(48) },
      },
    });
    key.grantEnvelopeEncrypt(granteeFromRoleArn(PUBLISHER));
    const statements = keyPolicy(Testing.synth(stack)).Statement;
    expect(statements.find((s) => JSON.stringify(s.Principal).includes("model-release"))).toEqual({
      Sid: "EnvelopeEncrypt1",
      Effect: "Allow",
      Principal: { AWS: PUBLISHER },
      Action: ["kms:Encrypt", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptTo", "kms:DescribeKey", "kms:GenerateDataKey"],
      Resource: "*",
    });
    const allowsDecrypt = statements.filter(
      (s) => s.Effect === "Allow" && [s.Action].flat().some((a) => /^kms:(Decrypt|ReEncrypt(From|\*)|\*)$/.test(String(a))),
    );
    expect(allowsDecrypt.map((s) => s.Sid)).toEqual(["EnclaveUseWithAttestation"]);
  });
});
