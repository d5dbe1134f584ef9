import { Finding, Report, RuleSummary, WaiverRecord } from "../compliance/finding";
import { Severity } from "../compliance/rule";

/** Pass, fail and waived counts of a set of findings. */
export interface Counts {
  pass: number;
  fail: number;
  waived: number;
}

/** A rule as the Markdown report lists it; `waivable` is unknown for a rule only findings name. */
export interface RuleRow extends Omit<RuleSummary, "waivable"> {
  readonly waivable?: boolean;
}

/** Byte-wise ordering: the same on every machine, whatever its locale. */
export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Orders findings by requirement, rule, resource, then module. */
export function byRequirement(a: Finding, b: Finding): number {
  return (
    compare(a.requirementIds.join(","), b.requirementIds.join(",")) ||
    compare(a.ruleId, b.ruleId) ||
    compare(a.resource, b.resource) ||
    compare(a.module, b.module)
  );
}

/** Orders findings mandatory first, then by requirement, rule, resource and module. */
export function bySeverity(a: Finding, b: Finding): number {
  return severityRank(a.severity) - severityRank(b.severity) || byRequirement(a, b);
}

const severityRank = (s: Severity) => (s === "mandatory" ? 0 : 1);

export function countFindings(findings: readonly Finding[]): Counts {
  const counts = { pass: 0, fail: 0, waived: 0 };
  for (const f of findings) counts[f.status] += 1;
  return counts;
}

/**
 * The rules that ran: the report's own list, else the rules the caller ran,
 * plus any rule a finding names that neither lists (so no finding goes unexplained).
 */
export function rulesThatRan(report: Report, fallback: readonly RuleSummary[] = []): RuleRow[] {
  const rows = new Map<string, RuleRow>((report.rules ?? fallback).map((r) => [r.id, r]));
  for (const f of report.findings) {
    if (!rows.has(f.ruleId))
      rows.set(f.ruleId, { id: f.ruleId, title: "", severity: f.severity, requirements: f.requirementIds, checkov: [], trivy: [] });
  }
  return [...rows.values()].sort((a, b) => compare(a.id, b.id));
}

/** Requirement or rule status from what its rules found. */
export function outcomeStatus(counts: Counts, met: string): string {
  if (counts.fail > 0) return "failed";
  // With nothing passed, a waiver excuses the requirement; it does not meet it.
  if (counts.waived > 0) return counts.pass > 0 ? `${met} with waivers` : "waived";
  if (counts.pass > 0) return met;
  return "not applicable";
}

const waiverKey = (w: Omit<WaiverRecord, "expired" | "matched">) =>
  [w.rule, w.resource, w.origin, w.owner, w.expires, w.reason].join("\u0000");

/** The modules a waiver applies in: those of the findings it matched, else the module whose file it came from. */
export function waiverModules(report: Report): (w: WaiverRecord) => string[] {
  const byWaiver = new Map<string, Set<string>>();
  for (const f of report.findings) {
    if (!f.waiver) continue;
    const key = waiverKey(f.waiver);
    byWaiver.set(key, (byWaiver.get(key) ?? new Set()).add(f.module));
  }
  return (w) => {
    const matched = byWaiver.get(waiverKey(w));
    if (matched) return [...matched].sort(compare);
    return report.modules.filter((m) => m.sources.includes(w.origin)).map((m) => m.id);
  };
}

/** active, expired, ignored (the rule cannot be waived) or unused (it matched no finding). */
export function waiverStatus(w: WaiverRecord, rule: RuleRow | undefined): string {
  if (rule?.waivable === false) return "ignored (rule not waivable)";
  if (w.expired) return "expired";
  if (w.matched === 0) return rule ? "unused (matched 0)" : "unused (matched 0; the rule did not run)";
  return "active";
}

/** Failing findings of one severity, and how many of them were unresolved before apply. */
export function failing(report: Report, severity: Severity): { count: number; unresolved: number } {
  const failed = report.findings.filter((f) => f.status === "fail" && f.severity === severity);
  return { count: failed.length, unresolved: failed.filter((f) => f.unresolved).length };
}
