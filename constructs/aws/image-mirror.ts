import { EcrPullThroughCacheRule } from "@cdktf/provider-aws/lib/ecr-pull-through-cache-rule";
import { EcrRegistryScanningConfiguration } from "@cdktf/provider-aws/lib/ecr-registry-scanning-configuration";
import { EcrRepositoryCreationTemplate } from "@cdktf/provider-aws/lib/ecr-repository-creation-template";
import { Inspector2Enabler } from "@cdktf/provider-aws/lib/inspector2-enabler";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { AwsContext } from "./aws-context";
import { Grant, Grantee } from "./grantee";
import { ModelRegistry } from "./model-registry";
import { PlatformKey } from "./platform-key";
import { PolicyDocument } from "./policy-document";

/**
 * Upstreams ECR caches without credentials (ECR User Guide, "Sync an upstream
 * registry with an Amazon ECR private registry"), by the repository prefix
 * images are pulled under: `<registry>/ecr-public/<upstream path>@sha256:...`.
 * nvcr.io is not among the registries ECR can cache: NVIDIA's images are mirrored.
 */
export const PULL_THROUGH_UPSTREAMS: ReadonlyArray<{ readonly prefix: string; readonly url: string }> = [
  { prefix: "ecr-public", url: "public.ecr.aws" },
  { prefix: "k8s", url: "registry.k8s.io" },
  { prefix: "quay", url: "quay.io" },
];

/**
 * Repositories a team copies upstream images into by digest: NVIDIA's, which
 * ECR cannot cache, and the Nitro Enclaves plugin, which the platform pulls by
 * digest before anything could have warmed a cache (a pull-through cache
 * fills on a pull by tag, not on a first pull by digest: aws/containers-roadmap#2837).
 */
export const MIRROR_REPOSITORIES = [
  "mirror/nvidia/k8s-device-plugin",
  "mirror/aws-nitro-enclaves/aws-nitro-enclaves-k8s-device-plugin",
  // The signature verifier (SignatureVerifier): Gatekeeper's and Ratify's OCI charts and images, and the AWS Signer plugin.
  // Docker Hub and GHCR need credentials to cache, and the verifier must start before any cache is warm.
  "mirror/charts/gatekeeper",
  "mirror/charts/ratify",
  "mirror/openpolicyagent/gatekeeper",
  "mirror/ratify-project/ratify",
  "mirror/aws-signer/notation-plugin",
];

export interface ImageMirrorProps {
  /** Key that encrypts mirrored and cached images (the keyring's registry key). */
  readonly key: PlatformKey;
  /** Repositories to push copies into. @default MIRROR_REPOSITORIES */
  readonly mirrorRepositories?: string[];
  /** Days after which untagged images expire, in mirror and cached repositories. @default 14 */
  readonly untaggedImageDays?: number;
  /** Tags for every resource. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * Where a platform without egress gets the images it runs: the account's own
 * ECR, which nodes reach through the VPC's ecr.api, ecr.dkr and S3 endpoints.
 *
 * - Pull-through cache rules for ECR Public, registry.k8s.io and Quay: the
 *   first pull of `<registry>/<prefix>/<path>:<tag>` has ECR fetch the image
 *   from upstream (ECR does that, not the node) and create the repository,
 *   which takes `ecr:CreateRepository` and `ecr:BatchImportUpstreamImage`
 *   from the puller (`grantPull`). A first pull by digest alone does not fill
 *   the cache (aws/containers-roadmap#2837), so warm it by tag before pods
 *   pull by digest (README, "Filling the image mirror").
 * - A repository creation template per prefix, so the repositories ECR
 *   creates are immutable and encrypted with the registry key. A template
 *   that names a customer key needs a role ECR assumes to create them, with
 *   kms:CreateGrant, kms:RetireGrant and kms:DescribeKey on the key (ECR User
 *   Guide, "Create a custom policy for repository creation templates").
 * - Registry-wide enhanced scanning by Amazon Inspector, on push and
 *   continuously, which covers the cached repositories too (creation
 *   templates cannot ask for scanning).
 * - Mirror repositories (immutable, scanned on push, the same key) for the
 *   device plugins (MIRROR_REPOSITORIES); a team copies them in by digest
 *   (README, "Filling the image mirror").
 */
export class ImageMirror extends Construct {
  /** The mirror repositories, by name. */
  readonly mirror: ModelRegistry;
  /** The repository prefixes of the pull-through cache rules. */
  readonly cachePrefixes: readonly string[] = PULL_THROUGH_UPSTREAMS.map((u) => u.prefix);
  private readonly context: AwsContext;
  private readonly granted: string[] = [];
  private readonly pullGrants = new Map<string, Grant>();

  constructor(scope: Construct, id: string, props: ImageMirrorProps) {
    super(scope, id);
    const context = (this.context = AwsContext.of(this));
    const tags = props.tags;
    const cachedRepositories = this.cachePrefixes.map((prefix) => context.arn("ecr", `repository/${prefix}/*`));

    const role = new IamRole(this, "RepositoryCreationRole", {
      namePrefix: "saip-ecr-cache-",
      description: "Assumed by ECR to create pull-through cache repositories encrypted with the registry key",
      assumeRolePolicy: new PolicyDocument([
        {
          Effect: "Allow",
          Principal: { Service: "ecr.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": context.accountId } },
        },
      ]).toJson(),
      tags,
    });
    const rolePolicy = new IamRolePolicy(this, "RepositoryCreationRolePolicy", {
      role: role.name,
      policy: new PolicyDocument([
        {
          Sid: "CreateCachedRepositories",
          Effect: "Allow",
          Action: ["ecr:CreateRepository", "ecr:TagResource"],
          Resource: cachedRepositories,
        },
        {
          Sid: "EncryptWithRegistryKey",
          Effect: "Allow",
          Action: ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"],
          Resource: props.key.keyArn,
        },
      ]).toJson(),
    });
    props.key.addToPolicy({
      Sid: "EcrRepositoryCreationRole",
      Effect: "Allow",
      Principal: { AWS: role.arn },
      Action: ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"],
      Resource: "*",
    });

    const days = props.untaggedImageDays ?? 14;
    const lifecycle = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: `Expire untagged images after ${days} days`,
          selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: days },
          action: { type: "expire" },
        },
      ],
    });
    for (const upstream of PULL_THROUGH_UPSTREAMS) {
      const scopeOf = new Construct(this, upstream.prefix);
      const template = new EcrRepositoryCreationTemplate(scopeOf, "Template", {
        prefix: upstream.prefix,
        description: `Repositories the ${upstream.url} pull-through cache creates`,
        appliedFor: ["PULL_THROUGH_CACHE"],
        imageTagMutability: "IMMUTABLE",
        encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: props.key.keyArn }],
        customRoleArn: role.arn,
        lifecyclePolicy: lifecycle,
        resourceTags: tags,
        dependsOn: [rolePolicy],
      });
      // The template first: repositories created before it would keep AES256 and mutable tags.
      new EcrPullThroughCacheRule(scopeOf, "Rule", {
        ecrRepositoryPrefix: upstream.prefix,
        upstreamRegistryUrl: upstream.url,
        dependsOn: [template],
      });
    }

    // Amazon Inspector scans every repository of the account (cached ones too: creation templates carry no
    // scanning setting) on push and again whenever a new CVE affects an image it has scanned. Enabling it for ECR
    // creates Inspector's service-linked role, AWSServiceRoleForAmazonInspector2, through which it reads images
    // (Inspector User Guide, "Using service-linked roles"); the deployer needs iam:CreateServiceLinkedRole once.
    const inspector = new Inspector2Enabler(this, "Inspector", { accountIds: [context.accountId], resourceTypes: ["ECR"] });
    new EcrRegistryScanningConfiguration(this, "RegistryScanning", {
      scanType: "ENHANCED",
      rule: [{ scanFrequency: "CONTINUOUS_SCAN", repositoryFilter: [{ filter: "*", filterType: "WILDCARD" }] }],
      dependsOn: [inspector],
    });
    this.mirror = new ModelRegistry(this, "Mirror", {
      repositories: props.mirrorRepositories ?? MIRROR_REPOSITORIES,
      key: props.key,
      untaggedImageDays: days,
      tags,
    });
  }

  /**
   * Lets a role (the nodes') pull mirrored and cached images: the mirror
   * repositories' pull rights, and for the pull-through prefixes
   * ecr:BatchImportUpstreamImage and ecr:CreateRepository, which the first
   * pull of an image needs.
   */
  grantPull(grantee: Grantee): Grant {
    const known = this.pullGrants.get(grantee.roleArn);
    if (known) return known;
    this.granted.push(grantee.roleArn);
    const mirrorGrant = this.mirror.grantPull(grantee);
    const cachePolicy = new IamRolePolicy(this, `CachePullGrant${this.granted.length}`, {
      role: grantee.roleName,
      policy: new PolicyDocument([
        {
          Sid: "PullThroughCache",
          Effect: "Allow",
          Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
          Resource: this.cachePrefixes.map((prefix) => this.context.arn("ecr", `repository/${prefix}/*`)),
        },
      ]).toJson(),
    });
    const grant = Grant.combine(mirrorGrant, new Grant([], [cachePolicy], [cachePolicy]));
    this.pullGrants.set(grantee.roleArn, grant);
    return grant;
  }

  /** The registry host of this account and region, as a token: `<account>.dkr.ecr.<region>.amazonaws.com`. */
  get registryHost(): string {
    return `${this.context.accountId}.dkr.ecr.${this.context.region}.amazonaws.com`;
  }
}
