import { DataAwsEksClusterAuth } from "@cdktf/provider-aws/lib/data-aws-eks-cluster-auth";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { acceleratorOf } from "../constructs/aws/instance-types";
import { NitroEnclavesDevicePlugin, NvidiaDevicePlugin } from "../constructs/kubernetes/device-plugins";
import { dedicatedTenantPool } from "../constructs/kubernetes/pod-placement";
import { WorkloadPriorityClasses } from "../constructs/kubernetes/priority-classes";
import { TenantNamespace } from "../constructs/kubernetes/tenant-namespace";
import { WorkloadIdentity } from "../constructs/kubernetes/workload-identity";
import { SecureStack } from "../lib/secure-stack";
import { PlatformConfig } from "./config/schema";
import { PlatformStack } from "./platform-stack";

/**
 * The Kubernetes side: tenants isolated from one another on the shared
 * cluster, device plugins, priority classes and workload identities. The
 * provider is configured from the platform stack's cluster by reference
 * (cdktf turns these into outputs and remote state), with a short-lived
 * token from `aws_eks_cluster_auth`, so nothing is copied by hand.
 */
export class WorkloadsStack extends SecureStack {
  readonly tenants: Record<string, TenantNamespace> = {};

  constructor(scope: Construct, id: string, platform: PlatformStack, config: PlatformConfig) {
    super(scope, id);
    const cluster = platform.cluster;
    new AwsProvider(this, "aws", { region: config.region, defaultTags: [{ tags: { ...config.tags, "saip:platform": config.name } }] });
    const auth = new DataAwsEksClusterAuth(this, "ClusterAuth", { name: cluster.clusterName });
    new KubernetesProvider(this, "kubernetes", {
      host: cluster.clusterEndpoint,
      clusterCaCertificate: Fn.base64decode(cluster.clusterCertificateAuthority),
      token: auth.token,
    });

    new WorkloadPriorityClasses(this, "PriorityClasses");
    if (config.nodePools.some((p) => p.instanceTypes.some((t) => acceleratorOf(t) === "nvidia"))) {
      new NvidiaDevicePlugin(this, "NvidiaDevicePlugin", { image: config.kubernetes.nvidiaDevicePluginImage, waiverExpires: config.kubernetes.devicePluginWaiverExpires });
    }
    if (config.nodePools.some((p) => p.confidential === "nitro-enclaves")) {
      new NitroEnclavesDevicePlugin(this, "NitroEnclavesDevicePlugin", {
        image: config.kubernetes.nitroEnclavesDevicePluginImage,
        waiverExpires: config.kubernetes.devicePluginWaiverExpires,
      });
    }

    for (const tenant of config.tenants) {
      const namespace = new TenantNamespace(this, tenant.name, {
        name: tenant.name,
        groups: tenant.groups,
        gpuQuota: tenant.gpuQuota,
        endpointCidrs: [platform.network.vpcCidr],
        podSecurityVersion: config.kubernetes.podSecurityVersion,
        dedicatedPool: tenant.pool ? dedicatedTenantPool(tenant.name) : undefined,
      });
      this.tenants[tenant.name] = namespace;
      const roles = platform.tenantRoles[tenant.name];
      for (const purpose of ["inference", "training"] as const) {
        new WorkloadIdentity(namespace, `${purpose}-identity`, {
          clusterName: cluster.clusterName,
          namespace: namespace.namespaceName,
          name: purpose,
          role: roles[purpose],
        });
      }
      // The pods that start the measured enclave run as these service accounts (attestation.workloads).
      for (const role of platform.enclaveWorkloadRoles.filter((r) => r.namespace === tenant.name)) {
        new WorkloadIdentity(namespace, `${role.serviceAccount}-identity`, { clusterName: cluster.clusterName, namespace: namespace.namespaceName, name: role.serviceAccount, role });
      }
    }
  }
}
