import { FailOn, Report } from "../compliance/finding";
import { Rule } from "../compliance/rule";
import { buildEvidence, CheckedFile } from "../evidence/build";
import { EvidenceRecord } from "../evidence/record";
import { readFileSync } from "node:fs";
import { renderEvidenceJson } from "./evidence-json";
import { renderHtml } from "./html";
import { renderJson } from "./json";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import { renderSarif } from "./sarif";
import { renderText } from "./text";

export const FORMATS = ["text", "json", "markdown", "sarif", "junit", "evidence", "html"] as const;
export type Format = (typeof FORMATS)[number];

/** What some formats say beyond the findings. */
export interface RenderOptions {
  /** The threshold the Markdown verdict is given at. @default "mandatory" */
  readonly failOn?: FailOn;
  /** The Markdown report's title. */
  readonly title?: string;
  /** The run's evidence record, which the Markdown, SARIF, HTML and evidence formats render. @default - one built from the report and its files on disk */
  readonly evidence?: EvidenceRecord;
}

/** The files a report names, read from disk (a file that cannot be read is left out of the record). */
export function filesOf(report: Report): CheckedFile[] {
  return report.modules.flatMap((m) =>
    m.sources.flatMap((file) => {
      try {
        return [{ module: m.id, file, content: readFileSync(file) }];
      } catch {
        return [];
      }
    }),
  );
}

export function render(report: Report, format: Format, rules: readonly Rule[], version: string, options: RenderOptions = {}): string {
  const evidence = () => options.evidence ?? buildEvidence(report, { rules, modules: [], files: filesOf(report), version, failOn: options.failOn });
  switch (format) {
    case "text":
      return renderText(report);
    case "json":
      return renderJson(report);
    case "markdown":
      return renderMarkdown(report, { title: options.title, failOn: options.failOn, rules, version, evidence: options.evidence });
    case "sarif":
      return renderSarif(evidence(), rules);
    case "junit":
      return renderJunit(report);
    case "evidence":
      return renderEvidenceJson(evidence());
    case "html":
      return renderHtml(evidence(), { title: options.title });
  }
}
