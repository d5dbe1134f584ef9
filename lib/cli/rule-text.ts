import { isJsonExample, Rule } from "../compliance/rule";
import { InputError } from "../terraform/load";

/** What `saip requirements --rule` prints of a rule, as JSON: its metadata and examples, not its code. */
export function ruleJson(rule: Rule): object {
  return {
    id: rule.id,
    title: rule.title,
    severity: rule.severity,
    waivable: rule.waivable,
    requirements: rule.requirements,
    appliesTo: rule.appliesTo,
    checkov: rule.checkov ?? [],
    trivy: rule.trivy ?? [],
    remediation: rule.remediation,
    ...(rule.effect ? { effect: rule.effect } : {}),
    examples: { good: (rule.examples?.good ?? []).map(dedent), bad: (rule.examples?.bad ?? []).map(dedent) },
  };
}

/** The example without the indentation it has inside the rule's source. */
export function dedent(text: string): string {
  const lines = text
    .replace(/^\s*\n/, "")
    .trimEnd()
    .split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join("\n");
}

const fence = (example: string) => [isJsonExample(example) ? "```json" : "```hcl", dedent(example), "```"];

/** A rule as Markdown: what it checks, what it maps to, how to fix it, and its good and bad examples. */
export function ruleMarkdown(rule: Rule): string {
  const refs = [...(rule.checkov ?? []), ...(rule.trivy ?? [])];
  const lines = [
    `## ${rule.id}: ${rule.title}`,
    "",
    `- severity: ${rule.severity}${rule.waivable ? "" : " (not waivable)"}`,
    `- requirements: ${rule.requirements.join(", ")}`,
    `- applies to: ${rule.appliesTo.join(", ")}`,
    `- cross-references: ${refs.join(", ") || "none"}`,
    ...(rule.effect ? [`- works once deployed: ${rule.effect}`] : []),
    `- fix: ${rule.remediation}`,
    "",
  ];
  const good = rule.examples?.good ?? [];
  const bad = rule.examples?.bad ?? [];
  if (good.length + bad.length === 0) return [...lines, "No examples yet.", ""].join("\n");
  for (const [heading, list] of [
    ["Passes", good],
    ["Fails", bad],
  ] as const) {
    list.forEach((hcl, i) => lines.push(`### ${heading}${list.length > 1 ? ` (${i + 1})` : ""}`, "", ...fence(hcl), ""));
  }
  return lines.join("\n");
}

/** The rule with this id, or an InputError naming the option and the id. */
export function ruleNamed(rules: readonly Rule[], id: string): Rule {
  const rule = rules.find((r) => r.id === id);
  if (!rule) throw new InputError(`--rule: no rule has the id '${id}'; saip requirements --examples lists every rule.`);
  return rule;
}
