import { Rule } from "../compliance/rule";
import { InputError } from "../terraform/load";

/** The ids a rule answers to: its own and the Checkov and Trivy checks it cross-references. */
const idsOf = (rule: Rule) => [rule.id, ...(rule.checkov ?? []), ...(rule.trivy ?? [])].map((id) => id.toLowerCase());

/**
 * The rules `--check` and `--skip-check` leave: by rule id or by a
 * cross-referenced Checkov or Trivy id (`CKV_AWS_19`), comma-separated or
 * repeated. An id no rule answers to is bad input, not an empty run.
 */
export function selectRules(rules: readonly Rule[], checks: readonly string[], skips: readonly string[]): Rule[] {
  const split = (list: readonly string[]) =>
    list
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter(Boolean);
  const wanted = split(checks);
  const skipped = split(skips);
  for (const [option, ids] of [
    ["--check", wanted],
    ["--skip-check", skipped],
  ] as const) {
    for (const id of ids) {
      if (!rules.some((r) => idsOf(r).includes(id.toLowerCase())))
        throw new InputError(`${option} ${id}: no rule has this id or cross-references this check`);
    }
  }
  const matches = (rule: Rule, ids: string[]) => ids.some((id) => idsOf(rule).includes(id.toLowerCase()));
  return rules.filter((r) => (wanted.length === 0 || matches(r, wanted)) && !matches(r, skipped));
}
