import { FailOn, Report } from "../compliance/finding";
import { Rule } from "../compliance/rule";
import type { CheckedFile } from "../evidence/build";
import type { EvidenceRecord } from "../evidence/record";
import { readFileSync } from "node:fs";
import { jsonPieces, renderJson } from "./json";
import { renderJunit } from "./junit";
import { renderText } from "./text";

/*
 * The formats built from the evidence record (Markdown, SARIF, HTML, the record itself) are loaded when
 * asked for: with the record's builder they are a tenth of a second of `saip check`'s start-up, which
 * text, JSON and JUnit output never use.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see above */
const evidenceBuilder = () => require("../evidence/build") as typeof import("../evidence/build");
const markdown = () => require("./markdown") as typeof import("./markdown");
const sarif = () => require("./sarif") as typeof import("./sarif");
const evidenceJson = () => require("./evidence-json") as typeof import("./evidence-json");
const html = () => require("./html") as typeof import("./html");
/* eslint-enable @typescript-eslint/no-require-imports */

export const FORMATS = ["text", "json", "markdown", "sarif", "junit", "evidence", "html"] as const;
export type Format = (typeof FORMATS)[number];

/** What some formats say beyond the findings. */
export interface RenderOptions {
  /** The threshold the Markdown verdict is given at. @default "mandatory" */
  readonly failOn?: FailOn;
  /** The Markdown report's title. */
  readonly title?: string;
  /**
   * The run's evidence record, which the Markdown, SARIF, HTML and evidence formats render. @default - one built from the report and its
   * files on disk
   */
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
  const evidence = () =>
    options.evidence ??
    evidenceBuilder().buildEvidence(report, { rules, modules: [], files: filesOf(report), version, failOn: options.failOn });
  switch (format) {
    case "text":
      return renderText(report);
    case "json":
      return renderJson(report);
    case "markdown":
      return markdown().renderMarkdown(report, {
        title: options.title,
        failOn: options.failOn,
        rules,
        version,
        evidence: options.evidence,
      });
    case "sarif":
      return sarif().renderSarif(evidence(), rules);
    case "junit":
      return renderJunit(report);
    case "evidence":
      return evidenceJson().renderEvidenceJson(evidence());
    case "html":
      return html().renderHtml(evidence(), { title: options.title });
  }
}

/** The report as `render` gives it, in pieces to write one after another: the JSON report of a large check is tens of megabytes. */
export function renderPieces(
  report: Report,
  format: Format,
  rules: readonly Rule[],
  version: string,
  options: RenderOptions = {},
): Iterable<string> {
  return format === "json" ? jsonPieces(report) : [render(report, format, rules, version, options)];
}
