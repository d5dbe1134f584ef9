import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { check } from "../../lib/compliance/engine";
import { buildEvidence } from "../../lib/evidence/build";
import { verifyRecord } from "../../lib/evidence/verify";
import { ALL_RULES } from "../../lib/rules";
import { addDocument } from "../../lib/terraform/load";
import { TfModule } from "../../lib/terraform/model";
import { saip } from "./run";

const PLAIN = path.join(__dirname, "../fixtures/terraform/plain");

/** A copy of the plain fixture and an evidence record of it, made with `saip check --format evidence`. */
async function recorded(): Promise<{ dir: string; record: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), "saip-verify-"));
  for (const name of ["main.tf", "cluster.tf"]) copyFileSync(path.join(PLAIN, name), path.join(dir, name));
  const record = path.join(dir, "evidence.json");
  await saip("check", dir, "--format", "evidence", "--output", record);
  return { dir, record };
}

describe("saip verify", () => {
  it("passes while every file the record names holds the bytes it checked", async () => {
    const { dir, record } = await recorded();
    const { code, stdout } = await saip("verify", record);
    expect(code).toBe(0);
    expect(stdout).toContain(`ok           ${path.join(dir, "main.tf")}`);
    expect(stdout).toMatch(/every file holds the bytes the record checked\n$/);
  });

  it("fails naming a changed file with both digests, and a missing one", async () => {
    const { dir, record } = await recorded();
    writeFileSync(path.join(dir, "main.tf"), readFileSync(path.join(dir, "main.tf"), "utf8") + "\n# edited after the check\n");
    rmSync(path.join(dir, "cluster.tf"));
    const { code, stdout } = await saip("verify", record);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      new RegExp(
        `CHANGED      ${path.join(dir, "main.tf").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: SHA-256 [0-9a-f]{64}, the record says [0-9a-f]{64}`,
      ),
    );
    expect(stdout).toContain(`MISSING      ${path.join(dir, "cluster.tf")}`);
    expect(stdout).toMatch(/the files differ from what the record checked; its findings do not describe them\n$/);
  });

  it("fails on a stack the cdktf manifest lists that the record did not check (another app's synth into the same folder), with paths from --root", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "saip-verify-"));
    const stack = (name: string) => {
      mkdirSync(path.join(root, "cdktf.out/stacks", name), { recursive: true });
      writeFileSync(
        path.join(root, "cdktf.out/stacks", name, "cdk.tf.json"),
        JSON.stringify({ resource: { aws_kms_key: { k: { enable_key_rotation: true } } } }),
      );
    };
    stack("platform");
    const record = path.join(root, "evidence.json");
    const cwd = process.cwd();
    process.chdir(root);
    try {
      await saip("check", "cdktf.out/stacks/platform", "--format", "evidence", "--output", record);
      stack("other");
      const manifest = {
        stacks: {
          platform: { synthesizedStackPath: "stacks/platform/cdk.tf.json" },
          other: { synthesizedStackPath: "stacks/other/cdk.tf.json" },
        },
      };
      writeFileSync(path.join(root, "cdktf.out/manifest.json"), JSON.stringify(manifest));
      const { code, stdout } = await saip("verify", record);
      expect(code).toBe(1);
      expect(stdout).toContain("ok           cdktf.out/stacks/platform/cdk.tf.json");
      expect(stdout).toContain("NOT IN RECORD cdktf.out/stacks/other/cdk.tf.json: the manifest lists a stack the record did not check");
    } finally {
      process.chdir(cwd);
    }
    // From another folder, --root names the one the run was made in.
    const elsewhere = await saip("verify", record, "--root", root);
    expect(elsewhere.stdout).toContain("ok           cdktf.out/stacks/platform/cdk.tf.json");
    const empty = mkdtempSync(path.join(tmpdir(), "saip-verify-"));
    expect((await saip("verify", record, "--root", empty)).stdout).toContain("MISSING      cdktf.out/stacks/platform/cdk.tf.json");
  });

  it("checks the config file the record names, as the stacks", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "saip-verify-"));
    const config = path.join(dir, "platform.yaml");
    const stack = path.join(dir, "cdk.tf.json");
    writeFileSync(config, "name: ai-platform\n");
    writeFileSync(stack, JSON.stringify({ resource: { aws_kms_key: { k: { enable_key_rotation: true } } } }));
    const module = new TfModule("platform");
    addDocument(module, JSON.parse(readFileSync(stack, "utf8")), stack);
    const report = check([module], { rules: ALL_RULES });
    const record = buildEvidence(report, {
      rules: ALL_RULES,
      modules: [module],
      files: [{ module: "platform", file: stack, content: readFileSync(stack) }],
      version: "1.0.0",
      revision: null,
      config: { source: config, file: config, content: readFileSync(config) },
    });
    expect(record.config).toEqual({
      source: config,
      file: config,
      sha256: createHash("sha256").update("name: ai-platform\n").digest("hex"),
    });
    expect(verifyRecord(record, "/").ok).toBe(true);
    writeFileSync(config, "name: other-platform\n");
    const result = verifyRecord(record, "/");
    expect(result.ok).toBe(false);
    expect(result.lines[1]).toMatch(new RegExp(`^CHANGED      ${config.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: SHA-256 `));
  });

  it.each([
    ["a file that is not JSON", "not json", /malformed JSON/],
    ["JSON that is not a record", JSON.stringify({ findings: [] }), /not an evidence record: /],
  ])("rejects %s with exit 2", async (_what, content, message) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "saip-verify-")), "evidence.json");
    writeFileSync(file, content);
    const { code, stderr } = await saip("verify", file);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("rejects a record that cannot be read with exit 2", async () => {
    const { code, stderr } = await saip("verify", "/nonexistent/evidence.json");
    expect(code).toBe(2);
    expect(stderr).toBe("saip: /nonexistent/evidence.json: cannot read the evidence record: ENOENT\n");
  });
});
