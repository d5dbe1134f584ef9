import { InputError } from "../terraform/load";
import { Report, WaiverRecord } from "./finding";
import { Rule } from "./rule";
import { Waiver } from "./waivers";

/** Levenshtein distance, to suggest the rule id a typo meant. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/**
 * Why a waiver can never take effect, or undefined when it can: its rule id
 * names no rule (a typo would otherwise waive nothing, silently), or its rule
 * cannot be waived (it would be listed as if it held).
 */
export function waiverRuleProblem(rule: string, rules: ReadonlyMap<string, Rule>): string | undefined {
  const known = rules.get(rule);
  if (known) return known.waivable ? undefined : `rule ${rule} cannot be waived`;
  const nearest = [...rules.keys()].map((id) => ({ id, d: distance(rule, id) })).sort((x, y) => x.d - y.d)[0];
  const hint = nearest && nearest.d <= Math.max(3, Math.floor(rule.length / 4)) ? ` (did you mean '${nearest.id}'?)` : "";
  return `no rule has the id '${rule}'${hint}`;
}

/** Where a waiver is, in words: the construct it was given on in code, else its resource pattern. */
export function waiverName(waiver: Waiver, construct?: string): string {
  return construct ? `the waiver for ${waiver.rule} on construct ${construct}` : `the waiver for ${waiver.rule} on ${waiver.resource}`;
}

/** Throws one InputError naming every waiver that can never take effect (each once, however many resources carry it). */
export function assertWaiversValid(
  waivers: ReadonlyArray<{ readonly waiver: Waiver; readonly construct?: string }>,
  rules: ReadonlyMap<string, Rule>,
): void {
  const problems = new Set<string>();
  for (const { waiver, construct } of waivers) {
    const problem = waiverRuleProblem(waiver.rule, rules);
    if (problem) problems.add(`${waiver.origin}: ${waiverName(waiver, construct)}: ${problem}`);
  }
  if (problems.size > 0) throw new InputError([...problems].join("\n"));
}

/**
 * Waivers that waived nothing: a file's waiver whose rule never failed on a
 * resource it names, or a waiver given in code on a construct (stamped on
 * every resource below it) none of whose resources needed it. Each is listed
 * once, so a construct's waiver is one entry however many resources carry it.
 */
export function unusedWaivers(report: Report): WaiverRecord[] {
  const stackSources = new Set(report.modules.flatMap((m) => m.sources));
  const groups = new Map<string, { first: WaiverRecord; matched: number }>();
  for (const w of report.waivers) {
    const inCode = stackSources.has(w.origin);
    const key = [w.origin, w.rule, w.owner, w.expires, w.reason, inCode ? "" : w.resource].join("\u0000");
    const group = groups.get(key);
    if (group) group.matched += w.matched;
    else groups.set(key, { first: w, matched: w.matched });
  }
  return [...groups.values()].filter((g) => g.matched === 0).map((g) => g.first);
}

/** One line for an unused waiver. */
export function describeUnusedWaiver(w: WaiverRecord): string {
  return `${w.origin}: the waiver for ${w.rule} on ${w.resource} (owner ${w.owner}) matched no failing finding; remove it or correct its resource`;
}
