import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import {
  notationVerifierManifest,
  signatureConstraintManifests,
  signatureTemplateManifest,
} from "../../lib/rules/kubernetes/signature-policy";
import { VERIFIER_REPOSITORIES } from "./signature-verifier";

export interface SignatureVerificationPolicyProps {
  /** The private registry host, `<account>.dkr.ecr.<region>.amazonaws.com`, the AWS Signer plugin comes from. */
  readonly registryHost: string;
  /** The AWS Signer plugin's tag and digest in its mirror repository, `v1.0.0@sha256:<64 hex>`. */
  readonly signerPluginImage: string;
  /** AWS Signer signing profile ARNs whose signatures are trusted (ImagePublisher.signingProfileArn); nothing else is. */
  readonly trustedProfileArns: string[];
  /**
   * Whether Ratify can reach AWS Signer's revocation endpoint (network.egress "nat"), so revocation is enforced;
   * without, Notation skips that check (notationVerifierManifest says why). @default false
   */
  readonly internetEgress?: boolean;
}

/**
 * What Ratify verifies and what Gatekeeper asks it: the AWS Signer plugin and
 * the Notation verifier (Ratify `Verifier`s) and the constraint template of
 * the signature check. They are custom resources of the charts SignatureVerifier
 * installs, so they live in a stack applied after that one: kubernetes_manifest
 * reads a kind's schema from the cluster when Terraform plans, and a kind the
 * same apply installs is not there yet (hashicorp/terraform-provider-kubernetes#1775).
 *
 * The template's apply waits until Gatekeeper has created the constraint kind
 * from it (status.created), so the stack applied next (SignatureConstraints)
 * finds that kind when it plans.
 */
export class SignatureVerificationPolicy extends Construct {
  readonly template: Manifest;
  /** Whether revocation is checked: only with internet egress, where Ratify reaches AWS Signer. */
  readonly revocationEnforced: boolean;

  constructor(scope: Construct, id: string, props: SignatureVerificationPolicyProps) {
    // Ratify sets a Verifier's status.issuccess once it has loaded it (downloaded the plugin, read the trust
    // store): a verifier that cannot verify fails this stack's apply instead of every tenant pod later.
    const loaded = { wait: { fields: { "status.issuccess": "true" } }, timeouts: { create: "5m", update: "5m" } };
    super(scope, id);
    if (props.trustedProfileArns.length === 0)
      throw new Error(`${this.node.path}: trustedProfileArns must name at least one AWS Signer signing profile.`);
    if (!/^[\w][\w.-]{0,127}@sha256:[0-9a-f]{64}$/.test(props.signerPluginImage))
      throw new Error(`${this.node.path}: signerPluginImage must be <tag>@sha256:<64 hex>, got '${props.signerPluginImage}'.`);
    const plugin = new Manifest(this, "SignerPlugin", {
      manifest: {
        apiVersion: "config.ratify.deislabs.io/v1beta1",
        kind: "Verifier",
        metadata: { name: "aws-signer-plugin" },
        spec: {
          name: "notation-com.amazonaws.signer.notation.plugin",
          artifactTypes: "application/vnd.oci.image.manifest.v1+json",
          // Without an auth provider Ratify pulls the plugin with an empty docker config, which the private ECR
          // refuses (ratify pkg/common/oras/authprovider: the default is dockerConfig).
          source: {
            artifact: `${props.registryHost}/${VERIFIER_REPOSITORIES.signerPlugin}:${props.signerPluginImage}`,
            authProvider: { name: "awsEcrBasic" },
          },
        },
      },
      ...loaded,
    });
    // Revocation is checked with AWS Signer, on the internet: enforced where the VPC routes there, skipped where not.
    this.revocationEnforced = props.internetEgress === true;
    const notation = new Manifest(this, "NotationVerifier", {
      manifest: notationVerifierManifest({
        trustedIdentities: props.trustedProfileArns,
        // The inline certificate Ratify's chart makes from notationCerts[0] (SignatureVerifier).
        certificateStores: ["ratify-notation-inline-cert-0"],
        revocation: this.revocationEnforced ? "enforce" : "skip",
      }),
      ...loaded,
    });
    this.template = new Manifest(this, "ConstraintTemplate", {
      manifest: signatureTemplateManifest(),
      // Gatekeeper sets status.created once the constraint kind's CRD exists.
      wait: { fields: { "status.created": "true" } },
      timeouts: { create: "5m", update: "5m" },
      dependsOn: [plugin, notation],
    });
  }
}

/**
 * The signature constraints, in force (deny) for pods in tenant namespaces
 * and in platform namespaces labelled saip.io/image-policy=enforced. Their
 * kind is the one SignatureVerificationPolicy's template creates, so they
 * live in a stack applied after that one (the workloads stack).
 */
export class SignatureConstraints extends Construct {
  /** The constraints: objects that rely on verification can depend on them. */
  readonly constraints: Manifest[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.constraints = signatureConstraintManifests().map(
      (manifest, i) => new Manifest(this, i === 0 ? "TenantsConstraint" : "PlatformConstraint", { manifest }),
    );
  }
}
