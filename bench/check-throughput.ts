import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { writeAtomically } from "../lib/cli/output";
import { check } from "../lib/compliance/engine";
import { Report } from "../lib/compliance/finding";
import { renderPieces } from "../lib/report";
import { ALL_RULES } from "../lib/rules";
import { loadTerraform } from "../lib/terraform/load";
import { generateTerraform } from "./terraform-generator";
import { median, processMs, timeMs } from "./timing";

export interface CheckRow {
  readonly resources: number;
  readonly findings: number;
  /** In this process: read + JSON.parse against loadTerraform + check. */
  readonly parseMs: number;
  readonly checkMs: number;
  /** In this process: loadTerraform alone (reading, parsing, expanding), the part of checkMs before any rule runs. */
  readonly loadMs: number;
  /** In this process: rendering the JSON report and writing it to a file, as `saip check --format json --output` does. */
  readonly reportMs: number;
  /** Whole processes: `node -e` reading and parsing the file against `saip check` on it. */
  readonly parseProcessMs: number;
  readonly checkProcessMs: number;
}

const root = path.resolve(__dirname, "../..");

/**
 * `saip check` against the time to merely read and JSON.parse the same file:
 * the engine's own cost is what is left.
 */
export async function benchCheck(sizes: readonly number[], runs: number): Promise<CheckRow[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "saip-bench-"));
  const rows: CheckRow[] = [];
  try {
    for (const size of sizes) {
      const stackDir = path.join(dir, String(size));
      mkdirSync(stackDir);
      const file = path.join(stackDir, "cdk.tf.json");
      writeFileSync(file, JSON.stringify(generateTerraform(size), null, 2));
      let findings = 0;
      let resources = 0;
      const parse: number[] = [];
      const checkTimes: number[] = [];
      const loadTimes: number[] = [];
      const reportTimes: number[] = [];
      const parseProcess: number[] = [];
      const checkProcess: number[] = [];
      const reportFile = path.join(dir, `${size}.json`);
      for (let run = 0; run < runs; run++) {
        parse.push(await timeMs(async () => void JSON.parse(readFileSync(file, "utf8"))));
        let report: Report | undefined;
        checkTimes.push(
          await timeMs(async () => {
            const loading = performance.now();
            const modules = await loadTerraform([stackDir]);
            loadTimes.push(performance.now() - loading);
            report = check(modules, { rules: ALL_RULES });
            findings = report.findings.length;
            resources = modules[0].resources.length;
          }),
        );
        const checked = report;
        if (!checked) throw new Error("the check gave no report");
        reportTimes.push(await timeMs(() => writeAtomically(reportFile, renderPieces(checked, "json", ALL_RULES, "bench"))));
        parseProcess.push(processMs(["-e", `JSON.parse(require("fs").readFileSync(${JSON.stringify(file)}, "utf8"))`]));
        checkProcess.push(
          processMs([path.join(root, "bin/saip.js"), "check", stackDir, "--format", "json", "--output", reportFile, "--fail-on", "none"]),
        );
      }
      rows.push({
        resources,
        findings,
        parseMs: median(parse),
        checkMs: median(checkTimes),
        loadMs: median(loadTimes),
        reportMs: median(reportTimes),
        parseProcessMs: median(parseProcess),
        checkProcessMs: median(checkProcess),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
