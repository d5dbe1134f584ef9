import { imageSignatureEnforced } from "../../../lib/rules/kubernetes/image-signature-enforced";
import {
  notationVerifierManifest,
  signatureConstraintManifests,
  signatureTemplateManifest,
} from "../../../lib/rules/kubernetes/signature-policy";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

const [tenantsConstraint, platformConstraint] = signatureConstraintManifests() as Array<{
  spec: { enforcementAction: string; match: object };
}>;
const PROFILE = "${aws_signer_signing_profile.images.arn}";
const gatekeeper = (values: object = { validatingWebhookFailurePolicy: "Fail", enableExternalData: true }) => ({
  name: "gatekeeper",
  chart: "gatekeeper",
  values: [JSON.stringify(values)],
});
const trustPolicy = (over: object = {}) => ({
  name: "saip",
  verificatonLevel: "strict",
  registryScopes: ["*"],
  trustedIdentities: [PROFILE],
  ...over,
});
const ratify = (policy: object = trustPolicy()) => ({
  name: "ratify",
  chart: "ratify",
  values: [JSON.stringify({ notation: { enabled: true, trustPolicies: [policy] } })],
});
const namespaces = {
  team: { metadata: { name: "team", labels: { "saip.io/tenant": "team" } } },
  operators: { metadata: { name: "operators", labels: { "saip.io/image-policy": "enforced" } } },
  plain: { metadata: { name: "plain" } },
  unknown: { metadata: { name: "unknown", labels: "${var.labels}" } },
};
const verified = (over: { manifests?: object; releases?: object } = {}) => ({
  resource: {
    kubernetes_namespace_v1: { team: namespaces.team },
    kubernetes_manifest: over.manifests ?? {
      template: { manifest: signatureTemplateManifest() },
      tenants: { manifest: tenantsConstraint },
      platform: { manifest: platformConstraint },
    },
    helm_release: over.releases ?? { gatekeeper: gatekeeper(), ratify: ratify() },
  },
});

describe("k8s-image-signature-enforced", () => {
  it("passes tenant and labelled platform namespaces under the deny constraints, and leaves unknown labels unresolved", () => {
    const doc = verified();
    doc.resource.kubernetes_namespace_v1 = namespaces as never;
    const findings = checkJson(imageSignatureEnforced, doc);
    expect(statuses(findings)).toEqual({
      "kubernetes_namespace_v1.team": "pass",
      "kubernetes_namespace_v1.operators": "pass",
      "kubernetes_namespace_v1.unknown": "fail",
    });
    expect(findingFor(findings, "kubernetes_namespace_v1.team").message).toBe(
      "kubernetes_manifest.tenants denies pods whose images helm_release.ratify cannot verify against the trusted signing profiles, through the webhook of helm_release.gatekeeper, failing closed",
    );
    expect(findingFor(findings, "kubernetes_namespace_v1.unknown").message).toMatch(
      /^unresolved: .*cannot tell which constraints select it/,
    );
  });

  it("fails a tenant namespace no constraint covers", () => {
    const findings = checkJson(imageSignatureEnforced, { resource: { kubernetes_namespace_v1: { team: namespaces.team } } });
    expect(findingFor(findings, "kubernetes_namespace_v1.team").message).toMatch(
      /^no Gatekeeper constraint verifies image signatures in this namespace/,
    );
  });

  it.each<[string, ReturnType<typeof verified>, RegExp]>([
    [
      "a webhook failing open (the chart's default)",
      verified({ releases: { gatekeeper: gatekeeper({}), ratify: ratify() } }),
      /leaves Gatekeeper's webhook failurePolicy at the chart's Ignore/,
    ],
    [
      "a webhook set to fail open with --set",
      verified({
        releases: { gatekeeper: { ...gatekeeper(), set: [{ name: "validatingWebhookFailurePolicy", value: "Ignore" }] }, ratify: ratify() },
      }),
      /failurePolicy "Ignore", so a webhook that is down admits every pod unverified/,
    ],
    ["no Ratify", verified({ releases: { gatekeeper: gatekeeper() } }), /no helm_release installs Ratify/],
    [
      "a trust policy trusting any identity",
      verified({ releases: { gatekeeper: gatekeeper(), ratify: ratify(trustPolicy({ trustedIdentities: ["*"] })) } }),
      /trusts \["\*"\]: any signer AWS Signer's root certifies, in any account, would pass/,
    ],
    [
      "a trust policy audit-only in the chart's newer key",
      verified({ releases: { gatekeeper: gatekeeper(), ratify: ratify(trustPolicy({ signatureVerification: { level: "audit" } })) } }),
      /verifies at level "audit", which does not enforce revocation/,
    ],
    [
      "a permissive trust policy",
      verified({ releases: { gatekeeper: gatekeeper(), ratify: ratify(trustPolicy({ verificatonLevel: "permissive" })) } }),
      /verifies at level "permissive", which does not enforce revocation/,
    ],
    [
      "a constraint that only warns",
      verified({
        manifests: {
          template: { manifest: signatureTemplateManifest() },
          tenants: { manifest: { ...tenantsConstraint, spec: { ...tenantsConstraint.spec, enforcementAction: "warn" } } },
        },
      }),
      /kubernetes_manifest\.tenants only "warn"s, it does not deny/,
    ],
    [
      "a constraint for other namespaces",
      verified({ manifests: { template: { manifest: signatureTemplateManifest() }, platform: { manifest: platformConstraint } } }),
      /kubernetes_manifest\.platform does not select this namespace/,
    ],
    [
      "a template that does not refuse on a system error",
      verified({
        manifests: {
          template: {
            manifest: (() => {
              const t = signatureTemplateManifest();
              t.spec.targets[0].rego = t.spec.targets[0].rego.replace(
                /violation\[\{"msg": msg\}\] \{\n {2}response\.system_error[^}]*\}\n/,
                "",
              );
              return t;
            })(),
          },
          tenants: { manifest: tenantsConstraint },
        },
      }),
      /is not the platform's signature check/,
    ],
  ])("fails a tenant namespace under %s", (_title, doc, message) => {
    const finding = findingFor(checkJson(imageSignatureEnforced, doc), "kubernetes_namespace_v1.team");
    expect(finding.status).toBe("fail");
    expect(finding.message).toMatch(message);
  });

  describe("with the Notation verifier as a Ratify Verifier resource (the chart's turned off)", () => {
    const offChart = { name: "ratify", chart: "ratify", values: [JSON.stringify({ notation: { enabled: false } })] };
    const withVerifier = (verifier?: object) => {
      const doc = verified({ releases: { gatekeeper: gatekeeper(), ratify: offChart } });
      if (verifier) (doc.resource.kubernetes_manifest as Record<string, object>).notation = { manifest: verifier };
      return doc;
    };
    const manifest = (revocation: "enforce" | "skip") =>
      notationVerifierManifest({ trustedIdentities: [PROFILE], certificateStores: ["ratify-notation-inline-cert-0"], revocation });

    it("passes with revocation enforced", () => {
      expect(findingFor(checkJson(imageSignatureEnforced, withVerifier(manifest("enforce"))), "kubernetes_namespace_v1.team").message).toBe(
        "kubernetes_manifest.tenants denies pods whose images kubernetes_manifest.notation cannot verify against the trusted signing profiles, through the webhook of helm_release.gatekeeper, failing closed",
      );
    });

    it("passes with revocation skipped, and says it is not enforced", () => {
      const finding = findingFor(checkJson(imageSignatureEnforced, withVerifier(manifest("skip"))), "kubernetes_namespace_v1.team");
      expect(finding.status).toBe("pass");
      expect(finding.message).toMatch(
        /; revocation is not enforced \(the trust policy skips it\): an image whose signature or signing profile was revoked in AWS Signer is still admitted$/,
      );
    });

    it("fails an override that skips authenticity, and a chart verifier turned off with nothing in its place", () => {
      const skipAuthenticity = manifest("enforce");
      (skipAuthenticity.spec.parameters.trustPolicyDoc.trustPolicies[0].signatureVerification as object) = {
        level: "strict",
        override: { authenticity: "log" },
      };
      const bad = findingFor(checkJson(imageSignatureEnforced, withVerifier(skipAuthenticity)), "kubernetes_namespace_v1.team");
      expect([bad.status, bad.message]).toEqual([
        "fail",
        expect.stringMatching(/overrides authenticity to "log", so a signature failing it is admitted/),
      ]);
      const none = findingFor(checkJson(imageSignatureEnforced, withVerifier()), "kubernetes_namespace_v1.team");
      expect([none.status, none.message]).toEqual([
        "fail",
        expect.stringMatching(
          /helm_release\.ratify turns the chart's Notation verifier off, and no Ratify Verifier resource runs Notation/,
        ),
      ]);
    });
  });

  it("leaves a namespace unresolved when Ratify's values are a variable", () => {
    const findings = checkJson(
      imageSignatureEnforced,
      verified({ releases: { gatekeeper: gatekeeper(), ratify: { name: "ratify", chart: "ratify", values: ["${var.ratify_values}"] } } }),
    );
    expect(findingFor(findings, "kubernetes_namespace_v1.team").message).toMatch(
      /^unresolved: kubernetes_manifest\.tenants selects this namespace, but helm_release\.ratify values\[0\] is/,
    );
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      imageSignatureEnforced,
      `resource "kubernetes_namespace_v1" "team" {
      metadata {
        name   = "team"
        labels = { "saip.io/tenant" = "team" }
      }
    }`,
    );
    expect(statuses(findings)).toEqual({ "kubernetes_namespace_v1.team": "fail" });
  });
});
