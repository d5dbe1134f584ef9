import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { POLICY_ENDPOINT_SERVICES } from "../../lib/rules/aws/network/vpc-interface-endpoint-policy";
import { AwsContext } from "./aws-context";
import { NetworkEgress } from "./choices";
import { parseCidr, splitCidr, subnetCapacity } from "./cidr";
import { EncryptedLogGroup } from "./encrypted-log-group";
import { importNetwork, IPrivateNetwork, VpcAttributes } from "./imported-network";

export type { IPrivateNetwork, VpcAttributes } from "./imported-network";
import { PlatformKey } from "./platform-key";
import { PolicyDocument, PolicyStatement } from "./policy-document";

/** The smallest subnet AWS allows; also the size of the NAT-only public subnets. */
const SMALLEST_SUBNET = 28;
/** An Application Load Balancer's subnets need a /27 at least (Elastic Load Balancing guide, "Subnets for your load balancer"). */
const LOAD_BALANCER_SUBNET = 27;

/**
 * Interface endpoints a private EKS platform needs, and whether the service
 * takes a VPC endpoint policy (POLICY_ENDPOINT_SERVICES, which the rule
 * aws-vpc-interface-endpoint-policy shares). The others keep the default
 * policy; the security group still confines them.
 */
export const INTERFACE_ENDPOINTS: ReadonlyArray<{ service: string; id: string; policy: boolean }> = (
  [
    { service: "ecr.api", id: "EcrApiEndpoint" },
    { service: "ecr.dkr", id: "EcrDockerEndpoint" },
    { service: "sts", id: "StsEndpoint" },
    { service: "kms", id: "KmsEndpoint" },
    { service: "logs", id: "LogsEndpoint" },
    { service: "ec2", id: "Ec2Endpoint" },
    { service: "eks", id: "EksEndpoint" },
    { service: "eks-auth", id: "EksAuthEndpoint" },
    { service: "ssm", id: "SsmEndpoint" },
    { service: "ssmmessages", id: "SsmMessagesEndpoint" },
    { service: "ec2messages", id: "Ec2MessagesEndpoint" },
    { service: "elasticloadbalancing", id: "ElasticLoadBalancingEndpoint" },
    { service: "autoscaling", id: "AutoScalingEndpoint" },
  ] as const
).map((e) => ({ ...e, policy: POLICY_ENDPOINT_SERVICES.has(e.service) }));

export interface PrivateNetworkProps {
  /** IPv4 range of the VPC, /16 to /28, e.g. "10.0.0.0/16". */
  readonly cidr: string;
  /** Availability zones to spread subnets over; at least two distinct zones. */
  readonly availabilityZones: string[];
  /** Key that encrypts the flow logs. */
  readonly logsKey: PlatformKey;
  /**
   * How workloads reach the internet. "none" keeps the VPC closed (AWS APIs through
   * endpoints only); "nat" adds one NAT gateway per zone in small public subnets that
   * hold nothing else. @default "none"
   */
  readonly egress?: NetworkEgress;
  /** Prefix length of each private subnet. @default - four bits longer than the VPC's (a /20 in a /16), at most /28 */
  readonly subnetPrefixLength?: number;
  /** Days flow logs are kept; at least 365. @default 365 */
  readonly flowLogRetentionInDays?: number;
  /** Name of the flow log group. @default `/saip/vpc-flow-logs/<construct path>` */
  readonly flowLogGroupName?: string;
  /**
   * Adds private subnets for internal load balancers only, one per zone, routed like the private subnets:
   * nothing else runs in them, so a network policy admitting their ranges admits the load balancer, not the
   * nodes (whose host processes share the node subnets). Each gets a /27 at least (ALB's minimum).
   * @default false
   */
  readonly loadBalancerSubnets?: boolean;
  /** Tags for every resource. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * A VPC with private subnets only (plus NAT-only public subnets when egress is
 * "nat"), endpoints for the AWS APIs a cluster needs, a closed default security
 * group and flow logs of all traffic to an encrypted log group.
 */
export class PrivateNetwork extends Construct implements IPrivateNetwork {
  /**
   * A landing zone's VPC, by id, with its private subnets and endpoints: the
   * platform builds into it instead of making its own. With no egress, it
   * refuses a VPC that lacks an endpoint the nodes need; its flow logs,
   * routing and endpoints are reported as assumed, not checked.
   */
  static fromVpcAttributes(scope: Construct, id: string, attributes: VpcAttributes): IPrivateNetwork {
    return importNetwork(scope, id, attributes, [...INTERFACE_ENDPOINTS.map((e) => e.service), "s3"]);
  }

  readonly imported = false;
  /** Every interface endpoint of INTERFACE_ENDPOINTS, and the S3 gateway. */
  readonly endpointServices: readonly string[] = [...INTERFACE_ENDPOINTS.map((e) => e.service), "s3"];
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly availabilityZones: string[];
  readonly privateSubnetIds: string[];
  /** The private subnets' ranges, known at synth: where nodes, pods and the internal load balancer live. */
  readonly privateSubnetCidrs: string[];
  readonly privateRouteTableIds: string[];
  /** Subnets for internal load balancers alone (loadBalancerSubnets); empty without them. */
  readonly loadBalancerSubnetIds: string[] = [];
  /** Their ranges, known at synth. */
  readonly loadBalancerSubnetCidrs: string[] = [];
  readonly endpointSecurityGroupId: string;
  readonly flowLogGroup: EncryptedLogGroup;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    const egress = props.egress ?? "none";
    const zones = props.availabilityZones;
    if (zones.length < 2 || new Set(zones).size !== zones.length) {
      throw new Error(`${this.node.path}: availabilityZones must name at least two distinct zones, got [${zones.join(", ")}].`);
    }
    const layout = this.planSubnets(props.cidr, zones.length, egress, props.subnetPrefixLength, props.loadBalancerSubnets ?? false);
    const context = AwsContext.of(this);
    const tags = props.tags;

    const vpc = new Vpc(this, "Resource", { cidrBlock: props.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags });
    this.vpcId = vpc.id;
    this.vpcCidr = props.cidr;
    this.availabilityZones = zones;
    // Strip the default group so nothing can fall back on its allow-all rules.
    new DefaultSecurityGroup(this, "DefaultSecurityGroup", { vpcId: vpc.id, ingress: [], egress: [], tags });

    const privateSubnets = zones.map(
      (zone, i) =>
        new Subnet(this, `PrivateSubnet${i + 1}`, {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: layout.private[i],
          mapPublicIpOnLaunch: false,
          tags,
        }),
    );
    const routeTables = privateSubnets.map((subnet, i) => {
      const table = new RouteTable(this, `PrivateRouteTable${i + 1}`, { vpcId: vpc.id, tags });
      new RouteTableAssociation(this, `PrivateRouteTableAssociation${i + 1}`, { subnetId: subnet.id, routeTableId: table.id });
      return table;
    });
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.privateSubnetCidrs = [...layout.private];
    this.privateRouteTableIds = routeTables.map((t) => t.id);
    layout.loadBalancers.forEach((range, i) => {
      const subnet = new Subnet(this, `LoadBalancerSubnet${i + 1}`, {
        vpcId: vpc.id,
        availabilityZone: zones[i],
        cidrBlock: range,
        mapPublicIpOnLaunch: false,
        tags,
      });
      new RouteTableAssociation(this, `LoadBalancerRouteTableAssociation${i + 1}`, {
        subnetId: subnet.id,
        routeTableId: routeTables[i].id,
      });
      this.loadBalancerSubnetIds.push(subnet.id);
      this.loadBalancerSubnetCidrs.push(range);
    });

    if (egress === "nat") {
      const gateway = new InternetGateway(this, "InternetGateway", { vpcId: vpc.id, tags });
      const publicTable = new RouteTable(this, "PublicRouteTable", { vpcId: vpc.id, tags });
      new Route(this, "PublicInternetRoute", { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: gateway.id });
      zones.forEach((zone, i) => {
        // Public subnets exist only to hold the NAT gateways; nothing launched there gets a public IP.
        const subnet = new Subnet(this, `PublicSubnet${i + 1}`, {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: layout.public[i],
          mapPublicIpOnLaunch: false,
          tags,
        });
        new RouteTableAssociation(this, `PublicRouteTableAssociation${i + 1}`, { subnetId: subnet.id, routeTableId: publicTable.id });
        const eip = new Eip(this, `NatEip${i + 1}`, { domain: "vpc", tags, dependsOn: [gateway] });
        const nat = new NatGateway(this, `NatGateway${i + 1}`, {
          allocationId: eip.allocationId,
          subnetId: subnet.id,
          connectivityType: "public",
          tags,
          dependsOn: [gateway],
        });
        new Route(this, `PrivateNatRoute${i + 1}`, {
          routeTableId: routeTables[i].id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: nat.id,
        });
      });
    }

    const endpointGroup = new SecurityGroup(this, "EndpointSecurityGroup", {
      vpcId: vpc.id,
      description: "Interface endpoints: HTTPS from inside the VPC only",
      tags,
    });
    new VpcSecurityGroupIngressRule(this, "EndpointHttpsFromVpc", {
      securityGroupId: endpointGroup.id,
      description: "HTTPS from the VPC",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.cidr,
      tags,
    });
    this.endpointSecurityGroupId = endpointGroup.id;

    new VpcEndpoint(this, "S3Endpoint", {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${context.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: this.privateRouteTableIds,
      // This account's principals reach this account's buckets only: stolen workload credentials cannot write
      // to a bucket elsewhere. The AWS-owned buckets nodes need without internet are read-only exceptions.
      policy: endpointPolicy(
        context,
        [
          // ECR serves image layers from this AWS-owned bucket through URLs it signs itself.
          {
            Sid: "EcrImageLayers",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: `arn:${context.partition}:s3:::prod-${context.region}-starport-layer-bucket/*`,
          },
          // dnf fetches Amazon Linux 2023 packages unsigned from this regional bucket. The full name, not a
          // wildcard: anyone can create a bucket whose name starts with "al2023-repos-".
          {
            Sid: "AmazonLinux2023Packages",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: `arn:${context.partition}:s3:::al2023-repos-${context.region}-de612dc2/*`,
          },
        ],
        { accountResourcesOnly: true },
      ),
      tags,
    });
    for (const endpoint of INTERFACE_ENDPOINTS) {
      // No aws:ResourceAccount on ecr.api and ecr.dkr, unlike S3: the nodes pull the EKS add-on images
      // (vpc-cni, kube-proxy, CoreDNS, EBS CSI, Pod Identity agent) from AWS's own registry accounts,
      // 602401143452 in most regions and others per region (EKS User Guide, "View Amazon container image
      // registries for Amazon EKS add-ons"), through these same endpoints, so the add-ons would never start.
      // (Pull-through caches would not be hurt: ECR fetches upstream itself, not through the endpoint.)
      // Which account's images run is decided by the admission policy instead, which admits this account only.
      // Federated callers (IRSA's AssumeRoleWithWebIdentity) carry no principal account; limit them to this account's roles.
      const extra: PolicyStatement[] =
        endpoint.service === "sts"
          ? [
              {
                Sid: "WebIdentityIntoAccountRoles",
                Effect: "Allow",
                Principal: "*",
                Action: "sts:AssumeRoleWithWebIdentity",
                Resource: `arn:${context.partition}:iam::${context.accountId}:role/*`,
              },
            ]
          : [];
      new VpcEndpoint(this, endpoint.id, {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${context.region}.${endpoint.service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: this.privateSubnetIds,
        securityGroupIds: [endpointGroup.id],
        policy: endpoint.policy ? endpointPolicy(context, extra) : undefined,
        tags,
      });
    }

    this.flowLogGroup = new EncryptedLogGroup(this, "FlowLogGroup", {
      name: props.flowLogGroupName ?? `/saip/vpc-flow-logs/${this.node.path}`,
      key: props.logsKey,
      retentionInDays: props.flowLogRetentionInDays,
      tags,
    });
    const role = new IamRole(this, "FlowLogRole", {
      description: "Publishes this VPC's flow logs to its log group",
      assumeRolePolicy: new PolicyDocument([
        {
          Effect: "Allow",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": context.accountId },
            ArnLike: { "aws:SourceArn": context.arn("ec2", "vpc-flow-log/*") },
          },
        },
      ]).toJson(),
      tags,
    });
    new IamRolePolicy(this, "FlowLogRolePolicy", {
      role: role.name,
      policy: new PolicyDocument([
        {
          Sid: "WriteFlowLogGroup",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
          Resource: [this.flowLogGroup.logGroupArn, `${this.flowLogGroup.logGroupArn}:*`],
        },
      ]).toJson(),
    });
    new FlowLog(this, "FlowLog", {
      vpcId: vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.flowLogGroup.logGroupArn,
      iamRoleArn: role.arn,
      // One-minute windows so detections see traffic sooner than the ten-minute default.
      maxAggregationInterval: 60,
      tags,
    });
  }

  /** Private subnets from the start of the range; the NAT-only /28s and the load balancer subnets come from the next free blocks. */
  private planSubnets(
    cidr: string,
    zones: number,
    egress: NetworkEgress,
    requested: number | undefined,
    loadBalancers: boolean,
  ): { private: string[]; public: string[]; loadBalancers: string[] } {
    let base: number;
    try {
      base = parseCidr(cidr).prefixLength;
    } catch (e) {
      throw new Error(`${this.node.path}: cidr ${(e as Error).message}`, { cause: e });
    }
    if (base < 16 || base > SMALLEST_SUBNET) {
      throw new Error(`${this.node.path}: cidr must be a /16 to /28 block, got '${cidr}'.`);
    }
    const zoneBits = Math.ceil(Math.log2(zones));
    const publicBits = egress === "nat" ? zoneBits : 0;
    const prefix = requested ?? Math.min(base + 4, SMALLEST_SUBNET - publicBits);
    const extra = (egress === "nat" ? 1 : 0) + (loadBalancers ? 1 : 0);
    const blocksNeeded = zones + extra;
    const lbPrefix = prefix + zoneBits;
    if (
      !Number.isInteger(prefix) ||
      prefix <= base ||
      prefix > SMALLEST_SUBNET - publicBits ||
      subnetCapacity(cidr, prefix) < blocksNeeded ||
      (loadBalancers && lbPrefix > LOAD_BALANCER_SUBNET)
    ) {
      throw new Error(
        `${this.node.path}: subnetPrefixLength ${prefix} does not fit ${zones} private subnets` +
          `${egress === "nat" ? " and a block for the NAT subnets" : ""}${loadBalancers ? ` and a block of /${LOAD_BALANCER_SUBNET} or larger load balancer subnets` : ""} in ${cidr}; choose a whole number above ${base} and at most ${SMALLEST_SUBNET - publicBits} that leaves room.`,
      );
    }
    const blocks = splitCidr(cidr, blocksNeeded, prefix);
    const publicSubnets = egress === "nat" ? splitCidr(blocks[zones], zones, SMALLEST_SUBNET) : [];
    const lbSubnets = loadBalancers ? splitCidr(blocks[zones + (egress === "nat" ? 1 : 0)], zones, lbPrefix) : [];
    return { private: blocks.slice(0, zones), public: publicSubnets, loadBalancers: lbSubnets };
  }
}

/**
 * Only principals of this account may use the endpoint (and, with
 * `accountResourcesOnly`, only on this account's resources), plus the named
 * exceptions. Interface endpoints leave the resource open: ECR serves the EKS
 * add-on images from AWS's own registries.
 */
function endpointPolicy(context: AwsContext, extra: PolicyStatement[], opts: { accountResourcesOnly?: boolean } = {}): string {
  const StringEquals: Record<string, string> = { "aws:PrincipalAccount": context.accountId };
  if (opts.accountResourcesOnly) StringEquals["aws:ResourceAccount"] = context.accountId;
  const Sid = opts.accountResourcesOnly ? "AccountPrincipalsToAccountResources" : "AccountPrincipalsOnly";
  return new PolicyDocument([
    { Sid, Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: { StringEquals } },
    ...extra,
  ]).toJson();
}
