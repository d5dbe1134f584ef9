import { existsSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { EXIT_BAD_INPUT, main } from "../lib/cli/main";

/**
 * `npm run measure:modules -- <module folder>...`: runs `saip check` in
 * process on every example folder of local module checkouts (for instance
 * terraform-aws-modules' eks, s3-bucket and vpc) and prints issue 13's
 * figures: the share of examples with findings inside their local module,
 * the share of findings left unresolved and why, and the folders that crash
 * or exit 2. Nothing is downloaded; it is not part of `npm test`.
 */

/** What one example folder gave. */
export interface ExampleResult {
  readonly folder: string;
  /** "checked" (exit 0 or 1), "bad-input" (exit 2, with the message) or "crash" (an exception). */
  readonly outcome: "checked" | "bad-input" | "crash";
  readonly findings: number;
  /** Findings on resources inside a followed module call (addresses starting `module.`). */
  readonly inModule: number;
  readonly unresolved: number;
  /** Why each unresolved finding could not be decided, generalised (see reasonOf). */
  readonly reasons: readonly string[];
  readonly error?: string;
}

export interface Measurement {
  readonly examples: readonly ExampleResult[];
  readonly withModuleFindings: number;
  readonly findings: number;
  readonly unresolved: number;
  readonly failures: readonly ExampleResult[];
  /** The most frequent unresolved reasons, most frequent first. */
  readonly topReasons: ReadonlyArray<{ readonly reason: string; readonly count: number }>;
}

/** The example folders of a module checkout: each `examples/*` holding .tf files, or the folder itself when it has no examples. */
export function exampleFolders(moduleFolder: string): string[] {
  if (!existsSync(moduleFolder) || !statSync(moduleFolder).isDirectory()) throw new Error(`${moduleFolder}: not a folder`);
  const examples = path.join(moduleFolder, "examples");
  if (!existsSync(examples)) return [moduleFolder];
  return readdirSync(examples, { withFileTypes: true })
    .filter((e) => e.isDirectory() && readdirSync(path.join(examples, e.name)).some((f) => f.endsWith(".tf") || f.endsWith(".tf.json")))
    .map((e) => path.join(examples, e.name))
    .sort();
}

/**
 * An unresolved finding's reason with the parts that differ between
 * resources taken out (addresses, quoted values, interpolations), so that
 * the same cause counts once per rule.
 */
export function reasonOf(ruleId: string, message: string): string {
  const text = message
    .replace(/^unresolved: /, "")
    .replace(/\$\{[^}]*\}+/g, "${…}")
    .replace(/"[^"]*"/g, '"…"')
    .replace(/(module\.[\w-]+(\[[^\]]*\])?\.)*(data\.)?[a-z0-9]+_[\w-]+\.[\w-]+(\[[^\]]*\])?/g, "<resource>")
    .slice(0, 160);
  return `${ruleId}: ${text}`;
}

interface JsonFinding {
  readonly ruleId: string;
  readonly resource: string;
  readonly message: string;
  readonly unresolved?: boolean;
}

export async function measureExample(folder: string): Promise<ExampleResult> {
  let stdout = "";
  let stderr = "";
  try {
    const code = await main(["check", folder, "--format", "json"], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    if (code === EXIT_BAD_INPUT)
      return { folder, outcome: "bad-input", findings: 0, inModule: 0, unresolved: 0, reasons: [], error: stderr.trim() };
    const findings = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
    const unresolved = findings.filter((f) => f.unresolved);
    return {
      folder,
      outcome: "checked",
      findings: findings.length,
      inModule: findings.filter((f) => f.resource.startsWith("module.")).length,
      unresolved: unresolved.length,
      reasons: unresolved.map((f) => reasonOf(f.ruleId, f.message)),
    };
  } catch (error) {
    return {
      folder,
      outcome: "crash",
      findings: 0,
      inModule: 0,
      unresolved: 0,
      reasons: [],
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

export async function measureModules(moduleFolders: readonly string[], topReasons = 10): Promise<Measurement> {
  const examples: ExampleResult[] = [];
  // One at a time: the checks share the process, and the figures do not depend on order.
  for (const moduleFolder of moduleFolders) for (const folder of exampleFolders(moduleFolder)) examples.push(await measureExample(folder));
  const counts = new Map<string, number>();
  for (const reason of examples.flatMap((e) => e.reasons)) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return {
    examples,
    withModuleFindings: examples.filter((e) => e.inModule > 0).length,
    findings: examples.reduce((n, e) => n + e.findings, 0),
    unresolved: examples.reduce((n, e) => n + e.unresolved, 0),
    failures: examples.filter((e) => e.outcome !== "checked"),
    topReasons: [...counts]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
      .slice(0, topReasons),
  };
}

const percent = (part: number, whole: number) => (whole === 0 ? "n/a" : `${((100 * part) / whole).toFixed(1)}%`);

/** The figures as the issue states its targets: at least 90% with module findings, at most 20% unresolved, no crash or exit 2. */
export function formatMeasurement(m: Measurement): string {
  const lines = ["example\tfindings\tin module\tunresolved\toutcome"];
  for (const e of m.examples) lines.push(`${e.folder}\t${e.findings}\t${e.inModule}\t${e.unresolved}\t${e.outcome}`);
  lines.push(
    "",
    `examples with findings inside their local module: ${m.withModuleFindings} of ${m.examples.length} (${percent(m.withModuleFindings, m.examples.length)}; target at least 90%)`,
    `unresolved findings: ${m.unresolved} of ${m.findings} (${percent(m.unresolved, m.findings)}; target at most 20%)`,
    `crashes or exit 2: ${m.failures.length}${m.failures.length > 0 ? "" : " (target none)"}`,
  );
  for (const f of m.failures) lines.push(`  ${f.folder}: ${f.outcome}: ${(f.error ?? "").split("\n")[0]}`);
  if (m.topReasons.length > 0) lines.push("", "top reasons for unresolved findings:");
  for (const r of m.topReasons) lines.push(`  ${r.count}\t${r.reason}`);
  return lines.join("\n") + "\n";
}

async function run(argv: readonly string[]): Promise<number> {
  const json = argv.includes("--json");
  const folders = argv.filter((a) => a !== "--json");
  if (folders.length === 0) {
    process.stderr.write(
      "usage: npm run measure:modules -- [--json] <module folder>...  (each a local checkout, such as terraform-aws-modules/terraform-aws-eks)\n",
    );
    return EXIT_BAD_INPUT;
  }
  const missing = folders.filter((f) => !existsSync(f) || !statSync(f).isDirectory());
  if (missing.length > 0) {
    process.stderr.write(`measure-modules: not a folder: ${missing.join(", ")}\n`);
    return EXIT_BAD_INPUT;
  }
  const measurement = await measureModules(folders);
  process.stdout.write(json ? JSON.stringify(measurement, null, 2) + "\n" : formatMeasurement(measurement));
  return 0;
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`measure-modules: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
