import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { App, Testing } from "cdktf";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { SecureStack } from "../../../lib/secure-stack";

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
    key.grantDecrypt("arn:aws:iam::111122223333:role/inference");
    const policy = keyPolicy(Testing.synth(stack));
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Principal: { AWS: "arn:aws:iam::111122223333:role/inference" }, Action: ["kms:Decrypt", "kms:DescribeKey"] }),
    );
  });

  it("lets a role create grants for AWS resources only", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const key = new PlatformKey(stack, "ModelsKey", { purpose: "models", administrators: [ADMIN] });
    key.grantAwsResourceGrants("arn:aws:iam::111122223333:role/backup");
    const grant = keyPolicy(Testing.synth(stack)).Statement.find((s) => s.Principal && JSON.stringify(s.Principal).includes("role/backup"));
    expect(grant).toMatchObject({ Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], Condition: { Bool: { "kms:GrantIsForAWSResource": true } } });
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
