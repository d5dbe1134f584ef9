import { TerraformOutput } from "cdktf";
import type { PlatformStack } from "./platform-stack";

/** What the stack tells who deploys it and the stacks after it. */
export function addPlatformOutputs(stack: PlatformStack): void {
  const { config, cluster, keys } = stack;
  new TerraformOutput(stack, "cluster_name", {
    value: cluster.clusterName,
    description: "EKS cluster; its API is reachable only from inside the VPC",
  });
  if (stack.inference) {
    new TerraformOutput(stack, "inference_target_group_arn", {
      value: stack.inference.targetGroupArn,
      description: "Target group of pod IPs behind the inference entry, for a TargetGroupBinding",
    });
  }
  new TerraformOutput(stack, "image_publisher_role_arn", {
    value: stack.imagePublisher.roleArn,
    description: "The role CI assumes to push images: the only principal the repositories let push",
  });
  new TerraformOutput(stack, "image_signing_profile_arn", {
    value: stack.imagePublisher.signingProfileArn,
    description: "AWS Signer profile CI signs images with (notation sign --id <this>)",
  });
  if (config.tenants.length > 0) {
    new TerraformOutput(stack, "tenant_data_keys", {
      value: Object.fromEntries(
        Object.entries(keys.tenants).map(([tenant, k]) => [
          tenant,
          { datasets: k.datasets.keyArn, checkpoints: k.checkpoints.keyArn, models: k.modelStore.keyArn },
        ]),
      ),
      description:
        "Per tenant, the key ARNs its writes under <tenant>/ must name (x-amz-server-side-encryption-aws-kms-key-id) in the datasets, checkpoints and models buckets",
    });
  }
  new TerraformOutput(stack, "models_bucket", {
    value: stack.buckets.models?.bucketName ?? "",
    description: "Bucket holding model artifacts",
  });
}
