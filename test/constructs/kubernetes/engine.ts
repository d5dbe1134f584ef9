import { TerraformStack, Testing } from "cdktf";
import { checkStackJson } from "../../../lib/compliance/aspect";
import { Finding } from "../../../lib/compliance/finding";
import { Json } from "../../../lib/terraform/model";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TfJson = { resource: Record<string, Record<string, any>>; [key: string]: unknown };

/** The stack's synthesized Terraform JSON. */
export function synthJson(stack: TerraformStack): TfJson {
  return JSON.parse(Testing.synth(stack));
}

/** Every rule of the catalogue over the stack's JSON, or over `json` (a mutated copy of it). */
export function findingsOf(stack: TerraformStack, json: TfJson = synthJson(stack)): readonly Finding[] {
  return checkStackJson(stack, {}, json as unknown as Json).findings;
}

/** `rule resource: message` for each failing finding, so a failure prints what failed. */
export function failures(findings: readonly Finding[]): string[] {
  return findings.filter((f) => f.status === "fail").map((f) => `${f.ruleId} ${f.resource}: ${f.message}`);
}

/** The status of one rule on one resource. */
export function statusOf(findings: readonly Finding[], ruleId: string, resource: string): string | undefined {
  return findings.find((f) => f.ruleId === ruleId && f.resource === resource)?.status;
}
