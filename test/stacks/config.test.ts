import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { saip } from "../cli/run";
import { DEFAULT_CONFIG } from "../../stacks/config/default";
import { PlatformConfigInput, platformConfigSchema } from "../../stacks/config/schema";

const tmp = () => mkdtempSync(path.join(tmpdir(), "saip-config-"));

/** Writes a config and an output folder that already holds a previous synth, then runs `saip synth`. */
async function synthWith(configText: string) {
  const dir = tmp();
  const file = path.join(dir, "platform.yaml");
  writeFileSync(file, configText);
  const out = path.join(dir, "cdktf.out");
  mkdirSync(out);
  writeFileSync(path.join(out, "previous.txt"), "an earlier synth");
  const result = await saip("synth", "--config", file, "--output", out);
  return {
    ...result,
    file,
    untouched: readdirSync(out).join(",") === "previous.txt" && readFileSync(path.join(out, "previous.txt"), "utf8") === "an earlier synth",
  };
}

const variant = (change: (c: PlatformConfigInput) => void): string => {
  const config = structuredClone(DEFAULT_CONFIG) as PlatformConfigInput;
  change(config);
  return stringify(config);
};

describe("platform config errors", () => {
  it.each<[string, string, RegExp[]]>([
    ["malformed YAML", "name: [unclosed\nregion: eu-west-1\n", [/platform\.yaml: malformed YAML/]],
    [
      "wrong types",
      variant((c) => Object.assign(c, { availabilityZones: "eu-west-1a", cluster: { ...c.cluster, admins: "admin" } })),
      [/availabilityZones: /, /cluster\.admins: /],
    ],
    [
      "node images without a pinned release",
      variant((c) => {
        c.nodeImages = { bottlerocket: "latest" };
      }),
      [
        /nodeImages\.bottlerocket: 'latest' is not a release version of Bottlerocket such as 1\.34\.0-18d04e52/,
        /nodeImages\.al2023: required: the AL2023 release pool 'confidential' runs \(AL2023_x86_64_STANDARD\), pinned/,
      ],
    ],
    [
      "an AL2023 release for another Kubernetes version",
      variant((c) => Object.assign(c.nodePools[4], { releaseVersion: "1.34.3-20260110" })),
      [/nodePools\[4\]\.releaseVersion: AL2023 release 1\.34\.3-20260110 is not built for Kubernetes 1\.35/],
    ],
    ["no image publisher", variant((c) => delete c.registry), [/registry\.publishers: required: the CI roles that may push images/]],
    ["an unknown key", variant((c) => Object.assign(c.network, { egres: "nat" })), [/network: Unrecognized key: "egres"/]],
    [
      "SEV-SNP on a GPU type",
      variant((c) => c.nodePools.push({ name: "bad-snp", purpose: "inference", instanceTypes: ["p5.48xlarge"], confidential: "sev-snp" })),
      [/nodePools\[7\]\.instanceTypes\[0\]: pool 'bad-snp' is SEV-SNP: .*p5\.48xlarge/],
    ],
    [
      "a tenant named like the platform's log group",
      variant((c) =>
        c.tenants?.push({
          name: "platform",
          groups: ["g"],
          principalArns: ["arn:aws:iam::111122223333:role/platform-people"],
          gpuQuota: 0,
        }),
      ),
      [/tenants\[2\]\.name: 'platform' names the log group of the platform's own namespaces; choose another tenant name/],
    ],
    [
      "a tenant pinned to a pool that does not exist",
      variant((c) =>
        c.tenants?.push({
          name: "ghost",
          groups: ["g"],
          principalArns: ["arn:aws:iam::111122223333:role/ghost"],
          gpuQuota: 2,
          pool: "nowhere",
        }),
      ),
      [/tenants\[2\]\.pool: names pool 'nowhere', which is not in nodePools/],
    ],
    [
      "a GPU quota on shared pools when no shared GPU pool exists",
      variant((c) => {
        c.nodePools = c.nodePools.filter((p) => !["training", "inference"].includes(p.name));
      }),
      [/tenants\[0\]\.gpuQuota: tenant 'fraud-models' has a GPU quota on the shared pools, but no shared GPU pool exists/],
    ],
    [
      "overlapping network ranges",
      variant((c) => Object.assign(c.network, { serviceCidr: "10.40.128.0/20" })),
      [/network\.serviceCidr: 10\.40\.128\.0\/20 overlaps the VPC range 10\.40\.0\.0\/16/],
    ],
    [
      "an enclave pool without a measurement",
      variant((c) => delete c.attestation),
      [/attestation: a Nitro Enclaves pool needs the enclave image's measurement/],
    ],
    [
      "alert subscriptions that cannot work",
      variant((c) =>
        Object.assign(c, {
          detection: {
            alertSubscriptions: [
              { protocol: "https", endpoint: "http://hooks.example.com" },
              { protocol: "lambda", endpoint: "page-oncall" },
            ],
          },
        }),
      ),
      [
        /detection\.alertSubscriptions\[0\]\.endpoint: an https subscription needs an https:\/\/ URL, got 'http:\/\/hooks\.example\.com'/,
        /detection\.alertSubscriptions\[1\]\.endpoint: a lambda subscription needs a Lambda function ARN, got 'page-oncall'/,
      ],
    ],
    [
      "an alert protocol the platform does not offer",
      variant((c) => Object.assign(c, { detection: { alertSubscriptions: [{ protocol: "sms", endpoint: "+4412345" }] } })),
      [/detection\.alertSubscriptions\[0\]\.protocol: /],
    ],
    [
      "a state bucket S3 would refuse",
      variant((c) => Object.assign(c, { state: { bucket: "Platform_State" } })),
      [/state\.bucket: must be an S3 bucket name/],
    ],
  ])("rejects %s: every problem named by its path, exit 2, output untouched", async (_what, text, messages) => {
    const { code, stderr, stdout, untouched, file } = await synthWith(text);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(file);
    for (const message of messages) expect(stderr).toMatch(message);
    expect(untouched).toBe(true);
  });

  it("reports all errors at once", async () => {
    const { stderr } = await synthWith(variant((c) => Object.assign(c, { region: "Europe", keyAdministrators: [] })));
    expect(stderr).toMatch(/region: must be an AWS region/);
    expect(stderr).toMatch(/keyAdministrators: must name at least one key administrator/);
  });

  it("prints a JSON Schema of the config that rejects unknown keys", async () => {
    const { code, stdout } = await saip("schema");
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.required).toEqual(expect.arrayContaining(["name", "region", "network", "keyAdministrators", "cluster", "nodePools"]));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.nodePools.items.properties.confidential.enum).toEqual(["none", "sev-snp", "nitro-enclaves"]);
  });
});

describe("governance config", () => {
  const issues = (change: (c: PlatformConfigInput) => void) => {
    const config = structuredClone(DEFAULT_CONFIG) as PlatformConfigInput;
    change(config);
    const result = platformConfigSchema.safeParse(config);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  // KMS's lockout safety check refuses a key policy its caller could not put again: the deployer must be named.
  it("requires the deploying role and the break-glass role", () => {
    expect(issues((c) => delete (c as Partial<PlatformConfigInput>).governance)).toEqual([
      "governance: required: the deploying role (deployerRoleArn) and the break-glass role (breakGlassRoleArn) that administer the keys",
    ]);
    expect(
      issues((c) =>
        Object.assign(c, { governance: { deployerRoleArn: "arn:aws:iam::111122223333:user/deployer", breakGlassRoleArn: "break-glass" } }),
      ),
    ).toEqual(["governance.deployerRoleArn: must be an IAM role ARN", "governance.breakGlassRoleArn: must be an IAM role ARN"]);
  });

  it("refuses a deployer that is also the break-glass role", () => {
    const role = "arn:aws:iam::111122223333:role/platform-deployer";
    expect(issues((c) => Object.assign(c, { governance: { deployerRoleArn: role, breakGlassRoleArn: role } }))).toEqual([
      "governance.breakGlassRoleArn: must differ from deployerRoleArn: the role that deploys every day must not be able to disable or delete keys",
    ]);
  });
});
