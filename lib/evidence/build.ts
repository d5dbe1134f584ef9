import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { ruleSummary } from "../compliance/engine";
import { FailOn, failsAt, Report, WaiverRecord } from "../compliance/finding";
import { Rule } from "../compliance/rule";
import { constructPathOf, constructSourceOf, lineOf } from "../report/locate";
import { verdictText } from "../report/verdict";
import { Json, TfModule } from "../terraform/model";
import { Placeholder, readiness } from "./readiness";
import { EvidenceRecord, EVIDENCE_SCHEMA_FILE, RECORD_VERSION } from "./record";
import { requirementRows, themeRows } from "./status";

export const sha256Of = (content: Buffer | string): string => createHash("sha256").update(content).digest("hex");

/** A Terraform file that was checked: its module, path and bytes. */
export interface CheckedFile {
  readonly module: string;
  readonly file: string;
  readonly content: Buffer | string;
}

export interface EvidenceOptions {
  /** The rules that ran. */
  readonly rules: readonly Rule[];
  /** The loaded modules the report judged (for what a requirement protects). */
  readonly modules: readonly TfModule[];
  /** Every file checked, with its bytes. */
  readonly files: readonly CheckedFile[];
  readonly version: string;
  /** @default "mandatory" */
  readonly failOn?: FailOn;
  /** @default now, or SOURCE_DATE_EPOCH when set (reproducible builds) */
  readonly now?: Date;
  /** @default the git revision of the working directory, if any */
  readonly revision?: EvidenceRecord["revision"];
  /** The platform config, when one was used: its source, the file and bytes when it is a file, and its parsed value for placeholders. */
  readonly config?: { readonly source: string; readonly file?: string; readonly content?: Buffer | string; readonly value?: unknown };
  /** Values that block deployment until replaced. @default none */
  readonly placeholders?: readonly Placeholder[];
}

/** The time of the run: SOURCE_DATE_EPOCH (seconds) when set, so reproducible builds give the same bytes. */
export function runTime(env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
}

/** The git commit of `cwd` and whether the tree has uncommitted changes; null outside a git work tree or without git. */
export function gitRevision(cwd = process.cwd()): EvidenceRecord["revision"] {
  try {
    const run = (...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const commit = run("rev-parse", "HEAD");
    return { commit, dirty: run("status", "--porcelain", "--untracked-files=no").length > 0 };
  } catch {
    return null;
  }
}

const DAY = 24 * 3600 * 1000;

function waiverRow(w: WaiverRecord, rules: readonly Rule[], now: Date): EvidenceRecord["waivers"][number] {
  const rule = rules.find((r) => r.id === w.rule);
  const status = rule?.waivable === false ? "ignored" : w.expired ? "expired" : w.matched === 0 ? "unused" : "active";
  const daysLeft = Math.floor((Date.parse(`${w.expires}T00:00:00Z`) + DAY - now.getTime()) / DAY);
  return {
    rule: w.rule,
    resource: w.resource,
    reason: w.reason,
    owner: w.owner,
    expires: w.expires,
    origin: w.origin,
    expired: w.expired,
    matched: w.matched,
    status,
    daysLeft,
  };
}

/** Builds the run's evidence record from the engine's report. */
export function buildEvidence(report: Report, options: EvidenceOptions): EvidenceRecord {
  const now = options.now ?? runTime();
  const failOn = options.failOn ?? "mandatory";
  const ruleById = new Map(options.rules.map((r) => [r.id, r]));
  const summaries = report.rules ?? options.rules.map(ruleSummary);
  const docs = new Map<string, Json | undefined>();
  const docOf = (file: string): Json | undefined => {
    if (!docs.has(file)) {
      const content = options.files.find((f) => f.file === file)?.content;
      let doc: Json | undefined;
      try {
        doc = content === undefined || !file.endsWith(".json") ? undefined : (JSON.parse(content.toString()) as Json);
      } catch {
        doc = undefined;
      }
      docs.set(file, doc);
    }
    return docs.get(file);
  };
  const requirements = requirementRows(report.findings, summaries, options.modules);
  const config = options.config;
  return {
    $schema: `./${EVIDENCE_SCHEMA_FILE}`,
    recordVersion: RECORD_VERSION,
    tool: { name: "saip", version: options.version },
    revision: options.revision === undefined ? gitRevision() : options.revision,
    generatedAt: now.toISOString(),
    config: config
      ? { source: config.source, file: config.file ?? null, sha256: config.content === undefined ? null : sha256Of(config.content) }
      : null,
    stacks: options.files.map((f) => ({
      module: f.module,
      file: f.file,
      sha256: sha256Of(f.content),
      resources: report.modules.find((m) => m.id === f.module)?.resources ?? 0,
    })),
    verdict: { failOn, passed: !failsAt(report, failOn), text: verdictText(report, failOn) },
    summary: report.summary,
    rulesRun: report.rulesRun,
    requirements,
    themes: themeRows(requirements),
    rules: summaries.map((s) => {
      const rule = ruleById.get(s.id);
      return {
        ...s,
        requirements: [...s.requirements],
        checkov: [...s.checkov],
        trivy: [...s.trivy],
        remediation: rule?.remediation ?? "",
        ...(rule?.effect ? { effect: rule.effect } : {}),
      };
    }),
    findings: report.findings.map((f) => {
      const doc = docOf(f.source);
      const constructPath = doc === undefined ? undefined : constructPathOf(doc, f.resource);
      const constructSource = doc === undefined ? undefined : constructSourceOf(doc, f.resource);
      const line = lineOf(f.source, f.resource);
      const { unresolved, waiver, ...rest } = f;
      const remediation = f.status === "pass" ? undefined : ruleById.get(f.ruleId)?.remediation;
      return {
        ...rest,
        requirementIds: [...f.requirementIds],
        references: [...f.references],
        ...(unresolved ? { unresolved } : {}),
        ...(waiver ? { waiver: { ...waiver } } : {}),
        ...(constructPath ? { constructPath } : {}),
        ...(constructSource ? { constructSource } : {}),
        ...(line ? { line } : {}),
        fingerprint: fingerprintOf(f),
        ...(remediation ? { remediation } : {}),
      };
    }),
    assumptions: (report.assumptions ?? []).map((a) => ({
      subject: a.subject,
      assumed: a.assumed,
      module: a.module,
      ...(a.construct ? { construct: a.construct } : {}),
    })),
    waivers: report.waivers.map((w) => waiverRow(w, options.rules, now)),
    readiness: readiness(
      options.placeholders ?? [],
      config?.value,
      options.files.map((f) => ({ module: f.module, doc: docOf(f.file) ?? null })),
    ),
  };
}

/**
 * What identifies a finding across runs: its rule, module and resource address,
 * not its message or line, which change with unrelated edits.
 */
export function fingerprintOf(f: { readonly ruleId: string; readonly module: string; readonly resource: string }): string {
  return sha256Of([f.ruleId, f.module, f.resource].join("\u0000"));
}
