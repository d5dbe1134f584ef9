import { EcrPullThroughCacheRule } from "@cdktf/provider-aws/lib/ecr-pull-through-cache-rule";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryCreationTemplate } from "@cdktf/provider-aws/lib/ecr-repository-creation-template";
import { Testing } from "cdktf";
import { ImageMirror, MIRROR_REPOSITORIES, PULL_THROUGH_UPSTREAMS } from "../../../constructs/aws/image-mirror";
import { NodeRole } from "../../../constructs/aws/node-role";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { SecureStack } from "../../../lib/secure-stack";

const ACCOUNT = "${data.aws_caller_identity.aws_context_account.account_id}";
const REGION = "${data.aws_region.aws_context_region.region}";
const PARTITION = "${data.aws_partition.aws_context_partition.partition}";
const repository = (prefix: string) => `arn:${PARTITION}:ecr:${REGION}:${ACCOUNT}:repository/${prefix}/*`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = { resource: Record<string, Record<string, any>> };

function setup() {
  const stack = new SecureStack(Testing.app(), "test");
  const key = new PlatformKey(stack, "RegistryKey", { purpose: "registry", administrators: ["arn:aws:iam::111122223333:role/key-admin"] });
  const mirror = new ImageMirror(stack, "ImageMirror", { key });
  const nodes = new NodeRole(stack, "Nodes");
  mirror.grantPull(nodes);
  mirror.grantPull(nodes);
  const synth = Testing.synth(stack);
  return { stack, mirror, synth, doc: JSON.parse(synth) as Doc };
}

const statements = (policy: string) => JSON.parse(policy).Statement as Array<Record<string, unknown>>;

describe("ImageMirror", () => {
  it("caches ECR Public, registry.k8s.io and Quay, the upstreams ECR caches without credentials, and not nvcr.io", () => {
    const { synth, doc } = setup();
    expect(PULL_THROUGH_UPSTREAMS).toEqual([
      { prefix: "ecr-public", url: "public.ecr.aws" },
      { prefix: "k8s", url: "registry.k8s.io" },
      { prefix: "quay", url: "quay.io" },
    ]);
    for (const { prefix, url } of PULL_THROUGH_UPSTREAMS) {
      expect(synth).toHaveResourceWithProperties(EcrPullThroughCacheRule, { ecr_repository_prefix: prefix, upstream_registry_url: url });
    }
    expect(Object.values(doc.resource.aws_ecr_pull_through_cache_rule).map((r) => r.upstream_registry_url)).not.toContain("nvcr.io");
  });

  it("makes the repositories the caches create immutable and encrypted with the registry key, through a role ECR can assume", () => {
    const { synth, doc } = setup();
    for (const { prefix } of PULL_THROUGH_UPSTREAMS) {
      expect(synth).toHaveResourceWithProperties(EcrRepositoryCreationTemplate, {
        prefix,
        applied_for: ["PULL_THROUGH_CACHE"],
        image_tag_mutability: "IMMUTABLE",
        encryption_configuration: [{ encryption_type: "KMS", kms_key: "${aws_kms_key.registry_key.arn}" }],
        custom_role_arn: "${aws_iam_role.image_mirror_repository_creation_role.arn}",
      });
      // The template exists before the rule, so no cached repository is created without it.
      expect(doc.resource.aws_ecr_pull_through_cache_rule[`image_mirror_${prefix.replace("-", "_")}_rule`].depends_on).toEqual([
        `aws_ecr_repository_creation_template.image_mirror_${prefix.replace("-", "_")}_template`,
      ]);
    }
    const role = doc.resource.aws_iam_role.image_mirror_repository_creation_role;
    expect(statements(role.assume_role_policy)).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "ecr.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
      },
    ]);
    expect(statements(doc.resource.aws_iam_role_policy.image_mirror_repository_creation_role_policy.policy)).toEqual([
      {
        Sid: "CreateCachedRepositories",
        Effect: "Allow",
        Action: ["ecr:CreateRepository", "ecr:TagResource"],
        Resource: PULL_THROUGH_UPSTREAMS.map((u) => repository(u.prefix)),
      },
      {
        Sid: "EncryptWithRegistryKey",
        Effect: "Allow",
        Action: ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"],
        Resource: "${aws_kms_key.registry_key.arn}",
      },
    ]);
    // The key policy lets the role create ECR's grants.
    expect(statements(doc.resource.aws_kms_key.registry_key.policy)).toContainEqual({
      Sid: "EcrRepositoryCreationRole",
      Effect: "Allow",
      Principal: { AWS: "${aws_iam_role.image_mirror_repository_creation_role.arn}" },
      Action: ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"],
      Resource: "*",
    });
  });

  it("creates immutable, scanned, encrypted mirror repositories for images ECR cannot cache", () => {
    const { synth } = setup();
    expect(MIRROR_REPOSITORIES).toEqual([
      "mirror/nvidia/k8s-device-plugin",
      "mirror/aws-nitro-enclaves/aws-nitro-enclaves-k8s-device-plugin",
      // The signature verifier's charts, images and AWS Signer plugin (SignatureVerifier).
      "mirror/charts/gatekeeper",
      "mirror/charts/ratify",
      "mirror/openpolicyagent/gatekeeper",
      "mirror/ratify-project/ratify",
      "mirror/aws-signer/notation-plugin",
    ]);
    for (const name of MIRROR_REPOSITORIES) {
      expect(synth).toHaveResourceWithProperties(EcrRepository, {
        name,
        image_tag_mutability: "IMMUTABLE",
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: "KMS", kms_key: "${aws_kms_key.registry_key.arn}" }],
      });
    }
  });

  it("has Amazon Inspector scan every repository on push and continuously, the cached ones included, which creation templates cannot ask for", () => {
    const { doc } = setup();
    const resources = doc.resource as Record<string, Record<string, unknown>>;
    expect(Object.values(resources.aws_inspector2_enabler)).toEqual([
      { account_ids: ["${data.aws_caller_identity.aws_context_account.account_id}"], resource_types: ["ECR"] },
    ]);
    expect(Object.values(resources.aws_ecr_registry_scanning_configuration)).toEqual([
      {
        scan_type: "ENHANCED",
        rule: [{ scan_frequency: "CONTINUOUS_SCAN", repository_filter: [{ filter: "*", filter_type: "WILDCARD" }] }],
        depends_on: ["aws_inspector2_enabler.image_mirror_inspector"],
      },
    ]);
  });

  // Before, nodes had only AmazonEC2ContainerRegistryReadOnly: the first pull through a cache rule was refused.
  it("lets the nodes' role make the first pull through a cache rule, once however often it is granted", () => {
    const { doc } = setup();
    const grants = Object.values(doc.resource.aws_iam_role_policy).filter((p) => p.role === "${aws_iam_role.nodes.name}");
    expect(grants.flatMap((g) => statements(g.policy)).sort((a, b) => String(a.Sid).localeCompare(String(b.Sid)))).toEqual([
      { Sid: "EcrAuthorizationToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      {
        Sid: "PullImages",
        Effect: "Allow",
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: MIRROR_REPOSITORIES.map(() => expect.stringMatching(/^\$\{aws_ecr_repository\.image_mirror_mirror.*\.arn\}$/)),
      },
      {
        Sid: "PullThroughCache",
        Effect: "Allow",
        Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: PULL_THROUGH_UPSTREAMS.map((u) => repository(u.prefix)),
      },
    ]);
  });
});
