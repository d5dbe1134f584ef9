import { addressFrom, isObject, Json, JsonObject, TfModule, TfResource } from "../../terraform/model";
import { describe, rawAt, resolve } from "../helpers";
import { isWholeInterpolation } from "../../terraform/values";

/**
 * The `helm_release` resources that install `chart` (by chart name, with or without a repository path), in the
 * resource's module and the modules applied before it (TfModule.upstream).
 */
export function releasesOf(resource: TfResource, chart: string): TfResource[] {
  return resource.module.ofTypeInScope("helm_release").filter((r) => {
    const name = r.body.chart;
    return typeof name === "string" && (name === chart || name.endsWith(`/${chart}`));
  });
}

/**
 * A release's values as Helm merges them: each `values` document in order,
 * then each `set`. A document that is one interpolation as a whole
 * (`${yamlencode(var.x)}`), or that does not parse, makes them unknown.
 */
export function releaseValues(release: TfResource, viewer: TfModule = release.module): { values: JsonObject } | { unknown: string } {
  const merged: JsonObject = {};
  const where = addressFrom(release, viewer);
  const documents = rawAt(release.body, "values");
  for (const [i, document] of (Array.isArray(documents) ? documents : documents === undefined ? [] : [documents]).entries()) {
    if (typeof document !== "string" || isWholeInterpolation(document))
      return { unknown: `${where} values[${i}] is ${describe(resolve(release, document))}` };
    let parsed: unknown;
    try {
      parsed = parseYaml(document);
    } catch {
      return { unknown: `${where} values[${i}] is not valid YAML` };
    }
    if (parsed === null || parsed === undefined) continue;
    if (!isObject(parsed as Json)) return { unknown: `${where} values[${i}] is not a mapping` };
    deepMerge(merged, parsed as JsonObject);
  }
  const sets = rawAt(release.body, "set");
  for (const set of Array.isArray(sets) ? sets : []) {
    if (!isObject(set) || typeof set.name !== "string") return { unknown: `${where} has a set block without a literal name` };
    const value = resolve(release, set.value);
    if (value.state !== "known") return { unknown: `${where} set ${set.name} is ${describe(value)}` };
    setPath(merged, set.name, set.type === "string" ? String(value.value) : coerce(value.value));
  }
  return { values: merged };
}

function deepMerge(into: JsonObject, from: JsonObject): void {
  for (const [key, value] of Object.entries(from)) {
    const current = into[key];
    if (isObject(current) && isObject(value)) deepMerge(current, value);
    else into[key] = value;
  }
}

/** `a.b.c` (dots escaped as `\.`) as Helm's --set reads it. */
function setPath(into: JsonObject, path: string, value: Json): void {
  const keys = path.split(/(?<!\\)\./).map((k) => k.replace(/\\\./g, "."));
  let current = into;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(current[key])) current[key] = {};
    current = current[key] as JsonObject;
  }
  current[keys[keys.length - 1]] = value;
}

/** Helm's --set turns "true", "false" and numbers into their types. */
function coerce(value: Json): Json {
  if (value === "true") return true;
  if (value === "false") return false;
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  return value;
}

/** yaml is required on first use: only checks with Helm releases parse values, and loading it costs every start-up. */
function parseYaml(text: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (require("yaml") as typeof import("yaml")).parse(text);
}
