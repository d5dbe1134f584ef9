import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describeSummary, synthesizePlatform } from "../../stacks/synth";

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
  const summary = synthesizePlatform({ outdir });

  it("synthesizes every stack of the reference platform with no failing finding", () => {
    expect(summary.stacks.map((s) => s.name)).toEqual(expect.arrayContaining(["platform"]));
    expect(summary.report.summary.fail).toBe(0);
    expect(summary.report.findings.length).toBeGreaterThan(100);
    const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toEqual(summary.stacks.map((s) => s.name));
  });

  it("writes the evidence reports beside the stacks", () => {
    const json = JSON.parse(readFileSync(path.join(outdir, "compliance/report.json"), "utf8"));
    expect(json.summary).toEqual(summary.report.summary);
    expect(readFileSync(path.join(outdir, "compliance/report.md"), "utf8")).toMatch(/^# Compliance evidence: ai-platform/);
    expect(JSON.parse(readFileSync(path.join(outdir, "compliance/report.sarif"), "utf8")).version).toBe("2.1.0");
  });

  it("prints a summary of stacks, resources, requirements and waivers", () => {
    const text = describeSummary(summary);
    expect(text).toMatch(/^Synthesized \d+ stack\(s\) from the embedded default config into .*cdktf\.out\/:/);
    expect(text).toMatch(/platform: \d+ resources/);
    expect(text).toMatch(/Compliance: (\d+) of \1 requirements met/);
    expect(text).toMatch(/Waivers:/);
  });

  it("is deterministic: a second synth writes byte-identical files", () => {
    const again = path.join(mkdtempSync(path.join(tmpdir(), "saip-main-")), "cdktf.out");
    synthesizePlatform({ outdir: again });
    // Reports name their sources relative to the working directory; only the folder differs between the runs.
    const relative = (dir: string) => path.relative(process.cwd(), dir);
    const normalize = (files: Record<string, string>) =>
      JSON.parse(JSON.stringify(files).split(again).join("OUT").split(outdir).join("OUT").split(relative(again)).join("OUT").split(relative(outdir)).join("OUT"));
    expect(normalize(tree(again))).toEqual(normalize(tree(outdir)));
  });
});
