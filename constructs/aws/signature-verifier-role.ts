import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { TerraformLocal } from "cdktf";
import { Construct } from "constructs";
import { AwsContext } from "./aws-context";
import { PolicyDocument } from "./policy-document";

export interface SignatureVerifierRoleProps {
  /** The cluster's IAM OIDC provider (PlatformCluster.oidcProviderArn). */
  readonly oidcProviderArn: string;
  /** Its issuer without `https://` (PlatformCluster.oidcIssuerUrl). */
  readonly oidcIssuerUrl: string;
  /** Namespace and service account of the verifier's pods. */
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Tags for the role. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * The role Ratify's pods assume to fetch signatures from ECR and ask AWS
 * Signer whether a signature was revoked. It is an IRSA role, not a Pod
 * Identity one: Ratify's ECR provider (awsEcrBasic) refuses to start unless
 * AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE are set
 * (notaryproject/ratify, pkg/common/oras/authprovider/aws/awsecrbasic.go),
 * which only IRSA's webhook injects.
 *
 * It may do exactly what the two clients call: ecr:GetAuthorizationToken
 * (account-wide by design), ecr:BatchGetImage and
 * ecr:GetDownloadUrlForLayer on this account's repositories in this region
 * (the signature is an OCI artifact beside the image, found through the
 * referrers API), and signer:GetRevocationStatus, an account-level action
 * with no resource type.
 */
export class SignatureVerifierRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: SignatureVerifierRoleProps) {
    super(scope, id);
    const context = AwsContext.of(this);
    // The issuer is a function of the cluster (replace(...)): held in a local, the condition keys stay plain
    // references, without the quotes a function call would put inside the policy's JSON.
    const issuer = new TerraformLocal(this, "OidcIssuer", props.oidcIssuerUrl).asString;
    const role = new IamRole(this, "Resource", {
      namePrefix: "saip-image-verifier-",
      description: "Ratify: fetches image signatures from ECR and checks their revocation with AWS Signer",
      assumeRolePolicy: new PolicyDocument([
        {
          Sid: "RatifyServiceAccount",
          Effect: "Allow",
          Principal: { Federated: props.oidcProviderArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: `system:serviceaccount:${props.namespace}:${props.serviceAccount}`,
              [`${issuer}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ]).toJson(),
      tags: props.tags,
    });
    new IamRolePolicy(this, "Policy", {
      role: role.name,
      policy: new PolicyDocument([
        { Sid: "RegistryToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        {
          Sid: "ReadSignatures",
          Effect: "Allow",
          Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
          Resource: context.arn("ecr", "repository/*"),
        },
        { Sid: "CheckRevocation", Effect: "Allow", Action: "signer:GetRevocationStatus", Resource: "*" },
      ]).toJson(),
    });
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}
