import type { IPlatformCluster } from "../../../constructs/aws/eks-cluster";
import type { IPrivateNetwork } from "../../../constructs/aws/private-network";

/** A network as tests need one, with only what clusters and node pools read of it. */
export function testNetwork(
  privateSubnetIds: string[] = ["subnet-a", "subnet-b"],
  vpcId = "vpc-1",
  vpcCidr = "10.0.0.0/16",
): IPrivateNetwork {
  return {
    vpcId,
    vpcCidr,
    privateSubnetIds,
    loadBalancerSubnetIds: [],
    loadBalancerSubnetCidrs: [],
    endpointSecurityGroupId: "sg-endpoints",
    endpointServices: [],
    imported: false,
  };
}

/** A cluster as node pools see it: a plain IPlatformCluster, so a pool is tested without a control plane. */
export function testCluster(privateSubnetIds?: string[], clusterName = "platform", version = "1.35"): IPlatformCluster {
  return { clusterName, version, network: testNetwork(privateSubnetIds) };
}
