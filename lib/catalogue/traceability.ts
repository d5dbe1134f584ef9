import { Rule } from "../compliance/rule";
import { REQUIREMENTS, Requirement } from "./requirements";
import { themeReference } from "./themes";

/** A requirement with the rules that give evidence for it and every reference it carries. */
export interface TraceRow extends Requirement {
  readonly themeReference: string;
  readonly rules: ReadonlyArray<{
    readonly id: string;
    readonly title: string;
    readonly severity: string;
    readonly waivable: boolean;
    readonly effect?: string;
  }>;
  readonly checkov: readonly string[];
  readonly trivy: readonly string[];
}

export function traceability(rules: readonly Rule[]): TraceRow[] {
  return REQUIREMENTS.map((req) => {
    const mine = rules.filter((rule) => rule.requirements.includes(req.id));
    return {
      ...req,
      themeReference: themeReference(req.theme),
      rules: mine.map((rule) => ({
        id: rule.id,
        title: rule.title,
        severity: rule.severity,
        waivable: rule.waivable,
        ...(rule.effect ? { effect: rule.effect } : {}),
      })),
      checkov: [...new Set(mine.flatMap((rule) => rule.checkov ?? []))],
      trivy: [...new Set(mine.flatMap((rule) => rule.trivy ?? []))],
    };
  });
}

/** A cross-reference as `saip requirements --format json` states it. */
export interface CrossReference {
  readonly id: string;
  readonly relation: "equivalent" | "stricter" | "partial";
  readonly reason?: string;
}

/** The catalogue rows with each Checkov and Trivy id stated with its relation to the rules. */
export function traceabilityJson(
  rows: readonly TraceRow[],
  rules: readonly Rule[],
): Array<Omit<TraceRow, "checkov" | "trivy"> & { checkov: CrossReference[]; trivy: CrossReference[] }> {
  const relationOf = (row: TraceRow, id: string): CrossReference => {
    const mine = rules.filter((r) => r.requirements.includes(row.id) && [...(r.checkov ?? []), ...(r.trivy ?? [])].includes(id));
    const declared = mine.map((r) => r.relations?.[id]).find((x) => x !== undefined);
    return declared
      ? { id, relation: declared.relation, ...(declared.reason ? { reason: declared.reason } : {}) }
      : { id, relation: "equivalent" };
  };
  return rows.map((row) => ({
    ...row,
    checkov: row.checkov.map((id) => relationOf(row, id)),
    trivy: row.trivy.map((id) => relationOf(row, id)),
  }));
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** The catalogue as a traceability table: requirement, theme, provisions, rules, equivalent checks. */
export function traceabilityMarkdown(rows: readonly TraceRow[]): string {
  const lines = [
    "| requirement | severity | TS 104 033 theme | EN 304 223 | rules | Checkov | Trivy |",
    "|---|---|---|---|---|---|---|",
    ...rows
      .map((row) =>
        [
          `**${row.id}** ${cell(row.title)}`,
          row.severity,
          row.themeReference.replace("TS 104 033: ", ""),
          row.en304223.join(", "),
          row.rules.map((r) => `\`${r.id}\`${r.waivable ? "" : " (not waivable)"}${r.effect ? " (effect)" : ""}`).join("<br>") ||
            "none yet",
          row.checkov.join(", ") || "-",
          row.trivy.join(", ") || "-",
        ].join(" | "),
      )
      .map((line) => `| ${line} |`),
  ];
  if (rows.some((row) => row.rules.some((r) => r.effect))) {
    lines.push(
      "",
      "Rules marked (effect) judge whether a control works once deployed, not only that its setting is present; no other Terraform scanner makes these checks.",
    );
  }
  return lines.join("\n") + "\n";
}
