import { Testing } from "cdktf";
import { SignatureVerifierRole } from "../../../constructs/aws/signature-verifier-role";
import { SecureStack } from "../../../lib/secure-stack";

describe("SignatureVerifierRole", () => {
  const stack = new SecureStack(Testing.app(), "test");
  new SignatureVerifierRole(stack, "Verifier", {
    oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X",
    oidcIssuerUrl: "oidc.eks.eu-west-1.amazonaws.com/id/X",
    namespace: "gatekeeper-system",
    serviceAccount: "ratify-admin",
  });
  const doc = JSON.parse(Testing.synth(stack));

  it("trusts only Ratify's service account through the cluster's OIDC provider", () => {
    expect(Object.values(doc.locals)).toEqual(["oidc.eks.eu-west-1.amazonaws.com/id/X"]);
    const trust = JSON.parse(doc.resource.aws_iam_role.verifier.assume_role_policy);
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "${local.verifier_oidc_issuer}:sub": "system:serviceaccount:gatekeeper-system:ratify-admin",
            "${local.verifier_oidc_issuer}:aud": "sts.amazonaws.com",
          },
        },
      }),
    ]);
  });

  it("may read signatures from this account's repositories and check revocation, nothing else", () => {
    const policy = JSON.parse(Object.values<{ policy: string }>(doc.resource.aws_iam_role_policy)[0].policy);
    expect(policy.Statement.map((s: { Action: string | string[] }) => s.Action)).toEqual([
      "ecr:GetAuthorizationToken",
      ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      "signer:GetRevocationStatus",
    ]);
    expect(policy.Statement[1].Resource).toMatch(
      /^arn:\$\{data\.aws_partition\..*\}:ecr:\$\{data\.aws_region\..*\}:\$\{data\.aws_caller_identity\..*\}:repository\/\*$/,
    );
  });
});
