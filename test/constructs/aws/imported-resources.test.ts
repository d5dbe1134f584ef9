/**
 * Each interface others reference, with the platform's own implementation
 * and one imported by ARN or name: the same grant call works on both and
 * returns what it made, and what the check cannot see of an import is
 * reported as assumed.
 */
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Testing, Token } from "cdktf";
import { AccessLogBucket, IAccessLogBucket } from "../../../constructs/aws/access-log-bucket";
import { AlertTopic, IAlertTopic } from "../../../constructs/aws/alert-topic";
import { AuditTrail, IAuditTrail } from "../../../constructs/aws/audit-trail";
import { ConfigRecorder } from "../../../constructs/aws/config-recorder";
import { Grant, granteeFromRoleArn } from "../../../constructs/aws/grantee";
import { IPlatformKey, PlatformKey } from "../../../constructs/aws/platform-key";
import { INTERFACE_ENDPOINTS, IPrivateNetwork, PrivateNetwork } from "../../../constructs/aws/private-network";
import { ISecureBucket, SecureBucket } from "../../../constructs/aws/secure-bucket";
import { ThreatDetection } from "../../../constructs/aws/threat-detection";
import { checkStackJson, stackJson } from "../../../lib/compliance/aspect";
import { SecureStack } from "../../../lib/secure-stack";

const KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const TRAINER = granteeFromRoleArn("arn:aws:iam::111122223333:role/teams/recsys-trainer");
const ADMIN = "arn:aws:iam::111122223333:role/key-admin";

type Json = { resource: Record<string, Record<string, Record<string, unknown>>>; terraform: Record<string, unknown> };
const json = (stack: SecureStack) => stackJson(stack) as unknown as Json;
const rolePolicies = (stack: SecureStack) =>
  Object.values(json(stack).resource.aws_iam_role_policy ?? {}) as Array<{ role: string; policy: string }>;
const statementsOf = (policy: { policy: string }) => (JSON.parse(policy.policy) as { Statement: Array<Record<string, unknown>> }).Statement;

describe("granteeFromRoleArn", () => {
  it("takes the role's name from the ARN's last path segment", () => {
    expect(TRAINER).toEqual({ roleArn: "arn:aws:iam::111122223333:role/teams/recsys-trainer", roleName: "recsys-trainer" });
  });

  it("refuses what is not a role ARN", () => {
    expect(() => granteeFromRoleArn("arn:aws:iam::111122223333:user/alice")).toThrow(
      "granteeFromRoleArn: 'arn:aws:iam::111122223333:user/alice' is not an IAM role ARN",
    );
  });
});

describe("IPlatformKey", () => {
  const keys = (stack: SecureStack): Record<"native" | "imported", IPlatformKey> => ({
    native: new PlatformKey(stack, "NativeKey", { purpose: "datasets", administrators: [ADMIN] }),
    imported: PlatformKey.fromKeyArn(stack, "LandingZoneKey", KEY_ARN, "datasets"),
  });

  it("writes a native key's grant into its key policy and returns the key to depend on", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const { native } = keys(stack);
    const grant = native.grantDecrypt(TRAINER);
    expect(grant.resourceStatements).toEqual([
      expect.objectContaining({ Principal: { AWS: TRAINER.roleArn }, Action: ["kms:Decrypt", "kms:DescribeKey"] }),
    ]);
    expect(grant.principalPolicies).toEqual([]);
    expect(grant.dependables).toEqual([(native as PlatformKey).resource]);
  });

  it("writes an imported key's grant to the grantee's role policy, with the key as its only resource, once", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const { imported } = keys(stack);
    const grant = imported.grantEncryptDecrypt(TRAINER);
    expect(imported.grantEncryptDecrypt(TRAINER)).toBe(grant);
    expect(grant.resourceStatements).toEqual([]);
    expect(grant.principalPolicies).toHaveLength(1);
    const [policy] = rolePolicies(stack);
    expect(policy.role).toBe("recsys-trainer");
    expect(statementsOf(policy)).toEqual([
      {
        Sid: "EncryptDecrypt",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: KEY_ARN,
      },
    ]);
  });

  it("keeps AWS resource grants conditioned on an imported key too", () => {
    const stack = new SecureStack(Testing.app(), "test");
    keys(stack).imported.grantAwsResourceGrants(TRAINER);
    expect(statementsOf(rolePolicies(stack)[0])[0]).toMatchObject({
      Resource: KEY_ARN,
      Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
    });
  });

  it("refuses a service statement on an imported key, whose policy is not the platform's", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const imported = PlatformKey.fromKeyArn(stack, "LandingZoneKey", KEY_ARN) as unknown as { allowService(s: object): void };
    expect(() =>
      imported.allowService({
        Sid: "CloudTrailUse",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "kms:GenerateDataKey*",
        Resource: "*",
      }),
    ).toThrow(
      `test/LandingZoneKey: the key ${KEY_ARN} was imported, so its key policy cannot be changed here to let {"Service":"cloudtrail.amazonaws.com"} use it (CloudTrailUse)`,
    );
  });

  it("refuses an alias ARN or a token, naming the construct", () => {
    const stack = new SecureStack(Testing.app(), "test");
    expect(() => PlatformKey.fromKeyArn(stack, "Alias", "arn:aws:kms:eu-west-1:111122223333:alias/datasets")).toThrow(
      "test/Alias: keyArn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key id>) known at synth, got 'arn:aws:kms:eu-west-1:111122223333:alias/datasets'.",
    );
  });

  it("reports what it assumes of the imported key, and nothing for a native one", () => {
    const stack = new SecureStack(Testing.app(), "test");
    keys(stack);
    expect(checkStackJson(stack, { rules: [] }).assumptions).toEqual([
      expect.objectContaining({ subject: `existing KMS key ${KEY_ARN}`, construct: "test/LandingZoneKey", module: "test" }),
    ]);
  });
});

describe("ISecureBucket", () => {
  function buckets(keyKind: "native" | "imported") {
    const stack = new SecureStack(Testing.app(), "test");
    const key =
      keyKind === "native"
        ? new PlatformKey(stack, "Key", { purpose: "datasets", administrators: [ADMIN] })
        : PlatformKey.fromKeyArn(stack, "Key", KEY_ARN, "datasets");
    const logs: IAccessLogBucket = AccessLogBucket.fromBucketName(stack, "LogArchive", "lz-log-archive-111122223333");
    const native: ISecureBucket = new SecureBucket(stack, "FeatureStore", { purpose: "feature-store", key, accessLogs: logs });
    const imported = SecureBucket.fromBucketAttributes(stack, "Exports", { bucketName: "recsys-exports", key, purpose: "exports" });
    return { stack, native, imported };
  }

  it("grants a native bucket's objects and the key's decrypt, and returns both", () => {
    const { stack, native } = buckets("native");
    const grant: Grant = native.grantRead(TRAINER, { prefix: "recsys/" });
    expect(native.grantRead(TRAINER, { prefix: "recsys/" })).toBe(grant);
    expect(grant.principalPolicies).toHaveLength(1);
    expect(grant.resourceStatements).toEqual([expect.objectContaining({ Action: ["kms:Decrypt", "kms:DescribeKey"] })]);
    expect(rolePolicies(stack).map((p) => p.role)).toEqual(["recsys-trainer"]);
  });

  it("grants an imported bucket the same way, and with an imported key both grants are the role's", () => {
    const { stack, imported } = buckets("imported");
    const grant = imported.grantReadWrite(TRAINER);
    expect(grant.principalPolicies).toHaveLength(2);
    const statements = rolePolicies(stack).flatMap(statementsOf);
    expect(statements).toContainEqual(expect.objectContaining({ Sid: "Objects", Resource: "arn:aws:s3:::recsys-exports/*" }));
    expect(statements).toContainEqual(expect.objectContaining({ Sid: "EncryptDecrypt", Resource: KEY_ARN }));
  });

  it("lets a caller order a resource after the grant", () => {
    const { stack, native } = buckets("native");
    const waiting = new IamRolePolicy(stack, "Waiting", { role: "x", policy: "{}" });
    native.grantRead(TRAINER).applyBefore(waiting);
    expect(waiting.dependsOn).toHaveLength(2);
  });

  it("logs a native bucket to an imported log archive, reports what the imports assume, and counts none of it as passing", () => {
    const { stack } = buckets("imported");
    expect(json(stack).resource.aws_s3_bucket_logging.feature_store_access_logging).toMatchObject({
      target_bucket: "lz-log-archive-111122223333",
    });
    const report = checkStackJson(stack);
    expect(report.assumptions?.map((a) => a.subject)).toEqual([
      `existing KMS key ${KEY_ARN}`,
      "existing access log bucket lz-log-archive-111122223333",
      "existing S3 bucket recsys-exports",
    ]);
    // The engine cannot read the imported key's policy, so the bucket's use of it stays unproved: a failure, never a pass.
    expect(
      report.findings.filter((f) => f.status === "fail" && f.resource !== "terraform").map((f) => [f.ruleId, f.resource, f.unresolved]),
    ).toEqual([["aws-kms-key-usable-by-consumers", "aws_s3_bucket_server_side_encryption_configuration.feature_store_encryption", true]]);
  });

  it("refuses a bucket name that S3 would not take", () => {
    const stack = new SecureStack(Testing.app(), "test");
    expect(() => AccessLogBucket.fromBucketName(stack, "Logs", "Bad_Name")).toThrow(
      "test/Logs: bucketName must be an S3 bucket name known at synth",
    );
  });
});

describe("IPrivateNetwork", () => {
  const ALL_ENDPOINTS = [...INTERFACE_ENDPOINTS.map((e) => e.service), "s3"];
  const attributes = {
    vpcId: "vpc-0a1b2c3d4e5f60718",
    vpcCidr: "10.70.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b"],
    privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
    endpointSecurityGroupId: "sg-0a1b2c3d4e5f60718",
    endpointServices: ALL_ENDPOINTS,
  };

  it("has every endpoint the nodes need when the platform makes it", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const logsKey = new PlatformKey(stack, "LogsKey", { purpose: "logs", administrators: [ADMIN] });
    const native: IPrivateNetwork = new PrivateNetwork(stack, "Network", {
      cidr: "10.0.0.0/16",
      availabilityZones: ["eu-west-1a", "eu-west-1b"],
      logsKey,
    });
    expect(native.imported).toBe(false);
    expect(native.endpointServices).toEqual(ALL_ENDPOINTS);
  });

  it("builds into a landing zone's VPC, creating nothing and reporting what it assumes", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const imported = PrivateNetwork.fromVpcAttributes(stack, "Network", {
      ...attributes,
      loadBalancerSubnets: [
        { subnetId: "subnet-0a1b2c3d4e5f60101", cidr: "10.70.240.0/27" },
        { subnetId: "subnet-0a1b2c3d4e5f60102", cidr: "10.70.240.32/27" },
      ],
    });
    expect(imported).toMatchObject({
      vpcId: "vpc-0a1b2c3d4e5f60718",
      loadBalancerSubnetCidrs: ["10.70.240.0/27", "10.70.240.32/27"],
      imported: true,
    });
    expect(json(stack).resource).toBeUndefined();
    // Each private subnet is read, and the plan stops on one that maps public IPs or lies outside the VPC.
    type Read = { id: string; lifecycle: { postcondition: { condition: string; error_message: string }[] } };
    const read = json(stack) as unknown as { data: { aws_subnet: Record<string, Read>; aws_vpc: Record<string, Read> } };
    const conditionsOf = (r: Read) => r.lifecycle.postcondition.map((p) => p.condition);
    const subnets = Object.values(read.data.aws_subnet);
    expect(subnets.map((s) => s.id)).toEqual([...attributes.privateSubnetIds, "subnet-0a1b2c3d4e5f60101", "subnet-0a1b2c3d4e5f60102"]);
    // Each in its own zone, the one availabilityZones gives it: EFS mount targets and the load balancer take one per zone.
    subnets.slice(0, 2).forEach((subnet, i) => {
      expect(conditionsOf(subnet)).toEqual([
        "${self.map_public_ip_on_launch == false}",
        '${self.vpc_id == "vpc-0a1b2c3d4e5f60718"}',
        `\${self.availability_zone == "${attributes.availabilityZones[i]}"}`,
        // Inside network.cidr, not a secondary range: Terraform has no cidrcontains, so cidrhost clears the host bits.
        '${tonumber(split("/", self.cidr_block)[1]) >= 16 && cidrhost(format("%s/16", cidrhost(self.cidr_block, 0)), 0) == "10.70.0.0"}',
      ]);
    });
    expect(subnets[0].lifecycle.postcondition[2].error_message).toBe(
      "Subnet subnet-0a1b2c3d4e5f60001 is in ${self.availability_zone}, not eu-west-1a: give one subnet per zone, in availabilityZones order.",
    );
    expect(subnets[0].lifecycle.postcondition[3].error_message).toBe(
      "Subnet subnet-0a1b2c3d4e5f60001's range ${self.cidr_block} is not inside the VPC's primary range (network.cidr), which the cluster's API admits.",
    );
    // The load balancer subnets are read too, in their zones, and must have the ranges the serving pods' network policy admits.
    expect(conditionsOf(subnets[3])).toEqual([
      "${self.map_public_ip_on_launch == false}",
      '${self.vpc_id == "vpc-0a1b2c3d4e5f60718"}',
      '${self.availability_zone == "eu-west-1b"}',
      '${self.cidr_block == "10.70.240.32/27"}',
    ]);
    // What is wrong with one is said of the load balancer, not of nodes.
    expect(subnets[2].lifecycle.postcondition[0].error_message).toBe(
      "Subnet subnet-0a1b2c3d4e5f60101 maps public IPs on launch; the internal load balancer's subnets must map no public IPs. Use private subnets.",
    );
    expect(subnets[0].lifecycle.postcondition[0].error_message).toContain("nodes of the platform must have none");
    // Its id is the read's own, so the load balancer is made only once the subnet is proven.
    expect(imported.loadBalancerSubnetIds.every((id) => Token.isUnresolved(id))).toBe(true);
    // The VPC's range is read back, not trusted, and its DNS must serve EKS and the endpoints' private names.
    expect(Object.values(read.data.aws_vpc)).toEqual([
      expect.objectContaining({
        id: "vpc-0a1b2c3d4e5f60718",
        lifecycle: {
          postcondition: [
            {
              condition: '${self.cidr_block == "10.70.0.0/16"}',
              error_message: "vpc-0a1b2c3d4e5f60718's primary range is not 10.70.0.0/16, the range the platform was given (network.cidr).",
            },
            {
              condition: "${self.enable_dns_support && self.enable_dns_hostnames}",
              error_message:
                "vpc-0a1b2c3d4e5f60718 has DNS resolution or DNS hostnames off; EKS nodes and the endpoints' private DNS need both.",
            },
          ],
        },
      }),
    ]);
    // Without egress, the plan proves every endpoint the nodes need is there, available, with private DNS on interfaces.
    const endpoints = Object.values(
      (
        json(stack) as unknown as {
          data: {
            aws_vpc_endpoint: Record<
              string,
              { vpc_id: string; service_name: string; lifecycle: { postcondition: { condition: string }[] } }
            >;
          };
        }
      ).data.aws_vpc_endpoint,
    );
    expect(endpoints.map((e) => e.service_name.replace(/^.*\}\./, "")).sort()).toEqual([...ALL_ENDPOINTS].sort());
    for (const endpoint of endpoints) {
      expect(endpoint.vpc_id).toBe("vpc-0a1b2c3d4e5f60718");
      const conditions = endpoint.lifecycle.postcondition.map((p) => p.condition);
      // Among live endpoints only, so a deleted one cannot make two match and a pending one fails with its own message.
      expect(endpoint).not.toHaveProperty("state");
      expect(endpoint).not.toHaveProperty("id");
      expect(endpoint).toMatchObject({
        filter: [
          { name: "vpc-endpoint-type", values: [endpoint.service_name.endsWith(".s3") ? "Gateway" : "Interface"] },
          { name: "vpc-endpoint-state", values: ["available", "pending", "pendingAcceptance"] },
        ],
      });
      expect(conditions).toEqual(
        endpoint.service_name.endsWith(".s3")
          ? [
              '${self.state == "available"}',
              // Each subnet's explicit route table, or the VPC's main one where it has none.
              `\${contains(self.route_table_ids, (length(data.aws_route_tables.network_private_route_tables1.ids) > 0 ? data.aws_route_tables.network_private_route_tables1.ids[0] : data.aws_route_table.network_main_route_table.route_table_id)) && contains(self.route_table_ids, (length(data.aws_route_tables.network_private_route_tables2.ids) > 0 ? data.aws_route_tables.network_private_route_tables2.ids[0] : data.aws_route_table.network_main_route_table.route_table_id))}`,
            ]
          : [
              '${self.state == "available"}',
              "${self.private_dns_enabled == true}",
              '${contains(self.security_group_ids, "sg-0a1b2c3d4e5f60718")}',
            ],
      );
    }
    // The ids the cluster and pools get are the data sources' own, so they are used only once read.
    expect(imported.privateSubnetIds.every((id) => Token.isUnresolved(id))).toBe(true);
    const assumptions = checkStackJson(stack, { rules: [] }).assumptions;
    expect(assumptions?.[0]).toMatchObject({
      subject: "existing VPC vpc-0a1b2c3d4e5f60718",
      assumed: expect.stringContaining("flow logs of all traffic"),
    });
    // The endpoints' policies are not read at plan: what the nodes need of them beyond this account is stated.
    expect(assumptions?.[1]).toMatchObject({ subject: "endpoint policies of VPC vpc-0a1b2c3d4e5f60718" });
    for (const need of [
      "s3:GetObject on arn:aws:s3:::prod-<region>-starport-layer-bucket/*",
      "arn:aws:s3:::al2023-repos-<region>-de612dc2/*",
      "sts:AssumeRoleWithWebIdentity",
      "602401143452",
      "aws:PrincipalOrgID",
    ]) {
      expect(assumptions?.[1].assumed).toContain(need);
    }
  });

  it("states only the endpoint policies of the services the VPC lists", () => {
    const stack = new SecureStack(Testing.app(), "test");
    PrivateNetwork.fromVpcAttributes(stack, "Network", { ...attributes, endpointServices: ["s3"], egress: "nat" });
    const [, policies] = checkStackJson(stack, { rules: [] }).assumptions ?? [];
    expect(policies.assumed).toContain("starport-layer-bucket");
    expect(policies.assumed).not.toContain("sts:");
    expect(policies.assumed).not.toContain("ecr.api");
  });

  it("refuses subnets that are not one per zone, and a load balancer range outside the VPC", () => {
    const stack = new SecureStack(Testing.app(), "test");
    expect(() =>
      PrivateNetwork.fromVpcAttributes(stack, "Three", { ...attributes, availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }),
    ).toThrow(
      "test/Three: privateSubnetIds names 2 subnets for 3 zones (availabilityZones [eu-west-1a, eu-west-1b, eu-west-1c]); give one subnet per zone, in availabilityZones order.",
    );
    expect(() =>
      PrivateNetwork.fromVpcAttributes(stack, "Twice", { ...attributes, availabilityZones: ["eu-west-1a", "eu-west-1a"] }),
    ).toThrow("test/Twice: availabilityZones must not list a zone twice, got [eu-west-1a, eu-west-1a].");
    expect(() => PrivateNetwork.fromVpcAttributes(stack, "Zone", { ...attributes, availabilityZones: ["eu-west-1a", "west"] })).toThrow(
      "test/Zone: availabilityZones[1] must be an Availability Zone (eu-west-1a) known at synth, got 'west'.",
    );
    const balancer = (cidr: string) => ({ subnetId: "subnet-0a1b2c3d4e5f60101", cidr });
    expect(() =>
      PrivateNetwork.fromVpcAttributes(stack, "OneBalancer", { ...attributes, loadBalancerSubnets: [balancer("10.70.240.0/27")] }),
    ).toThrow("test/OneBalancer: loadBalancerSubnets names 1 subnets for 2 zones");
    expect(() =>
      PrivateNetwork.fromVpcAttributes(stack, "Outside", {
        ...attributes,
        loadBalancerSubnets: [balancer("10.70.240.0/27"), balancer("100.64.0.0/27")],
      }),
    ).toThrow("test/Outside: loadBalancerSubnets[1].cidr 100.64.0.0/27 is not inside vpcCidr 10.70.0.0/16.");
    expect(() =>
      PrivateNetwork.fromVpcAttributes(stack, "HostBits", { ...attributes, loadBalancerSubnets: [balancer("10.70.240.1/27")] }),
    ).toThrow("test/HostBits: loadBalancerSubnets[0].cidr: '10.70.240.1/27' has host bits set");
  });

  it("says what is wrong with a pending endpoint, and picks by id one of two endpoints of a service", () => {
    const stack = new SecureStack(Testing.app(), "test");
    PrivateNetwork.fromVpcAttributes(stack, "Network", { ...attributes, endpointIds: { s3: "vpce-0a1b2c3d4e5f60718" } });
    type Endpoint = { id?: string; service_name: string; lifecycle: { postcondition: { condition: string; error_message: string }[] } };
    const endpoints = (json(stack) as unknown as { data: { aws_vpc_endpoint: Record<string, Endpoint> } }).data.aws_vpc_endpoint;
    expect(endpoints.network_s3_endpoint.id).toBe("vpce-0a1b2c3d4e5f60718");
    expect(endpoints.network_s3_endpoint.lifecycle.postcondition[0].error_message).toBe(
      "The s3 gateway endpoint vpce-0a1b2c3d4e5f60718 of vpc-0a1b2c3d4e5f60718 is not available (pending, or pending acceptance): nodes cannot reach s3 through it until it is.",
    );
    expect(endpoints.network_sts_endpoint.id).toBeUndefined();
    expect(endpoints.network_sts_endpoint.lifecycle.postcondition[0].error_message).toBe(
      "The sts endpoint of vpc-0a1b2c3d4e5f60718 is not available (pending, or pending acceptance): nodes cannot reach sts through it until it is.",
    );
    expect(() =>
      PrivateNetwork.fromVpcAttributes(stack, "Unlisted", {
        ...attributes,
        endpointServices: ["s3"],
        egress: "nat",
        endpointIds: { sts: "vpce-0a1b2c3d4e5f60718" },
      }),
    ).toThrow("test/Unlisted: endpointIds.sts names a service endpointServices does not list.");
    expect(() => PrivateNetwork.fromVpcAttributes(stack, "BadId", { ...attributes, endpointIds: { s3: "s3-gateway" } })).toThrow(
      "test/BadId: endpointIds.s3 must be an endpoint id (vpce-...) known at synth, got 's3-gateway'.",
    );
  });

  it("refuses, without egress, a VPC that lacks an endpoint the nodes need, naming them", () => {
    const stack = new SecureStack(Testing.app(), "test");
    expect(() =>
      PrivateNetwork.fromVpcAttributes(stack, "Network", {
        ...attributes,
        endpointServices: ALL_ENDPOINTS.filter((s) => s !== "sts" && s !== "s3"),
      }),
    ).toThrow(
      'test/Network: endpointServices lacks sts, s3: with egress "none" the nodes reach AWS only through endpoints, so without these they cannot join the cluster or pull images.',
    );
    expect(() => PrivateNetwork.fromVpcAttributes(stack, "Nat", { ...attributes, endpointServices: ["s3"], egress: "nat" })).not.toThrow();
  });

  it("refuses ids that are not literal VPC, subnet and security group ids", () => {
    const stack = new SecureStack(Testing.app(), "test");
    expect(() =>
      PrivateNetwork.fromVpcAttributes(stack, "Network", { ...attributes, privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "sn-2"] }),
    ).toThrow("test/Network: privateSubnetIds[1] must be a subnet id (subnet-...) known at synth, got 'sn-2'.");
    expect(() => PrivateNetwork.fromVpcAttributes(stack, "One", { ...attributes, privateSubnetIds: ["subnet-0a1b2c3d4e5f60001"] })).toThrow(
      "test/One: privateSubnetIds must name at least two private subnets",
    );
  });
});

describe("IAuditTrail", () => {
  const TRAIL_ARN = "arn:aws:cloudtrail:eu-west-1:999988887777:trail/org-trail";

  it("is the platform's own trail, by name, when the platform makes it", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const logsKey = new PlatformKey(stack, "LogsKey", { purpose: "logs", administrators: [ADMIN] });
    const native: IAuditTrail = new AuditTrail(stack, "AuditTrail", {
      logsKey,
      accessLogs: new AccessLogBucket(stack, "AccessLogs"),
      dataEventBucketArns: ["arn:aws:s3:::models"],
      trailName: "ml-audit",
    });
    expect(native).toMatchObject({ trailName: "ml-audit", imported: false });
  });

  it("relies on an organization trail by ARN, creating nothing and reporting what it assumes", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const imported = AuditTrail.fromTrailArn(stack, "AuditTrail", TRAIL_ARN, ["arn:aws:s3:::models"]);
    expect(imported).toEqual({ trailArn: TRAIL_ARN, trailName: "org-trail", imported: true });
    expect(json(stack).resource).toBeUndefined();
    expect(checkStackJson(stack, { rules: [] }).assumptions?.[0].assumed).toContain(
      "log file validation, KMS encryption and delivery to a bucket locked against deletion, and object-level data events of 1 platform bucket(s)",
    );
    expect(() => AuditTrail.fromTrailArn(stack, "Bad", "org-trail")).toThrow("test/Bad: trailArn must be a CloudTrail trail ARN");
  });
});

describe("IAlertTopic", () => {
  const TOPIC_ARN = "arn:aws:sns:eu-west-1:999988887777:lz-security-alerts";
  function detection(alertTopic?: (stack: SecureStack) => IAlertTopic) {
    const stack = new SecureStack(Testing.app(), "test");
    const key = new PlatformKey(stack, "AlertsKey", { purpose: "alerts", administrators: [ADMIN] });
    const configRecorder = new ConfigRecorder(stack, "ConfigRecorder", { key, accessLogs: new AccessLogBucket(stack, "AccessLogs") });
    const topic = alertTopic?.(stack);
    const made = new ThreatDetection(stack, "ThreatDetection", {
      key,
      configRecorder,
      alertTopic: topic,
      alertEmails: topic ? [] : ["sec@example.com"],
    });
    return { stack, made };
  }

  it("is a topic of the platform's own by default", () => {
    const { stack, made } = detection();
    expect(made.alertTopic.imported).toBe(false);
    expect(Object.keys(json(stack).resource.aws_sns_topic)).toHaveLength(1);
  });

  it("sends findings to a landing zone's topic by ARN, making no topic, policy or subscription, and reports what it assumes", () => {
    const { stack, made } = detection((s) => AlertTopic.fromTopicArn(s, "AlertTopic", TOPIC_ARN));
    expect(made.alertTopic).toEqual({ topicArn: TOPIC_ARN, imported: true });
    const resources = json(stack).resource;
    expect(resources.aws_sns_topic ?? {}).toEqual({});
    expect(resources.aws_sns_topic_subscription ?? {}).toEqual({});
    expect(Object.values(resources.aws_cloudwatch_event_target).map((t) => t.arn)).toEqual([TOPIC_ARN]);
    expect(checkStackJson(stack, { rules: [] }).assumptions?.map((a) => a.subject)).toContain(`existing alert topic ${TOPIC_ARN}`);
  });

  it("refuses subscribers with a landing zone's topic, and a topic ARN that is not one", () => {
    expect(() => {
      const stack = new SecureStack(Testing.app(), "test");
      const key = new PlatformKey(stack, "AlertsKey", { purpose: "alerts", administrators: [ADMIN] });
      const configRecorder = new ConfigRecorder(stack, "ConfigRecorder", { key, accessLogs: new AccessLogBucket(stack, "AccessLogs") });
      new ThreatDetection(stack, "ThreatDetection", {
        key,
        configRecorder,
        alertTopic: AlertTopic.fromTopicArn(stack, "AlertTopic", TOPIC_ARN),
        alertEmails: ["sec@example.com"],
      });
    }).toThrow("test/ThreatDetection: alertEmails and alertSubscriptions cannot be given with alertTopic");
    expect(() => AlertTopic.fromTopicArn(new SecureStack(Testing.app(), "test"), "T", "lz-alerts")).toThrow(
      "test/T: topicArn must be an SNS topic ARN",
    );
  });
});
