import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { median } from "./timing";

/** Wall time of the README's test command (lint, type check, every test), median of `runs`. */
export function benchNpmTest(runs: number): number {
  const root = path.resolve(__dirname, "../..");
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync("npm", ["test", "--silent"], { cwd: root, encoding: "utf8", env: { ...process.env, CI: "true" } });
    if (result.status !== 0) throw new Error(`npm test failed:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);
    times.push(performance.now() - start);
  }
  return median(times);
}
