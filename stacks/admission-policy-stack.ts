import { Construct } from "constructs";
import { SignatureVerificationPolicy } from "../constructs/kubernetes/signature-verification-policy";
import { SecureStack } from "../lib/secure-stack";
import { PLACEHOLDER_VERIFIER_IMAGES, PlatformConfig, PlatformConfigInput } from "./config/schema";
import { platformConfigOf } from "./config/define";
import { AdmissionStack } from "./admission-stack";
import { clusterProviders } from "./cluster-access";
import { PlatformStack } from "./platform-stack";

/**
 * Custom resources of the admission controllers' charts, applied after the
 * admission stack (whose charts install their CRDs) and before the workloads
 * stack (whose signature constraints are of the kind the template here
 * creates): what Ratify verifies and the constraint template.
 */
export class AdmissionPolicyStack extends SecureStack {
  readonly policy: SignatureVerificationPolicy;

  /** The config defaults to the platform stack's; another is validated and its defaults applied here. */
  constructor(
    scope: Construct,
    id: string,
    platform: PlatformStack,
    admission: AdmissionStack,
    input: PlatformConfigInput | PlatformConfig = platform.config,
  ) {
    super(scope, id);
    const config = platformConfigOf(input, `${this.node.path}: config`);
    clusterProviders(this, platform, config);
    // Nothing here refers to the admission stack, so the order is said explicitly.
    this.addDependency(admission);
    this.policy = new SignatureVerificationPolicy(this, "SignatureVerifier", {
      registryHost: platform.imageMirror.registryHost,
      signerPluginImage: { ...PLACEHOLDER_VERIFIER_IMAGES, ...config.kubernetes.signatureVerifier.images }.signerPlugin,
      trustedProfileArns: [platform.imagePublisher.signingProfileArn],
      internetEgress: config.network.egress === "nat",
    });
  }
}
