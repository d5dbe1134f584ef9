import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { saip } from "./run";

const APP = `node ${path.join(__dirname, "../fixtures/apps/team-app.js")}`;
const outdirIn = () => path.join(mkdtempSync(path.join(tmpdir(), "saip-app-")), "cdktf.out");

describe("saip synth --app: reports from a team's own app", () => {
  it("runs the app, checks its stacks and writes the evidence folder, replacing an earlier run's", async () => {
    const outdir = outdirIn();
    mkdirSync(path.join(outdir, "compliance"), { recursive: true });
    writeFileSync(path.join(outdir, "compliance", "stale.txt"), "an earlier run");
    process.env.TEAM_APP_BUCKET = "1";
    const { code, stdout } = await saip("synth", "--app", APP, "--output", outdir).finally(() => delete process.env.TEAM_APP_BUCKET);
    // The bucket has no customer-managed key: a mandatory failure, exit 1, and the evidence says so.
    expect(code).toBe(1);
    expect(stdout).toContain(`Synthesized 1 stack(s) with \`${APP}\` into ${outdir}/:`);
    expect(stdout).toMatch(/\[aws-s3-bucket-cmk-encryption\] aws_s3_bucket\.Raw/);
    expect(existsSync(path.join(outdir, "compliance", "stale.txt"))).toBe(false);
    const record = JSON.parse(readFileSync(path.join(outdir, "compliance", "evidence.json"), "utf8"));
    expect(record.stacks.map((s: { module: string }) => s.module)).toEqual(["team"]);
    expect(record.verdict).toMatchObject({ passed: false });
  });

  it("a failing app is exit 1 and leaves the output as it was", async () => {
    const outdir = outdirIn();
    await expect(saip("synth", "--app", "node -e 'process.exit(3)'", "--output", outdir)).rejects.toThrow(/the app failed \(exit 3\)/);
    expect(existsSync(outdir)).toBe(false);
  });

  it("runs cdktf.json's app when --app names no command, as cdktf synth does", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "saip-app-json-"));
    writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: APP }));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const { code, stdout } = await saip("synth", "--app", "--output", "out");
      expect(code).toBe(0);
      expect(stdout).toContain(`Synthesized 1 stack(s) with \`${APP}\` into out/:`);
      expect(existsSync(path.join(dir, "out", "compliance", "evidence.json"))).toBe(true);
      writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ language: "typescript" }));
      const missing = await saip("synth", "--app");
      expect(missing.code).toBe(2);
      expect(missing.stderr).toBe("saip: cdktf.json: has no 'app' command to run\n");
    } finally {
      process.chdir(cwd);
    }
  });

  it("refuses --app with --config", async () => {
    const { code, stderr } = await saip("synth", "--app", APP, "--config", "platform.yaml");
    expect(code).toBe(2);
    expect(stderr).toMatch(/--app and --config: give one/);
  });
});
