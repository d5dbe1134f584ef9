import { Testing } from "cdktf";
import { ImagePublisher } from "../../../constructs/aws/image-publisher";
import { ModelRegistry } from "../../../constructs/aws/model-registry";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { SecureStack } from "../../../lib/secure-stack";

const CI = "arn:aws:iam::111122223333:role/ci";
type Resources = Record<string, Record<string, Record<string, unknown>>>;

function synth(months?: number) {
  const stack = new SecureStack(Testing.app(), "test");
  const key = new PlatformKey(stack, "RegistryKey", { purpose: "registry", administrators: ["arn:aws:iam::111122223333:role/key-admin"] });
  const registry = new ModelRegistry(stack, "ModelRegistry", { repositories: ["serving"], key });
  new ImagePublisher(stack, "Publisher", { principalArns: [CI], registries: [registry], signatureValidityMonths: months });
  return JSON.parse(Testing.synth(stack)).resource as Resources;
}

describe("ImagePublisher", () => {
  const resources = synth();

  it("signs on AWS Signer's Notation platform with signatures valid 12 months by default", () => {
    const [profile] = Object.values(resources.aws_signer_signing_profile);
    expect(profile).toMatchObject({ platform_id: "Notation-OCI-SHA384-ECDSA", signature_validity_period: { type: "MONTHS", value: 12 } });
  });

  it("lets only the named CI principals assume the publisher role", () => {
    const role = Object.values(resources.aws_iam_role).find((r) => String(r.name_prefix).startsWith("saip-image-pub-"))!;
    const trust = JSON.parse(role.assume_role_policy as string) as { Statement: Array<{ Principal: { AWS: string | string[] } }> };
    expect(trust.Statement.flatMap((s) => [s.Principal.AWS].flat())).toEqual([CI]);
  });

  it("may sign with its own profile only", () => {
    const sign = Object.values(resources.aws_iam_role_policy).find((p) => String(p.policy).includes("signer:SignPayload"))!;
    const statements = (JSON.parse(sign.policy as string) as { Statement: Array<{ Action: string[]; Resource: string }> }).Statement;
    expect(statements).toEqual([
      expect.objectContaining({
        Action: ["signer:SignPayload", "signer:GetSigningProfile"],
        Resource: expect.stringMatching(/^\$\{aws_signer_signing_profile\.[\w]+\.arn\}$/),
      }),
    ]);
  });

  it("is the only principal the repositories let push", () => {
    const [policy] = Object.values(resources.aws_ecr_repository_policy);
    const statements = (
      JSON.parse(policy.policy as string) as { Statement: Array<{ Sid: string; Principal: unknown; Condition?: unknown }> }
    ).Statement;
    expect(statements.find((s) => s.Sid === "PushByPublishers")?.Principal).toEqual({ AWS: ["${aws_iam_role.publisher_role.arn}"] });
    expect(statements.find((s) => s.Sid === "PushOnlyByPublishers")?.Condition).toEqual({
      ArnNotEquals: { "aws:PrincipalArn": ["${aws_iam_role.publisher_role.arn}"] },
    });
  });

  it("refuses a signature validity AWS Signer does not accept, naming the field", () => {
    expect(() => synth(0)).toThrow(/^test\/Publisher: signatureValidityMonths must be a whole number from 1 to 135, got 0\./);
  });
});
