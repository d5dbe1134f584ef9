import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SignerSigningProfile } from "@cdktf/provider-aws/lib/signer-signing-profile";
import { Construct } from "constructs";
import { AccessRole } from "./access-role";
import { ModelRegistry } from "./model-registry";
import { PolicyDocument } from "./policy-document";

export interface ImagePublisherProps {
  /** IAM roles or users (a CI pipeline's role) that may assume the publisher role. */
  readonly principalArns: string[];
  /** Registries the publisher pushes to: the model registry and the image mirror's repositories. */
  readonly registries: ModelRegistry[];
  /** Start of the publisher role's name. @default "saip-image-pub-" */
  readonly namePrefix?: string;
  /** Months a signature stays valid; re-sign (or rebuild) before then. @default 12 */
  readonly signatureValidityMonths?: number;
  /** Tags for every resource. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * The one path by which images reach the platform's registries: a role the CI
 * pipeline assumes, which alone may push (the repositories deny everyone else,
 * see ModelRegistry), and an AWS Signer profile on the Notation platform, with
 * which it signs each image by digest after pushing it (`notation sign
 * --plugin com.amazonaws.signer.notation.plugin --id <profile ARN>`, AWS Signer
 * Developer Guide, "Sign an image"). The signature is an OCI artifact pushed
 * beside the image, so it needs the same push rights. Notation needs
 * signer:SignPayload on the profile (hashicorp/terraform-provider-aws#33941).
 */
export class ImagePublisher extends Construct {
  readonly role: AccessRole;
  readonly roleArn: string;
  /** The signing profile's ARN: Notation's key id, and what a verifier's trust policy names. */
  readonly signingProfileArn: string;
  /** The versioned ARN a trust store pins, so a revoked profile version verifies nothing. */
  readonly signingProfileVersionArn: string;

  constructor(scope: Construct, id: string, props: ImagePublisherProps) {
    super(scope, id);
    const months = props.signatureValidityMonths ?? 12;
    if (!Number.isInteger(months) || months < 1 || months > 135) {
      throw new Error(`${this.node.path}: signatureValidityMonths must be a whole number from 1 to 135, got ${months}.`);
    }
    this.role = new AccessRole(this, "Role", {
      job: "Pushes and signs the platform's container images",
      principalArns: props.principalArns,
      namePrefix: props.namePrefix ?? "saip-image-pub-",
      tags: props.tags,
    });
    this.roleArn = this.role.roleArn;
    // Signer profile names allow letters, digits and underscores only.
    const profile = new SignerSigningProfile(this, "SigningProfile", {
      namePrefix: "saip_images_",
      platformId: "Notation-OCI-SHA384-ECDSA",
      signatureValidityPeriod: { type: "MONTHS", value: months },
      tags: props.tags,
    });
    this.signingProfileArn = profile.arn;
    this.signingProfileVersionArn = profile.versionArn;
    new IamRolePolicy(this, "SignPolicy", {
      role: this.role.roleName,
      policy: new PolicyDocument([
        { Sid: "SignImages", Effect: "Allow", Action: ["signer:SignPayload", "signer:GetSigningProfile"], Resource: profile.arn },
      ]).toJson(),
    });
    props.registries.forEach((registry) => registry.grantPush(this.role));
  }
}
