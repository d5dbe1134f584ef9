import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Construct } from "constructs";
import { AwsContext } from "../constructs/aws/aws-context";
import { networkPolicyGate } from "../constructs/aws/eks-addons";
import { acceleratorOf, poolAmiType } from "../constructs/aws/instance-types";
import { NitroEnclavesDevicePlugin, NvidiaDevicePlugin } from "../constructs/kubernetes/device-plugins";
import { GpuDeviceAdmissionPolicy } from "../constructs/kubernetes/gpu-device-admission-policy";
import { ImageAdmissionPolicy } from "../constructs/kubernetes/image-admission-policy";
import { dedicatedTenantPool } from "../constructs/kubernetes/pod-placement";
import { WorkloadPriorityClasses } from "../constructs/kubernetes/priority-classes";
import { SignatureConstraints } from "../constructs/kubernetes/signature-verification-policy";
import { TenantNamespace } from "../constructs/kubernetes/tenant-namespace";
import { TenantPlacementPolicy } from "../constructs/kubernetes/tenant-placement-policy";
import { WorkloadIdentity } from "../constructs/kubernetes/workload-identity";
import { SecureStack } from "../lib/secure-stack";
import {
  DEVICE_PLUGIN_REPOSITORIES,
  PLACEHOLDER_DIGESTS,
  PLACEHOLDER_REGISTRY_ACCOUNT,
  PlatformConfig,
  PlatformConfigInput,
} from "./config/schema";
import { platformConfigOf } from "./config/define";
import { AdmissionPolicyStack } from "./admission-policy-stack";
import { clusterProviders } from "./cluster-access";
import { PlatformStack } from "./platform-stack";

/**
 * Whether some NVIDIA pool needs the device plugin DaemonSet: Bottlerocket's
 * NVIDIA variants run the plugin in the OS, so only pools on the AL2023
 * NVIDIA AMIs (the default for GPU types) need one, and its image.
 */
export function needsNvidiaDevicePlugin(pools: PlatformConfig["nodePools"]): boolean {
  return pools.some((p) => p.instanceTypes.some((t) => acceleratorOf(t) === "nvidia") && !poolAmiType(p).startsWith("BOTTLEROCKET"));
}

export interface WorkloadsStackOptions {
  /**
   * The stack with the signature check's template (applied before this one), whose constraints this stack puts in
   * force. Needed when the config has tenants: without it their namespaces would run unverified images.
   * @default - none
   */
  readonly admissionPolicy?: AdmissionPolicyStack;
}

/**
 * The Kubernetes side: tenants isolated from one another on the shared
 * cluster, device plugins pulled from the platform's ECR, tenant placement
 * and image signatures enforced at admission, network policies gated on a
 * CNI that enforces them, priority classes and workload identities.
 * Applied after the admission-policy stack (buildPlatform), whose template
 * makes the kind of the signature constraints here.
 */
export class WorkloadsStack extends SecureStack {
  readonly tenants: Record<string, TenantNamespace> = {};
  /** The signature constraints, when the config has tenants. */
  readonly signatureConstraints?: SignatureConstraints;

  /** The config defaults to the platform stack's; another is validated and its defaults applied here. */
  constructor(
    scope: Construct,
    id: string,
    platform: PlatformStack,
    input: PlatformConfigInput | PlatformConfig = platform.config,
    options: WorkloadsStackOptions = {},
  ) {
    super(scope, id);
    const config = platformConfigOf(input, `${this.node.path}: config`);
    const cluster = platform.cluster;
    clusterProviders(this, platform, config);

    new WorkloadPriorityClasses(this, "PriorityClasses");
    // Without a default class that names the key, volumes the EBS CSI driver provisions use the account's
    // default EBS key, outside the platform's keys; the driver's role may use the checkpoints key.
    new StorageClassV1(this, "EncryptedStorageClass", {
      metadata: { name: "encrypted-gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      storageProvisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true", kmsKeyId: platform.keys.checkpoints.keyArn },
      // A deleted claim keeps its volume (checkpoints, scratch data) until someone removes it on purpose.
      reclaimPolicy: "Retain",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    });
    // The VPC has no egress: every image comes from the platform's ECR (ImageMirror), in the platform's region.
    const mirrored = (kind: keyof typeof DEVICE_PLUGIN_REPOSITORIES) =>
      `${PLACEHOLDER_REGISTRY_ACCOUNT}.dkr.ecr.${config.region}.amazonaws.com/${DEVICE_PLUGIN_REPOSITORIES[kind]}@sha256:${PLACEHOLDER_DIGESTS[kind]}`;
    if (needsNvidiaDevicePlugin(config.nodePools)) {
      new NvidiaDevicePlugin(this, "NvidiaDevicePlugin", {
        image: config.kubernetes.nvidiaDevicePluginImage ?? mirrored("nvidia"),
        waiverExpires: config.kubernetes.devicePluginWaiverExpires,
        // Node group names are the pool names; Bottlerocket NVIDIA nodes run their own plugin.
        excludeNodeGroups: config.nodePools.filter((p) => /^BOTTLEROCKET_.*_NVIDIA$/.test(poolAmiType(p))).map((p) => p.name),
      });
    }
    if (config.nodePools.some((p) => p.confidential === "nitro-enclaves")) {
      new NitroEnclavesDevicePlugin(this, "NitroEnclavesDevicePlugin", {
        image: config.kubernetes.nitroEnclavesDevicePluginImage ?? mirrored("enclaves"),
        waiverExpires: config.kubernetes.devicePluginWaiverExpires,
      });
    }

    // Placement is enforced at admission; the network policies go only onto a cluster whose CNI enforces them.
    if (config.tenants.length > 0) new TenantPlacementPolicy(this, "TenantPlacement");
    // Tenants' pods get GPUs only from the device plugin: no NVIDIA_VISIBLE_DEVICES, /dev/nvidia* or CDI annotations of their own.
    if (config.tenants.length > 0) new GpuDeviceAdmissionPolicy(this, "GpuDeviceAdmission");
    // Every pod in tenant (and labelled platform) namespaces runs only images by digest from the platform's own ECR, whoever creates it.
    if (config.tenants.length > 0)
      new ImageAdmissionPolicy(this, "ImageAdmission", { account: AwsContext.of(platform).accountId, region: platform.config.region });
    // ... and only images the platform's signing profile signed (SignatureConstraints, below), before any pod starts.
    const networkPolicyEnforcement =
      config.tenants.length > 0 ? networkPolicyGate(this, "VpcCniNetworkPolicy", cluster.clusterName) : undefined;
    // Enforced policies must admit S3's ranges, where the S3 gateway endpoint routes, or tenants' pods cannot read their buckets.
    const s3PrefixListEntries =
      config.tenants.length > 0
        ? new DataAwsEc2ManagedPrefixList(this, "S3PrefixList", { name: `com.amazonaws.${config.region}.s3` }).entries
        : undefined;
    if (config.tenants.length > 0) {
      if (!options.admissionPolicy)
        throw new Error(
          `${this.node.path}: tenants need the signature check's template applied first: pass options.admissionPolicy (an AdmissionPolicyStack, as buildPlatform does).`,
        );
      this.addDependency(options.admissionPolicy);
      this.signatureConstraints = new SignatureConstraints(this, "SignatureVerifier");
    }
    for (const tenant of config.tenants) {
      const namespace = new TenantNamespace(this, tenant.name, {
        name: tenant.name,
        groups: tenant.groups,
        gpuQuota: tenant.gpuQuota,
        endpointCidrs: [platform.network.vpcCidr],
        podSecurityVersion: config.kubernetes.podSecurityVersion,
        dedicatedPool: tenant.pool ? dedicatedTenantPool(tenant.name) : undefined,
        networkPolicyEnforcement,
        s3PrefixListEntries,
        inferenceEntry: platform.inference
          ? { sourceCidrs: platform.network.loadBalancerSubnetCidrs, port: platform.inference.targetPort }
          : undefined,
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
        new WorkloadIdentity(namespace, `${role.serviceAccount}-identity`, {
          clusterName: cluster.clusterName,
          namespace: namespace.namespaceName,
          name: role.serviceAccount,
          role,
        });
      }
    }
  }
}
