import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate, LaunchTemplateBlockDeviceMappings } from "@cdktf/provider-aws/lib/launch-template";
import { PlacementGroup } from "@cdktf/provider-aws/lib/placement-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { snakeCase } from "../../lib/naming";
import { AwsContext } from "./aws-context";
import { Accelerator, AmiType } from "./instance-types";
import { allowAutoScalingEbs, allowMalwareScanning } from "./keyring";
import { NodePoolProps, NodeTaint } from "./node-pool-props";
import { al2023NvidiaUserData, bottlerocketUserData, enclaveUserData } from "./node-pool-user-data";
import { planNodePool } from "./node-pool-validation";
import { NodeRole } from "./node-role";

// The prop types and the enclave user data live in their own files; re-exported so importers keep using this module.
export { CAPACITY_TYPES, CONFIDENTIAL_MODES, NODE_POOL_PURPOSES, TAINT_EFFECTS } from "./node-pool-props";
export type {
  CapacityType,
  ConfidentialMode,
  NodePoolCapacity,
  NodePoolProps,
  NodePoolPurpose,
  NodePoolScaling,
  NodeTaint,
  TaintEffect,
} from "./node-pool-props";
export { al2023NvidiaUserData, bottlerocketUserData, enclaveUserData, nvidiaSettings } from "./node-pool-user-data";
export type { GpuSharing } from "./node-pool-user-data";

/**
 * An EKS managed node group with its own launch template, on a pinned release
 * of Bottlerocket (verified boot) unless the pool is confidential: IMDSv2 with a hop
 * limit of 1, encrypted gp3 volumes under a customer-managed key, detailed
 * monitoring, no SSH key or remote access, no public IPs, and node repair.
 * Accelerator pools carry their accelerator's NoSchedule taint; tenant pools a
 * tenant taint; confidential pools run on AMD SEV-SNP or Nitro Enclaves.
 */
export class NodePool extends Construct {
  readonly nodeGroupName: string;
  readonly nodeGroupArn: string;
  readonly launchTemplateId: string;
  readonly role: NodeRole;
  readonly roleArn: string;
  readonly amiType: AmiType;
  /** The pinned EKS release version of the node image. */
  readonly releaseVersion: string;
  readonly accelerator?: Accelerator;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly NodeTaint[];
  /** EFA pools without a capacity reservation: the cluster placement group. */
  readonly placementGroupName?: string;
  /** EFA pools only: the security group that lets the nodes' EFA traffic reach each other. */
  readonly efaSecurityGroupId?: string;
  /** The managed node group, for resources that must wait for nodes (add-ons that run as Deployments). */
  readonly nodeGroup: EksNodeGroup;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    const name = props.name ?? snakeCase(id).replace(/_/g, "-");
    const plan = planNodePool(this.node.path, name, props);
    this.amiType = plan.amiType;
    this.releaseVersion = props.releaseVersion;
    this.accelerator = plan.accelerator;
    this.labels = plan.labels;
    this.taints = plan.taints;
    this.role = props.role ?? new NodeRole(this, "NodeRole", { tags: props.tags });
    this.roleArn = this.role.roleArn;
    allowAutoScalingEbs(props.volumeKey);
    allowMalwareScanning(props.volumeKey, AwsContext.of(this));

    const groups = [...(props.securityGroupIds ?? [])];
    let placementGroup: PlacementGroup | undefined;
    const reserved = Boolean(plan.capacity.reservationId || plan.capacity.reservationResourceGroupArn);
    if (props.efa) {
      // Reservations carry their own placement (Capacity Blocks sit in a cluster placement already);
      // a placement group the reservation was not made in would leave its capacity unused.
      if (!reserved) {
        placementGroup = new PlacementGroup(this, "PlacementGroup", {
          name: `${props.cluster.clusterName}-${name}`,
          strategy: "cluster",
          tags: props.tags,
        });
        this.placementGroupName = placementGroup.name;
      }
      this.efaSecurityGroupId = this.efaSecurityGroup(props.cluster.network.vpcId, props.tags);
      groups.push(this.efaSecurityGroupId);
    }

    const template = new LaunchTemplate(this, "LaunchTemplate", {
      namePrefix: `${name}-`,
      description: `Nodes of the ${name} pool`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      monitoring: { enabled: true },
      blockDeviceMappings: volumes(plan.amiType, plan.diskSizeGiB, props.volumeKey.keyArn),
      // An EFA interface carries the security groups itself; EC2 refuses them in both places.
      // One EFA interface on network card 0: p5.48xlarge and similar have up to 32 cards and
      // reach full bandwidth only with an EFA interface on each, which this pool does not declare yet.
      vpcSecurityGroupIds: props.efa || groups.length === 0 ? undefined : groups,
      networkInterfaces: props.efa
        ? [
            {
              deviceIndex: 0,
              networkCardIndex: 0,
              interfaceType: "efa",
              associatePublicIpAddress: "false",
              deleteOnTermination: "true",
              securityGroups: groups,
            },
          ]
        : undefined,
      placement: placementGroup ? { groupName: placementGroup.name } : undefined,
      cpuOptions: plan.confidential === "sev-snp" ? { amdSevSnp: "enabled" } : undefined,
      enclaveOptions: plan.confidential === "nitro-enclaves" ? { enabled: true } : undefined,
      userData:
        plan.confidential === "nitro-enclaves"
          ? enclaveUserData(plan.enclaveMemoryMiB, plan.enclaveCpuCount)
          : plan.amiType.startsWith("BOTTLEROCKET")
            ? bottlerocketUserData(plan.amiType.endsWith("_NVIDIA"), plan.gpuSharing)
            : plan.accelerator === "nvidia"
              ? al2023NvidiaUserData()
              : undefined,
      instanceMarketOptions: plan.capacity.type === "CAPACITY_BLOCK" ? { marketType: "capacity-block" } : undefined,
      capacityReservationSpecification: reserved
        ? {
            capacityReservationTarget: {
              capacityReservationId: plan.capacity.reservationId,
              capacityReservationResourceGroupArn: plan.capacity.reservationResourceGroupArn,
            },
          }
        : undefined,
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
        resourceType,
        tags: { ...props.tags, Name: `${props.cluster.clusterName}-${name}`, "saip.io/node-pool": name },
      })),
      tags: props.tags,
    });
    this.launchTemplateId = template.id;

    const group = (this.nodeGroup = new EksNodeGroup(this, "Resource", {
      clusterName: props.cluster.clusterName,
      nodeGroupName: name,
      nodeRoleArn: this.role.roleArn,
      // EFA needs every node in one cluster placement group, which lives in one zone.
      subnetIds: props.efa ? [plan.subnetIds[0]] : plan.subnetIds,
      version: plan.kubernetesVersion,
      amiType: plan.amiType,
      // Pinned: EKS moves nodes to another image only when this changes (README, "Node images").
      releaseVersion: props.releaseVersion,
      capacityType: plan.capacity.type,
      instanceTypes: props.instanceTypes,
      scalingConfig: { minSize: plan.scaling.min, desiredSize: plan.scaling.desired, maxSize: plan.scaling.max },
      updateConfig: { maxUnavailablePercentage: 33 },
      labels: { ...plan.labels },
      taint: plan.taints.length > 0 ? plan.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) : undefined,
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      nodeRepairConfig: { enabled: true },
      tags: props.tags,
      // Nodes join only once the role carries its policies.
      dependsOn: this.role.attachments,
      // desired is where a pool starts: once an operator or an autoscaler scales it, the next apply must not scale
      // it back (and terminate running nodes); min and max stay Terraform's.
      lifecycle: { ignoreChanges: ["scaling_config[0].desired_size"] },
    }));
    this.nodeGroupName = group.nodeGroupName;
    this.nodeGroupArn = group.arn;
  }

  /** EFA (and NCCL over it) needs all traffic between the nodes, and nothing else: the group admits only itself. */
  private efaSecurityGroup(vpcId: string, tags?: Record<string, string>): string {
    const scope = new Construct(this, "EfaSecurityGroup");
    const group = new SecurityGroup(scope, "Resource", {
      vpcId,
      namePrefix: "saip-efa-",
      description: "EFA: all traffic between the pool's nodes only",
      revokeRulesOnDelete: true,
      tags,
    });
    const self = { securityGroupId: group.id, ipProtocol: "-1", referencedSecurityGroupId: group.id, tags };
    new VpcSecurityGroupIngressRule(scope, "IngressFromSelf", { ...self, description: "EFA from the pool's nodes" });
    new VpcSecurityGroupEgressRule(scope, "EgressToSelf", { ...self, description: "EFA to the pool's nodes" });
    return group.id;
  }
}

/**
 * AL2023 boots from /dev/xvda. Bottlerocket keeps its OS on /dev/xvda (left
 * at the AMI's size, so it never falls below the snapshot) and containers and
 * images on /dev/xvdb; both are declared so neither falls back to the AMI's
 * default encryption.
 */
function volumes(ami: AmiType, sizeGiB: number, keyArn: string): LaunchTemplateBlockDeviceMappings[] {
  const ebs = (volumeSize?: number) => ({
    encrypted: "true",
    kmsKeyId: keyArn,
    volumeType: "gp3",
    volumeSize,
    deleteOnTermination: "true",
  });
  if (!ami.startsWith("BOTTLEROCKET")) return [{ deviceName: "/dev/xvda", ebs: ebs(sizeGiB) }];
  return [
    { deviceName: "/dev/xvda", ebs: ebs() },
    { deviceName: "/dev/xvdb", ebs: ebs(sizeGiB) },
  ];
}
