import { Finding, Report } from "../compliance/finding";
import { describeAssumption } from "../compliance/assumptions";
import { describeWaiver } from "./waiver-lines";

/** A line break in a value (a rule's message, a waiver's YAML block reason) as a space, as the Markdown report shows it. */
const oneLine = (text: string): string => text.replace(/\r\n?|\n/g, " ");

function table(cells: string[][]): string {
  const rows = cells.map((r) => r.map(oneLine));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")).join("\n");
}

const order = { fail: 0, waived: 1, pass: 2 } as const;

/** A table for a terminal: failures and waivers in full, passes counted. */
export function renderText(report: Report, options: { verbose?: boolean } = {}): string {
  const shown = report.findings
    .filter((f) => options.verbose || f.status !== "pass")
    .sort((a, b) => order[a.status] - order[b.status] || (a.severity === b.severity ? 0 : a.severity === "mandatory" ? -1 : 1));
  const lines: string[] = [];
  if (shown.length > 0) {
    const rows = [
      ["STATUS", "SEVERITY", "RULE", "RESOURCE", "MESSAGE"],
      ...shown.map((f: Finding) => [f.status.toUpperCase(), f.severity, f.ruleId, f.resource, f.message]),
    ];
    lines.push(table(rows), "");
  }
  if (report.waivers.length > 0) {
    lines.push("Waivers:", ...report.waivers.map((w) => `  ${oneLine(describeWaiver(w))}`), "");
  }
  const assumptions = report.assumptions ?? [];
  if (assumptions.length > 0) lines.push("Assumed, not checked:", ...assumptions.map((a) => `  ${oneLine(describeAssumption(a))}`), "");
  const notFollowed = report.notFollowed ?? [];
  if (notFollowed.length > 0)
    lines.push("Module calls not followed:", ...notFollowed.map((n) => `  ${n.address} (${n.source || "no source"}): ${n.reason}`), "");
  if (report.unjudged && report.unjudged.length > 0) lines.push(`Resource types no rule judged: ${report.unjudged.join(", ")}`, "");
  const resources = report.modules.reduce((n, m) => n + m.resources, 0);
  const { pass, fail, waived } = report.summary;
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  lines.push(
    `${count(report.rulesRun, "rule")} over ${count(resources, "resource")} in ${count(report.modules.length, "module")}: ${pass} passed, ${fail} failed, ${waived} waived`,
  );
  return lines.join("\n") + "\n";
}
