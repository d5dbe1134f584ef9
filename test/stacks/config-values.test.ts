import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { InputError } from "../../lib/terraform/load";
import { DEFAULT_CONFIG } from "../../stacks/config/default";
import { definePlatform, platformConfigOf } from "../../stacks/config/define";
import { CONFIG_DESCRIPTIONS } from "../../stacks/config/descriptions";
import { platformConfigJsonSchema } from "../../stacks/config/json-schema";
import { loadConfigFile, parseConfig } from "../../stacks/config/load";
import { keyAdministratorsOf, PlatformConfigInput } from "../../stacks/config/schema";

// The exact words of the config's errors and of its JSON Schema's help, which a user reads: pure, no synth.

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

describe("the config's error messages, word for word", () => {
  it("names the source a definePlatform call gives, and 'platform config' when it gives none", () => {
    expect(() => definePlatform({ ...structuredClone(DEFAULT_CONFIG), name: "Bad" })).toThrow(
      /^platform config: invalid platform config:\n {2}name: /,
    );
    expect(() => definePlatform({ ...structuredClone(DEFAULT_CONFIG), name: "Bad" }, "app.ts")).toThrow(
      /^app\.ts: invalid platform config:\n/,
    );
  });

  it("turns any other error while validating an object into an InputError naming where it came from", () => {
    const hostile = {
      get name(): string {
        throw new Error("boom");
      },
    };
    let thrown: unknown;
    try {
      platformConfigOf(hostile as never, "platform stack");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as Error).message).toBe("platform stack: boom");
  });

  it("gives the error code of a file it cannot read, alone", () => {
    const missing = path.join(tmpdir(), "saip-no-such-config.yaml");
    expect(() => loadConfigFile(missing)).toThrow(new RegExp(`^${escaped(missing)}: cannot read the platform config: ENOENT$`));
    const folder = mkdtempSync(path.join(tmpdir(), "saip-config-dir-"));
    mkdirSync(path.join(folder, "platform.yaml"));
    expect(() => loadConfigFile(path.join(folder, "platform.yaml"))).toThrow(/: cannot read the platform config: EISDIR$/);
  });

  it("gives the first line of a YAML error only, without the excerpt of the file", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "saip-config-")), "platform.yaml");
    writeFileSync(file, "name: a\nname: b\n");
    expect(() => loadConfigFile(file)).toThrow(new RegExp(`^${escaped(file)}: malformed YAML: Map keys must be unique$`));
  });
});

describe("the config's JSON Schema", () => {
  // Built inside each test: Stryker counts a mutant covered only by code a test runs.
  const schemaOf = () =>
    platformConfigJsonSchema() as { title: string; description: string; properties: Record<string, { description?: string }> };

  it("is titled, and described by the descriptions' top-level entry", () => {
    const schema = schemaOf();
    expect(schema.title).toBe("secure-ai-platform config");
    expect(schema.description).toBe(CONFIG_DESCRIPTIONS[""]);
    expect(schema.description.length).toBeGreaterThan(20);
  });

  it("gives each field the help written for it", () => {
    const schema = schemaOf();
    expect(schema.properties.tags.description).toBe(CONFIG_DESCRIPTIONS.tags);
    expect(schema.properties.landingZone.description).toBe(CONFIG_DESCRIPTIONS.landingZone);
  });
});

/** The problems parseConfig reports for the reference config changed by `change`, one `path: message` each. */
function problemsOf(change: (c: PlatformConfigInput) => void): string[] {
  const config = structuredClone(DEFAULT_CONFIG) as PlatformConfigInput;
  change(config);
  try {
    parseConfig(config, "test config");
  } catch (error) {
    return (error as Error).message
      .split("\n")
      .slice(1)
      .map((l) => l.trim());
  }
  return [];
}

describe("GPU sharing, node images and the fields around them, word for word", () => {
  const pools = (c: PlatformConfigInput) => c.nodePools;
  it.each<[string, (c: PlatformConfigInput) => void]>([
    ["MIG on an AL2023 image", (c) => (pools(c)[2].amiType = "AL2023_x86_64_NVIDIA")],
    ["MIG on a training pool", (c) => (pools(c)[1].mig = { profile: "3g.40gb" })],
    ["time-slicing on a tenant's pool", (c) => (pools(c)[3].timeSlicing = { replicas: 4 })],
    ["time-slicing beside MIG on a shared pool", (c) => (pools(c)[2].timeSlicing = { replicas: 2 })],
    ["a MIG profile of another GPU", (c) => (pools(c)[2].mig = { profile: "3g.40gb" })],
    [
      "a MIG pool of two GPU models",
      (c) => {
        pools(c)[2].instanceTypes = ["p4de.24xlarge", "p5.48xlarge"];
        pools(c)[2].mig = { profile: "1g.10gb" };
      },
    ],
    [
      "a Bottlerocket release older than time-slicing",
      (c) => {
        pools(c)[3].timeSlicing = { replicas: 4 };
        pools(c)[3].releaseVersion = "1.24.0-18d04e52";
      },
    ],
    ["a pool's own release that is not one", (c) => (pools(c)[0].releaseVersion = "latest")],
    [
      "a tenant named platform",
      (c) =>
        c.tenants!.push({
          name: "platform",
          groups: ["platform-team"],
          principalArns: ["arn:aws:iam::111122223333:role/platform-people"],
          gpuQuota: 0,
        }),
    ],
    ["no attestation while an enclave pool runs", (c) => delete c.attestation],
    [
      "an enclave pool measured by its PCRs only",
      (c) => (c.attestation = { ...c.attestation, imageSha384: undefined, pcrs: { "0": "a".repeat(96) } }),
    ],
    [
      "no enclave pool, no attestation",
      (c) => {
        c.nodePools = pools(c).filter((p) => p.confidential !== "nitro-enclaves");
        delete c.attestation;
      },
    ],
    [
      "no enclave pool, an attestation with no workload",
      (c) => {
        c.nodePools = pools(c).filter((p) => p.confidential !== "nitro-enclaves");
        c.attestation = { ...c.attestation, workloads: [] };
      },
    ],
    [
      "a landing zone's alert topic beside the platform's own subscribers",
      (c) => (c.landingZone = { alertTopicArn: "arn:aws:sns:eu-west-1:111122223333:findings" }),
    ],
    [
      "a landing zone's alert topic and no subscriber of the platform",
      (c) => {
        c.landingZone = { alertTopicArn: "arn:aws:sns:eu-west-1:111122223333:findings" };
        c.detection = { alertEmails: [] };
      },
    ],
    [
      "no GPU quota and no shared GPU pool",
      (c) => {
        c.nodePools = pools(c).filter((p) => p.tenant || !/^(g|p)\d/.test(p.instanceTypes[0]));
        c.tenants!.forEach((t) => (t.gpuQuota = 0));
      },
    ],
    ["no Bottlerocket release for a Bottlerocket pool", (c) => (c.nodeImages = { al2023: c.nodeImages!.al2023 })],
    ["a waiver review date that is no day", (c) => (c.kubernetes = { ...c.kubernetes, devicePluginWaiverExpires: "2027-02-30" })],
  ])("%s", (_what, change) => {
    expect(problemsOf(change)).toMatchSnapshot();
  });

  it("gives the key administrators and the deployer, each once", () => {
    const config = definePlatform(structuredClone(DEFAULT_CONFIG));
    expect(keyAdministratorsOf(config)).toEqual([...new Set([...config.keyAdministrators, config.governance.deployerRoleArn])]);
    expect(keyAdministratorsOf(config)).toContain(config.governance.deployerRoleArn);
    expect(keyAdministratorsOf({ ...config, keyAdministrators: [config.governance.deployerRoleArn] })).toEqual([
      config.governance.deployerRoleArn,
    ]);
  });
});
