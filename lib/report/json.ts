import { Report } from "../compliance/finding";

/** The machine-readable report: `{version, summary, findings, waivers, modules, rulesRun}`. */
export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + "\n";
}
