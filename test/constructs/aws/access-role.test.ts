import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Testing } from "cdktf";
import { AccessRole, AccessRoleProps } from "../../../constructs/aws/access-role";
import { SecureStack } from "../../../lib/secure-stack";

const PIPELINE = "arn:aws:iam::111122223333:role/model-release-pipeline";
const PERSON = "arn:aws:iam::111122223333:user/alice";

function synth(props: Partial<AccessRoleProps> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  new AccessRole(stack, "ModelsPublisher", { job: "Publishes models", principalArns: [PIPELINE, PERSON], ...props });
  return Testing.synth(stack);
}

describe("AccessRole", () => {
  it("is assumable only by the named principals, who may set a source identity the trail records", () => {
    const role = JSON.parse(synth()).resource.aws_iam_role.models_publisher;
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      {
        Sid: "NamedPrincipals",
        Effect: "Allow",
        Principal: { AWS: [PIPELINE, PERSON] },
        Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
      },
    ]);
    expect(synth()).toHaveResourceWithProperties(IamRole, {
      name_prefix: "saip-access-",
      description: "Publishes models",
      max_session_duration: 3600,
    });
  });

  it("carries no permissions of its own: stores, keys and the trail grant them", () => {
    const json = JSON.parse(synth());
    expect(json.resource.aws_iam_role_policy).toBeUndefined();
    expect(json.resource.aws_iam_role_policy_attachment).toBeUndefined();
  });

  it.each<[Partial<AccessRoleProps>, RegExp]>([
    [
      { principalArns: [] },
      /^test\/ModelsPublisher: principalArns must name at least one IAM role or user that does this job \(Publishes models\), got \[\]\.$/,
    ],
    [{ principalArns: ["*"] }, /^test\/ModelsPublisher: principalArns must hold IAM role or user ARNs, got '\*'\.$/],
    [{ principalArns: ["arn:aws:iam::111122223333:root"] }, /got 'arn:aws:iam::111122223333:root'/],
    [{ namePrefix: "x".repeat(39) }, /namePrefix must be 1 to 38 letters/],
    [{ maxSessionDuration: 60 }, /maxSessionDuration must be a whole number of seconds from 3600 to 43200, got 60\./],
  ])("refuses %p", (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
