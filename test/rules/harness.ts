import { check } from "../../lib/compliance/engine";
import { Finding } from "../../lib/compliance/finding";
import { Rule } from "../../lib/compliance/rule";
import { Waiver } from "../../lib/compliance/waivers";
import { addDocument, loadTerraform } from "../../lib/terraform/load";
import { Json, TfModule } from "../../lib/terraform/model";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** Findings of `rules` over one Terraform JSON document: `{ resource: { type: { name: body } } }`. */
export function checkJson(rules: Rule | Rule[], doc: object, waivers: Waiver[] = [], now?: Date): readonly Finding[] {
  const module = new TfModule("test");
  addDocument(module, doc as Json, "test.tf.json");
  return check([module], { rules: [rules].flat(), waivers, now }).findings;
}

/** Findings of `rules` over HCL text, parsed the way `saip check` parses `.tf` files. */
export async function checkHcl(rules: Rule | Rule[], hcl: string): Promise<readonly Finding[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "saip-hcl-"));
  writeFileSync(path.join(dir, "main.tf"), hcl);
  return check(await loadTerraform([dir]), { rules: [rules].flat() }).findings;
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
