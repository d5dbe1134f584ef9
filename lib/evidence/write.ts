import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { Report, summarize } from "../compliance/finding";
import { Rule } from "../compliance/rule";
import { renderEvidenceJson } from "../report/evidence-json";
import { renderHtml } from "../report/html";
import { renderJson } from "../report/json";
import { renderJunit } from "../report/junit";
import { renderMarkdown } from "../report/markdown";
import { renderSarif } from "../report/sarif";
import { ALL_RULES } from "../rules";
import { addDocument } from "../terraform/load";
import { Json, TfModule } from "../terraform/model";
import { packageVersion } from "../version";
import { buildEvidence, EvidenceOptions } from "./build";
import { Placeholder } from "./readiness";
import { EvidenceRecord, EVIDENCE_SCHEMA_FILE, evidenceJsonSchema } from "./record";
import { reportOf } from "./report-of";

export interface EvidenceFolderOptions {
  /** The report's title. @default "Compliance evidence" */
  readonly title?: string;
  /** The config the stacks were built from, when there is one (named and digested in the record). */
  readonly config?: EvidenceOptions["config"];
  /** Values that block deployment until replaced (placeholder accounts, digests). @default none */
  readonly placeholders?: readonly Placeholder[];
  /** The rules that ran. @default every rule of the catalogue */
  readonly rules?: readonly Rule[];
  /** The time the record names. @default now, or SOURCE_DATE_EPOCH when set */
  readonly now?: Date;
}

export interface EvidenceFolder {
  readonly evidence: EvidenceRecord;
  /** The merged report of every stack. */
  readonly report: Report;
  /** The files written, relative to the working directory. */
  readonly files: readonly string[];
}

/** Merges the per-stack reports into one for the whole app. */
export function mergeReports(reports: readonly Report[]): Report {
  const findings = reports.flatMap((r) => r.findings);
  const assumptions = reports.flatMap((r) => r.assumptions ?? []);
  return {
    version: 1,
    summary: summarize(findings),
    findings,
    waivers: reports.flatMap((r) => r.waivers),
    ...(assumptions.length > 0 ? { assumptions } : {}),
    modules: reports.flatMap((r) => r.modules),
    rulesRun: reports[0]?.rulesRun ?? 0,
    rules: reports[0]?.rules,
  };
}

/**
 * Writes `<outdir>/compliance/`: the evidence record, its JSON Schema, and the
 * JSON, Markdown, SARIF, JUnit and HTML reports, for stacks already written
 * to `<outdir>/stacks/<id>/cdk.tf.json` (their bytes are digested). The folder
 * is written aside and moved into place, so a reader never sees half a set
 * nor a report of an earlier run.
 */
export function writeEvidenceFolder(
  reports: readonly Report[],
  stackIds: readonly string[],
  outdir: string,
  options: EvidenceFolderOptions = {},
): EvidenceFolder {
  const rules = options.rules ?? ALL_RULES;
  const report = mergeReports(reports);
  const files = stackIds.map((id) => {
    const file = path.relative(process.cwd(), path.join(outdir, "stacks", id, "cdk.tf.json"));
    return { module: id, file, content: readFileSync(file) };
  });
  const modules = files.map((f) => {
    const module = new TfModule(f.module);
    addDocument(module, JSON.parse(f.content.toString()) as Json, f.file);
    return module;
  });
  const evidence = buildEvidence(report, {
    rules,
    modules,
    files,
    version: packageVersion(),
    now: options.now,
    config: options.config,
    placeholders: options.placeholders,
  });
  const title = options.title ?? "Compliance evidence";
  // Every report but report.json (kept in its version-1 shape for its readers) is rendered from the one evidence record.
  const contents: Array<[string, string]> = [
    ["evidence.json", renderEvidenceJson(evidence)],
    [EVIDENCE_SCHEMA_FILE, JSON.stringify(evidenceJsonSchema(), null, 2) + "\n"],
    ["report.json", renderJson(report)],
    [
      "report.md",
      renderMarkdown(reportOf(evidence), { title, configSource: options.config?.source, version: evidence.tool.version, evidence }),
    ],
    ["report.sarif", renderSarif(evidence, rules)],
    ["report.junit.xml", renderJunit(reportOf(evidence))],
    ["report.html", renderHtml(evidence, { title })],
  ];
  const dir = path.join(outdir, "compliance");
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const [name, text] of contents) writeFileSync(path.join(staging, name), text);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return { evidence, report, files: contents.map(([name]) => path.join(dir, name)) };
}

/**
 * Moves every file of `from` into `to`, file by file, so what terraform keeps
 * there (`.terraform/`, lock files) stays; then removes `from`.
 */
export function moveInto(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) moveInto(source, target);
    else renameSync(source, target);
  }
  rmSync(from, { recursive: true, force: true });
}
