import { Outcome, unresolved } from "../../../compliance/rule";
import { Json, JsonObject, TfResource, isObject } from "../../../terraform/model";
import { describe, valueAt } from "../../helpers";

/**
 * Reads the Bottlerocket settings a launch template's user data gives its
 * nodes: base64 TOML (the only user data format Bottlerocket reads). The
 * reader knows the part of TOML settings files use: tables (`[a."b.c"]`),
 * `key = value` with bare, quoted or dotted keys, strings, booleans, numbers
 * and one-line arrays. Anything else makes the settings unreadable, and the
 * rules that need them say so, rather than guess what Bottlerocket would do.
 */
export type Settings = { readonly settings: JsonObject } | { readonly unreadable: Outcome };

export function bottlerocketSettings(template: TfResource): Settings {
  const userData = valueAt(template, "user_data");
  if (userData.state === "absent") return { settings: {} };
  if (userData.state !== "known" || typeof userData.value !== "string")
    return { unreadable: unresolved(`user_data is ${describe(userData)}, so the nodes' settings cannot be read`) };
  const text = userData.value.trim();
  if (!/^[A-Za-z0-9+/=\s]+$/.test(text)) return { unreadable: unresolved("user_data is not base64, as a launch template's must be") };
  const toml = Buffer.from(text, "base64").toString("utf8");
  const parsed = parseToml(toml);
  if ("error" in parsed) return { unreadable: unresolved(`the user data's TOML cannot be read: ${parsed.error}`) };
  const settings = parsed.value.settings;
  return { settings: isObject(settings) ? settings : {} };
}

/** A setting below `settings.`, by its dotted path (`kubelet-device-plugins.nvidia.device-list-strategy`). */
export function setting(settings: JsonObject, path: string): Json | undefined {
  let current: Json | undefined = settings;
  for (const key of path.split(".")) current = isObject(current) ? current[key] : undefined;
  return current;
}

const BARE = /^[A-Za-z0-9_-]+/;

function parseKey(text: string): { keys: string[]; rest: string } | undefined {
  const keys: string[] = [];
  let rest = text.trimStart();
  for (;;) {
    let match: RegExpExecArray | null;
    if ((match = /^"((?:[^"\\]|\\.)*)"/.exec(rest))) keys.push(JSON.parse(`"${match[1]}"`) as string);
    else if ((match = /^'([^']*)'/.exec(rest))) keys.push(match[1]);
    else if ((match = BARE.exec(rest))) keys.push(match[0]);
    else return undefined;
    rest = rest.slice(match[0].length).trimStart();
    if (!rest.startsWith(".")) return { keys, rest };
    rest = rest.slice(1).trimStart();
  }
}

function parseValue(text: string): Json | undefined {
  const value = text.trim();
  if (/^"(?:[^"\\]|\\.)*"$/.test(value)) return JSON.parse(value) as string;
  if (/^'[^']*'$/.test(value)) return value.slice(1, -1);
  if (value === "true" || value === "false") return value === "true";
  if (/^[+-]?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (value.startsWith("[") && value.endsWith("]")) {
    const inner = value.slice(1, -1).trim();
    if (inner === "") return [];
    const items = inner.replace(/,\s*$/, "").split(",").map(parseValue);
    return items.every((i) => i !== undefined) ? (items as Json[]) : undefined;
  }
  return undefined;
}

function parseToml(toml: string): { value: JsonObject } | { error: string } {
  const root: JsonObject = {};
  let table = root;
  const lines = toml.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].replace(/^\s+/, "");
    if (line === "" || line.startsWith("#")) continue;
    const at = `line ${n + 1}`;
    if (line.startsWith("[")) {
      if (line.startsWith("[[")) return { error: `${at}: arrays of tables are not read` };
      const key = parseKey(line.slice(1));
      if (!key || !/^\]\s*(#.*)?$/.test(key.rest)) return { error: `${at}: not a table header` };
      table = descend(root, key.keys);
      continue;
    }
    const key = parseKey(line);
    if (!key || !key.rest.startsWith("=")) return { error: `${at}: not a key = value line` };
    const raw = key.rest.slice(1).replace(/\s+#[^"']*$/, "");
    const value = parseValue(raw);
    if (value === undefined)
      return { error: `${at}: the value of ${key.keys.join(".")} is not a string, boolean, number or one-line array` };
    const parent = descend(table, key.keys.slice(0, -1));
    parent[key.keys[key.keys.length - 1]] = value;
  }
  return { value: root };
}

function descend(from: JsonObject, keys: string[]): JsonObject {
  let current = from;
  for (const key of keys) {
    const next = current[key];
    if (!isObject(next)) current[key] = {};
    current = current[key] as JsonObject;
  }
  return current;
}
