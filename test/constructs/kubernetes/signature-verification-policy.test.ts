import { Testing } from "cdktf";
import {
  SignatureConstraints,
  SignatureVerificationPolicy,
  SignatureVerificationPolicyProps,
} from "../../../constructs/kubernetes/signature-verification-policy";
import { SecureStack } from "../../../lib/secure-stack";

const props: SignatureVerificationPolicyProps = {
  registryHost: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
  signerPluginImage: `linux-amd64@sha256:${"e".repeat(64)}`,
  trustedProfileArns: ["arn:aws:signer:eu-west-1:123456789012:/signing-profiles/saip_images_1"],
};
const synth = (p: SignatureVerificationPolicyProps = props) => {
  const stack = new SecureStack(Testing.app(), "test");
  const policy = new SignatureVerificationPolicy(stack, "Policy", p);
  return { doc: JSON.parse(Testing.synth(stack)), policy };
};

describe("SignatureVerificationPolicy", () => {
  const { doc } = synth();
  const manifests = doc.resource.kubernetes_manifest;

  it("loads the AWS Signer plugin from the private ECR with Ratify's ECR credentials", () => {
    // Ratify's default auth provider (an empty docker config) is refused by the private ECR.
    expect(manifests.policy_signer_plugin.manifest.spec.source).toEqual({
      artifact: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror/aws-signer/notation-plugin:${props.signerPluginImage}`,
      authProvider: { name: "awsEcrBasic" },
    });
  });

  it("trusts only the named signing profiles, strictly, against AWS Signer's root from Ratify's chart", () => {
    const verifier = manifests.policy_notation_verifier;
    expect(verifier.manifest).toMatchObject({
      apiVersion: "config.ratify.deislabs.io/v1beta1",
      kind: "Verifier",
      metadata: { name: "verifier-notation" },
      spec: { name: "notation", artifactTypes: "application/vnd.cncf.notary.signature" },
    });
    expect(verifier.manifest.spec.parameters.verificationCertStores).toEqual({
      signingAuthority: { certs: ["ratify-notation-inline-cert-0"] },
    });
    const [policy] = verifier.manifest.spec.parameters.trustPolicyDoc.trustPolicies;
    expect(policy).toMatchObject({
      trustedIdentities: props.trustedProfileArns,
      trustStores: ["signingAuthority:certs"],
      registryScopes: ["*"],
    });
  });

  it("fails its apply unless Ratify loaded both verifiers (the plugin from ECR, the trust store)", () => {
    // Otherwise the stack goes green and every tenant pod is refused later, fail-closed.
    for (const name of ["policy_signer_plugin", "policy_notation_verifier"]) {
      expect(manifests[name].wait).toEqual({ fields: { "status.issuccess": "true" } });
      expect(manifests[name].timeouts).toEqual({ create: "5m", update: "5m" });
    }
  });

  it("waits until Gatekeeper has made the constraint kind from the template, after what Ratify verifies", () => {
    // The next stack's constraints are of that kind; kubernetes_manifest reads it when that stack plans.
    expect(manifests.policy_constraint_template.wait).toEqual({ fields: { "status.created": "true" } });
    expect(manifests.policy_constraint_template.depends_on).toEqual([
      "kubernetes_manifest.policy_signer_plugin",
      "kubernetes_manifest.policy_notation_verifier",
    ]);
  });

  it("skips the revocation check without internet egress, where AWS Signer cannot be reached, and enforces it with", () => {
    // With no route to verification.signer.<region>.amazonaws.com, an enforced (or logged) check waits out
    // Ratify's 5 s timeout on every image and the webhook refuses every pod.
    const levelOf = (d: typeof doc) =>
      d.resource.kubernetes_manifest.policy_notation_verifier.manifest.spec.parameters.trustPolicyDoc.trustPolicies[0]
        .signatureVerification;
    expect(levelOf(doc)).toEqual({ level: "strict", override: { revocation: "skip" } });
    const nat = synth({ ...props, internetEgress: true });
    expect(levelOf(nat.doc)).toEqual({ level: "strict" });
    expect(nat.policy.revocationEnforced).toBe(true);
  });

  it("refuses a plugin by tag alone and an empty trust list, naming the field", () => {
    expect(() => synth({ ...props, signerPluginImage: "linux-amd64" })).toThrow(
      "test/Policy: signerPluginImage must be <tag>@sha256:<64 hex>, got 'linux-amd64'.",
    );
    expect(() => synth({ ...props, trustedProfileArns: [] })).toThrow(
      "test/Policy: trustedProfileArns must name at least one AWS Signer signing profile.",
    );
  });
});

describe("SignatureConstraints", () => {
  it("denies pods in tenant and enforced platform namespaces", () => {
    const stack = new SecureStack(Testing.app(), "test");
    new SignatureConstraints(stack, "Constraints");
    const manifests = JSON.parse(Testing.synth(stack)).resource.kubernetes_manifest;
    expect(Object.keys(manifests).sort()).toEqual(["constraints_platform_constraint", "constraints_tenants_constraint"]);
    expect(manifests.constraints_tenants_constraint.manifest).toMatchObject({
      kind: "SaipSignedImages",
      spec: {
        enforcementAction: "deny",
        match: { namespaceSelector: { matchExpressions: [{ key: "saip.io/tenant", operator: "Exists" }] } },
      },
    });
  });
});
