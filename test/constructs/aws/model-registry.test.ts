import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { TerraformOutput, Testing } from "cdktf";
import { ModelRegistry, ModelRegistryProps, PUSH_ACTIONS } from "../../../constructs/aws/model-registry";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { SecureStack } from "../../../lib/secure-stack";

const ADMIN = "arn:aws:iam::111122223333:role/key-admin";
const PULLER = "arn:aws:iam::111122223333:role/inference-nodes";

type Json = Record<string, Record<string, Record<string, unknown>>>;

function setup(props: Partial<ModelRegistryProps> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  const key = new PlatformKey(stack, "RegistryKey", { purpose: "registry", administrators: [ADMIN] });
  const registry = new ModelRegistry(stack, "ModelRegistry", { repositories: ["llama-serving", "training/base"], key, ...props });
  return { stack, key, registry };
}

function synthOf(stack: SecureStack) {
  const synth = Testing.synth(stack);
  return { synth, json: JSON.parse(synth).resource as Json };
}

function policyOf(resource: Record<string, unknown>): { Statement: Array<Record<string, unknown>> } {
  return JSON.parse(resource.policy as string);
}

describe("ModelRegistry", () => {
  it("makes tags immutable, scans on push, encrypts with the key and never force-deletes", () => {
    const { synth } = synthOf(setup().stack);
    expect(synth).toHaveResourceWithProperties(EcrRepository, {
      name: "llama-serving",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "KMS", kms_key: "${aws_kms_key.registry_key.arn}" }],
      force_delete: false,
    });
  });

  // Before: the key allowed no caller kms:CreateGrant or kms:DescribeKey, so CreateRepository failed.
  it("lets callers create repositories under the key through ECR only, for every repository of the account", () => {
    const { stack } = setup();
    const policy = policyOf(synthOf(stack).json.aws_kms_key.registry_key);
    expect(policy.Statement.find((s) => s.Sid === "UseThroughEcr")).toMatchObject({
      Principal: {
        AWS: "arn:${data.aws_partition.aws_context_partition.partition}:iam::${data.aws_caller_identity.aws_context_account.account_id}:root",
      },
      Action: ["kms:CreateGrant", "kms:DescribeKey"],
      Condition: { StringEquals: { "kms:ViaService": "ecr.${data.aws_region.aws_context_region.region}.amazonaws.com" } },
    });
  });

  it("names resources after the repositories", () => {
    const { json } = synthOf(setup().stack);
    expect(Object.keys(json.aws_ecr_repository)).toEqual(["model_registry_llama_serving", "model_registry_training_base"]);
    expect(Object.keys(json.aws_ecr_lifecycle_policy)).toContain("model_registry_llama_serving_lifecycle_policy");
  });

  it("expires untagged images after 14 days by default", () => {
    const { json, synth } = synthOf(setup().stack);
    expect(synth).toHaveResourceWithProperties(EcrLifecyclePolicy, {
      repository: "${aws_ecr_repository.model_registry_llama_serving.name}",
    });
    expect(policyOf(json.aws_ecr_lifecycle_policy.model_registry_llama_serving_lifecycle_policy)).toEqual({
      rules: [
        {
          rulePriority: 1,
          description: "Expire untagged images after 14 days",
          selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
          action: { type: "expire" },
        },
      ],
    });
    const custom = synthOf(setup({ untaggedImageDays: 3 }).stack).json;
    expect(JSON.stringify(policyOf(custom.aws_ecr_lifecycle_policy.model_registry_training_base_lifecycle_policy))).toContain(
      '"countNumber":3',
    );
  });

  it("grants nobody and denies every push by default", () => {
    const { json } = synthOf(setup().stack);
    expect(Object.keys(json.aws_ecr_repository_policy)).toEqual([
      "model_registry_llama_serving_policy",
      "model_registry_training_base_policy",
    ]);
    expect(policyOf(json.aws_ecr_repository_policy.model_registry_llama_serving_policy).Statement).toEqual([
      { Sid: "PushOnlyByPublishers", Effect: "Deny", Principal: "*", Action: PUSH_ACTIONS },
    ]);
  });

  it("lets only the publisher push: the policy allows it and denies everyone else by principal ARN", () => {
    const { stack, registry } = setup();
    const role = new IamRole(stack, "CiRole", { assumeRolePolicy: "{}" });
    const grantee = { roleArn: role.arn, roleName: role.name };
    registry.grantPush(grantee);
    registry.grantPush(grantee);
    const { json } = synthOf(stack);
    const ci = "${aws_iam_role.ci_role.arn}";
    expect(policyOf(json.aws_ecr_repository_policy.model_registry_training_base_policy).Statement).toEqual([
      { Sid: "PushByPublishers", Effect: "Allow", Principal: { AWS: [ci] }, Action: ["ecr:BatchCheckLayerAvailability", ...PUSH_ACTIONS] },
      {
        Sid: "PushOnlyByPublishers",
        Effect: "Deny",
        Principal: "*",
        Action: PUSH_ACTIONS,
        Condition: { ArnNotEquals: { "aws:PrincipalArn": [ci] } },
      },
    ]);
    expect(Object.keys(json.aws_iam_role_policy)).toEqual(["model_registry_push_grant1"]);
    const iam = policyOf(json.aws_iam_role_policy.model_registry_push_grant1);
    expect(iam.Statement[1].Action).toEqual(expect.arrayContaining(["ecr:PutImage", "ecr:CompleteLayerUpload", "ecr:BatchGetImage"]));
  });

  it("refuses a publisher that is not a role", () => {
    expect(() => setup({ publishers: ["arn:aws:iam::111122223333:user/ci"] })).toThrow(
      /^test\/ModelRegistry: publishers must be IAM role ARNs, got 'arn:aws:iam::111122223333:user\/ci'\.$/,
    );
  });

  it("admits named pullers in every repository policy, for pulling only", () => {
    const { json } = synthOf(setup({ pullers: [PULLER] }).stack);
    expect(Object.keys(json.aws_ecr_repository_policy)).toEqual([
      "model_registry_llama_serving_policy",
      "model_registry_training_base_policy",
    ]);
    const policy = policyOf(json.aws_ecr_repository_policy.model_registry_llama_serving_policy);
    expect(policy.Statement).toEqual([
      {
        Sid: "PullByNamedRoles",
        Effect: "Allow",
        Principal: { AWS: [PULLER] },
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      },
      { Sid: "PushOnlyByPublishers", Effect: "Deny", Principal: "*", Action: PUSH_ACTIONS },
    ]);
  });

  it("grantPull names the role, gives it IAM permissions to pull and lets it decrypt with the key", () => {
    const { stack, registry } = setup({ pullers: [PULLER] });
    const role = new IamRole(stack, "InferenceRole", { assumeRolePolicy: "{}" });
    const grantee = { roleArn: role.arn, roleName: role.name };
    registry.grantPull(grantee);
    registry.grantPull(grantee);
    const { json } = synthOf(stack);

    const repoPolicy = policyOf(json.aws_ecr_repository_policy.model_registry_training_base_policy);
    expect(repoPolicy.Statement[0].Principal).toEqual({ AWS: [PULLER, "${aws_iam_role.inference_role.arn}"] });

    expect(Object.keys(json.aws_iam_role_policy)).toEqual(["model_registry_pull_grant1"]);
    const iam = json.aws_iam_role_policy.model_registry_pull_grant1;
    expect(iam.role).toBe("${aws_iam_role.inference_role.name}");
    expect(policyOf(iam).Statement).toEqual([
      { Sid: "EcrAuthorizationToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      {
        Sid: "PullImages",
        Effect: "Allow",
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: ["${aws_ecr_repository.model_registry_llama_serving.arn}", "${aws_ecr_repository.model_registry_training_base.arn}"],
      },
    ]);

    const keyPolicy = policyOf(json.aws_kms_key.registry_key);
    expect(keyPolicy.Statement).toContainEqual(
      expect.objectContaining({ Principal: { AWS: "${aws_iam_role.inference_role.arn}" }, Action: ["kms:Decrypt", "kms:DescribeKey"] }),
    );
  });

  it("creates the repository policies on the first grant when no pullers were given", () => {
    const { stack, registry } = setup();
    registry.grantPull({ roleArn: PULLER, roleName: "inference-nodes" });
    const { json } = synthOf(stack);
    expect(policyOf(json.aws_ecr_repository_policy.model_registry_llama_serving_policy).Statement[0].Principal).toEqual({ AWS: [PULLER] });
  });

  it("exposes URLs and ARNs by repository name", () => {
    const { stack, registry } = setup();
    new TerraformOutput(stack, "Url", { value: registry.repositoryUrls["training/base"] });
    new TerraformOutput(stack, "Arn", { value: registry.repositoryArns["llama-serving"] });
    const output = JSON.parse(Testing.synth(stack)).output;
    expect(output.url.value).toBe("${aws_ecr_repository.model_registry_training_base.repository_url}");
    expect(output.arn.value).toBe("${aws_ecr_repository.model_registry_llama_serving.arn}");
  });

  it.each([
    [{ repositories: [] }, /test\/ModelRegistry: repositories must name at least one repository/],
    [{ repositories: ["models", "models"] }, /test\/ModelRegistry: repositories must be unique, 'models' is listed twice/],
    [{ repositories: ["Models"] }, /test\/ModelRegistry: repositories must be 2 to 256 .* got 'Models'/],
    [{ repositories: ["a"] }, /got 'a'/],
    [{ repositories: ["models/"] }, /got 'models\/'/],
    [{ untaggedImageDays: 0 }, /test\/ModelRegistry: untaggedImageDays must be a whole number of at least 1, got 0/],
    [{ pullers: ["*"] }, /test\/ModelRegistry: pullers must be IAM role ARNs, got '\*'/],
    [{ pullers: ["arn:aws:iam::111122223333:root"] }, /pullers must be IAM role ARNs, got 'arn:aws:iam::111122223333:root'/],
  ])("rejects %p", (props, message) => {
    expect(() => setup(props)).toThrow(message);
  });
});
