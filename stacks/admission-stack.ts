import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { Construct } from "constructs";
import { networkPolicyGate } from "../constructs/aws/eks-addons";
import { SignatureVerifier, verifierRegistryLogin } from "../constructs/kubernetes/signature-verifier";
import { SecureStack } from "../lib/secure-stack";
import { PLACEHOLDER_SIGNER_ROOT_CERTIFICATE, PLACEHOLDER_VERIFIER_IMAGES, PlatformConfig, PlatformConfigInput } from "./config/schema";
import { platformConfigOf } from "./config/define";
import { clusterProviders } from "./cluster-access";
import { PlatformStack } from "./platform-stack";

/**
 * The admission controllers, applied after the platform and before anything
 * that uses their kinds: Gatekeeper, the admission webhook, and Ratify, which
 * verifies image signatures for it (SignatureVerifier), both from the
 * platform's ECR. The custom resources of their charts are in the
 * admission-policy stack, because kubernetes_manifest needs a kind's CRD to
 * exist when Terraform plans.
 */
export class AdmissionStack extends SecureStack {
  readonly verifier: SignatureVerifier;

  /** The config defaults to the platform stack's; another is validated and its defaults applied here. */
  constructor(scope: Construct, id: string, platform: PlatformStack, input: PlatformConfigInput | PlatformConfig = platform.config) {
    super(scope, id);
    const config = platformConfigOf(input, `${this.node.path}: config`);
    // Charts come from the platform's ECR only.
    clusterProviders(this, platform, config, {
      helmRegistries: (scope) => [verifierRegistryLogin(scope, platform.imageMirror.registryHost)],
    });
    const verifier = config.kubernetes.signatureVerifier;
    const images = { ...PLACEHOLDER_VERIFIER_IMAGES, ...verifier.images };
    this.verifier = new SignatureVerifier(this, "SignatureVerifier", {
      registryHost: platform.imageMirror.registryHost,
      region: config.region,
      roleArn: platform.signatureVerifierRole.roleArn,
      signerRootCertificate: verifier.signerRootCertificate ?? PLACEHOLDER_SIGNER_ROOT_CERTIFICATE,
      images: { gatekeeper: images.gatekeeper, ratify: images.ratify },
      network: {
        vpcCidr: platform.network.vpcCidr,
        serviceCidr: config.network.serviceCidr,
        // Enforced policies must admit S3's ranges, where the S3 gateway endpoint routes (signature blobs).
        s3PrefixListEntries: new DataAwsEc2ManagedPrefixList(this, "S3PrefixList", { name: `com.amazonaws.${config.region}.s3` }).entries,
        enforcement: networkPolicyGate(this, "VpcCniNetworkPolicy", platform.cluster.clusterName),
        internetEgress: config.network.egress === "nat",
      },
    });
  }
}
