/**
 * The signature verification policy as data: the Gatekeeper constraint and
 * constraint template that SignatureVerifier deploys, and what the rule
 * k8s-image-signature-enforced recognises, so the two cannot drift apart.
 *
 * Gatekeeper's validating webhook asks Ratify (an external data provider)
 * about every image of a pod; Ratify fetches the image's Notation signature
 * from ECR and verifies it with the AWS Signer plugin, which checks the
 * signature chains to AWS Signer's root, names a trusted signing profile, and
 * was not revoked (signer:GetRevocationStatus).
 */

/** The namespace Gatekeeper and Ratify run in; the webhook never judges it (nor kube-system), so the cluster can heal. */
export const VERIFIER_NAMESPACE = "gatekeeper-system";
/** The constraint kind the template creates, and the constraint's name. */
export const SIGNATURE_CONSTRAINT_KIND = "SaipSignedImages";
export const SIGNATURE_CONSTRAINT_NAME = "saip-signed-images";
/** The external data provider Ratify's chart registers with Gatekeeper. */
export const RATIFY_PROVIDER = "ratify-provider";
/** Gatekeeper's label for namespaces its webhook skips (its chart sets it on its own namespace). */
export const GATEKEEPER_IGNORE_LABEL = "admission.gatekeeper.sh/ignore";

/**
 * Every image of the pod (containers, init and ephemeral containers) goes to
 * Ratify; a system error, an error for any image, or an image that fails
 * verification is a violation, so an unreachable Ratify refuses the pod.
 */
export const SIGNATURE_REGO = `package saipsignedimages

images := array.concat(array.concat(
  [c.image | c := input.review.object.spec.containers[_]],
  [c.image | c := input.review.object.spec.initContainers[_]]),
  [c.image | c := input.review.object.spec.ephemeralContainers[_]])

response := external_data({"provider": "${RATIFY_PROVIDER}", "keys": images})

violation[{"msg": msg}] {
  response.system_error != ""
  msg := sprintf("signature verification unavailable, the pod is refused: %v", [response.system_error])
}

violation[{"msg": msg}] {
  count(response.errors) > 0
  msg := sprintf("signature verification failed for an image: %v", [response.errors])
}

violation[{"msg": msg}] {
  result := response.responses[_]
  result[1].isSuccess == false
  msg := sprintf("image %v carries no valid signature by the platform's signing profile", [result[0]])
}
`;

export function signatureTemplateManifest() {
  return {
    apiVersion: "templates.gatekeeper.sh/v1",
    kind: "ConstraintTemplate",
    metadata: { name: SIGNATURE_CONSTRAINT_KIND.toLowerCase(), labels: { "app.kubernetes.io/part-of": "saip" } },
    spec: {
      crd: { spec: { names: { kind: SIGNATURE_CONSTRAINT_KIND } } },
      targets: [{ target: "admission.k8s.gatekeeper.sh", rego: SIGNATURE_REGO }],
    },
  };
}

/**
 * The constraint, in force (deny) for pods in the namespaces the image
 * provenance policy covers: tenant namespaces, and platform namespaces
 * labelled saip.io/image-policy=enforced. One constraint per selector,
 * because a Gatekeeper namespaceSelector is one label selector.
 */
export function signatureConstraintManifests(): object[] {
  const constraint = (suffix: string, matchExpressions: object[]) => ({
    apiVersion: "constraints.gatekeeper.sh/v1beta1",
    kind: SIGNATURE_CONSTRAINT_KIND,
    metadata: { name: `${SIGNATURE_CONSTRAINT_NAME}-${suffix}`, labels: { "app.kubernetes.io/part-of": "saip" } },
    spec: {
      enforcementAction: "deny",
      match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }], namespaceSelector: { matchExpressions } },
    },
  });
  return [
    constraint("tenants", [{ key: "saip.io/tenant", operator: "Exists" }]),
    constraint("platform", [{ key: "saip.io/image-policy", operator: "In", values: ["enforced"] }]),
  ];
}

/** The name of the Ratify Verifier that runs Notation; the chart's own would be the same, so it is turned off. */
export const NOTATION_VERIFIER_NAME = "verifier-notation";
/** What Notation does about revocation: enforce it, or skip the check where AWS Signer cannot be reached. */
export type RevocationCheck = "enforce" | "skip";

/**
 * The Notation verifier as a Ratify Verifier resource, with its trust policy
 * in full: Ratify's chart renders only signatureVerification.level and drops
 * the `override` the Notation trust policy specification allows, so the
 * platform writes the resource itself.
 *
 * Strict checks integrity, authenticity (the chain to AWS Signer's root, the
 * trusted profile) and expiry. Revocation is enforced where Ratify can reach
 * AWS Signer (verification.signer.<region>.amazonaws.com, through a NAT). With
 * no route there, `{ level: "strict", override: { revocation: "skip" } }`:
 * "log" would still ask the plugin to call GetRevocationStatus, whose
 * connection to a public address the VPC drops silently, so every check
 * would wait out Ratify's 5-second timeout and the webhook refuse the pod.
 */
export function notationVerifierManifest(opts: { trustedIdentities: string[]; certificateStores: string[]; revocation: RevocationCheck }) {
  const signatureVerification =
    opts.revocation === "enforce" ? { level: "strict" } : { level: "strict", override: { revocation: opts.revocation } };
  return {
    apiVersion: "config.ratify.deislabs.io/v1beta1",
    kind: "Verifier",
    metadata: { name: NOTATION_VERIFIER_NAME },
    spec: {
      name: "notation",
      version: "1.0.0",
      artifactTypes: "application/vnd.cncf.notary.signature",
      parameters: {
        // AWS Signer's root is a signing authority (Notary Project trust store type), not a CA.
        verificationCertStores: { signingAuthority: { certs: opts.certificateStores } },
        trustPolicyDoc: {
          version: "1.0",
          trustPolicies: [
            {
              name: "saip-signing-profiles",
              registryScopes: ["*"],
              signatureVerification,
              trustStores: ["signingAuthority:certs"],
              trustedIdentities: opts.trustedIdentities,
            },
          ],
        },
      },
    },
  };
}
