import { Testing } from "cdktf";
import { DEFAULT_CONFIG } from "../../stacks/config/default";
import { PlatformStack } from "../../stacks/platform-stack";
import { definePlatform } from "../../stacks/config/define";
import { CONFIG_DESCRIPTIONS } from "../../stacks/config/descriptions";
import { eachProperty, platformConfigJsonSchema } from "../../stacks/config/json-schema";
import { PlatformConfigInput } from "../../stacks/config/schema";
import { SUPPORTED_EKS_VERSIONS } from "../../constructs/aws/eks-versions";
import { efaProblem, instanceCapabilities, instanceTypeProblem } from "../../constructs/aws/instance-capabilities";

const variant = (change: (c: PlatformConfigInput) => void): PlatformConfigInput => {
  const config = structuredClone(DEFAULT_CONFIG);
  change(config);
  return config;
};

/** The error definePlatform throws, as the lines it names. */
function problems(input: unknown): string[] {
  try {
    definePlatform(input as PlatformConfigInput, "test config");
  } catch (error) {
    return (error as Error).message
      .split("\n")
      .slice(1)
      .map((l) => l.trim());
  }
  throw new Error("the config was accepted");
}

describe("config errors name the field at fault", () => {
  it.each<[string, (c: PlatformConfigInput) => void, string]>([
    [
      "a retention CloudWatch Logs refuses",
      (c) => (c.audit = { ...c.audit, logRetentionDays: 500 }),
      "audit.logRetentionDays: must be one of 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (the retention periods CloudWatch Logs accepts, of a year or more)",
    ],
    [
      "an instance type that does not exist",
      (c) => (c.nodePools[2].instanceTypes = ["g9z.mega"]),
      "nodePools[2].instanceTypes[0]: g9z.mega is not a known EC2 instance type: the g9z family is not in the platform's table of instance families",
    ],
    [
      "EFA on a type without it",
      (c) => c.nodePools.push({ name: "efa-small", purpose: "training", instanceTypes: ["m7i.large"], efa: true }),
      "nodePools[7].instanceTypes[0]: pool 'efa-small' has efa: true, but m7i.large does not support EFA: m7i supports it on 48xlarge, metal-48xl",
    ],
    [
      "time-slicing on a pool tenants share",
      (c) => (c.nodePools[2] = { ...c.nodePools[2], mig: undefined, instanceTypes: ["g6e.2xlarge"], timeSlicing: { replicas: 4 } }),
      "nodePools[2].timeSlicing: is refused on pool 'inference', which more than one tenant may use (it names no tenant): time-sliced pods share a GPU's memory with no isolation; use mig, or dedicate the pool",
    ],
    [
      "a MIG profile of another GPU",
      (c) => (c.nodePools[2] = { ...c.nodePools[2], mig: { profile: "3g.40gb" } }),
      "nodePools[2].mig.profile: '3g.40gb' is not a MIG profile of the a100.40gb GPU of p4d.24xlarge: one of 1g.5gb, 2g.10gb, 3g.20gb, 7g.40gb",
    ],
    [
      "MIG on a GPU without it",
      (c) => (c.nodePools[2] = { ...c.nodePools[2], instanceTypes: ["g6e.2xlarge"] }),
      "nodePools[2].mig.profile: g6e.2xlarge has no GPU that Bottlerocket partitions with MIG: only A100 (p4d, p4de), H100 (p5) and H200 (p5e, p5en)",
    ],
    [
      "MIG on a Bottlerocket release without it",
      (c) => (c.nodePools[2] = { ...c.nodePools[2], releaseVersion: "1.33.0-0123abcd" }),
      "nodePools[2].releaseVersion: Bottlerocket 1.33.0-0123abcd is older than 1.34.0, the first release with MIG partitioning, which pool 'inference' needs",
    ],
    [
      "MIG on a training pool",
      (c) => (c.nodePools[1] = { ...c.nodePools[1], mig: { profile: "3g.40gb" } }),
      "nodePools[1].mig: training pools keep whole GPUs; pool 'training' is a training pool",
    ],
    [
      "zones of another region",
      (c) => Object.assign(c, { region: "eu-central-1", availabilityZones: ["eu-west-1a", "eu-west-1b"] }),
      "availabilityZones[0]: eu-west-1a is not a zone of the platform's region eu-central-1",
    ],
    ["a missing field", (c) => delete (c as Partial<PlatformConfigInput>).name, "name: required"],
    [
      "a landing zone VPC that is not a VPC id",
      (c) =>
        (c.landingZone = {
          vpc: {
            vpcId: "my-vpc",
            privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
            endpointSecurityGroupId: "sg-0a1b2c3d4e5f60718",
            endpointServices: ["s3"],
          },
        }),
      "landingZone.vpc.vpcId: must be a VPC id such as vpc-0abc12345def67890",
    ],
    [
      "a landing zone endpoint named by something other than its id",
      (c) =>
        (c.landingZone = {
          vpc: {
            vpcId: "vpc-0a1b2c3d4e5f60718",
            privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
            endpointSecurityGroupId: "sg-0a1b2c3d4e5f60718",
            endpointServices: ["s3"],
            endpointIds: { s3: "s3-gateway" },
          },
        }),
      "landingZone.vpc.endpointIds.s3: must be an endpoint id such as vpce-0abc12345def67890",
    ],
    [
      "alert emails beside a landing zone's topic",
      (c) => (c.landingZone = { alertTopicArn: "arn:aws:sns:eu-west-1:999988887777:lz-security-alerts" }),
      "detection.alertEmails: must be empty, with detection.alertSubscriptions, when landingZone.alertTopicArn names the topic findings go to: its subscribers are the landing zone's",
    ],
    [
      "an organization trail that is not a trail ARN",
      (c) => (c.landingZone = { organizationTrailArn: "org-trail" }),
      "landingZone.organizationTrailArn: must be a CloudTrail trail ARN",
    ],
    [
      "an EKS version out of standard support",
      (c) => (c.cluster = { ...c.cluster, version: "1.29" }),
      `cluster.version: 1.29 is not in EKS standard support; use one of ${SUPPORTED_EKS_VERSIONS.join(", ")}.`,
    ],
  ])("%s", (_what, change, expected) => {
    expect(problems(variant(change))).toContain(expected);
  });

  it("names every field at fault in one run, whatever else is wrong", () => {
    const found = problems(
      variant((c) => {
        delete (c as Partial<PlatformConfigInput>).name;
        c.audit = { ...c.audit, logRetentionDays: 500 };
        c.nodePools[2].instanceTypes = ["g9z.mega"];
        Object.assign(c, { region: "eu-central-1" });
        c.network = { ...c.network, serviceCidr: "10.40.128.0/20" };
      }),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        "name: required",
        expect.stringMatching(/^audit\.logRetentionDays: /),
        expect.stringMatching(/^nodePools\[2\]\.instanceTypes\[0\]: g9z\.mega/),
        "availabilityZones[0]: eu-west-1a is not a zone of the platform's region eu-central-1",
        "network.serviceCidr: 10.40.128.0/20 overlaps the VPC range 10.40.0.0/16",
      ]),
    );
  });

  it("accepts the reference platform and fills in its defaults", () => {
    const config = definePlatform(DEFAULT_CONFIG);
    expect(config.network.egress).toBe("none");
    expect(config.audit.logRetentionDays).toBe(365);
  });
});

describe("instance capability table", () => {
  it("knows what each type can do", () => {
    expect(instanceCapabilities("p5.48xlarge")).toEqual({
      architecture: "x86_64",
      accelerator: "nvidia",
      efa: true,
      sevSnp: false,
      nitroEnclaves: true,
    });
    expect(instanceCapabilities("m6a.2xlarge")).toMatchObject({ accelerator: undefined, efa: false, sevSnp: true, nitroEnclaves: true });
    expect(instanceCapabilities("g9z.mega")).toBeUndefined();
    expect(instanceTypeProblem("m7i.mega")).toMatch(/'mega' is not an instance size/);
    expect(efaProblem("c5n.18xlarge")).toBeUndefined();
  });

  it("knows every type the examples use", () => {
    for (const pool of DEFAULT_CONFIG.nodePools) for (const type of pool.instanceTypes) expect(instanceTypeProblem(type)).toBeUndefined();
  });
});

describe("the config's JSON Schema", () => {
  const schema = platformConfigJsonSchema();

  it("describes every field, so editors show help", () => {
    const missing: string[] = [];
    eachProperty(schema, (path, property) => {
      if (typeof property.description !== "string" || property.description.length === 0) missing.push(path);
    });
    // A field added to the schema needs its line in stacks/config/descriptions.ts.
    expect(missing).toEqual([]);
    expect(schema.description).toBe(CONFIG_DESCRIPTIONS[""]);
  });

  it("lists no description for a field that does not exist", () => {
    const paths = new Set<string>([""]);
    eachProperty(schema, (path) => paths.add(path));
    expect(Object.keys(CONFIG_DESCRIPTIONS).filter((p) => !paths.has(p))).toEqual([]);
  });
});

describe("stacks take the config as written", () => {
  it("refuses a landing zone the inference entry cannot use, naming the field", () => {
    const vpc = {
      vpcId: "vpc-0a1b2c3d4e5f60718",
      privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
      endpointSecurityGroupId: "sg-0a1b2c3d4e5f60718",
      endpointServices: ["s3"],
    };
    expect(
      () =>
        new PlatformStack(
          Testing.app(),
          "platform",
          variant((c) => (c.landingZone = { vpc })),
        ),
    ).toThrow(
      "platform: config: landingZone.vpc.loadBalancerSubnets must name the internal load balancer's subnets when inference is configured.",
    );
    expect(
      () =>
        new PlatformStack(
          Testing.app(),
          "platform",
          variant((c) => (c.landingZone = { accessLogBucketName: "lz-log-archive" })),
        ),
    ).toThrow("platform: config: landingZone.accessLogBucketName cannot be used with inference");
  });

  it("a literal works: defaults are applied inside, and a wrong one names its field", () => {
    const app = Testing.app();
    const platform = new PlatformStack(app, "platform", DEFAULT_CONFIG);
    expect(platform.config.audit.logRetentionDays).toBe(365);
    expect(
      () =>
        new PlatformStack(
          Testing.app(),
          "platform",
          variant((c) => (c.audit = { ...c.audit, logRetentionDays: 500 })),
        ),
    ).toThrow(/^platform: config: invalid platform config:\n {2}audit\.logRetentionDays: must be one of/);
  });
});
