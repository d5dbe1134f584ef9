import { check } from "../compliance/engine";
import { failsAt, FailOn } from "../compliance/finding";
import { describeUnusedWaiver, unusedWaivers } from "../compliance/waiver-problems";
import { loadWaiverFile, Waiver } from "../compliance/waivers";
import { buildEvidence } from "../evidence/build";
import { filesOf, Format, render } from "../report";
import { ALL_RULES } from "../rules";
import { InputError, loadTerraform } from "../terraform/load";
import { packageVersion } from "../version";
import { writeAtomically } from "./output";

export interface CheckCommandOptions {
  readonly format: Format;
  readonly output?: string;
  readonly waivers: readonly string[];
  readonly failOn: FailOn;
  /** Exit 1 when a waiver matches nothing. @default false */
  readonly failOnUnusedWaivers?: boolean;
}

/** `saip check`: loads, checks, reports; returns the exit code (0 clean, 1 failures at or above failOn). */
export async function runCheck(paths: readonly string[], options: CheckCommandOptions, stdout: (text: string) => void, stderr: (text: string) => void = () => {}): Promise<number> {
  const waivers: Waiver[] = [];
  for (const file of options.waivers) waivers.push(...(await loadWaiverFile(file)));
  const targets = paths.length > 0 ? paths : ["cdktf.out"];
  const modules = await loadTerraform(targets);
  // A file that parses but declares nothing (a package.json, say) is not a clean result.
  if (modules.every((m) => m.resources.length === 0)) throw new InputError(`${targets.join(", ")}: no Terraform resources or data sources to check.`);
  const report = check(modules, { rules: ALL_RULES, waivers });
  const version = packageVersion();
  const evidence = buildEvidence(report, { rules: ALL_RULES, modules, files: filesOf(report), version, failOn: options.failOn });
  const text = render(report, options.format, ALL_RULES, version, { failOn: options.failOn, evidence });
  if (options.output) writeAtomically(options.output, text);
  else stdout(text);
  // Said on stderr whatever the format, so a JSON or SARIF report on stdout stays parseable.
  const unused = unusedWaivers(report);
  for (const w of unused) stderr(`saip: ${options.failOnUnusedWaivers ? "error" : "warning"}: ${describeUnusedWaiver(w)}\n`);
  if (options.failOnUnusedWaivers && unused.length > 0) return 1;
  return failsAt(report, options.failOn) ? 1 : 0;
}
