import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ruleSummary } from "../compliance/engine";
import { FailOn, Report } from "../compliance/finding";
import { Rule, SEVERITIES } from "../compliance/rule";
import { EvidenceRecord } from "../evidence/record";
import { packageVersion } from "../version";
import { countFindings, failing, RuleRow, rulesThatRan } from "./markdown-model";
import { verdictText } from "./verdict";
import {
  assumptionsSection,
  cell,
  code,
  failuresSection,
  passedSection,
  requirementsSection,
  rulesSection,
  table,
  waiversSection,
} from "./markdown-sections";

export interface MarkdownOptions {
  /** @default "Compliance report" */
  readonly title?: string;
  /** The tool version the header names. @default this package's version */
  readonly version?: string;
  /** The threshold the verdict is given at, as `saip check --fail-on`. @default "mandatory" */
  readonly failOn?: FailOn;
  /** Where the platform's configuration came from, when there is one. */
  readonly configSource?: string;
  /** The rules that ran, for reports made without a `rules` list. */
  readonly rules?: readonly Rule[];
  /**
   * Reads a source file for its SHA-256; undefined when it cannot be read
   * (then the digest is left out). @default reads the file from disk
   */
  readonly readSource?: (file: string) => Buffer | string | undefined;
  /**
   * The run's evidence record: the header then names its time, revision, config digest and readiness, and requirements take its statuses.
   */
  readonly evidence?: EvidenceRecord;
}

function readFromDisk(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The one-line verdict at the fail-on threshold, with failures by severity and unresolved ones apart. */
export function verdictLine(report: Report, failOn: FailOn = "mandatory"): string {
  const mandatory = failing(report, "mandatory");
  const recommended = failing(report, "recommended");
  const verdict = verdictText(report, failOn);
  return (
    `**${verdict}** (fail-on ${failOn}). Failing findings: ${mandatory.count} mandatory, ${recommended.count} recommended; ` +
    `of them unresolved before apply: ${mandatory.unresolved} mandatory, ${recommended.unresolved} recommended.`
  );
}

/** Each source file with its SHA-256, so the report names exactly the bytes that were checked. */
function checkedTable(report: Report, read: (file: string) => Buffer | string | undefined, record?: EvidenceRecord): string[] {
  const digest = (file: string) => {
    const recorded = record?.stacks.find((s) => s.file === file);
    if (recorded) return code(recorded.sha256);
    const content = read(file);
    return content === undefined ? "-" : code(createHash("sha256").update(content).digest("hex"));
  };
  const rows = report.modules.map((m) => [
    cell(m.id),
    m.resources,
    m.sources.map(code).join("<br>") || "-",
    m.sources.map(digest).join("<br>") || "-",
  ]);
  return table(["module", "resources", "source", "SHA-256"], rows);
}

function severityTable(report: Report): string[] {
  const rows = SEVERITIES.map((severity) => {
    const counts = countFindings(report.findings.filter((f) => f.severity === severity));
    return [severity, counts.pass, counts.fail, failing(report, severity).unresolved, counts.waived];
  });
  return table(["severity", "passed", "failed", "of which unresolved", "waived"], rows);
}

/** What the record adds to the header: when, from which revision, which config, and whether it can be deployed. */
function recordLines(record: EvidenceRecord): string[] {
  const revision = record.revision
    ? `${code(record.revision.commit)}${record.revision.dirty ? " with uncommitted changes" : ""}`
    : "none (not a git work tree)";
  const config = record.config
    ? `${cell(record.config.source)}${record.config.sha256 ? `, SHA-256 ${code(record.config.sha256)}` : ""}`
    : "none";
  const ready = record.readiness.deployable ? "**ready**: " : "**BLOCKED**: ";
  const out = [
    `- Revision: ${revision}`,
    `- Generated: ${record.generatedAt}`,
    `- Platform config: ${config}`,
    `- Deployment readiness: ${ready}${cell(record.readiness.why)}`,
  ];
  for (const b of record.readiness.blockers) {
    const where = [
      ...b.fields.map((f) => `config ${code(f)}`),
      b.resources.length ? plural(b.resources.length, "synthesized resource", "synthesized resources") : "",
    ]
      .filter(Boolean)
      .join(", ");
    out.push(`  - ${b.kind} ${code(b.value)} in ${where}: ${cell(b.why)}`);
  }
  out.push(
    "- Verify: `saip verify <the evidence.json of this run>` (after synth, `cdktf.out/compliance/evidence.json`) checks that the files still hold the bytes this report describes.",
  );
  return out;
}

/** Section 1: title, tool, what was checked, the verdict. */
function header(report: Report, options: MarkdownOptions): string[] {
  const resources = report.modules.reduce((n, m) => n + m.resources, 0);
  const { pass, fail, waived } = report.summary;
  const out = [`# ${options.title ?? "Compliance report"}`, "", `- Tool: secure-ai-platform (saip) ${options.version ?? packageVersion()}`];
  const record = options.evidence;
  if (record) out.push(...recordLines(record));
  else if (options.configSource) out.push(`- Platform config: ${cell(options.configSource)}`);
  out.push(
    `- Checked: ${plural(report.rulesRun, "rule", "rules")} ran over ${plural(resources, "resource", "resources")} in ${plural(report.modules.length, "module", "modules")}: ${plural(pass, "finding", "findings")} passed, ${fail} failed, ${waived} waived.`,
    "",
    ...checkedTable(report, options.readSource ?? readFromDisk, record),
    "",
    verdictLine(report, options.failOn),
    "",
    ...severityTable(report),
    "",
    "An unresolved finding fails: a value it needs is unknown before apply, and what cannot be known is not evidence of compliance.",
    "",
  );
  return out;
}

/**
 * A report for an auditor or a pull-request comment: what was checked and
 * the verdict, each requirement and rule with what it found, then failures,
 * waivers and what passed. It holds no timestamp: the same input gives the
 * same bytes.
 */
export function renderMarkdown(report: Report, options: MarkdownOptions | string = {}): string {
  const opts = typeof options === "string" ? { title: options } : options;
  const rules: RuleRow[] = rulesThatRan(report, opts.rules?.map(ruleSummary));
  return [
    ...header(report, opts),
    ...requirementsSection(report, rules, opts.evidence),
    ...rulesSection(report, rules),
    ...failuresSection(report),
    ...waiversSection(report, rules),
    ...assumptionsSection(report),
    ...passedSection(report),
  ].join("\n");
}
