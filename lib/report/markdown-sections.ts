import { REQUIREMENTS } from "../catalogue/requirements";
import { THEMES } from "../catalogue/themes";
import { Finding, FINDING_STATUSES, Report } from "../compliance/finding";
import { EvidenceRecord } from "../evidence/record";
import { byRequirement, bySeverity, countFindings, outcomeStatus, RuleRow, waiverModules, waiverStatus } from "./markdown-model";

/** Text for a table cell: pipes escaped, one line, no HTML. */
export const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ").replace(/</g, "&lt;") || "-";
/** A code span for a table cell. */
export const code = (text: string): string =>
  text.includes("`") ? cell(text) : `\`${text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ")}\``;
const list = (items: readonly string[], join = ", "): string => items.join(join) || "-";

export function table(head: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>): string[] {
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)];
}

/** Section 2: one row per catalogue requirement, with what its rules found. */
export function requirementsSection(report: Report, rules: readonly RuleRow[], record?: EvidenceRecord): string[] {
  const rows = REQUIREMENTS.map((req) => {
    const mine = rules.filter((r) => r.requirements.includes(req.id));
    const counts = countFindings(report.findings.filter((f) => f.requirementIds.includes(req.id)));
    // The record's status knows what a requirement protects (tenants with no cluster binding are met, not "not applicable").
    const recorded = record?.requirements.find((r) => r.id === req.id);
    const status = mine.length === 0 ? "no rule" : recorded?.status === "met" && counts.pass === 0 ? "met" : outcomeStatus(counts, "met");
    return {
      status,
      cells: [
        `**${req.id}** ${cell(req.title)}`,
        req.severity,
        THEMES[req.theme],
        list(req.en304223),
        list(
          mine.map((r) => code(r.id)),
          "<br>",
        ),
        counts.pass,
        counts.fail,
        counts.waived,
        status,
      ],
    };
  });
  const tally = (status: string) => rows.filter((r) => r.status === status).length;
  return [
    "## Requirements",
    "",
    `${REQUIREMENTS.length} requirements in the catalogue: ${tally("met")} met, ${tally("met with waivers")} met with waivers, ${tally("failed")} failed, ` +
      `${tally("waived")} waived (nothing passed, every failure waived), ${tally("not applicable")} not applicable (their rules ran but found nothing to check), ${tally("no rule")} with no rule.`,
    "",
    ...table(
      ["requirement", "severity", "TS 104 033 theme", "EN 304 223", "rules", ...FINDING_STATUSES, "status"],
      rows.map((r) => r.cells),
    ),
    "",
  ];
}

/** Section 3: one row per rule that ran. */
export function rulesSection(report: Report, rules: readonly RuleRow[]): string[] {
  const rows = rules.map((rule) => {
    const counts = countFindings(report.findings.filter((f) => f.ruleId === rule.id));
    const waivable = rule.waivable === undefined ? "-" : rule.waivable ? "yes" : "no";
    return [
      code(rule.id),
      cell(rule.title),
      rule.severity,
      waivable,
      list(rule.requirements),
      list(rule.checkov),
      list(rule.trivy),
      counts.pass,
      counts.fail,
      counts.waived,
      outcomeStatus(counts, "passed"),
    ];
  });
  return [
    "## Rules checked",
    "",
    ...table(["rule", "title", "severity", "waivable", "requirements", "Checkov", "Trivy", ...FINDING_STATUSES, "status"], rows),
    "",
  ];
}

function findingTable(findings: readonly Finding[], withReferences: boolean): string[] {
  const head = ["requirements", "rule", "module", "resource", "message"];
  const rows = findings.map((f) => [list(f.requirementIds), code(f.ruleId), cell(f.module), code(f.resource), cell(f.message)]);
  if (!withReferences) return table(head, rows);
  return table(
    ["severity", "outcome", ...head, "references"],
    findings.map((f, i) => [f.severity, f.unresolved ? "unresolved" : "failed", ...rows[i], cell(f.references.join(", "))]),
  );
}

/** Section 4: every failing finding, mandatory first. */
export function failuresSection(report: Report): string[] {
  const failed = report.findings.filter((f) => f.status === "fail").sort(bySeverity);
  return ["## Failures", "", ...(failed.length ? findingTable(failed, true) : ["None."]), ""];
}

/** Section 5: every waiver, whatever became of it, then the findings waived. */
export function waiversSection(report: Report, rules: readonly RuleRow[]): string[] {
  const out = ["## Waivers", ""];
  if (report.waivers.length === 0) out.push("None.", "");
  else {
    const ruleById = new Map(rules.map((r) => [r.id, r]));
    const modulesOf = waiverModules(report);
    const rows = report.waivers.map((w) => [
      code(w.rule),
      code(w.resource),
      list(modulesOf(w).map(cell)),
      cell(w.owner),
      w.expires,
      waiverStatus(w, ruleById.get(w.rule)),
      w.matched,
      cell(w.reason),
      code(w.origin),
    ]);
    out.push(...table(["rule", "resource", "module", "owner", "expires", "status", "matched", "reason", "origin"], rows), "");
  }
  const waived = report.findings.filter((f) => f.status === "waived").sort(byRequirement);
  if (waived.length) out.push("### Waived findings", "", ...findingTable(waived, false), "");
  return out;
}

/** Section 5b, only when a stack relies on what it brought in: each assumption, which no rule could check. */
export function assumptionsSection(report: Report): string[] {
  const assumptions = report.assumptions ?? [];
  if (assumptions.length === 0) return [];
  const rows = assumptions.map((a) => [cell(a.subject), cell(a.assumed), code(a.module), a.construct ? code(a.construct) : "-"]);
  return [
    "## Assumed, not checked",
    "",
    "Brought in by ARN or id: no rule saw these, so nothing here counts them as compliant.",
    "",
    ...table(["subject", "assumed", "module", "construct"], rows),
    "",
  ];
}

/** Section 6: what passed, collapsed. */
export function passedSection(report: Report): string[] {
  const passed = report.findings.filter((f) => f.status === "pass").sort(byRequirement);
  return [
    "## Passed findings",
    "",
    `<details><summary>${passed.length} ${passed.length === 1 ? "finding" : "findings"} passed</summary>`,
    "",
    ...(passed.length ? findingTable(passed, false) : ["None."]),
    "",
    "</details>",
    "",
  ];
}
