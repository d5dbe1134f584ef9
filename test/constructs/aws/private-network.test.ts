import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { TerraformOutput, Testing } from "cdktf";
import { INTERFACE_ENDPOINTS, PrivateNetwork, PrivateNetworkProps } from "../../../constructs/aws/private-network";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { check } from "../../../lib/compliance/engine";
import { vpcEcrPullPath } from "../../../lib/rules/aws/network/vpc-ecr-pull-path";
import { SecureStack } from "../../../lib/secure-stack";
import { addDocument } from "../../../lib/terraform/load";
import { Json as JsonValue, TfModule } from "../../../lib/terraform/model";
import { overlaps } from "../../../constructs/aws/cidr";

const ADMIN = "arn:aws:iam::111122223333:role/key-admin";
const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const REGION = "${data.aws_region.aws_context_region.region}";
const ACCOUNT = "${data.aws_caller_identity.aws_context_account.account_id}";
const PARTITION = "${data.aws_partition.aws_context_partition.partition}";

type Json = Record<string, Record<string, Record<string, unknown>>>;

function synthNetwork(props: Partial<PrivateNetworkProps> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  const logsKey = new PlatformKey(stack, "LogsKey", { purpose: "logs", administrators: [ADMIN] });
  const network = new PrivateNetwork(stack, "Network", { cidr: "10.0.0.0/16", availabilityZones: ZONES, logsKey, ...props });
  const synth = Testing.synth(stack);
  return { stack, network, synth, json: JSON.parse(synth).resource as Json };
}

function policyOf(resource: Record<string, unknown>): { Statement: Array<Record<string, unknown>> } {
  return JSON.parse(resource.policy as string);
}

describe("PrivateNetwork", () => {
  it("creates a VPC with DNS support and hostnames", () => {
    expect(synthNetwork().synth).toHaveResourceWithProperties(Vpc, {
      cidr_block: "10.0.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
  });

  it("carves one private /20 per zone that never maps public IPs", () => {
    const { json } = synthNetwork();
    const subnets = Object.values(json.aws_subnet);
    expect(subnets.map((s) => [s.availability_zone, s.cidr_block])).toEqual([
      ["eu-west-1a", "10.0.0.0/20"],
      ["eu-west-1b", "10.0.16.0/20"],
      ["eu-west-1c", "10.0.32.0/20"],
    ]);
    subnets.forEach((s) => expect(s.map_public_ip_on_launch).toBe(false));
    expect(Object.keys(json.aws_subnet)).toEqual(["network_private_subnet1", "network_private_subnet2", "network_private_subnet3"]);
  });

  it("gives every private subnet its own route table and no internet path by default", () => {
    const { json } = synthNetwork();
    expect(Object.keys(json.aws_route_table)).toHaveLength(3);
    expect(Object.values(json.aws_route_table_association).map((a) => [a.subnet_id, a.route_table_id])).toEqual(
      [1, 2, 3].map((i) => [`\${aws_subnet.network_private_subnet${i}.id}`, `\${aws_route_table.network_private_route_table${i}.id}`]),
    );
    for (const type of ["aws_internet_gateway", "aws_nat_gateway", "aws_eip", "aws_route"]) expect(json[type]).toBeUndefined();
  });

  it("strips every rule from the default security group", () => {
    const { synth, json } = synthNetwork();
    expect(synth).toHaveResourceWithProperties(DefaultSecurityGroup, { vpc_id: "${aws_vpc.network.id}", ingress: [], egress: [] });
    expect(json.aws_default_security_group.network_default_security_group).toMatchObject({ ingress: [], egress: [] });
  });

  it("admits only HTTPS from the VPC to the endpoints and lets them start nothing", () => {
    const { synth, json } = synthNetwork();
    expect(synth).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      security_group_id: "${aws_security_group.network_endpoint_security_group.id}",
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
      cidr_ipv4: "10.0.0.0/16",
    });
    expect(Object.keys(json.aws_vpc_security_group_ingress_rule)).toHaveLength(1);
    expect(json.aws_vpc_security_group_egress_rule).toBeUndefined();
    const group = json.aws_security_group.network_endpoint_security_group;
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
    expect(synth).toHaveResourceWithProperties(SecurityGroup, { vpc_id: "${aws_vpc.network.id}" });
  });

  it("routes S3 through a gateway endpoint on the private route tables, for this account's principals and buckets", () => {
    const { json } = synthNetwork();
    const s3 = json.aws_vpc_endpoint.network_s3_endpoint;
    expect(s3).toMatchObject({
      service_name: `com.amazonaws.${REGION}.s3`,
      vpc_endpoint_type: "Gateway",
      route_table_ids: [1, 2, 3].map((i) => `\${aws_route_table.network_private_route_table${i}.id}`),
    });
    const statements = policyOf(s3).Statement;
    // Workload credentials cannot write to a bucket in another account through the endpoint.
    expect(statements[0]).toEqual({
      Sid: "AccountPrincipalsToAccountResources",
      Effect: "Allow",
      Principal: "*",
      Action: "*",
      Resource: "*",
      Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT, "aws:ResourceAccount": ACCOUNT } },
    });
    // The only exceptions, read-only on named AWS-owned buckets: ECR's image layers and the Amazon Linux 2023
    // package repository, so private nodes pull images and install packages without internet.
    expect(statements.slice(1)).toEqual([
      {
        Sid: "EcrImageLayers",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: `arn:${PARTITION}:s3:::prod-${REGION}-starport-layer-bucket/*`,
      },
      {
        Sid: "AmazonLinux2023Packages",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: `arn:${PARTITION}:s3:::al2023-repos-${REGION}-de612dc2/*`,
      },
    ]);
    expect(JSON.stringify(statements.slice(1))).not.toMatch(/\*\/\*|-\*/);
  });

  it("creates a private-DNS interface endpoint in the private subnets for every API a cluster needs", () => {
    const { synth, json } = synthNetwork();
    const names = Object.values(json.aws_vpc_endpoint)
      .filter((e) => e.vpc_endpoint_type === "Interface")
      .map((e) => e.service_name);
    const services = [
      "ecr.api",
      "ecr.dkr",
      "sts",
      "kms",
      "logs",
      "ec2",
      "eks",
      "eks-auth",
      "ssm",
      "ssmmessages",
      "ec2messages",
      "elasticloadbalancing",
      "autoscaling",
    ];
    expect(names.sort()).toEqual(services.map((s) => `com.amazonaws.${REGION}.${s}`).sort());
    for (const service of services) {
      expect(synth).toHaveResourceWithProperties(VpcEndpoint, {
        service_name: `com.amazonaws.${REGION}.${service}`,
        private_dns_enabled: true,
        subnet_ids: [1, 2, 3].map((i) => `\${aws_subnet.network_private_subnet${i}.id}`),
        security_group_ids: ["${aws_security_group.network_endpoint_security_group.id}"],
      });
    }
    expect(json.aws_vpc_endpoint.network_ecr_api_endpoint).toBeDefined();
  });

  it("limits endpoints that take policies to this account's principals", () => {
    const { json } = synthNetwork();
    const withPolicy = INTERFACE_ENDPOINTS.filter((e) => e.policy).map((e) => e.service);
    expect(withPolicy).toEqual(expect.arrayContaining(["sts", "kms", "ecr.api", "ecr.dkr", "logs", "ssm", "eks-auth"]));
    // Not confirmed to take a policy; see POLICY_ENDPOINT_SERVICES.
    expect(INTERFACE_ENDPOINTS.filter((e) => !e.policy).map((e) => e.service)).toEqual(["ssmmessages", "ec2messages"]);
    for (const endpoint of Object.values(json.aws_vpc_endpoint).filter((e) => e.vpc_endpoint_type === "Interface")) {
      const service = (endpoint.service_name as string).slice(`com.amazonaws.${REGION}.`.length);
      if (!withPolicy.includes(service)) {
        expect(endpoint.policy).toBeUndefined();
        continue;
      }
      // Resources stay open here: the EKS add-on images come from AWS's own registries.
      expect(policyOf(endpoint).Statement[0]).toEqual({
        Sid: "AccountPrincipalsOnly",
        Effect: "Allow",
        Principal: "*",
        Action: "*",
        Resource: "*",
        Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } },
      });
    }
  });

  it("lets web identities through the STS endpoint only into this account's roles", () => {
    const { json } = synthNetwork();
    expect(policyOf(json.aws_vpc_endpoint.network_sts_endpoint).Statement[1]).toEqual({
      Sid: "WebIdentityIntoAccountRoles",
      Effect: "Allow",
      Principal: "*",
      Action: "sts:AssumeRoleWithWebIdentity",
      Resource: `arn:${PARTITION}:iam::${ACCOUNT}:role/*`,
    });
    expect(policyOf(json.aws_vpc_endpoint.network_kms_endpoint).Statement).toHaveLength(1);
  });

  it("logs all traffic to an encrypted log group kept a year", () => {
    const { synth, json } = synthNetwork();
    expect(synth).toHaveResourceWithProperties(FlowLog, {
      vpc_id: "${aws_vpc.network.id}",
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      log_destination: "${aws_cloudwatch_log_group.network_flow_log_group.arn}",
      iam_role_arn: "${aws_iam_role.network_flow_log_role.arn}",
    });
    expect(json.aws_cloudwatch_log_group.network_flow_log_group).toMatchObject({
      name: "/saip/vpc-flow-logs/test/Network",
      kms_key_id: "${aws_kms_key.logs_key.arn}",
      retention_in_days: 365,
    });
  });

  it("trusts only the flow logs service of this account, and lets it write only to its log group", () => {
    const { json } = synthNetwork();
    const trust = JSON.parse(json.aws_iam_role.network_flow_log_role.assume_role_policy as string);
    expect(trust.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT },
          ArnLike: { "aws:SourceArn": `arn:${PARTITION}:ec2:${REGION}:${ACCOUNT}:vpc-flow-log/*` },
        },
      },
    ]);
    const policy = policyOf(json.aws_iam_role_policy.network_flow_log_role_policy);
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Resource).toEqual([
      "${aws_cloudwatch_log_group.network_flow_log_group.arn}",
      "${aws_cloudwatch_log_group.network_flow_log_group.arn}:*",
    ]);
    expect(policy.Statement[0].Action).not.toContain("logs:CreateLogGroup");
  });

  describe('with egress "nat"', () => {
    it("puts one NAT gateway per zone in /28 public subnets and routes each private table to its zone's NAT", () => {
      const { json } = synthNetwork({ egress: "nat" });
      const publicSubnets = Object.entries(json.aws_subnet)
        .filter(([name]) => name.includes("public"))
        .map(([, s]) => s);
      expect(publicSubnets.map((s) => s.cidr_block)).toEqual(["10.0.48.0/28", "10.0.48.16/28", "10.0.48.32/28"]);
      publicSubnets.forEach((s) => expect(s.map_public_ip_on_launch).toBe(false));
      expect(Object.keys(json.aws_nat_gateway)).toEqual(["network_nat_gateway1", "network_nat_gateway2", "network_nat_gateway3"]);
      expect(json.aws_nat_gateway.network_nat_gateway2).toMatchObject({
        subnet_id: "${aws_subnet.network_public_subnet2.id}",
        allocation_id: "${aws_eip.network_nat_eip2.allocation_id}",
      });
      expect(json.aws_route.network_private_nat_route2).toMatchObject({
        route_table_id: "${aws_route_table.network_private_route_table2.id}",
        destination_cidr_block: "0.0.0.0/0",
        nat_gateway_id: "${aws_nat_gateway.network_nat_gateway2.id}",
      });
      expect(json.aws_route.network_public_internet_route).toMatchObject({
        gateway_id: "${aws_internet_gateway.network_internet_gateway.id}",
      });
      expect(Object.keys(json.aws_internet_gateway)).toHaveLength(1);
    });

    it("keeps endpoints and workloads out of the public subnets", () => {
      const { json } = synthNetwork({ egress: "nat" });
      for (const endpoint of Object.values(json.aws_vpc_endpoint)) {
        expect(JSON.stringify(endpoint.subnet_ids ?? [])).not.toContain("public");
      }
    });
  });

  it("exposes typed outputs", () => {
    const { stack, network } = (() => {
      const s = new SecureStack(Testing.app(), "test");
      const logsKey = new PlatformKey(s, "LogsKey", { purpose: "logs", administrators: [ADMIN] });
      return {
        stack: s,
        network: new PrivateNetwork(s, "Network", { cidr: "10.1.0.0/16", availabilityZones: ZONES.slice(0, 2), logsKey }),
      };
    })();
    new TerraformOutput(stack, "Subnets", { value: network.privateSubnetIds });
    new TerraformOutput(stack, "Tables", { value: network.privateRouteTableIds });
    new TerraformOutput(stack, "Group", { value: network.endpointSecurityGroupId });
    new TerraformOutput(stack, "VpcId", { value: network.vpcId });
    const output = JSON.parse(Testing.synth(stack)).output;
    expect(output.subnets.value).toEqual(["${aws_subnet.network_private_subnet1.id}", "${aws_subnet.network_private_subnet2.id}"]);
    expect(output.tables.value).toEqual([
      "${aws_route_table.network_private_route_table1.id}",
      "${aws_route_table.network_private_route_table2.id}",
    ]);
    expect(output.group.value).toBe("${aws_security_group.network_endpoint_security_group.id}");
    expect(output.vpc_id.value).toBe("${aws_vpc.network.id}");
    expect(network.vpcCidr).toBe("10.1.0.0/16");
  });

  it("sizes subnets to the VPC and honours an explicit prefix", () => {
    const small = synthNetwork({ cidr: "192.168.0.0/24", egress: "nat" }).json.aws_subnet;
    expect(Object.values(small).map((s) => s.cidr_block)).toEqual([
      "192.168.0.0/26",
      "192.168.0.64/26",
      "192.168.0.128/26",
      "192.168.0.192/28",
      "192.168.0.208/28",
      "192.168.0.224/28",
    ]);
    const explicit = synthNetwork({ subnetPrefixLength: 18 }).json.aws_subnet;
    expect(Object.values(explicit).map((s) => s.cidr_block)).toEqual(["10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18"]);
  });

  it.each([
    [{ availabilityZones: ["eu-west-1a"] }, /test\/Network: availabilityZones must name at least two distinct zones, got \[eu-west-1a\]/],
    [
      { availabilityZones: ["eu-west-1a", "eu-west-1a"] },
      /availabilityZones must name at least two distinct zones, got \[eu-west-1a, eu-west-1a\]/,
    ],
    [{ cidr: "10.0.0.0/33" }, /test\/Network: cidr '10.0.0.0\/33' is not an IPv4 CIDR block/],
    [{ cidr: "10.0.0.1/16" }, /test\/Network: cidr '10.0.0.1\/16' has host bits set/],
    [{ cidr: "10.0.0.0/8" }, /test\/Network: cidr must be a \/16 to \/28 block, got '10.0.0.0\/8'/],
    [{ subnetPrefixLength: 17 }, /test\/Network: subnetPrefixLength 17 does not fit 3 private subnets in 10.0.0.0\/16/],
    [{ subnetPrefixLength: 16 }, /subnetPrefixLength 16 does not fit/],
    [{ subnetPrefixLength: 29 }, /subnetPrefixLength 29 does not fit .* at most 28/],
    [
      { subnetPrefixLength: 28, egress: "nat" as const },
      /subnetPrefixLength 28 does not fit 3 private subnets and a block for the NAT subnets .* at most 26/,
    ],
    [
      { subnetPrefixLength: 18, egress: "nat" as const, availabilityZones: [...ZONES, "eu-west-1d"] },
      /subnetPrefixLength 18 does not fit 4 private subnets and a block for the NAT subnets/,
    ],
    [{ flowLogRetentionInDays: 30 }, /test\/Network\/FlowLogGroup: retentionInDays must be one of .* got 30/],
  ])("rejects %p", (props, message) => {
    expect(() => synthNetwork(props)).toThrow(message);
  });
});

describe("PrivateNetwork and image pulls", () => {
  it.each(["none", "nat"] as const)("gives nodes a path to ECR without the internet (egress %s)", (egress) => {
    const { synth } = synthNetwork({ egress });
    const module = new TfModule("test");
    addDocument(module, JSON.parse(synth) as JsonValue, "test.tf.json");
    const findings = check([module], { rules: [vpcEcrPullPath] }).findings;
    expect(findings.map((f) => [f.resource, f.status])).toEqual([["aws_vpc.network", "pass"]]);
    expect(findings[0].message).toMatch(
      /ecr_api_endpoint \(private DNS\), .*ecr_docker_endpoint \(private DNS\), .*s3_endpoint \(its policy allows s3:GetObject on ECR's layer bucket\)$/,
    );
  });
});

describe("PrivateNetwork load balancer subnets", () => {
  it("carves one subnet per zone after the private subnets, each a /27 or larger, on the zone's private route table", () => {
    const { network, json } = synthNetwork({ loadBalancerSubnets: true });
    expect(network.loadBalancerSubnetCidrs).toHaveLength(ZONES.length);
    for (const cidr of network.loadBalancerSubnetCidrs) expect(Number(cidr.split("/")[1])).toBeLessThanOrEqual(27);
    for (const cidr of network.loadBalancerSubnetCidrs)
      for (const node of network.privateSubnetCidrs) expect(overlaps(cidr, node)).toBe(false);
    const subnets = Object.entries(json.aws_subnet).filter(([name]) => name.includes("load_balancer_subnet"));
    expect(subnets.map(([, s]) => [s.availability_zone, s.map_public_ip_on_launch])).toEqual(ZONES.map((z) => [z, false]));
    const associations = Object.entries(json.aws_route_table_association).filter(([name]) => name.includes("load_balancer"));
    expect(associations.map(([, a]) => a.route_table_id)).toEqual(
      ZONES.map((_z, i) => `\${aws_route_table.network_private_route_table${i + 1}.id}`),
    );
  });

  it("makes none by default, and refuses a layout with no room for /27s", () => {
    expect(synthNetwork().network.loadBalancerSubnetIds).toEqual([]);
    expect(() => synthNetwork({ cidr: "10.0.0.0/24", subnetPrefixLength: 27, loadBalancerSubnets: true })).toThrow(
      /does not fit .* and a block of \/27 or larger load balancer subnets/,
    );
  });
});
