import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { check } from "../compliance/engine";
import { failsAt, Report } from "../compliance/finding";
import { describeUnusedWaiver, unusedWaivers } from "../compliance/waiver-problems";
import { loadWaiverFile, Waiver } from "../compliance/waivers";
import { Placeholder } from "../evidence/readiness";
import { EvidenceFolder, moveInto, writeEvidenceFolder } from "../evidence/write";
import { ALL_RULES } from "../rules";
import { InputError, loadTerraform } from "../terraform/load";

export interface SynthAppOptions {
  /** The command that runs the app, as cdktf.json's `app`. @default cdktf.json's `app` in the working directory */
  readonly command?: string;
  readonly outdir: string;
  readonly waivers?: readonly string[];
  readonly failOnUnusedWaivers?: boolean;
  readonly placeholders?: readonly Placeholder[];
}

export interface SynthAppResult {
  readonly command: string;
  readonly report: Report;
  readonly folder: EvidenceFolder;
  /** 0 when no mandatory finding fails (and, when asked, no waiver is unused); else 1. */
  readonly code: number;
  readonly summary: string;
}

/** The app command cdktf.json names, as `cdktf synth` runs it. */
function cdktfJsonApp(): string {
  const file = "cdktf.json";
  if (!existsSync(file)) throw new InputError(`${file}: not found in ${process.cwd()}; give the app's command with --app "<command>"`);
  let app: unknown;
  try {
    app = (JSON.parse(readFileSync(file, "utf8")) as { app?: unknown }).app;
  } catch (error) {
    throw new InputError(`${file}: malformed JSON: ${(error as Error).message}`);
  }
  if (typeof app !== "string" || app.trim() === "") throw new InputError(`${file}: has no 'app' command to run`);
  return app;
}

/**
 * `saip synth --app`: runs a team's own cdktf app as `cdktf synth` does (its
 * command, with CDKTF_OUTDIR set), into a folder beside the output that is
 * moved over it only when the app succeeds; then checks every stack the
 * app's manifest lists and writes the evidence folder. An earlier run's
 * evidence is removed first, so it never stands beside new stacks.
 */
export async function synthApp(options: SynthAppOptions, stderr: (text: string) => void): Promise<SynthAppResult> {
  const command = options.command ?? cdktfJsonApp();
  const waivers: Waiver[] = [];
  for (const file of options.waivers ?? []) waivers.push(...(await loadWaiverFile(file)));
  const outdir = options.outdir.replace(/[\\/]+$/, "");
  const staging = `${outdir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const run = spawnSync(command, {
    shell: true,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: path.resolve(staging) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (run.stdout) stderr(run.stdout);
  if (run.stderr) stderr(run.stderr);
  if (run.error || run.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`the app failed (${run.error ? run.error.message : `exit ${run.status}`}): ${command}`);
  }
  if (!existsSync(path.join(staging, "manifest.json"))) {
    rmSync(staging, { recursive: true, force: true });
    throw new InputError(
      `${command}: the app wrote no cdktf output into CDKTF_OUTDIR; does it create its App without a fixed outdir and call app.synth()?`,
    );
  }
  rmSync(path.join(outdir, "compliance"), { recursive: true, force: true });
  moveInto(staging, outdir);

  const modules = await loadTerraform([outdir]);
  const report = check(modules, { rules: ALL_RULES, waivers });
  const folder = writeEvidenceFolder(
    [report],
    modules.map((m) => m.id),
    outdir,
    { placeholders: options.placeholders },
  );
  const unused = unusedWaivers(report);
  for (const w of unused) stderr(`saip: ${options.failOnUnusedWaivers ? "error" : "warning"}: ${describeUnusedWaiver(w)}\n`);
  const failing = failsAt(report, "mandatory") || (options.failOnUnusedWaivers === true && unused.length > 0);
  const { pass, fail, waived } = report.summary;
  const summary = [
    `Synthesized ${modules.length} stack(s) with \`${command}\` into ${outdir}/:`,
    ...report.modules.map((m) => `  ${m.id}: ${m.resources} resources and data sources`),
    `Compliance: ${pass} findings passed, ${fail} failed, ${waived} waived.`,
    ...report.findings.filter((f) => f.status === "fail").map((f) => `  [${f.ruleId}] ${f.resource}: ${f.message}`),
    `Deployment readiness: ${folder.evidence.readiness.deployable ? "ready" : "BLOCKED"}: ${folder.evidence.readiness.why}`,
    `Evidence: ${folder.files.join(", ")}`,
  ].join("\n");
  return { command, report, folder, code: failing ? 1 : 0, summary: summary + "\n" };
}
