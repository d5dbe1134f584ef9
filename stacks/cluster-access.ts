import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HelmProvider, HelmProviderRegistries } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { PlatformConfig } from "./config/schema";
import { PlatformStack } from "./platform-stack";

export interface ClusterProvidersOptions {
  /** Configure the helm provider too, logged in to these registries. @default - no helm provider */
  readonly helmRegistries?: (scope: Construct) => HelmProviderRegistries[];
}

/**
 * The providers of a stack that works on the platform's cluster: AWS (with
 * the platform's tags) and Kubernetes (and Helm where asked), configured from
 * the platform stack's cluster by reference (cdktf turns these into outputs
 * and remote state), so nothing is copied by hand.
 *
 * The token is fetched by the AWS CLI for each request, rather than
 * aws_eks_cluster_auth's: that one is kept in the state and expires after 15
 * minutes, before a long apply (a DaemonSet rollout) ends.
 */
export function clusterProviders(
  scope: Construct,
  platform: PlatformStack,
  config: PlatformConfig,
  options: ClusterProvidersOptions = {},
): void {
  const cluster = platform.cluster;
  new AwsProvider(scope, "aws", { region: config.region, defaultTags: [{ tags: { ...config.tags, "saip:platform": config.name } }] });
  const clusterAccess = {
    host: cluster.clusterEndpoint,
    clusterCaCertificate: Fn.base64decode(cluster.clusterCertificateAuthority),
    exec: {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", cluster.clusterName, "--region", config.region],
    },
  };
  new KubernetesProvider(scope, "kubernetes", { ...clusterAccess, exec: [clusterAccess.exec] });
  if (options.helmRegistries) new HelmProvider(scope, "helm", { kubernetes: clusterAccess, registries: options.helmRegistries(scope) });
}
