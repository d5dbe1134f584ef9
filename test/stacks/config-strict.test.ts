import { DEFAULT_CONFIG } from "../../stacks/config/default";
import { definePlatform } from "../../stacks/config/define";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { platformConfigOf } from "../../stacks/config/define";
import { eachProperty } from "../../stacks/config/json-schema";
import { formatIssues, isValidatedConfig, loadConfigFile, parseConfig, resolveConfig } from "../../stacks/config/load";
import { PlatformConfigInput } from "../../stacks/config/schema";

// Pure schema checks (no synth): the config is where a misspelt or weakened security setting first gets in.

/** The reference config with every optional object present, so each object of the schema is reached. */
const FULL: PlatformConfigInput = {
  ...structuredClone(DEFAULT_CONFIG),
  nodePools: DEFAULT_CONFIG.nodePools.map((p, i) => (i === 0 ? { ...p, capacity: { type: "ON_DEMAND" as const } } : structuredClone(p))),
  governance: {
    ...DEFAULT_CONFIG.governance,
    organization: { managementRoleArn: "arn:aws:iam::111122223333:role/org-admin", targetIds: ["111122223333"] },
  },
  detection: {
    alertEmails: ["security-operations@example.com"],
    alertSubscriptions: [{ protocol: "https", endpoint: "https://alerts.example.com/hook" }],
  },
  state: { bucket: "ai-platform-tfstate" },
  audit: {
    ...DEFAULT_CONFIG.audit,
    archive: { accountId: "444455556666", roleArn: "arn:aws:iam::444455556666:role/log-archive-deployer" },
  },
  backup: { retentionDays: 35 },
  kubernetes: { signatureVerifier: {} },
};

/** The problems parseConfig reports, one `path: message` per line. */
function problems(input: unknown): string[] {
  try {
    parseConfig(input, "test config");
  } catch (error) {
    return (error as Error).message
      .split("\n")
      .slice(1)
      .map((l) => l.trim());
  }
  return [];
}

const variant = (change: (c: PlatformConfigInput) => void): PlatformConfigInput => {
  const config = structuredClone(FULL);
  change(config);
  return config;
};

/** Every plain object in a value, with its path as the config's error messages write it. */
function objectPaths(value: unknown, path = ""): Array<{ path: string; object: Record<string, unknown> }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => objectPaths(v, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  const object = value as Record<string, unknown>;
  return [{ path, object }, ...Object.entries(object).flatMap(([k, v]) => objectPaths(v, path ? `${path}.${k}` : k))];
}

describe("the config schema is strict at every level", () => {
  it("accepts the full reference config", () => {
    expect(problems(FULL)).toEqual([]);
  });

  // Record-valued fields take any key of their kind; every other object must refuse a key it does not know.
  const records = new Set(["tags", "kubernetes.signatureVerifier.images", "attestation.pcrs"]);
  const paths = objectPaths(FULL).filter((p) => !records.has(p.path));

  it("reaches the nested objects (pools, their scaling and capacity, governance's organization, inference's CA bundle)", () => {
    expect(paths.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        "",
        "network",
        "nodePools[0]",
        "nodePools[0].scaling",
        "nodePools[0].capacity",
        "governance.organization",
        "inference.clientCertificateAuthorities",
        "attestation.workloads[0]",
        "detection.alertSubscriptions[0]",
        "storage.publishers",
        "kubernetes.signatureVerifier",
        "tenants[1]",
      ]),
    );
  });

  it.each(paths.map((p) => [p.path || "(top level)", p.path]))("refuses an unknown key in %s", (_label, at) => {
    const config = structuredClone(FULL) as Record<string, unknown>;
    const target = objectPaths(config).find((p) => p.path === at)!.object;
    target.encryptionDisabled = true;
    expect(problems(config)).toEqual([`${at || "(top level)"}: Unrecognized key: "encryptionDisabled"`]);
  });
});

describe("the network ranges", () => {
  it.each([
    ["the service range inside the VPC", "10.40.0.0/16", "10.40.8.0/24"],
    ["the VPC inside the service range", "10.40.0.0/16", "10.0.0.0/8"],
    ["the same range", "10.40.0.0/16", "10.40.0.0/16"],
    ["a range sharing the VPC's last block", "10.40.0.0/16", "10.40.255.0/24"],
  ])("refuses %s", (_what, cidr, serviceCidr) => {
    expect(problems(variant((c) => (c.network = { cidr, serviceCidr })))).toEqual([
      `network.serviceCidr: ${serviceCidr} overlaps the VPC range ${cidr}`,
    ]);
  });

  it.each([
    ["the block just after the VPC", "10.40.0.0/16", "10.41.0.0/16"],
    ["the block just before the VPC", "10.40.0.0/16", "10.39.0.0/16"],
    ["the default service range", "10.40.0.0/16", undefined],
  ])("accepts %s", (_what, cidr, serviceCidr) => {
    expect(problems(variant((c) => (c.network = serviceCidr ? { cidr, serviceCidr } : { cidr })))).toEqual([]);
  });

  it("refuses a range with host bits set, and one that is not a CIDR", () => {
    const message = "must be an IPv4 CIDR block such as 10.0.0.0/16, with no host bits set";
    expect(problems(variant((c) => (c.network = { cidr: "10.40.0.1/16" })))).toEqual([`network.cidr: ${message}`]);
    expect(problems(variant((c) => (c.network = { cidr: "10.40.0.0/33" })))).toEqual([`network.cidr: ${message}`]);
    expect(problems(variant((c) => (c.network = { cidr: "10.40.0.0" })))).toEqual([`network.cidr: ${message}`]);
  });

  it("refuses an inference entry open to every address, and names which one", () => {
    const open = variant((c) => (c.inference!.allowedCidrs = ["10.40.0.0/16", "0.0.0.0/0"]));
    expect(problems(open)).toEqual(["inference.allowedCidrs[1]: must not admit every address; the inference entry is internal"]);
    expect(problems(variant((c) => (c.inference!.allowedCidrs = ["0.0.0.0/1", "128.0.0.0/1"])))).toEqual([]);
  });
});

describe("thresholds at the boundary", () => {
  it.each([
    [(c: PlatformConfigInput) => (c.audit = { ...c.audit, logRetentionDays: 365 }), []],
    [
      (c: PlatformConfigInput) => (c.audit = { ...c.audit, logRetentionDays: 180 }),
      [
        "audit.logRetentionDays: must be one of 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (the retention periods CloudWatch Logs accepts, of a year or more)",
      ],
    ],
    [(c: PlatformConfigInput) => (c.audit = { ...c.audit, objectLockDays: 365 }), []],
    [(c: PlatformConfigInput) => (c.audit = { ...c.audit, objectLockDays: 364 }), ["audit.objectLockDays: must be at least 365 days"]],
    [(c: PlatformConfigInput) => (c.audit = { ...c.audit, objectLockDays: 36500 }), []],
    [(c: PlatformConfigInput) => (c.audit = { ...c.audit, objectLockDays: 36501 }), ["audit.objectLockDays: must be at most 36500 days"]],
    [(c: PlatformConfigInput) => (c.backup = { minRetentionDays: 7, retentionDays: 7 }), []],
    [
      (c: PlatformConfigInput) => (c.backup = { minRetentionDays: 6, retentionDays: 7 }),
      ["backup.minRetentionDays: must be at least 7 days"],
    ],
    [
      (c: PlatformConfigInput) => (c.backup = { minRetentionDays: 36, retentionDays: 35 }),
      ["backup.retentionDays: must be at least minRetentionDays (36)"],
    ],
    [(c: PlatformConfigInput) => (c.storage = { ...c.storage, modelObjectLockDays: 1 }), []],
    [
      (c: PlatformConfigInput) => (c.storage = { ...c.storage, modelObjectLockDays: 0 }),
      ["storage.modelObjectLockDays: must be at least 1 days"],
    ],
    [(c: PlatformConfigInput) => (c.inference!.rateLimit = 10), []],
    [(c: PlatformConfigInput) => (c.inference!.rateLimit = 9), ["inference.rateLimit: Too small: expected number to be >=10"]],
    [(c: PlatformConfigInput) => (c.nodePools[0].scaling = { min: 2, desired: 2, max: 2 }), []],
    [
      (c: PlatformConfigInput) => (c.nodePools[0].scaling = { min: 3, desired: 2, max: 4 }),
      ["nodePools[0].scaling: must satisfy min <= desired <= max"],
    ],
    [
      (c: PlatformConfigInput) => (c.nodePools[0].scaling = { min: 1, desired: 5, max: 4 }),
      ["nodePools[0].scaling: must satisfy min <= desired <= max"],
    ],
    [(c: PlatformConfigInput) => (c.nodePools[0].diskSizeGiB = 20), []],
    [(c: PlatformConfigInput) => (c.nodePools[0].diskSizeGiB = 19), ["nodePools[0].diskSizeGiB: Too small: expected number to be >=20"]],
  ])("case %#", (change, expected) => {
    expect(problems(variant(change))).toEqual(expected);
  });
});

describe("fields across the config", () => {
  describe("the log-archive account", () => {
    const ROLE = "arn:aws:iam::444455556666:role/log-archive-deployer";
    const archived = (archive: Record<string, unknown>, change: (c: PlatformConfigInput) => void = () => {}) =>
      variant((c) => {
        c.audit = { ...c.audit, archive: archive as never };
        change(c);
      });

    it("accepts an archive account with its own role, keys' administrators and break-glass role", () => {
      expect(
        problems(
          archived({
            accountId: "444455556666",
            roleArn: ROLE,
            keyAdministrators: ["arn:aws:iam::444455556666:role/archive-key-admin"],
            breakGlassRoleArn: "arn:aws:iam::444455556666:role/archive-break-glass",
          }),
        ),
      ).toEqual([]);
    });

    it("refuses a role of another account than the archive's", () => {
      expect(problems(archived({ accountId: "444455556666", roleArn: "arn:aws:iam::555566667777:role/log-archive-deployer" }))).toEqual([
        "audit.archive.roleArn: must be a role in the archive account 444455556666 (audit.archive.accountId), got one in account 555566667777",
      ]);
      expect(problems(archived({ accountId: "4444", roleArn: ROLE }))).toEqual([
        "audit.archive.accountId: must be a 12-digit AWS account id",
      ]);
    });

    it("refuses an archive beside the landing zone's organization trail", () => {
      const both = archived({ accountId: "444455556666", roleArn: ROLE }, (c) => {
        c.landingZone = { organizationTrailArn: "arn:aws:cloudtrail:eu-west-1:999999999999:trail/org" };
      });
      expect(problems(both)).toEqual([
        "audit.archive: cannot be used with landingZone.organizationTrailArn: the organization's trail already delivers to the landing zone's log archive; set one or the other",
      ]);
    });

    it("refuses the platform's own account, or the management account, as the archive", () => {
      expect(problems(archived({ accountId: "111122223333", roleArn: "arn:aws:iam::111122223333:role/log-archive-deployer" }))).toEqual([
        "audit.archive.accountId: 111122223333 is the account of governance.deployerRoleArn; the log archive must be an account of its own, out of the platform's administrators' reach",
      ]);
      const management = archived({ accountId: "999999999999", roleArn: "arn:aws:iam::999999999999:role/log-archive-deployer" }, (c) => {
        c.governance.organization = { managementRoleArn: "arn:aws:iam::999999999999:role/org-admin", targetIds: ["111122223333"] };
      });
      expect(problems(management)).toEqual([
        "audit.archive.accountId: 999999999999 is the account of governance.organization.managementRoleArn; the log archive must be an account of its own, out of the platform's administrators' reach",
      ]);
    });
    it.each(["x444455556666", "444455556666x"])("reports a malformed account id %p once, on the field, not as a mismatch", (accountId) => {
      expect(problems(archived({ accountId, roleArn: ROLE }))).toEqual(["audit.archive.accountId: must be a 12-digit AWS account id"]);
    });

    it("refuses the break-glass role's account and the certificate's account as the archive, naming the field", () => {
      const glass = archived({ accountId: "444455556666", roleArn: ROLE }, (c) => {
        c.governance.breakGlassRoleArn = "arn:aws:iam::444455556666:role/platform-break-glass";
      });
      expect(problems(glass)).toEqual([
        "audit.archive.accountId: 444455556666 is the account of governance.breakGlassRoleArn; the log archive must be an account of its own, out of the platform's administrators' reach",
      ]);
      const certificate = archived({ accountId: "444455556666", roleArn: ROLE }, (c) => {
        c.inference = {
          ...c.inference!,
          certificateArn: "arn:aws:acm:eu-west-1:444455556666:certificate/00000000-0000-4000-8000-000000000000",
        };
      });
      expect(problems(certificate)).toEqual([
        "audit.archive.accountId: 444455556666 is the account of inference.certificateArn; the log archive must be an account of its own, out of the platform's administrators' reach",
      ]);
    });
  });

  it("refuses a break-glass role that is the deployer", () => {
    const same = variant((c) => (c.governance.breakGlassRoleArn = c.governance.deployerRoleArn));
    expect(problems(same)).toEqual([
      "governance.breakGlassRoleArn: must differ from deployerRoleArn: the role that deploys every day must not be able to disable or delete keys",
    ]);
  });

  // Whether alerts reach nobody is the platform stack's check (test/stacks/platform-stack-props.test.ts): a topic may come in code.
  it("accepts a config with an alert subscription only", () => {
    expect(
      problems(
        variant((c) => (c.detection = { alertSubscriptions: [{ protocol: "https", endpoint: "https://alerts.example.com/hook" }] })),
      ),
    ).toEqual([]);
  });

  it("refuses a role in two tenants, a system group, and a tenant declared twice", () => {
    const arn = "arn:aws:iam::111122223333:role/fraud-ml-engineers";
    const twice = variant((c) => {
      c.tenants![1].principalArns = [arn];
      c.tenants![1].groups = ["system:masters"];
    });
    expect(problems(twice)).toEqual([
      `tenants[1].groups[0]: 'system:masters' is a Kubernetes system group; tenants get their own groups`,
      `tenants[1].principalArns[0]: ${arn} already works in tenant 'fraud-models'; a role works in one tenant only`,
    ]);
    const declaredTwice = variant((c) =>
      c.tenants!.push({ ...structuredClone(c.tenants![0]), principalArns: ["arn:aws:iam::111122223333:role/other"] }),
    );
    expect(problems(declaredTwice)).toEqual(["tenants[2].name: tenant 'fraud-models' is declared twice"]);
  });

  it("refuses zones of two kinds of mistake, and a duplicated zone", () => {
    expect(problems(variant((c) => (c.availabilityZones = ["eu-west-1a", "eu-west-1a"])))).toEqual([
      "availabilityZones: must not list a zone twice",
    ]);
    expect(problems(variant((c) => (c.availabilityZones = ["eu-west-1a"])))).toEqual([
      "availabilityZones: must list at least two availability zones",
    ]);
  });

  it("names a missing required field as required, at its path, and a wrong top level once", () => {
    const { governance: _g, ...noGovernance } = structuredClone(FULL);
    expect(problems(noGovernance)).toEqual([
      "governance: required: the deploying role (deployerRoleArn) and the break-glass role (breakGlassRoleArn) that administer the keys",
    ]);
    expect(problems(variant((c) => delete (c.network as Partial<typeof c.network>).cidr))).toEqual(["network.cidr: required"]);
    expect(problems("not a config")).toEqual(["(top level): Invalid input: expected object, received string"]);
  });

  it("returns the parsed config with its defaults, and names the source in the error", () => {
    const config = definePlatform(structuredClone(DEFAULT_CONFIG));
    expect(config.network.serviceCidr).toBe("172.20.0.0/16");
    expect(config.audit.logRetentionDays).toBe(365);
    expect(config.backup).toEqual({ minRetentionDays: 35, retentionDays: 35 });
    expect(() => definePlatform({ ...structuredClone(DEFAULT_CONFIG), name: "Bad" }, "team.yaml")).toThrow(
      "team.yaml: invalid platform config:\n  name: must be lower-case letters, digits and dashes, starting with a letter (at most 21)",
    );
  });

  it("formats nested paths with brackets for indexes and dots for keys", () => {
    const result = {
      issues: [
        { path: ["nodePools", 2, "instanceTypes", 0], message: "m" },
        { path: [], message: "top" },
      ],
    };
    expect(formatIssues(result as never)).toBe("  nodePools[2].instanceTypes[0]: m\n  (top level): top");
  });
});

describe("loading a config", () => {
  const write = (text: string) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "saip-config-")), "platform.yaml");
    writeFileSync(file, text);
    return file;
  };

  it("refuses a file it cannot read, malformed or duplicated YAML, naming the file", () => {
    const missing = path.join(tmpdir(), "saip-no-such-config.yaml");
    expect(() => loadConfigFile(missing)).toThrow(`${missing}: cannot read the platform config: ENOENT`);
    const duplicated = write("name: a\nname: b\n");
    expect(() => loadConfigFile(duplicated)).toThrow(
      new RegExp(`^${duplicated.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: malformed YAML: Map keys must be unique`),
    );
    const wrong = write("name: Bad\n");
    expect(() => loadConfigFile(wrong)).toThrow(`${wrong}: invalid platform config:\n`);
  });

  it("reads a valid file, and the embedded reference config when none is named", () => {
    const file = write(JSON.stringify(DEFAULT_CONFIG));
    const { config, source } = resolveConfig(file);
    expect(source).toBe(file);
    expect(config.name).toBe("ai-platform");
    expect(isValidatedConfig(config)).toBe(true);
    expect(resolveConfig(undefined).source).toBe("embedded default config");
  });

  it("validates an object literal a stack is given, and passes a validated one through as it is", () => {
    const validated = definePlatform(structuredClone(DEFAULT_CONFIG));
    expect(platformConfigOf(validated, "stack")).toBe(validated);
    expect(isValidatedConfig(structuredClone(validated))).toBe(false);
    expect(isValidatedConfig(null)).toBe(false);
    expect(platformConfigOf(structuredClone(DEFAULT_CONFIG), "stack").name).toBe("ai-platform");
    expect(() => platformConfigOf({ ...structuredClone(DEFAULT_CONFIG), name: "Bad" }, "platform stack")).toThrow(
      /^platform stack: invalid platform config:\n {2}name: /,
    );
  });
});

describe("the config's JSON Schema walk", () => {
  it("visits properties, array items and the branches of anyOf, oneOf and allOf, with their paths", () => {
    const seen: string[] = [];
    const schema = {
      properties: {
        a: { type: "string" },
        b: { items: { properties: { c: { type: "number" } } } },
        d: { anyOf: [{ properties: { e: {} } }, { oneOf: [{ properties: { f: {} } }] }], allOf: [{ properties: { g: {} } }] },
        h: "not a node",
      },
    };
    eachProperty(schema, (p) => seen.push(p));
    expect(seen).toEqual(["a", "b", "b[].c", "d", "d.e", "d.f", "d.g"]);
    eachProperty([schema], (p) => seen.push(`again ${p}`));
    eachProperty(null, (p) => seen.push(`again ${p}`));
    expect(seen).toHaveLength(7);
  });
});

describe("checks across fields, each on its own", () => {
  const GPU = "g6e.xlarge";
  it.each<[string, (c: PlatformConfigInput) => void]>([
    ["a zone of another region", (c) => (c.availabilityZones = ["eu-west-1a", "eu-central-1b"])],
    ["two pools of one name", (c) => c.nodePools.push({ ...structuredClone(c.nodePools[0]) })],
    ["a pool for a tenant that does not exist", (c) => (c.nodePools[6].tenant = "nobody")],
    ["a tenant's pool that does not exist", (c) => (c.tenants![1].pool = "nowhere")],
    ["a tenant's pool dedicated to another tenant", (c) => (c.tenants![0].pool = "research-inference")],
    [
      "a GPU quota on shared pools when no shared pool has GPUs",
      (c) => (c.nodePools = c.nodePools.filter((p) => p.tenant || !/^(g|p)\d/.test(p.instanceTypes[0]))),
    ],
    ["a pool whose node image family has no release", (c) => (c.nodeImages = { bottlerocket: c.nodeImages!.bottlerocket })],
    ["a registry without publishers", (c) => (c.registry = {})],
    [
      "a subscription whose endpoint does not fit its protocol",
      (c) => (c.detection!.alertSubscriptions = [{ protocol: "sqs", endpoint: "https://x.example" }]),
    ],
    ["a bucket without a publisher", (c) => (c.storage!.publishers = { ...c.storage!.publishers, models: [] })],
    ["an audit trail without auditors", (c) => (c.audit = { ...c.audit, auditors: [] })],
    ["an enclave pool without a measurement", (c) => (c.attestation = { workloads: c.attestation!.workloads })],
    [
      "an enclave workload of an unknown tenant",
      (c) => (c.attestation!.workloads = [{ tenant: "nobody", serviceAccount: "model-enclave" }]),
    ],
    [
      "an enclave workload on the tenant's own service account",
      (c) => (c.attestation!.workloads = [{ tenant: "fraud-models", serviceAccount: "inference" }]),
    ],
    [
      "an enclave workload listed twice",
      (c) => c.attestation!.workloads!.push({ tenant: "fraud-models", serviceAccount: "model-enclave" }),
    ],
    ["an enclave pool without the models bucket", (c) => (c.storage = { ...c.storage, buckets: ["datasets"] })],
    ["an enclave pool with no enclave workload", (c) => (c.attestation!.workloads = [])],
    [
      "a device plugin image in another region",
      (c) =>
        (c.kubernetes = { nvidiaDevicePluginImage: `111122223333.dkr.ecr.us-east-1.amazonaws.com/mirror/nvidia@sha256:${"a".repeat(64)}` }),
    ],
    ["a SEV-SNP pool on a type without it", (c) => (c.nodePools[4].instanceTypes = ["m7i.2xlarge"])],
    ["a SEV-SNP pool on Bottlerocket", (c) => (c.nodePools[4].amiType = "BOTTLEROCKET_x86_64")],
    ["an enclave pool on a GPU type", (c) => (c.nodePools[5].instanceTypes = [GPU])],
    ["an enclave pool on Bottlerocket", (c) => (c.nodePools[5].amiType = "BOTTLEROCKET_x86_64")],
    ["EFA on a type without it", (c) => (c.nodePools[0].efa = true)],
    ["types of two architectures in one pool", (c) => (c.nodePools[0].instanceTypes = ["m7i.xlarge", "m7g.xlarge"])],
    ["types of two accelerator kinds in one pool", (c) => (c.nodePools[3].instanceTypes = ["g6e.xlarge", "m7i.2xlarge"])],
    ["an AMI type that does not fit the instance types", (c) => (c.nodePools[0].amiType = "AL2023_ARM_64_STANDARD")],
    ["a capacity block without its reservation", (c) => (c.nodePools[1].capacity = { type: "CAPACITY_BLOCK" })],
    ["an EKS version out of support", (c) => (c.cluster = { ...c.cluster, version: "1.20" })],
  ])("refuses %s, naming only that field", (_what, change) => {
    const found = problems(variant(change));
    expect(found.length).toBeGreaterThan(0);
    expect(found).toMatchSnapshot();
  });

  it("accepts types of one architecture and accelerator in one pool, and a capacity block with its reservation", () => {
    expect(problems(variant((c) => (c.nodePools[0].instanceTypes = ["m7i.xlarge", "m6i.xlarge"])))).toEqual([]);
    expect(problems(variant((c) => (c.nodePools[1].capacity = { type: "CAPACITY_BLOCK", reservationId: "cr-0123abcd" })))).toEqual([]);
    expect(
      problems(
        variant(
          (c) =>
            (c.kubernetes = {
              nvidiaDevicePluginImage: `111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirror/nvidia@sha256:${"a".repeat(64)}`,
            }),
        ),
      ),
    ).toEqual([]);
  });
});
