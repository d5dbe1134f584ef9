import { FailOn, Report } from "../compliance/finding";
import { Rule } from "../compliance/rule";
import { renderJson } from "./json";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import { renderSarif } from "./sarif";
import { renderText } from "./text";

export const FORMATS = ["text", "json", "markdown", "sarif", "junit"] as const;
export type Format = (typeof FORMATS)[number];

/** What some formats say beyond the findings. */
export interface RenderOptions {
  /** The threshold the Markdown verdict is given at. @default "mandatory" */
  readonly failOn?: FailOn;
  /** The Markdown report's title. */
  readonly title?: string;
}

export function render(report: Report, format: Format, rules: readonly Rule[], version: string, options: RenderOptions = {}): string {
  switch (format) {
    case "text":
      return renderText(report);
    case "json":
      return renderJson(report);
    case "markdown":
      return renderMarkdown(report, { title: options.title, failOn: options.failOn, rules, version });
    case "sarif":
      return renderSarif(report, rules, version);
    case "junit":
      return renderJunit(report);
  }
}
