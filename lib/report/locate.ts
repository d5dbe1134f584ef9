import { readFileSync } from "node:fs";
import { isObject, Json } from "../terraform/model";

const texts = new Map<string, string[] | null>();

function linesOf(file: string): string[] | null {
  if (!texts.has(file)) {
    try {
      texts.set(file, readFileSync(file, "utf8").split("\n"));
    } catch {
      texts.set(file, null);
    }
  }
  return texts.get(file) ?? null;
}

/**
 * The 1-based line where a resource is declared in its file, for reports that
 * point at code: `resource "TYPE" "NAME"` in HCL, `"NAME": {` under `"TYPE": {` in JSON.
 */
export function lineOf(file: string, address: string): number | undefined {
  const lines = linesOf(file);
  if (!lines) return undefined;
  const parts = address.split(".");
  const [type, name] = parts[0] === "data" ? [parts[1], parts[2]] : [parts[0], parts[1]];
  if (file.endsWith(".tf")) {
    const hcl = new RegExp(`^\\s*(resource|data)\\s+"${type}"\\s+"${name}"`);
    const i = lines.findIndex((l) => hcl.test(l));
    return i >= 0 ? i + 1 : undefined;
  }
  const typeLine = lines.findIndex((l) => l.includes(`"${type}"`));
  if (typeLine < 0) return undefined;
  const i = lines.findIndex((l, n) => n > typeLine && l.includes(`"${name}"`));
  return i >= 0 ? i + 1 : undefined;
}

function metadataOf(doc: Json, address: string) {
  if (!isObject(doc)) return undefined;
  const parts = address.split(".");
  const [section, type, name] = parts[0] === "data" ? ["data", parts[1], parts[2]] : ["resource", parts[0], parts[1]];
  const group = doc[section];
  const body = isObject(group) && isObject(group[type]) ? group[type][name] : undefined;
  const meta = isObject(body) && isObject(body["//"]) ? body["//"].metadata : undefined;
  return isObject(meta) ? meta : undefined;
}

/**
 * The source file and line that created a resource's construct, from the stack
 * trace cdktf records in its metadata when an app enables stack traces: the
 * first frame outside node_modules.
 */
export function constructSourceOf(doc: Json, address: string): { file: string; line: number } | undefined {
  const trace = metadataOf(doc, address)?.stackTrace;
  if (!Array.isArray(trace)) return undefined;
  for (const frame of trace) {
    const match = typeof frame === "string" ? /\(?([^\s()]+\.[cm]?[jt]s):(\d+):\d+\)?\s*$/.exec(frame) : null;
    if (match && !match[1].includes("node_modules")) return { file: match[1], line: Number(match[2]) };
  }
  return undefined;
}

/** The construct path cdktf records in a resource's `//` metadata, for findings a developer can act on. */
export function constructPathOf(doc: Json, address: string): string | undefined {
  const meta = metadataOf(doc, address);
  return meta && typeof meta.path === "string" ? meta.path : undefined;
}
