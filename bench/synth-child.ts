import { performance } from "node:perf_hooks";

// Runs one synth of the reference platform and reports its own cost; bench/synth.ts spawns it.
const start = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { synthesizePlatform } = require("../stacks/synth") as typeof import("../stacks/synth");
const loaded = performance.now();
synthesizePlatform({ outdir: process.argv[2] });
const done = performance.now();
process.stdout.write(
  JSON.stringify({ loadMs: loaded - start, synthMs: done - loaded, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + "\n",
);
