import { REQUIREMENTS } from "../catalogue/requirements";
import { THEMES, ThemeKey } from "../catalogue/themes";
import { Finding, RuleSummary } from "../compliance/finding";
import { TfModule } from "../terraform/model";
import { EvidenceRecord, REQUIREMENT_STATUSES, RequirementStatus } from "./record";
import { SCOPES } from "./scope";

type RequirementRow = EvidenceRecord["requirements"][number];
type ThemeRow = EvidenceRecord["themes"][number];

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const listed = (items: readonly string[], max = 3) =>
  items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} and ${items.length - max} more`;

/**
 * A requirement's status from its rules' findings:
 * not met when any finding fails; waived when nothing passed and every failure
 * was waived; met when something passed (or, for rules that judge only what
 * could break it, when what it protects exists and nothing breaks it);
 * not applicable only when nothing its rules judge exists; not checked when no
 * rule of it ran.
 */
export function requirementStatus(
  requirementId: string,
  findings: readonly Finding[],
  rules: readonly RuleSummary[],
  modules: readonly TfModule[],
): Pick<RequirementRow, "status" | "why" | "rules" | "counts"> {
  const mine = rules.filter((r) => r.requirements.includes(requirementId)).map((r) => r.id);
  const own = findings.filter((f) => f.requirementIds.includes(requirementId));
  const counts = { pass: 0, fail: 0, waived: 0 };
  for (const f of own) counts[f.status] += 1;
  const base = { rules: mine, counts };
  if (mine.length === 0) return { ...base, status: "not checked", why: "no rule that ran gives evidence for it" };
  if (counts.fail > 0) {
    const failed = own.filter((f) => f.status === "fail").map((f) => `${f.ruleId} on ${f.resource}`);
    return { ...base, status: "not met", why: `${plural(counts.fail, "finding")} fail: ${listed(failed)}` };
  }
  if (counts.waived > 0 && counts.pass === 0) {
    const owners = [...new Set(own.flatMap((f) => (f.waiver ? [f.waiver.owner] : [])))];
    return { ...base, status: "waived", why: `nothing passed; ${plural(counts.waived, "failing finding")} waived by ${listed(owners)}` };
  }
  if (counts.pass > 0) {
    const waived = counts.waived > 0 ? `; ${plural(counts.waived, "finding")} waived` : "";
    return { ...base, status: "met", why: `${plural(counts.pass, "finding")} pass${waived}` };
  }
  for (const id of mine) {
    const scope = SCOPES[id];
    const protectedResources = scope ? modules.flatMap((m) => scope.find(m).map((r) => r.address)) : [];
    if (scope && protectedResources.length > 0) {
      return { ...base, status: "met", why: `${scope.absent} (${scope.protects}: ${listed(protectedResources)})` };
    }
  }
  return { ...base, status: "not applicable", why: `its rules (${mine.join(", ")}) found nothing they judge in what was checked` };
}

export function requirementRows(
  findings: readonly Finding[],
  rules: readonly RuleSummary[],
  modules: readonly TfModule[],
): RequirementRow[] {
  return REQUIREMENTS.map((req) => ({
    id: req.id,
    title: req.title,
    theme: req.theme,
    severity: req.severity,
    ...requirementStatus(req.id, findings, rules, modules),
  }));
}

/** A theme is not met if any of its requirements is not met, waived if any is waived, met if any is met. */
export function themeRows(requirements: readonly RequirementRow[]): ThemeRow[] {
  return (Object.keys(THEMES) as ThemeKey[]).map((id) => {
    const mine = requirements.filter((r) => r.theme === id);
    const byStatus = Object.fromEntries(REQUIREMENT_STATUSES.map((s) => [s, mine.filter((r) => r.status === s).length])) as Record<
      RequirementStatus,
      number
    >;
    const status: RequirementStatus =
      REQUIREMENT_STATUSES.find((s) => s !== "not applicable" && s !== "met" && byStatus[s] > 0 && s !== "not checked") ??
      (byStatus["not checked"] > 0 ? "not checked" : byStatus.met > 0 ? "met" : "not applicable");
    const applicable = mine.length - byStatus["not applicable"];
    const why =
      REQUIREMENT_STATUSES.filter((s) => byStatus[s] > 0)
        .map((s) => `${byStatus[s]} ${s}`)
        .join(", ") || "no requirement";
    return {
      id,
      name: THEMES[id],
      status,
      why,
      requirements: mine.length,
      byStatus,
      shareMet: applicable > 0 ? byStatus.met / applicable : null,
    };
  });
}
