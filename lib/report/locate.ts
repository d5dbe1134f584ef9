import { readFileSync } from "node:fs";
import { isObject, Json } from "../terraform/model";

/** Where each declaration of a file is, indexed once per file (reports ask once per finding). */
interface LineIndex {
  /** `TYPE.NAME` of `resource "TYPE" "NAME"` / `data "TYPE" "NAME"` in HCL, to its 1-based line. */
  readonly hcl: Map<string, number>;
  /** Each `"key":` that starts a line of a JSON file, to the 0-based lines it starts, in order. */
  readonly keys: Map<string, number[]>;
}

const indexes = new Map<string, LineIndex | null>();
const HCL_BLOCK = /^\s*(?:resource|data)\s+"([^"]+)"\s+"([^"]+)"/;
const JSON_KEY = /^\s*"((?:[^"\\]|\\.)*)"\s*:/;

function indexOf(file: string): LineIndex | null {
  if (indexes.has(file)) return indexes.get(file) ?? null;
  let index: LineIndex | null;
  try {
    const lines = readFileSync(file, "utf8").split("\n");
    const hcl = new Map<string, number>();
    const keys = new Map<string, number[]>();
    lines.forEach((line, i) => {
      const block = HCL_BLOCK.exec(line);
      if (block && !hcl.has(`${block[1]}.${block[2]}`)) hcl.set(`${block[1]}.${block[2]}`, i + 1);
      const key = JSON_KEY.exec(line);
      if (key) {
        const list = keys.get(key[1]);
        if (list) list.push(i);
        else keys.set(key[1], [i]);
      }
    });
    index = { hcl, keys };
  } catch {
    index = null;
  }
  indexes.set(file, index);
  return index;
}

/** `TYPE` and `NAME` of an address, module path and instance key left off: `module.a.aws_s3_bucket.b[0]` gives aws_s3_bucket, b. */
function typeAndName(address: string): [string, string] | undefined {
  const m = /(?:^|\.)([\w-]+)\.([\w-]+)(?:\[[^\]]*\])?$/.exec(address);
  return m ? [m[1], m[2]] : undefined;
}

/**
 * The 1-based line where a resource is declared in its file, for reports that
 * point at code: `resource "TYPE" "NAME"` in HCL, `"NAME": {` under `"TYPE": {` in JSON.
 */
export function lineOf(file: string, address: string): number | undefined {
  const index = indexOf(file);
  const parsed = typeAndName(address);
  if (!index || !parsed) return undefined;
  const [type, name] = parsed;
  if (file.endsWith(".tf")) return index.hcl.get(`${type}.${name}`);
  const typeLine = index.keys.get(type)?.[0];
  if (typeLine === undefined) return undefined;
  const after = index.keys.get(name)?.find((n) => n > typeLine);
  return after === undefined ? undefined : after + 1;
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
