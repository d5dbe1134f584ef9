import { Testing } from "cdktf";
import fc from "fast-check";
import { invokeAspects } from "cdktf/lib/synthesize/synthesizer";
import { efaProblem } from "../../constructs/aws/instance-capabilities";
import { stackJson } from "../../lib/compliance/aspect";
import { check } from "../../lib/compliance/engine";
import { ALL_RULES } from "../../lib/rules";
import { addDocument } from "../../lib/terraform/load";
import { JsonObject, TfModule } from "../../lib/terraform/model";
import { parseConfig } from "../../stacks/config/load";
import { PlatformConfigInput } from "../../stacks/config/schema";
import { buildPlatform } from "../../stacks/synth";

/** Cases in `npm test` (kept small for its time budget); SAIP_PROPERTY_RUNS asks for more, and .ci/run asks for 300. */
const RUNS = Number(process.env.SAIP_PROPERTY_RUNS ?? 15);

const ARN = (name: string) => `arn:aws:iam::111122223333:role/${name}`;
const SHA = "16774d1719a12c89b2074ed5fe96d1b0a7709cdc724a4a949891c36859a14efa1373eaec6fb359ef559b8da7259335db";

const gpuTypes = fc.constantFrom("p5.48xlarge", "p4d.24xlarge", "g6e.2xlarge", "g6.xlarge", "g5.12xlarge");
const cpuTypes = fc.constantFrom("m7i.xlarge", "c7i.2xlarge", "m6i.large");
const scaling = fc.integer({ min: 0, max: 3 }).chain((min) =>
  fc.record({
    min: fc.constant(min),
    desired: fc.integer({ min, max: min + 2 }),
    max: fc.integer({ min: Math.max(1, min + 2), max: min + 6 }),
  }),
);

const gpuPool = (name: string) =>
  gpuTypes.chain((type) =>
    fc.record({
      name: fc.constant(name),
      purpose: fc.constantFrom("training" as const, "inference" as const),
      instanceTypes: fc.constant<string[]>([type]),
      scaling,
      // EFA only where the type has it (g6e.2xlarge has none): the schema refuses it elsewhere.
      efa: efaProblem(type) ? fc.constant(false) : fc.boolean(),
      capacity: fc.oneof(
        fc.constant({ type: "ON_DEMAND" as const }),
        fc.constant({ type: "SPOT" as const }),
        fc.constant({ type: "CAPACITY_BLOCK" as const, reservationId: "cr-0123456789abcdef0" }),
      ),
    }),
  );

/** Valid configs across the schema's range: tenants, pools, capacity types, confidential modes, storage. */
const configs: fc.Arbitrary<PlatformConfigInput> = fc
  .record({
    zones: fc.integer({ min: 2, max: 3 }),
    egress: fc.constantFrom("none" as const, "nat" as const),
    gpuPools: fc
      .array(fc.constantFrom("gpu-a", "gpu-b", "gpu-c"), { minLength: 1, maxLength: 3 })
      .map((names) => [...new Set(names)])
      .chain((names) => fc.tuple(...names.map(gpuPool))),
    cpu: fc.option(
      fc.record({
        name: fc.constant("general"),
        purpose: fc.constant("general" as const),
        instanceTypes: fc.tuple(cpuTypes).map((t) => [...t]),
      }),
      { nil: undefined },
    ),
    snp: fc.boolean(),
    enclaves: fc.boolean(),
    tenants: fc.integer({ min: 0, max: 3 }),
    dedicate: fc.boolean(),
    buckets: fc.subarray(["datasets", "models", "checkpoints", "artifacts"] as const, { minLength: 1 }),
    fileSystem: fc.constantFrom("fsx-lustre" as const, "efs" as const, "none" as const),
    inference: fc.boolean(),
    alerts: fc.constantFrom("email" as const, "https" as const, "sqs" as const, "lambda" as const),
    // A log-archive account or none: the archive's resources are checked by the same mandatory rules.
    archive: fc.boolean(),
  })
  .map((c) => {
    const nodePools: NonNullable<PlatformConfigInput["nodePools"]> = [...c.gpuPools];
    if (c.cpu) nodePools.push(c.cpu);
    if (c.snp) nodePools.push({ name: "snp", purpose: "inference", instanceTypes: ["m6a.2xlarge"], confidential: "sev-snp" });
    if (c.enclaves)
      nodePools.push({ name: "enclaves", purpose: "inference", instanceTypes: ["m6i.2xlarge"], confidential: "nitro-enclaves" });
    const tenants = Array.from({ length: c.tenants }, (_, i) => ({
      name: `tenant-${i}`,
      groups: [`group-${i}`],
      principalArns: [ARN(`tenant-${i}-people`)],
      gpuQuota: i * 2,
    }));
    // Enclave workloads run in a tenant's namespace.
    if (c.enclaves && tenants.length === 0)
      tenants.push({ name: "tenant-0", groups: ["group-0"], principalArns: [ARN("tenant-0-people")], gpuQuota: 0 });
    if (c.dedicate && tenants.length > 0) {
      nodePools.push({ name: "dedicated", purpose: "inference", instanceTypes: ["g6.xlarge"], tenant: tenants[0].name });
      Object.assign(tenants[0], { pool: "dedicated" });
    }
    return {
      name: "prop",
      region: "eu-west-1",
      availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"].slice(0, c.zones),
      network: { cidr: "10.0.0.0/16", egress: c.egress },
      keyAdministrators: [ARN("key-admin")],
      governance: { deployerRoleArn: ARN("deployer"), breakGlassRoleArn: ARN("break-glass") },
      cluster: { version: "1.35", admins: [ARN("admin")] },
      nodeImages: { bottlerocket: "1.34.0-18d04e52", al2023: "1.35.0-20260110" },
      nodePools,
      tenants,
      storage: {
        buckets: c.enclaves && !c.buckets.includes("models") ? [...c.buckets, "models" as const] : [...c.buckets],
        fileSystem: c.fileSystem,
        publishers: { datasets: [ARN("datasets-pipeline")], models: [ARN("models-pipeline")], artifacts: [ARN("build-pipeline")] },
      },
      audit: {
        auditors: [ARN("auditor")],
        archive: c.archive ? { accountId: "444455556666", roleArn: "arn:aws:iam::444455556666:role/log-archive-deployer" } : undefined,
      },
      registry: { publishers: [ARN("image-pipeline")] },
      inference: c.inference
        ? {
            certificateArn: "arn:aws:acm:eu-west-1:111122223333:certificate/abc-123",
            clientCertificateAuthorities: { bucket: "client-ca", key: "bundle.pem" },
            allowedCidrs: ["10.0.0.0/16"],
          }
        : undefined,
      attestation: c.enclaves ? { imageSha384: SHA, workloads: [{ tenant: "tenant-0", serviceAccount: "model-enclave" }] } : undefined,
      // Every platform needs someone its alerts reach; the receiver's kind varies.
      detection:
        c.alerts === "email"
          ? { alertEmails: ["secops@example.com"] }
          : {
              alertSubscriptions: [
                {
                  protocol: c.alerts,
                  endpoint:
                    c.alerts === "https"
                      ? "https://hooks.example.com/saip"
                      : `arn:aws:${c.alerts}:eu-west-1:111122223333:${c.alerts === "lambda" ? "function:" : ""}secops`,
                },
              ],
            },
    } satisfies PlatformConfigInput;
  });

/** A stack's Terraform JSON, as far as the mutation below reads it. */
type StackJson = { resource: Record<string, Record<string, unknown>> } & JsonObject;

/** Synthesizes every stack of a config in memory and returns the failing mandatory findings. */
function mandatoryFailures(input: PlatformConfigInput, mutate: (stack: string, json: StackJson) => void = () => undefined): string[] {
  const config = parseConfig(input, "generated config");
  const stacks = buildPlatform(Testing.app(), config);
  const modules = stacks.map((stack) => {
    const module = new TfModule(stack.node.id);
    // The aspects write waivers made in code into cdktf's `//` metadata, which
    // stackJson keeps (Testing.synth's output drops it); one toTerraform per stack.
    invokeAspects(stack);
    const json = stackJson(stack) as StackJson;
    mutate(stack.node.id, json);
    addDocument(module, json, `${stack.node.id}/cdk.tf.json`);
    return module;
  });
  // Each stack's rules read the stacks applied before it, as `saip check cdktf.out` does.
  stacks.forEach((stack, i) => modules[i].upstream.push(...stack.dependencies.map((d) => modules[stacks.indexOf(d)])));
  return check(modules, { rules: ALL_RULES })
    .findings.filter((f) => f.status === "fail" && f.severity === "mandatory")
    .map((f) => `${f.ruleId} ${f.resource}: ${f.message}`);
}

describe("secure by default", () => {
  it(`every valid config synthesizes with no failing mandatory finding (${RUNS} generated configs)`, () => {
    fc.assert(
      fc.property(configs, (config) => {
        expect(mandatoryFailures(config)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it("would notice a platform that is not secure by default (the property can fail)", () => {
    const [config] = fc.sample(configs, { numRuns: 1, seed: 1 });
    const failures = mandatoryFailures(config, (stack, json) => {
      if (stack !== "platform") return;
      for (const cluster of Object.values(json.resource.aws_eks_cluster) as Array<{ vpc_config: { endpoint_public_access: boolean } }>) {
        cluster.vpc_config.endpoint_public_access = true;
      }
    });
    expect(failures).toContainEqual(expect.stringMatching(/^aws-eks-private-endpoint aws_eks_cluster\./));
  });
});
