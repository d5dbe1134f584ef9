import { DataAwsRouteTable } from "@cdktf/provider-aws/lib/data-aws-route-table";
import { DataAwsRouteTables } from "@cdktf/provider-aws/lib/data-aws-route-tables";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { DataAwsVpcEndpoint } from "@cdktf/provider-aws/lib/data-aws-vpc-endpoint";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { recordAssumption } from "../../lib/compliance/construct-assumptions";
import {
  ENDPOINT_AVAILABLE_CONDITION,
  ENDPOINT_PRIVATE_DNS_CONDITION,
  LIVE_ENDPOINT_STATES,
  PRIVATE_SUBNET_CONDITION,
} from "../../lib/rules/aws/network/landing-zone-reads";
import { AwsContext } from "./aws-context";
import { NetworkEgress } from "./choices";
import { formatCidr, Ipv4Cidr, parseCidr } from "./cidr";
import { pascalCase } from "../../lib/naming";

/**
 * Where the platform's cluster, file system and load balancer live: the
 * platform's own `PrivateNetwork`, or a landing zone's VPC
 * (`PrivateNetwork.fromVpcAttributes`).
 */
export interface IPrivateNetwork {
  readonly vpcId: string;
  /** The VPC's IPv4 range, known at synth: the cluster admits its API from it. */
  readonly vpcCidr: string;
  /** Private subnets for the nodes, one per Availability Zone. */
  readonly privateSubnetIds: string[];
  /** Private subnets for internal load balancers alone; empty without them. */
  readonly loadBalancerSubnetIds: string[];
  /** Their ranges, known at synth: the serving pods' network policy admits them. */
  readonly loadBalancerSubnetCidrs: string[];
  /** The security group of the interface endpoints. */
  readonly endpointSecurityGroupId: string;
  /** The endpoints the VPC has, by service ("ecr.api", "sts", ... and the "s3" gateway). */
  readonly endpointServices: readonly string[];
  /** True for a VPC brought in by id: its flow logs, routing and endpoints are assumed, not checked. */
  readonly imported: boolean;
}

/** What identifies a landing zone's VPC and what it already has. */
export interface VpcAttributes {
  readonly vpcId: string;
  readonly vpcCidr: string;
  /**
   * The zones the subnets lie in, in their order: privateSubnetIds[i] (and loadBalancerSubnets[i]) in
   * availabilityZones[i]. The plan proves it: EFS takes one mount target per zone and a load balancer one subnet
   * per zone, so two subnets in one zone would fail the apply half-way.
   */
  readonly availabilityZones: string[];
  /** At least two private subnets inside vpcCidr, one per zone of availabilityZones, in its order. */
  readonly privateSubnetIds: string[];
  /**
   * Private subnets for internal load balancers, and their ranges inside vpcCidr: one per zone of
   * availabilityZones, in its order. @default - none (no inference entry)
   */
  readonly loadBalancerSubnets?: ReadonlyArray<{ readonly subnetId: string; readonly cidr: string }>;
  readonly endpointSecurityGroupId: string;
  /** The VPC's endpoints, by service name ("ecr.api", "s3", ...). */
  readonly endpointServices: string[];
  /**
   * The endpoint to use for a service, by id (`{ s3: "vpce-..." }`), where the VPC has more than one live endpoint
   * of that service and type (two S3 gateways for different route tables): a lookup by service alone would match
   * both and fail the plan. @default - each service's one live endpoint of its type
   */
  readonly endpointIds?: Readonly<Record<string, string>>;
  /**
   * How the private subnets reach the internet. With "none" every endpoint the
   * nodes need must be listed: without egress, a node that cannot reach EC2,
   * ECR, STS or S3 through an endpoint never joins. @default "none"
   */
  readonly egress?: NetworkEgress;
}

const ID = { vpc: /^vpc-[0-9a-f]{8,17}$/, subnet: /^subnet-[0-9a-f]{8,17}$/, sg: /^sg-[0-9a-f]{8,17}$/, endpoint: /^vpce-[0-9a-f]{8,17}$/ };
const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;
const ZONE = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;

/** Whether every address of `inner` lies in `outer`. */
function within(inner: Ipv4Cidr, outer: Ipv4Cidr): boolean {
  const size = 2 ** (32 - outer.prefixLength);
  return inner.prefixLength >= outer.prefixLength && Math.floor(inner.network / size) * size === outer.network;
}

/**
 * The condition a subnet's range lies inside `vpcCidr`: its prefix is at least as long, and its network address
 * cut to the VPC's prefix is the VPC's. Terraform has no cidrcontains (1.11.4 says "There is no function named
 * cidrcontains"; OpenTofu has one), so it is cidrhost arithmetic: cidrhost(prefix, 0) is the prefix's network
 * address, host bits cleared. With the VPC's primary range pinned by the VPC read, a subnet of a secondary range
 * (100.64.0.0/16, say) fails it: the cluster's API admits network.cidr alone, and the endpoints are assumed to.
 */
function rangeWithinCondition(vpcCidr: Ipv4Cidr): string {
  const base = formatCidr(vpcCidr).split("/")[0];
  return `tonumber(split("/", self.cidr_block)[1]) >= ${vpcCidr.prefixLength} && cidrhost(format("%s/${vpcCidr.prefixLength}", cidrhost(self.cidr_block, 0)), 0) == "${base}"`;
}

/** What a subnet read holds the subnet to. */
interface SubnetExpectation {
  readonly subnetId: string;
  readonly vpcId: string;
  readonly zone: string;
  /** What runs in it, for the messages. */
  readonly role: "nodes" | "load balancer";
  /** The range it must have (a load balancer subnet's, which the serving pods' network policy admits). */
  readonly cidr?: string;
  /** The range it must lie inside, where its own is not given. */
  readonly vpcCidr: Ipv4Cidr;
}

/**
 * Reads a landing zone's subnet and fails the plan unless it is in the VPC, maps no public IPs (so node groups
 * launched into it get none: a fact the check cannot see in the landing zone's own code, made true at plan instead
 * of assumed), lies in the zone it was given (data aws_subnet exports availability_zone) and inside the VPC's
 * range. The identity running the plan needs ec2:DescribeSubnets.
 */
function subnetGate(scope: Construct, id: string, expected: SubnetExpectation): DataAwsSubnet {
  const { subnetId, vpcId, zone, cidr } = expected;
  const noPublicIps =
    expected.role === "nodes"
      ? `Subnet ${subnetId} maps public IPs on launch; nodes of the platform must have none. Use private subnets.`
      : `Subnet ${subnetId} maps public IPs on launch; the internal load balancer's subnets must map no public IPs. Use private subnets.`;
  return new DataAwsSubnet(scope, id, {
    id: subnetId,
    lifecycle: {
      postcondition: [
        { condition: `\${${PRIVATE_SUBNET_CONDITION}}`, errorMessage: noPublicIps },
        { condition: `\${self.vpc_id == "${vpcId}"}`, errorMessage: `Subnet ${subnetId} is not in ${vpcId}.` },
        {
          condition: `\${self.availability_zone == "${zone}"}`,
          errorMessage: `Subnet ${subnetId} is in \${self.availability_zone}, not ${zone}: give one subnet per zone, in availabilityZones order.`,
        },
        // A load balancer subnet's range is what the serving pods' network policy admits: the given one must be its own.
        cidr
          ? {
              condition: `\${self.cidr_block == "${cidr}"}`,
              errorMessage: `Subnet ${subnetId} does not have the range ${cidr} it was given.`,
            }
          : {
              condition: `\${${rangeWithinCondition(expected.vpcCidr)}}`,
              errorMessage: `Subnet ${subnetId}'s range \${self.cidr_block} is not inside the VPC's primary range (network.cidr), which the cluster's API admits.`,
            },
      ],
    },
  });
}

/**
 * Reads the landing zone's VPC and fails the plan unless its range is the one the platform was given (the
 * cluster admits its API from it, and the config's checks of the service range were made against it) and it
 * resolves DNS with hostnames, which EKS needs of a private cluster's VPC and interface endpoints need for private
 * DNS (EKS user guide, "Cluster VPC requirements"). The identity running the plan needs ec2:DescribeVpcs.
 */
function vpcGate(scope: Construct, vpcId: string, vpcCidr: string): DataAwsVpc {
  return new DataAwsVpc(scope, "Vpc", {
    id: vpcId,
    lifecycle: {
      postcondition: [
        {
          condition: `\${self.cidr_block == "${vpcCidr}"}`,
          errorMessage: `${vpcId}'s primary range is not ${vpcCidr}, the range the platform was given (network.cidr).`,
        },
        {
          condition: "${self.enable_dns_support && self.enable_dns_hostnames}",
          errorMessage: `${vpcId} has DNS resolution or DNS hostnames off; EKS nodes and the endpoints' private DNS need both.`,
        },
      ],
    },
  });
}

/**
 * Reads one of a landing zone's endpoints and fails the plan unless it is
 * available and, for an interface endpoint, has private DNS (only then do the
 * service's own names, which nodes and agents call, reach it) and carries the
 * named endpoint security group; the S3 gateway must route every private
 * subnet. The data source itself fails the plan when the VPC has no such
 * endpoint. The identity running the plan needs ec2:DescribeVpcEndpoints and
 * ec2:DescribeRouteTables.
 */
function endpointGate(
  scope: Construct,
  id: string,
  attributes: VpcAttributes,
  service: string,
  routeTableIds: string[],
): DataAwsVpcEndpoint {
  const gateway = service === "s3";
  const { vpcId, endpointSecurityGroupId } = attributes;
  const endpointId = attributes.endpointIds?.[service];
  const kind = gateway ? `${service} gateway endpoint` : `${service} endpoint`;
  const which = endpointId ? `The ${kind} ${endpointId}` : `The ${kind}`;
  const notAvailable = `${which} of ${vpcId} is not available (pending, or pending acceptance): nodes cannot reach ${service} through it until it is.`;
  return new DataAwsVpcEndpoint(scope, id, {
    // DescribeVpcEndpoints takes the id beside the filters, so an id names one endpoint and the filters still pin
    // it to this VPC and service (provider vpc_endpoint_data_source.go); the rules find the read by both.
    id: endpointId,
    vpcId,
    serviceName: `com.amazonaws.${AwsContext.of(scope).region}.${service}`,
    // Only live endpoints of the one type: S3 may have an interface endpoint beside its gateway, and a deleted or
    // rejected endpoint of the service would make the lookup match two. A pending one is found, and the
    // postcondition says so; two live ones of a type need endpointIds, since no filter tells them apart.
    filter: [
      { name: "vpc-endpoint-type", values: [gateway ? "Gateway" : "Interface"] },
      { name: "vpc-endpoint-state", values: [...LIVE_ENDPOINT_STATES] },
    ],
    lifecycle: {
      postcondition: gateway
        ? [
            { condition: `\${${ENDPOINT_AVAILABLE_CONDITION}}`, errorMessage: notAvailable },
            {
              condition: `\${${routeTableIds.map((t) => `contains(self.route_table_ids, ${t})`).join(" && ")}}`,
              errorMessage: `The s3 gateway endpoint of ${vpcId} does not route every private subnet, so nodes there cannot pull image layers.`,
            },
          ]
        : [
            { condition: `\${${ENDPOINT_AVAILABLE_CONDITION}}`, errorMessage: notAvailable },
            {
              condition: `\${${ENDPOINT_PRIVATE_DNS_CONDITION}}`,
              errorMessage: `The ${service} endpoint of ${vpcId} has private DNS off, so ${service}'s own names do not reach it.`,
            },
            {
              condition: `\${contains(self.security_group_ids, "${endpointSecurityGroupId}")}`,
              errorMessage: `The ${service} endpoint of ${vpcId} does not carry ${endpointSecurityGroupId}, the endpoint security group the platform was given.`,
            },
          ],
    },
  });
}

/**
 * What the platform needs of a landing zone's endpoint policies, which the plan does not read: the statements the
 * platform's own endpoints carry (PrivateNetwork's S3Endpoint and the sts endpoint's WebIdentityIntoAccountRoles),
 * for the services the VPC lists. Each reaches past this account or carries no principal account.
 */
function endpointPolicyNeeds(services: readonly string[]): string[] {
  const needs: string[] = [];
  if (services.includes("s3"))
    needs.push(
      "the s3 gateway endpoint's policy allows s3:GetObject on arn:aws:s3:::prod-<region>-starport-layer-bucket/* (ECR's image layers) and arn:aws:s3:::al2023-repos-<region>-de612dc2/* (Amazon Linux 2023 packages), AWS-owned buckets, besides this account's own buckets",
    );
  if (services.includes("sts"))
    needs.push(
      "the sts endpoint's policy allows sts:AssumeRoleWithWebIdentity into this account's roles (IRSA), a call that carries no principal account",
    );
  if (services.includes("ecr.api") || services.includes("ecr.dkr"))
    needs.push(
      "the ecr.api and ecr.dkr endpoints' policies allow pulls from the EKS add-on registries' accounts (602401143452 and others by Region), besides this account's repositories",
    );
  return needs;
}

/**
 * Checks a landing zone's VPC attributes and returns the network, recording what the check cannot see. The
 * identity running the plan needs ec2:DescribeVpcs and ec2:DescribeVpcAttribute (the VPC read asks for its DNS
 * attributes), ec2:DescribeSubnets, ec2:DescribeRouteTables, and ec2:DescribeVpcEndpoints with
 * ec2:DescribePrefixLists (the provider's endpoint read looks up the service's prefix list, and fails on
 * AccessDenied): provider source, vpc_data_source.go and vpc_endpoint_data_source.go.
 */
export function importNetwork(scope: Construct, id: string, attributes: VpcAttributes, required: readonly string[]): IPrivateNetwork {
  const path = `${scope.node.path}/${id}`;
  const literal = (value: string, pattern: RegExp, field: string, what: string) => {
    if (Token.isUnresolved(value) || !pattern.test(value))
      throw new Error(`${path}: ${field} must be ${what} known at synth, got '${value}'.`);
  };
  literal(attributes.vpcId, ID.vpc, "vpcId", "a VPC id (vpc-...)");
  literal(attributes.vpcCidr, CIDR, "vpcCidr", "the VPC's IPv4 CIDR");
  literal(attributes.endpointSecurityGroupId, ID.sg, "endpointSecurityGroupId", "a security group id (sg-...)");
  const range = (value: string, field: string) => {
    try {
      return parseCidr(value);
    } catch (e) {
      throw new Error(`${path}: ${field}: ${(e as Error).message}`, { cause: e });
    }
  };
  const vpcRange = range(attributes.vpcCidr, "vpcCidr");
  if (attributes.privateSubnetIds.length < 2)
    throw new Error(
      `${path}: privateSubnetIds must name at least two private subnets in distinct zones, got [${attributes.privateSubnetIds.join(", ")}].`,
    );
  attributes.privateSubnetIds.forEach((s, i) => literal(s, ID.subnet, `privateSubnetIds[${i}]`, "a subnet id (subnet-...)"));
  const zones = attributes.availabilityZones;
  zones.forEach((z, i) => literal(z, ZONE, `availabilityZones[${i}]`, "an Availability Zone (eu-west-1a)"));
  if (new Set(zones).size !== zones.length)
    throw new Error(`${path}: availabilityZones must not list a zone twice, got [${zones.join(", ")}].`);
  const onePerZone = (field: string, count: number) => {
    if (count !== zones.length)
      throw new Error(
        `${path}: ${field} names ${count} subnets for ${zones.length} zones (availabilityZones [${zones.join(", ")}]); give one subnet per zone, in availabilityZones order.`,
      );
  };
  onePerZone("privateSubnetIds", attributes.privateSubnetIds.length);
  const loadBalancers = attributes.loadBalancerSubnets ?? [];
  loadBalancers.forEach((s, i) => {
    literal(s.subnetId, ID.subnet, `loadBalancerSubnets[${i}].subnetId`, "a subnet id (subnet-...)");
    literal(s.cidr, CIDR, `loadBalancerSubnets[${i}].cidr`, "the subnet's IPv4 CIDR");
    // Its range is what the serving pods admit, and must be the VPC's, like the nodes'.
    if (!within(range(s.cidr, `loadBalancerSubnets[${i}].cidr`), vpcRange))
      throw new Error(`${path}: loadBalancerSubnets[${i}].cidr ${s.cidr} is not inside vpcCidr ${attributes.vpcCidr}.`);
  });
  if (loadBalancers.length > 0) onePerZone("loadBalancerSubnets", loadBalancers.length);
  for (const [service, endpointId] of Object.entries(attributes.endpointIds ?? {})) {
    literal(endpointId, ID.endpoint, `endpointIds.${service}`, "an endpoint id (vpce-...)");
    if (!attributes.endpointServices.includes(service))
      throw new Error(`${path}: endpointIds.${service} names a service endpointServices does not list.`);
  }
  const egress = attributes.egress ?? "none";
  const missing = egress === "none" ? required.filter((service) => !attributes.endpointServices.includes(service)) : [];
  if (missing.length > 0) {
    throw new Error(
      `${path}: endpointServices lacks ${missing.join(", ")}: with egress "none" the nodes reach AWS only through endpoints, so without these they cannot join the cluster or pull images.`,
    );
  }
  const construct = new Construct(scope, id);
  vpcGate(construct, attributes.vpcId, attributes.vpcCidr);
  const privateSubnets = attributes.privateSubnetIds.map((subnetId, i) =>
    subnetGate(construct, `PrivateSubnet${i + 1}`, { subnetId, vpcId: attributes.vpcId, zone: zones[i], role: "nodes", vpcCidr: vpcRange }),
  );
  // Without egress the endpoints are the nodes' only way out: the plan proves each one the nodes need is there.
  if (egress === "none") {
    // A subnet with no explicit association uses the VPC's main table, which a lookup by subnet_id does not find (and
    // fails the plan on): each subnet's table is its explicit one, read as a list that may be empty, or else the main one.
    const main = new DataAwsRouteTable(construct, "MainRouteTable", {
      vpcId: attributes.vpcId,
      filter: [{ name: "association.main", values: ["true"] }],
    });
    const routeTables = privateSubnets.map((subnet, i) => {
      const explicit = new DataAwsRouteTables(construct, `PrivateRouteTables${i + 1}`, {
        vpcId: attributes.vpcId,
        filter: [{ name: "association.subnet-id", values: [subnet.id] }],
      });
      return `(length(${explicit.fqn}.ids) > 0 ? ${explicit.fqn}.ids[0] : ${main.routeTableId})`;
    });
    for (const service of required) {
      endpointGate(construct, `${pascalCase(service)}Endpoint`, attributes, service, routeTables);
    }
  }
  recordAssumption(
    construct,
    `existing VPC ${attributes.vpcId}`,
    `flow logs of all traffic, private subnets (the plan checks they map no public IPs) with no route to an internet gateway${egress === "nat" ? " except through NAT" : ""}, a closed default security group, and endpoints for ${attributes.endpointServices.join(", ")} with private DNS, admitting the VPC on 443`,
  );
  const policyNeeds = endpointPolicyNeeds(attributes.endpointServices);
  if (policyNeeds.length > 0)
    recordAssumption(
      construct,
      `endpoint policies of VPC ${attributes.vpcId}`,
      `${policyNeeds.join("; ")}. A policy of the organization's principals or resources only (aws:PrincipalOrgID, aws:ResourceOrgID) blocks these: nodes then pull no images and pods get no credentials, with nothing failing at plan`,
    );
  return {
    vpcId: attributes.vpcId,
    vpcCidr: attributes.vpcCidr,
    privateSubnetIds: privateSubnets.map((subnet) => subnet.id),
    // Read like the node subnets, and checked to have the ranges given, which the network policy admits.
    loadBalancerSubnetIds: loadBalancers.map(
      (s, i) =>
        subnetGate(construct, `LoadBalancerSubnet${i + 1}`, {
          subnetId: s.subnetId,
          vpcId: attributes.vpcId,
          zone: zones[i],
          role: "load balancer",
          cidr: s.cidr,
          vpcCidr: vpcRange,
        }).id,
    ),
    loadBalancerSubnetCidrs: loadBalancers.map((s) => s.cidr),
    endpointSecurityGroupId: attributes.endpointSecurityGroupId,
    endpointServices: [...attributes.endpointServices],
    imported: true,
  };
}
