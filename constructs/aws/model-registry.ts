import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Lazy, Token } from "cdktf";
import { Construct } from "constructs";
import { AwsContext } from "./aws-context";
import { Grant, Grantee } from "./grantee";
import { allowThroughService, ECR_CALLER_ACTIONS } from "./keyring";
import { PlatformKey } from "./platform-key";
import { PolicyDocument } from "./policy-document";

/** What a puller may do on a repository: read manifests and layers, nothing else. */
export const PULL_ACTIONS = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

/**
 * What changes a repository's images: uploading layers, putting a manifest
 * (an image, or the signature Notation pushes beside it) and deleting images.
 * Only the publisher may; lifecycle expiry is ECR's own and is not affected.
 */
export const PUSH_ACTIONS = [
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
  "ecr:CompleteLayerUpload",
  "ecr:PutImage",
  "ecr:BatchDeleteImage",
];

const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const ROLE_ARN = /^arn:[a-z-]+:iam::\d{12}:role\/[\w+=,.@/-]+$/;

export interface ModelRegistryProps {
  /** Names of the ECR repositories, e.g. ["inference/llama", "training/base"]; at least one. */
  readonly repositories: string[];
  /** Key that encrypts the images. */
  readonly key: PlatformKey;
  /** Role ARNs that may pull from every repository, named in the repository policies. @default - none; use grantPull */
  readonly pullers?: string[];
  /** Role ARNs that may push to every repository; everyone else is denied. @default - none until grantPush: nobody may push */
  readonly publishers?: string[];
  /** Days after which untagged images expire. @default 14 */
  readonly untaggedImageDays?: number;
  /** Tags for the repositories. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * ECR repositories for model-serving and training images: tags immutable so a
 * digest's name never moves, scanned on push, encrypted with a platform key,
 * never force-deleted, pullable only by roles named in their policies, and
 * writable only by the publishers (grantPush): each repository policy denies
 * every push by anyone else, administrators of the account included, so one
 * leaked credential with ecr:* cannot replace what the cluster runs.
 */
export class ModelRegistry extends Construct {
  /** Repository URL by repository name. */
  readonly repositoryUrls: Record<string, string> = {};
  /** Repository ARN by repository name. */
  readonly repositoryArns: Record<string, string> = {};
  private readonly key: PlatformKey;
  private readonly repositories: Array<{ scope: Construct; repository: EcrRepository }> = [];
  private readonly pullerArns: string[] = [];
  private readonly publisherArns: string[] = [];
  private readonly granted: string[] = [];
  private readonly pushGranted: string[] = [];
  private readonly pullGrants = new Map<string, Grant>();
  private readonly pushGrants = new Map<string, Grant>();
  /** The repository policies, which carry the pull and push grants' resource side. */
  private readonly repositoryPolicies: EcrRepositoryPolicy[] = [];

  constructor(scope: Construct, id: string, props: ModelRegistryProps) {
    super(scope, id);
    if (props.repositories.length === 0) {
      throw new Error(`${this.node.path}: repositories must name at least one repository.`);
    }
    const duplicate = props.repositories.find((name, i) => props.repositories.indexOf(name) !== i);
    if (duplicate) throw new Error(`${this.node.path}: repositories must be unique, '${duplicate}' is listed twice.`);
    for (const name of props.repositories) {
      if (name.length < 2 || name.length > 256 || !REPOSITORY_NAME.test(name)) {
        throw new Error(
          `${this.node.path}: repositories must be 2 to 256 lower-case letters, digits and '._-/' separators, got '${name}'.`,
        );
      }
    }
    const days = props.untaggedImageDays ?? 14;
    if (!Number.isInteger(days) || days < 1) {
      throw new Error(`${this.node.path}: untaggedImageDays must be a whole number of at least 1, got ${days}.`);
    }
    this.key = props.key;
    // Without it CreateRepository fails: ECR describes the key and creates its grants as the caller.
    allowThroughService(props.key, AwsContext.of(this), "ecr", ECR_CALLER_ACTIONS);

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
    for (const name of props.repositories) {
      // A scope per repository, so names read model_registry_<repo> and model_registry_<repo>_lifecycle_policy.
      const repoScope = new Construct(this, name);
      const repository = new EcrRepository(repoScope, "Resource", {
        name,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: props.key.keyArn }],
        forceDelete: false,
        tags: props.tags,
      });
      new EcrLifecyclePolicy(repoScope, "LifecyclePolicy", { repository: repository.name, policy: lifecycle });
      this.repositories.push({ scope: repoScope, repository });
      this.repositoryUrls[name] = repository.repositoryUrl;
      this.repositoryArns[name] = repository.arn;
    }
    (props.publishers ?? []).forEach((arn) => this.addPublisher(arn));
    (props.pullers ?? []).forEach((arn) => this.admit(arn));
    const policy = Lazy.stringValue({ produce: () => this.policyDocument() });
    for (const { scope, repository } of this.repositories) {
      this.repositoryPolicies.push(new EcrRepositoryPolicy(scope, "Policy", { repository: repository.name, policy }));
    }
  }

  /**
   * Lets a role (the CI publisher's) push to every repository: names it as
   * the only principal the repository policies let push, and gives it the
   * IAM permissions to authenticate, upload layers and put manifests. ECR
   * encrypts with the grant it made on the key at CreateRepository, so the
   * pusher needs no key permission (ECR User Guide, encryption at rest).
   */
  grantPush(grantee: Grantee): Grant {
    const known = this.pushGrants.get(grantee.roleArn);
    if (known) return known;
    this.pushGranted.push(grantee.roleArn);
    this.addPublisher(grantee.roleArn);
    const rolePolicy = new IamRolePolicy(this, `PushGrant${this.pushGranted.length}`, {
      role: grantee.roleName,
      policy: new PolicyDocument([
        { Sid: "EcrAuthorizationToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        {
          Sid: "PushImages",
          Effect: "Allow",
          Action: ["ecr:BatchCheckLayerAvailability", "ecr:DescribeImages", ...PULL_ACTIONS, ...PUSH_ACTIONS],
          Resource: Object.values(this.repositoryArns),
        },
      ]).toJson(),
    });
    const grant = new Grant([], [rolePolicy], [rolePolicy, ...this.repositoryPolicies]);
    this.pushGrants.set(grantee.roleArn, grant);
    return grant;
  }

  /**
   * Lets a role pull from every repository: names it in the repository
   * policies, gives it the IAM permissions to authenticate and read layers, and
   * lets it decrypt with the registry key.
   */
  grantPull(grantee: Grantee): Grant {
    const known = this.pullGrants.get(grantee.roleArn);
    if (known) return known;
    this.granted.push(grantee.roleArn);
    this.admit(grantee.roleArn);
    const rolePolicy = new IamRolePolicy(this, `PullGrant${this.granted.length}`, {
      role: grantee.roleName,
      policy: new PolicyDocument([
        // GetAuthorizationToken has no resource-level permissions.
        { Sid: "EcrAuthorizationToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        { Sid: "PullImages", Effect: "Allow", Action: PULL_ACTIONS, Resource: Object.values(this.repositoryArns) },
      ]).toJson(),
    });
    const grant = Grant.combine(new Grant([], [rolePolicy], [rolePolicy, ...this.repositoryPolicies]), this.key.grantDecrypt(grantee));
    this.pullGrants.set(grantee.roleArn, grant);
    return grant;
  }

  /** Names a role in every repository policy as a puller. */
  private admit(roleArn: string): void {
    if (!Token.isUnresolved(roleArn) && !ROLE_ARN.test(roleArn)) {
      throw new Error(`${this.node.path}: pullers must be IAM role ARNs, got '${roleArn}'.`);
    }
    if (!this.pullerArns.includes(roleArn)) this.pullerArns.push(roleArn);
  }

  private addPublisher(roleArn: string): void {
    if (!Token.isUnresolved(roleArn) && !ROLE_ARN.test(roleArn)) {
      throw new Error(`${this.node.path}: publishers must be IAM role ARNs, got '${roleArn}'.`);
    }
    if (!this.publisherArns.includes(roleArn)) this.publisherArns.push(roleArn);
  }

  /**
   * Pullers are allowed to pull; everyone but the publishers is denied every
   * push, matched by aws:PrincipalArn, which for an assumed role's session is
   * the role's ARN. With no publisher yet, nobody may push.
   */
  private policyDocument(): string {
    const publishers = [...this.publisherArns];
    return new PolicyDocument([
      ...(this.pullerArns.length > 0
        ? [{ Sid: "PullByNamedRoles", Effect: "Allow" as const, Principal: { AWS: [...this.pullerArns] }, Action: PULL_ACTIONS }]
        : []),
      ...(publishers.length > 0
        ? [
            {
              Sid: "PushByPublishers",
              Effect: "Allow" as const,
              Principal: { AWS: publishers },
              Action: ["ecr:BatchCheckLayerAvailability", ...PUSH_ACTIONS],
            },
          ]
        : []),
      {
        Sid: "PushOnlyByPublishers",
        Effect: "Deny" as const,
        Principal: "*",
        Action: PUSH_ACTIONS,
        ...(publishers.length > 0 ? { Condition: { ArnNotEquals: { "aws:PrincipalArn": publishers } } } : {}),
      },
    ]).toJson();
  }
}
