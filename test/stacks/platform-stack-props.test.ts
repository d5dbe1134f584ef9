/**
 * What a team brings to the platform stack in code: each prop is used in place of what the platform would make,
 * with a native and an imported implementation, and one thing named in code and in the config is refused.
 * Construction only: the whole platform is synthesized and checked with these props by the extend-platform
 * example's tests (test/examples/examples.test.ts), so no synth is added here.
 */
import { TerraformStack, Testing } from "cdktf";
import { AccessLogBucket } from "../../constructs/aws/access-log-bucket";
import { AlertTopic } from "../../constructs/aws/alert-topic";
import { AuditTrail } from "../../constructs/aws/audit-trail";
import { PlatformKey } from "../../constructs/aws/platform-key";
import { INTERFACE_ENDPOINTS, PrivateNetwork } from "../../constructs/aws/private-network";
import { DEFAULT_CONFIG } from "../../stacks/config/default";
import { PlatformConfigInput } from "../../stacks/config/schema";
import { PlatformStack, PlatformStackOptions } from "../../stacks/platform-stack";
import { buildPlatform } from "../../stacks/synth";

const variant = (change: (c: PlatformConfigInput) => void): PlatformConfigInput => {
  const config = structuredClone(DEFAULT_CONFIG);
  change(config);
  return config;
};
const platform = (options: PlatformStackOptions, config: PlatformConfigInput = DEFAULT_CONFIG) =>
  new PlatformStack(Testing.app(), "platform", config, options);

const TRAIL_ARN = "arn:aws:cloudtrail:eu-west-1:999988887777:trail/org-trail";
const TOPIC_ARN = "arn:aws:sns:eu-west-1:999988887777:lz-security-alerts";
const KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/5f0e2a61-8c4d-4b7e-9a3f-2d6c1e8b7a90";
const VPC = {
  vpcId: "vpc-0a1b2c3d4e5f60718",
  vpcCidr: DEFAULT_CONFIG.network.cidr,
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
  loadBalancerSubnets: [
    { subnetId: "subnet-0a1b2c3d4e5f60101", cidr: "10.40.240.0/27" },
    { subnetId: "subnet-0a1b2c3d4e5f60102", cidr: "10.40.240.32/27" },
  ],
  endpointSecurityGroupId: "sg-0a1b2c3d4e5f60718",
  endpointServices: [...INTERFACE_ENDPOINTS.map((e) => e.service), "s3"],
};
const { vpcCidr: _cidr, availabilityZones: _zones, ...configVpc } = VPC;
const noAlertEmails = (c: PlatformConfigInput) => (c.detection = {});

describe("PlatformStack takes what a team has in code", () => {
  it("uses a team's own network, trail and access log bucket, made in the stack, in place of the platform's", () => {
    const stack = platform({
      network: (s) =>
        new PrivateNetwork(s, "TeamNetwork", {
          cidr: s.config.network.cidr,
          availabilityZones: s.config.availabilityZones,
          logsKey: s.keys.logs,
          loadBalancerSubnets: true,
        }),
      accessLogs: (s) => new AccessLogBucket(s, "TeamAccessLogs"),
      trail: (s) =>
        new AuditTrail(s, "TeamTrail", {
          logsKey: s.keys.logs,
          accessLogs: s.accessLogs,
          dataEventBucketArns: Object.values(s.buckets).map((b) => b.bucketArn),
          trailName: "team-trail",
        }),
    });
    expect(stack.network).toBeInstanceOf(PrivateNetwork);
    expect(stack.network).toBe(stack.node.findChild("TeamNetwork"));
    expect(stack.accessLogs).toBe(stack.node.findChild("TeamAccessLogs"));
    expect(stack.trail).toBe(stack.node.findChild("TeamTrail"));
    expect(
      stack.node.tryFindChild("Network") ?? stack.node.tryFindChild("AuditTrail") ?? stack.node.tryFindChild("AccessLogs"),
    ).toBeUndefined();
    // A trail of the team's own is read by the platform's auditor, and the audit SCP protects its log group.
    expect(stack.auditor).toBeDefined();
    expect(stack.serviceControlPolicies["scp-audit.json"].toJson()).toContain("/saip/cloudtrail/team-trail");
  });

  it("uses imports of the landing zone's VPC, trail, alert topic and a bucket key, each made in the stack", () => {
    const stack = platform(
      {
        network: (s) => PrivateNetwork.fromVpcAttributes(s, "LandingZoneNetwork", VPC),
        trail: (s) => AuditTrail.fromTrailArn(s, "OrganizationTrail", TRAIL_ARN),
        alertTopic: (s) => AlertTopic.fromTopicArn(s, "SecurityAlerts", TOPIC_ARN),
        bucketKeys: { datasets: (s) => PlatformKey.fromKeyArn(s, "LandingZoneDataKey", KEY_ARN, "datasets") },
      },
      variant(noAlertEmails),
    );
    expect(stack.network.imported).toBe(true);
    expect(stack.node.findChild("LandingZoneNetwork").node.findChild("PrivateSubnet1")).toBeDefined();
    expect(stack.trail).toEqual({ trailArn: TRAIL_ARN, trailName: "org-trail", imported: true });
    // The organization's trail is read by its own auditors: the platform makes no auditor for it.
    expect(stack.auditor).toBeUndefined();
    expect(stack.buckets.datasets?.key.keyArn).toBe(KEY_ARN);
    expect(stack.buckets.models?.key).toBe(stack.keys.modelStore);
  });

  it("takes a plain object as it is", () => {
    const trail = { trailArn: TRAIL_ARN, trailName: "org-trail", imported: true };
    expect(platform({ trail }).trail).toBe(trail);
  });

  it("refuses a construct made in another stack: the check cannot read values that come through remote state", () => {
    const app = Testing.app();
    const other = new TerraformStack(app, "network");
    const logs = new AccessLogBucket(other, "Logs");
    expect(() => new PlatformStack(app, "platform", DEFAULT_CONFIG, { accessLogs: logs })).toThrow(
      "platform: accessLogs was made in stack 'network'; pass a function (stack) => ... that makes it in this stack, where the check sees it.",
    );
  });
});

describe("PlatformStack refuses what cannot be", () => {
  it.each<[string, PlatformStackOptions, (c: PlatformConfigInput) => void, string]>([
    [
      "a network in code and in the config",
      { network: (s) => PrivateNetwork.fromVpcAttributes(s, "Vpc", VPC) },
      (c) => (c.landingZone = { vpc: configVpc }),
      "platform: network is given in code and the config names landingZone.vpc; name it in one place.",
    ],
    [
      "a trail in code and in the config",
      { trail: (s) => AuditTrail.fromTrailArn(s, "Trail", TRAIL_ARN) },
      (c) => (c.landingZone = { organizationTrailArn: TRAIL_ARN }),
      "platform: trail is given in code and the config names landingZone.organizationTrailArn; name it in one place.",
    ],
    [
      "a trail in code beside the log archive, which makes the trail's bucket",
      { trail: (s) => AuditTrail.fromTrailArn(s, "Trail", TRAIL_ARN) },
      (c) => (c.audit = { ...c.audit, archive: { accountId: "444455556666", roleArn: "arn:aws:iam::444455556666:role/log-archive" } }),
      "platform: config: audit.archive cannot be used with a trail given in code: the archive makes the platform trail's bucket.",
    ],
    [
      "an alert topic in code and in the config",
      { alertTopic: (s) => AlertTopic.fromTopicArn(s, "Topic", TOPIC_ARN) },
      (c) => (noAlertEmails(c), (c.landingZone = { alertTopicArn: TOPIC_ARN })),
      "platform: alertTopic is given in code and the config names landingZone.alertTopicArn; name it in one place.",
    ],
    [
      "an access log bucket in code and in the config",
      { accessLogs: (s) => AccessLogBucket.fromBucketName(s, "Logs", "lz-log-archive") },
      (c) => (c.landingZone = { accessLogBucketName: "lz-log-archive" }),
      "platform: accessLogs is given in code and the config names landingZone.accessLogBucketName; name it in one place.",
    ],
    [
      "an alert topic in code beside the config's subscribers",
      { alertTopic: (s) => AlertTopic.fromTopicArn(s, "Topic", TOPIC_ARN) },
      () => undefined,
      "platform: config: detection.alertEmails and detection.alertSubscriptions must be empty when alertTopic is given in code: its subscribers are its own.",
    ],
    [
      "alerts that reach no one",
      {},
      noAlertEmails,
      "platform: config: detection.alertEmails must name at least one address that receives security findings (or set detection.alertSubscriptions), unless an alert topic is brought in (landingZone.alertTopicArn, or alertTopic in code).",
    ],
    [
      "a key for a bucket the config does not make",
      { bucketKeys: { artifacts: (s) => PlatformKey.fromKeyArn(s, "Key", KEY_ARN, "artifacts") } },
      (c) => (c.storage = { ...c.storage, buckets: ["datasets", "models", "checkpoints"] }),
      "platform: bucketKeys.artifacts names a bucket the config's storage.buckets does not make.",
    ],
    [
      "a network whose range is not the config's",
      {
        network: (s) =>
          PrivateNetwork.fromVpcAttributes(s, "Vpc", {
            ...VPC,
            vpcCidr: "10.99.0.0/16",
            loadBalancerSubnets: VPC.loadBalancerSubnets.map((b) => ({ ...b, cidr: b.cidr.replace("10.40.", "10.99.") })),
          }),
      },
      () => undefined,
      "platform: config: network.cidr is 10.40.0.0/16, but the network given in code has the range '10.99.0.0/16'; they must be the same.",
    ],
    [
      "a network without load balancer subnets, with inference",
      { network: (s) => PrivateNetwork.fromVpcAttributes(s, "Vpc", { ...VPC, loadBalancerSubnets: [] }) },
      () => undefined,
      "platform: config: the network given in code must name the internal load balancer's subnets when inference is configured.",
    ],
    [
      "an imported access log bucket, with inference",
      { accessLogs: (s) => AccessLogBucket.fromBucketName(s, "Logs", "lz-log-archive") },
      () => undefined,
      "platform: config: the access log bucket given in code cannot be used with inference: the load balancer's access logs need a bucket policy only the platform's own log bucket can be given here.",
    ],
  ])("%s", (_what, options, change, message) => {
    expect(() => platform(options, variant(change))).toThrow(message);
  });
});

describe("buildPlatform", () => {
  it("hands the platform stack what a team has in code", () => {
    const trail = { trailArn: TRAIL_ARN, trailName: "org-trail", imported: true };
    const stacks = buildPlatform(Testing.app(), DEFAULT_CONFIG, { trail });
    const platformStack = stacks.find((s): s is PlatformStack => s instanceof PlatformStack)!;
    expect(platformStack.trail).toBe(trail);
    expect(stacks.map((s) => s.node.id)).toEqual(["bootstrap", "platform", "admission", "admission-policy", "workloads"]);
  });
});
