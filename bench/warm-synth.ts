import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { median } from "./timing";

export interface WarmSynthRow {
  readonly how: string;
  readonly wallMs: number;
}

const root = path.resolve(__dirname, "../..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function timeCommand(args: string[], env: NodeJS.ProcessEnv = {}): number {
  const start = performance.now();
  const result = spawnSync(npm, args, { cwd: root, encoding: "utf8", env: { ...process.env, ...env } });
  const wallMs = performance.now() - start;
  if (result.status !== 0) throw new Error(`npm ${args.join(" ")} failed: ${result.stderr}`);
  return wallMs;
}

/**
 * What a user waits for on an unchanged tree: `npm run build` (scripts/build.js
 * finds nothing newer than the last build) and the whole `npm run synth` (that build, then the synth
 * and every report), each as the user types it, npm's own start included.
 */
export function benchWarmSynth(runs: number): WarmSynthRow[] {
  timeCommand(["run", "--silent", "build"]);
  const build = Array.from({ length: runs }, () => timeCommand(["run", "--silent", "build"]));
  const synth = Array.from({ length: runs }, () => {
    const out = mkdtempSync(path.join(tmpdir(), "saip-bench-warm-"));
    try {
      return timeCommand(["run", "--silent", "synth"], { CDKTF_OUTDIR: path.join(out, "cdktf.out") });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
  return [
    { how: "`npm run build`, nothing changed (the modification-time check)", wallMs: median(build) },
    { how: "`npm run synth`, nothing changed (build, synth, check, every report)", wallMs: median(synth) },
  ];
}
