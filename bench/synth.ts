import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { median } from "./timing";

export interface SynthRow {
  readonly how: string;
  readonly wallMs: number;
  readonly maxRssMb: number;
}

const root = path.resolve(__dirname, "../..");

function runOnce(args: string[], env: NodeJS.ProcessEnv = {}): { wallMs: number; maxRssMb: number } {
  const out = mkdtempSync(path.join(tmpdir(), "saip-bench-synth-"));
  try {
    const start = performance.now();
    const result = spawnSync(process.execPath, [...args, out], { cwd: root, encoding: "utf8", env: { ...process.env, ...env } });
    const wallMs = performance.now() - start;
    if (result.status !== 0) throw new Error(`synth failed: ${result.stderr}`);
    const line = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}");
    return { wallMs, maxRssMb: line.maxRssMb };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Synth of the reference platform in a fresh process: compiled JavaScript against ts-node. */
export function benchSynth(runs: number): SynthRow[] {
  const compiled = Array.from({ length: runs }, () => runOnce([path.join(root, "dist/bench/synth-child.js")]));
  const tsNode = Array.from({ length: runs }, () =>
    runOnce(["-r", "ts-node/register", path.join(root, "bench/synth-child.ts")], { TS_NODE_PROJECT: path.join(root, "tsconfig.json") }),
  );
  return [
    {
      how: "compiled JavaScript (npm run synth)",
      wallMs: median(compiled.map((r) => r.wallMs)),
      maxRssMb: median(compiled.map((r) => r.maxRssMb)),
    },
    {
      how: "ts-node (type-checking, cdktf's template default)",
      wallMs: median(tsNode.map((r) => r.wallMs)),
      maxRssMb: median(tsNode.map((r) => r.maxRssMb)),
    },
  ];
}
