import { check } from "../compliance/engine";
import { failsAt, FailOn } from "../compliance/finding";
import { describeUnusedWaiver, unusedWaivers } from "../compliance/waiver-problems";
import { loadWaiverFile, Waiver } from "../compliance/waivers";
import { filesOf, Format, render, renderPieces } from "../report";
import { ALL_RULES } from "../rules";
import { Assignment, InputError, loadTerraform } from "../terraform/load";
import { packageVersion } from "../version";
import { applyBaseline, baselineOf, readBaseline } from "./baseline";
import { writeAtomically } from "./output";
import { selectRules } from "./select";

export interface CheckCommandOptions {
  readonly format: Format;
  readonly output?: string;
  readonly waivers: readonly string[];
  readonly failOn: FailOn;
  /** --var-file and --var, in command-line order. */
  readonly assignments?: readonly Assignment[];
  readonly check?: readonly string[];
  readonly skipCheck?: readonly string[];
  readonly baseline?: string;
  /** Where TF_VAR_<name> values come from. @default process.env */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** Exit 1 when a waiver matches nothing. @default false */
  readonly failOnUnusedWaivers?: boolean;
}

async function checked(paths: readonly string[], options: Omit<CheckCommandOptions, "format" | "failOn">) {
  const rules = selectRules(ALL_RULES, options.check ?? [], options.skipCheck ?? []);
  const waivers: Waiver[] = [];
  for (const file of options.waivers) waivers.push(...(await loadWaiverFile(file)));
  const baseline = options.baseline ? await readBaseline(options.baseline) : undefined;
  const targets = paths.length > 0 ? paths : ["cdktf.out"];
  const modules = await loadTerraform(targets, { assignments: options.assignments, environment: options.environment ?? process.env });
  // A file that parses but declares nothing (a package.json, say) is not a clean result;
  // a folder of module calls only is (the report lists what was not followed).
  if (modules.every((m) => m.resources.length === 0 && m.notFollowed.length === 0))
    throw new InputError(`${targets.join(", ")}: no Terraform resources, data sources or module calls to check.`);
  let report = check(modules, { rules, waivers });
  if (baseline) report = applyBaseline(report, baseline);
  return { rules, modules, report };
}

/** `saip check`: loads, checks, reports; returns the exit code (0 clean, 1 failures at or above failOn). */
export async function runCheck(
  paths: readonly string[],
  options: CheckCommandOptions,
  stdout: (text: string) => void,
  stderr: (text: string) => void = () => {},
): Promise<number> {
  const { rules, modules, report } = await checked(paths, options);
  const version = packageVersion();
  // Text, JSON and JUnit render the report alone; building the record (hashes, lines, fingerprints) is for the others.
  const needsEvidence = !["text", "json", "junit"].includes(options.format);
  const evidence = needsEvidence
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- the record's builder is loaded only for the formats that need it
      (require("../evidence/build") as typeof import("../evidence/build")).buildEvidence(report, {
        rules,
        modules,
        files: filesOf(report),
        version,
        failOn: options.failOn,
      })
    : undefined;
  const renderOptions = { failOn: options.failOn, evidence };
  if (options.output) {
    writeAtomically(options.output, renderPieces(report, options.format, rules, version, renderOptions));
    // The report went to a file; whoever runs the check still sees the verdict.
    const { pass, fail, waived } = report.summary;
    stderr(`saip: ${pass} passed, ${fail} failed, ${waived} waived; ${options.format} report written to ${options.output}\n`);
  } else stdout(render(report, options.format, rules, version, renderOptions));
  // Said on stderr whatever the format, so a JSON or SARIF report on stdout stays parseable.
  const unused = unusedWaivers(report);
  for (const w of unused) stderr(`saip: ${options.failOnUnusedWaivers ? "error" : "warning"}: ${describeUnusedWaiver(w)}\n`);
  if (options.failOnUnusedWaivers && unused.length > 0) return 1;
  return failsAt(report, options.failOn) ? 1 : 0;
}

/** `saip baseline`: writes every current failure to a baseline file, for `saip check --baseline`. */
export async function runBaseline(
  paths: readonly string[],
  options: Omit<CheckCommandOptions, "format" | "failOn" | "baseline"> & { readonly output: string },
  stdout: (text: string) => void,
): Promise<number> {
  const { report } = await checked(paths, options);
  const baseline = baselineOf(report);
  writeAtomically(options.output, JSON.stringify(baseline, null, 2) + "\n");
  stdout(`${options.output}: ${baseline.findings.length} failing findings accepted as the baseline\n`);
  return 0;
}
