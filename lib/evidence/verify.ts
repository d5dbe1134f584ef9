import { readFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { InputError } from "../terraform/load";
import { sha256Of } from "./build";
import { EvidenceRecord, evidenceRecordSchema } from "./record";

export interface Verification {
  readonly ok: boolean;
  /** One line per file: `ok`, `CHANGED`, `MISSING`, or `NOT IN RECORD`. */
  readonly lines: readonly string[];
}

/** Reads and validates a record; malformed content is bad input, never a pass. */
export function readRecord(file: string): EvidenceRecord {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`${file}: cannot read the evidence record: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: malformed JSON: ${(error as Error).message}`);
  }
  const parsed = evidenceRecordSchema.safeParse(doc);
  if (!parsed.success)
    throw new InputError(`${file}: not an evidence record: ${z.prettifyError(parsed.error).split("\n").slice(0, 6).join("; ")}`);
  return parsed.data;
}

function check(root: string, file: string, sha256: string): string {
  let content: Buffer;
  try {
    content = readFileSync(path.resolve(root, file));
  } catch {
    return `MISSING      ${file}`;
  }
  const actual = sha256Of(content);
  return actual === sha256 ? `ok           ${file}` : `CHANGED      ${file}: SHA-256 ${actual}, the record says ${sha256}`;
}

/** Stacks a cdktf manifest lists beside the record's stacks that the record does not name. */
function unrecorded(root: string, record: EvidenceRecord): string[] {
  const folders = new Set(record.stacks.map((s) => path.dirname(path.dirname(path.dirname(s.file)))).filter((d) => d !== "."));
  const out: string[] = [];
  for (const folder of folders) {
    let manifest: { stacks?: Record<string, { synthesizedStackPath?: string }> };
    try {
      manifest = JSON.parse(readFileSync(path.resolve(root, folder, "manifest.json"), "utf8"));
    } catch {
      continue;
    }
    for (const stack of Object.values(manifest.stacks ?? {})) {
      const file = stack.synthesizedStackPath ? path.join(folder, stack.synthesizedStackPath) : undefined;
      if (file && !record.stacks.some((s) => path.normalize(s.file) === path.normalize(file)))
        out.push(`NOT IN RECORD ${file}: the manifest lists a stack the record did not check`);
    }
  }
  return out;
}

/**
 * `saip verify`: whether the files a record names still hold the bytes it
 * checked (paths resolve from `root`, the folder the run was made in).
 */
export function verifyRecord(record: EvidenceRecord, root: string): Verification {
  const lines = record.stacks.map((s) => check(root, s.file, s.sha256));
  if (record.config?.file && record.config.sha256) lines.push(check(root, record.config.file, record.config.sha256));
  lines.push(...unrecorded(root, record));
  return { ok: lines.every((l) => l.startsWith("ok")), lines };
}
