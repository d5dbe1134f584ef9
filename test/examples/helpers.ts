import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export const EXAMPLES_DIR = path.join(__dirname, "..", "..", "examples");

/** The examples that are a platform config only, each `examples/<name>/platform.yaml`. */
export const CONFIG_EXAMPLES = ["regulated-training", "confidential-inference", "edge-inference"] as const;

export const configFileOf = (example: string): string => path.join(EXAMPLES_DIR, example, "platform.yaml");

/** A fresh `cdktf.out` folder under the system's temporary directory. */
export function tempOutdir(label: string): string {
  return path.join(mkdtempSync(path.join(tmpdir(), `saip-example-${label}-`)), "cdktf.out");
}

// Terraform JSON as plain data.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StackJson = Record<string, any>;

/** Each stack's `cdk.tf.json` in a synthesized outdir, by stack name, in the manifest's order. */
export function readStacks(outdir: string): Array<{ name: string; json: StackJson }> {
  const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  return Object.entries(manifest.stacks).map(([name, stack]) => ({
    name,
    json: JSON.parse(readFileSync(path.join(outdir, stack.synthesizedStackPath), "utf8")) as StackJson,
  }));
}

/** The stack that holds resources of `type` (the platform stack for AWS types), whatever else buildPlatform adds. */
export function stackWith(outdir: string, type: string): StackJson {
  const found = readStacks(outdir).find((s) => s.json.resource?.[type] !== undefined);
  if (!found) throw new Error(`no stack in ${outdir} has a ${type}`);
  return found.json;
}

/** Resources of one type in a stack, by name. */
export function resourcesOf(json: StackJson, type: string): Record<string, StackJson> {
  return (json.resource?.[type] ?? {}) as Record<string, StackJson>;
}
