import { check } from "../../lib/compliance/engine";
import { Finding } from "../../lib/compliance/finding";
import { OUTCOME_STATUSES, Rule } from "../../lib/compliance/rule";
import { Waiver } from "../../lib/compliance/waivers";
import { addDocument, loadTerraform } from "../../lib/terraform/load";
import { Json, TfModule } from "../../lib/terraform/model";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CLOUD_PREFIX } from "./registry";

/** The three verdicts a rule can reach; every rule's test file shows all three. */
export const VERDICTS = OUTCOME_STATUSES;
export type Verdict = (typeof VERDICTS)[number];

/** Verdicts each rule reached in this test file, by rule id (Jest loads this module afresh per file). */
const seen = new Map<string, Set<Verdict>>();

/** A finding's verdict: `unresolved` when the rule could not know a value, whatever waivers made of it. */
export function verdictOf(finding: Finding): Verdict | undefined {
  if (finding.unresolved) return "unresolved";
  return finding.status === "waived" ? undefined : finding.status;
}

function record(findings: readonly Finding[]): readonly Finding[] {
  for (const finding of findings) {
    const verdict = verdictOf(finding);
    if (!verdict) continue;
    const set = seen.get(finding.ruleId) ?? new Set<Verdict>();
    seen.set(finding.ruleId, set.add(verdict));
  }
  return findings;
}

/**
 * What a rule's test file (`test/rules/.../<rule id>.test.ts`) failed to show of
 * its rule: the verdicts it never reached through this harness. Empty for other
 * files (helpers' tests). Read from the name, not from ALL_RULES, so that a rule
 * test does not load every rule.
 */
export function missingVerdicts(testPath: string, recorded: ReadonlyMap<string, ReadonlySet<Verdict>> = seen): Verdict[] {
  const id = path.basename(testPath).replace(/\.test\.ts$/, "");
  const underRules = testPath.split(path.sep).join("/").includes("/test/rules/");
  if (!underRules || !Object.values(CLOUD_PREFIX).some((prefix) => id.startsWith(`${prefix}-`))) return [];
  const reached = recorded.get(id) ?? new Set();
  return VERDICTS.filter((v) => !reached.has(v));
}

// Each rule's test file must make its rule pass, fail and be unresolved, or the file fails.
afterAll(() => {
  const testPath = expect.getState().testPath ?? "";
  const missing = missingVerdicts(testPath);
  if (missing.length === 0) return;
  const id = path.basename(testPath).replace(/\.test\.ts$/, "");
  throw new Error(
    `${path.relative(process.cwd(), testPath)} never made ${id} ${missing.join(" or ")} through checkJson/checkHcl: ` +
      `add a case for each (unresolved: a value the rule cannot know before apply, such as a variable).`,
  );
});

/** Findings of `rules` over one Terraform JSON document: `{ resource: { type: { name: body } } }`. */
export function checkJson(rules: Rule | Rule[], doc: object, waivers: Waiver[] = [], now?: Date): readonly Finding[] {
  const module = new TfModule("test");
  addDocument(module, doc as Json, "test.tf.json");
  return record(check([module], { rules: [rules].flat(), waivers, now }).findings);
}

/**
 * Findings of `rules` over `doc`, a stack applied after the stacks of `upstream` (each applied after the one before
 * it, as a cdktf app's dependencies order them); only `doc`'s resources are judged.
 */
export function checkAfter(rules: Rule | Rule[], doc: object, upstream: Record<string, object>): readonly Finding[] {
  const module = new TfModule("test");
  addDocument(module, doc as Json, "test.tf.json");
  let last = module;
  for (const [id, before] of Object.entries(upstream).reverse()) {
    const previous = new TfModule(id);
    addDocument(previous, before as Json, `${id}.tf.json`);
    last.upstream.push(previous);
    last = previous;
  }
  return record(check([module], { rules: [rules].flat() }).findings);
}

/** Findings of `rules` over HCL text, parsed the way `saip check` parses `.tf` files. */
export async function checkHcl(rules: Rule | Rule[], hcl: string): Promise<readonly Finding[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "saip-hcl-"));
  writeFileSync(path.join(dir, "main.tf"), hcl);
  return record(check(await loadTerraform([dir]), { rules: [rules].flat() }).findings);
}

/** `{ address: status }` for assertions that read at a glance. */
export function statuses(findings: readonly Finding[]): Record<string, string> {
  return Object.fromEntries(findings.map((f) => [f.resource, f.status]));
}

/** The single finding for `address`, failing the test when there is not exactly one. */
export function findingFor(findings: readonly Finding[], address: string): Finding {
  const matches = findings.filter((f) => f.resource === address);
  if (matches.length !== 1) throw new Error(`expected one finding for ${address}, got ${matches.length}: ${JSON.stringify(findings)}`);
  return matches[0];
}
