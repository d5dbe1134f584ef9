import { benchCheck } from "./check-throughput";
import { benchNpmTest } from "./npm-test";
import { benchStartUp } from "./start-up";
import { benchSynth } from "./synth";
import { benchWarmSynth } from "./warm-synth";

/**
 * The project's benchmark (`npm run bench`). Medians of several runs on this
 * machine; BENCH_RUNS sets how many (default 5).
 */
async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  // BENCH_ONLY=check measures the check's throughput alone (the synth benchmarks take minutes through ts-node).
  if (process.env.BENCH_ONLY === "check") return printCheck(runs);
  console.log(`Synth of the reference platform, whole process (median of ${runs} runs)\n`);
  console.log("| how | wall time | peak memory (max RSS) |");
  console.log("|---|---:|---:|");
  for (const r of benchSynth(runs)) console.log(`| ${r.how} | ${(r.wallMs / 1000).toFixed(2)} s | ${r.maxRssMb.toFixed(0)} MB |`);
  console.log("");
  console.log(`What a user waits for on an unchanged tree (median of ${runs} runs)\n`);
  console.log("| command | wall time |");
  console.log("|---|---:|");
  for (const r of benchWarmSynth(runs)) console.log(`| ${r.how} | ${(r.wallMs / 1000).toFixed(2)} s |`);
  console.log("");
  await printCheck(runs);
  // The test suite takes most of a minute a run; BENCH_TEST_RUNS=0 leaves it out.
  const testRuns = Number(process.env.BENCH_TEST_RUNS ?? 3);
  if (testRuns > 0)
    console.log(
      `\nnpm test (lint, type check, all tests): ${(benchNpmTest(testRuns) / 1000).toFixed(1)} s wall, median of ${testRuns} runs`,
    );
}

async function printCheck(runs: number): Promise<void> {
  const startUp = benchStartUp(Math.max(runs, 5));
  console.log(
    `saip check start-up: a three-resource file in ${startUp.checkMs.toFixed(0)} ms, node's own start-up ${startUp.nodeMs.toFixed(0)} ms (${(startUp.checkMs / startUp.nodeMs).toFixed(1)}x; target 5x)\n`,
  );
  console.log(`saip check throughput (median of ${runs} runs)\n`);
  const rows = await benchCheck([1_000, 5_000, 10_000, 50_000], runs);
  console.log(
    "| resources | findings | read + JSON.parse | load + check | ratio | JSON report (render + write) | whole process: node reading + parsing | whole process: saip check | ratio |",
  );
  console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    console.log(
      `| ${r.resources.toLocaleString("en")} | ${r.findings.toLocaleString("en")} | ${r.parseMs.toFixed(0)} ms | ${r.checkMs.toFixed(0)} ms | ${(r.checkMs / r.parseMs).toFixed(2)} | ${r.reportMs.toFixed(0)} ms | ${r.parseProcessMs.toFixed(0)} ms | ${r.checkProcessMs.toFixed(0)} ms | ${(r.checkProcessMs / r.parseProcessMs).toFixed(2)} |`,
    );
  }
  const at = (n: number) => rows.find((r) => Math.abs(r.resources - n) < n * 0.05);
  const small = at(5_000);
  const large = at(50_000);
  if (small && large) console.log(`\ngrowth 50,000 / 5,000 resources: ${(large.checkMs / small.checkMs).toFixed(1)}x (linear is 10x)`);
  // The report is what bounds the whole-process ratio (its JSON is four times the input's size): said with and without it.
  if (large)
    console.log(
      `at 50,000 resources: ${(large.checkProcessMs / large.parseProcessMs).toFixed(2)}x node reading and parsing the input, whole process (target 3x); ` +
        `${((large.checkProcessMs - large.reportMs) / large.parseProcessMs).toFixed(2)}x without rendering and writing the JSON report (${large.reportMs.toFixed(0)} ms in process, ${large.findings.toLocaleString("en")} findings)`,
    );
  // Where the whole-process time goes, each part against node reading and parsing the input as a whole process:
  // the target (3 times) is the sum of all of them.
  if (large) {
    const of = (ms: number) => `${ms.toFixed(0)} ms (${(ms / large.parseProcessMs).toFixed(2)}x)`;
    console.log(
      `at 50,000 resources, in process: loading ${of(large.loadMs)}, the rules ${of(large.checkMs - large.loadMs)}, ` +
        `the JSON report ${of(large.reportMs)}; the rest of the whole process (start-up and module loading, and the rules and loading running cold, ` +
        `not yet compiled, in a process that runs once) ${of(large.checkProcessMs - large.checkMs - large.reportMs)}`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
