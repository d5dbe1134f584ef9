import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { readRecord, verifyRecord } from "../../lib/evidence/verify";
import { describeSummary, synthesizePlatform } from "../../stacks/synth";
import { beyondSingleAccount } from "../single-account";

/** Every file below `dir`, relative path to content. */
function tree(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) Object.assign(out, tree(full, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = readFileSync(full, "utf8");
  }
  return out;
}

describe("the main job (npm run synth)", () => {
  const outdir = path.join(mkdtempSync(path.join(tmpdir(), "saip-main-")), "cdktf.out");
  // The evidence record names the time of the run; both runs of the determinism test name the same one.
  const now = new Date("2026-06-01T12:00:00Z");
  const summary = synthesizePlatform({ outdir, now });

  it("synthesizes every stack of the reference platform with no failing finding", () => {
    expect(summary.stacks.map((s) => s.name)).toEqual(expect.arrayContaining(["platform"]));
    expect(beyondSingleAccount(summary.report.findings.filter((f) => f.status === "fail"))).toEqual([]);
    expect(summary.report.findings.length).toBeGreaterThan(100);
    const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(summary.stacks.map((s) => s.name).sort());
  });

  it("writes the evidence reports beside the stacks", () => {
    const json = JSON.parse(readFileSync(path.join(outdir, "compliance/report.json"), "utf8"));
    expect(json.summary).toEqual(summary.report.summary);
    expect(readFileSync(path.join(outdir, "compliance/report.md"), "utf8")).toMatch(/^# Compliance evidence: ai-platform/);
    expect(JSON.parse(readFileSync(path.join(outdir, "compliance/report.sarif"), "utf8")).version).toBe("2.1.0");
  });

  it("writes the service control policies an organization attaches, each under AWS Organizations' size limit", () => {
    const dir = path.join(outdir, "governance");
    expect(readdirSync(dir).sort()).toEqual(["scp-audit.json", "scp-detection.json", "scp-keys.json"]);
    for (const file of readdirSync(dir)) {
      const document = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
      expect(JSON.stringify(document).length).toBeLessThanOrEqual(5120);
      expect(document.Statement.every((s: { Effect: string }) => s.Effect === "Deny")).toBe(true);
    }
    expect(readFileSync(path.join(dir, "scp-audit.json"), "utf8")).toContain('"arn:aws:cloudtrail:*:*:trail/ai-platform-audit"');
  });

  it("writes one evidence record, its schema, and JUnit and HTML rendered from it", () => {
    const compliance = (name: string) => readFileSync(path.join(outdir, "compliance", name), "utf8");
    const record = JSON.parse(compliance("evidence.json"));
    expect(record).toEqual(JSON.parse(JSON.stringify(summary.evidence)));
    expect(record).toMatchObject({
      tool: { name: "saip" },
      generatedAt: "2026-06-01T12:00:00.000Z",
      config: { source: "embedded default config", file: null },
    });
    expect(record.stacks.map((s: { module: string }) => s.module)).toEqual(summary.stacks.map((s) => s.name));
    expect(JSON.parse(compliance("evidence.schema.json")).title).toBe("saip evidence record");
    expect(compliance("report.junit.xml")).toMatch(/^<\?xml /);
    expect(compliance("report.html")).toContain(`<strong data-count="pass">${record.summary.pass}</strong>`);
    expect(compliance("report.md")).toContain("- Generated: 2026-06-01T12:00:00.000Z");
  });

  it("reports the reference config's placeholders as blocking deployment, while the design meets every requirement but the log archive", () => {
    const { readiness, requirements } = summary.evidence;
    expect(readiness.deployable).toBe(false);
    // The signature verifier adds AWS Signer's root certificate and three image digests (kubernetes.signatureVerifier).
    expect(readiness.blockers.map((b) => b.kind).sort()).toEqual([
      "documentation account",
      "example address",
      "example certificate",
      "example certificate",
      "placeholder measurement",
      "placeholder release",
      "placeholder release",
      "unverified digest",
      "unverified digest",
      "unverified digest",
      "unverified digest",
    ]);
    expect(
      readiness.blockers
        .filter((b) => b.kind === "placeholder release")
        .flatMap((b) => b.fields)
        .sort(),
    ).toEqual(["nodeImages.al2023", "nodeImages.bottlerocket"]);
    expect(readiness.blockers.filter((b) => b.kind === "example certificate").map((b) => b.fields)).toEqual([
      ["inference.certificateArn"],
      [],
    ]);
    expect(readiness.blockers.find((b) => b.kind === "placeholder measurement")?.fields).toEqual(["attestation.imageSha384"]);
    // Single-account by design: the audit storage shares the account it records, which every report says.
    expect(requirements.filter((r) => r.status !== "met").map((r) => [r.id, r.severity, r.status])).toEqual([
      ["AICP-AUDIT-05", "recommended", "not met"],
    ]);
    expect(requirements.find((r) => r.id === "AICP-TENANT-06")?.status).toBe("met");
  });

  it("writes a record saip verify accepts against the stacks it names", () => {
    const result = verifyRecord(readRecord(path.join(outdir, "compliance/evidence.json")), ".");
    expect(result.lines.filter((l) => !l.startsWith("ok"))).toEqual([]);
    expect(result.lines).toHaveLength(summary.stacks.length);
  });

  it("prints a summary of stacks, resources, requirements and waivers", () => {
    const text = describeSummary(summary);
    expect(text).toMatch(/^Synthesized \d+ stack\(s\) from the embedded default config into .*cdktf\.out\/:/);
    expect(text).toMatch(/platform: \d+ resources/);
    // AICP-TENANT-06 counts: its tenants exist and no cluster role binding could grant their groups rights. The one
    // not met is AICP-AUDIT-05 (recommended): the reference keeps its audit storage in the account it records.
    const all = summary.evidence.requirements.length;
    expect(text).toContain(`Compliance: ${all - 1} of ${all} requirements met (${all} in the catalogue)`);
    expect(text).toMatch(
      /\nFailing, not blocking the synth:\n {2}aws-audit-storage-separate-account on bootstrap: aws_backup_plan\.state_backup_plan: .*\n {2}aws-audit-storage-separate-account on platform: aws_cloudtrail\.audit_trail: /,
    );
    expect(text).toMatch(/Waivers:/);
    expect(text).toContain(
      "\nNode images: system BOTTLEROCKET_x86_64 1.50.0-00000000, training BOTTLEROCKET_x86_64_NVIDIA 1.50.0-00000000, ",
    );
    expect(text).toContain(
      "confidential AL2023_x86_64_STANDARD 1.35.0-00000000, enclaves AL2023_x86_64_STANDARD 1.35.0-00000000, research-training BOTTLEROCKET_x86_64_NVIDIA 1.50.0-00000000\n",
    );
    expect(text).toMatch(/\nDeployment readiness: BLOCKED: 11 placeholder values must be replaced before deploying: /);
    expect(text).toMatch(/Evidence: .*compliance\/evidence\.json, .*compliance\/report\.html/);
  });

  it("is deterministic: a second synth writes byte-identical files", () => {
    const again = path.join(mkdtempSync(path.join(tmpdir(), "saip-main-")), "cdktf.out");
    synthesizePlatform({ outdir: again, now });
    // Reports name their sources relative to the working directory; only the folder differs between the runs.
    const relative = (dir: string) => path.relative(process.cwd(), dir);
    const normalize = (files: Record<string, string>) =>
      JSON.parse(
        JSON.stringify(files)
          .split(again)
          .join("OUT")
          .split(outdir)
          .join("OUT")
          .split(relative(again))
          .join("OUT")
          .split(relative(outdir))
          .join("OUT"),
      );
    expect(normalize(tree(again))).toEqual(normalize(tree(outdir)));
  });
});

/** Every value of `depends_on` in a stack, wherever it stands. */
function dependsOnValues(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => dependsOnValues(v, out));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "depends_on" && Array.isArray(v)) out.push(...v.map(String));
      else dependsOnValues(v, out);
    }
  }
  return out;
}

describe("the synthesized Terraform", () => {
  const outdir = path.join(mkdtempSync(path.join(tmpdir(), "saip-tf-")), "cdktf.out");
  const { stacks } = synthesizePlatform({ outdir });

  it.each(stacks.map((s) => s.name))("%s names its dependencies as static addresses, which Terraform requires", (name) => {
    const json = JSON.parse(readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
    const values = dependsOnValues(json);
    if (name === "platform") expect(values.length).toBeGreaterThan(0);
    expect(values.filter((v) => !/^(data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+$/.test(v))).toEqual([]);
  });

  it.each(stacks.map((s) => s.name))("%s keeps the Terraform JSON it applies beside its state", (name) => {
    const json = JSON.parse(readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
    expect(json.resource.aws_s3_object.recovery_record).toMatchObject({
      bucket: "ai-platform-tfstate-eu-west-1",
      key: `recovery/${name}/cdk.tf.json`,
      source: "${path.module}/cdk.tf.json",
    });
    // The config is kept once, by the platform stack, as the synth validated it.
    const config = json.resource.aws_s3_object.config_record;
    if (name === "platform") expect(JSON.parse(config.content)).toMatchObject({ name: "ai-platform", governance: expect.any(Object) });
    else expect(config).toBeUndefined();
  });

  it("applies the platform stack after the bootstrap stack, whose bucket keeps its state, code and backups", () => {
    const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    expect(manifest.stacks.platform.dependencies).toEqual(["bootstrap"]);
  });
});

describe("synthesizing again", () => {
  it("replaces the previous output and its evidence in the same folder", () => {
    const outdir = path.join(mkdtempSync(path.join(tmpdir(), "saip-again-")), "cdktf.out");
    const now = new Date("2026-06-01T12:00:00Z");
    synthesizePlatform({ outdir, now });
    const first = tree(outdir);
    synthesizePlatform({ outdir, now });
    expect(tree(outdir)).toEqual(first);
  });
});

describe("a synth that fails", () => {
  it("leaves the last good output as it was, and keeps what terraform stored there", () => {
    const outdir = path.join(mkdtempSync(path.join(tmpdir(), "saip-fail-")), "cdktf.out");
    synthesizePlatform({ outdir });
    const lock = path.join(outdir, "stacks/platform/.terraform.lock.hcl");
    writeFileSync(lock, "# provider locks");
    const before = tree(outdir);
    const broken = path.join(path.dirname(outdir), "broken.yaml");
    // Valid config, but a pool that no construct can build: the error comes from synth, after validation.
    writeFileSync(
      broken,
      readFileSync(path.join(__dirname, "../../examples/edge-inference/platform.yaml"), "utf8").replace(
        /version: "1\.\d+"/,
        'version: "1.20"',
      ),
    );
    expect(() => synthesizePlatform({ outdir, configFile: broken })).toThrow();
    expect(tree(outdir)).toEqual(before);
    expect(readdirSync(path.dirname(outdir)).filter((name) => name.includes("staging"))).toEqual([]);
  });
});
