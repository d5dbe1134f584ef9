import { InputError } from "./load";
import { isObject, Json, JsonObject, TfModule } from "./model";

/** Whether a JSON document is `terraform show -json` output of a plan. */
export function isPlan(doc: Json): boolean {
  return isObject(doc) && isObject(doc.planned_values) && typeof doc.format_version === "string";
}

interface Planned {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: Json;
  readonly values: JsonObject;
  /** `module.a[0].` for a resource in a module instance, `""` in the root. */
  readonly prefix: string;
  /** The module calls from the root, without instance keys: `["a"]`. */
  readonly calls: string[];
}

const objects = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

/**
 * A plan as a module the rules read: every resource instance of
 * planned_values under the plan's own address, its values as planned.
 * An attribute known only after apply (after_unknown) is written as the
 * reference its configuration expression makes (`${aws_kms_key.this--2.arn}`),
 * so rules still follow a policy to its bucket; without one, it stays unknown.
 */
export function planModule(id: string, plan: JsonObject, file: string): TfModule {
  const graph = new TfModule(id);
  graph.declaresAnything = true;
  const planned: Planned[] = [];
  collect(plan.planned_values as JsonObject, file, planned);
  const changes = new Map<string, JsonObject>();
  for (const change of objects(plan.resource_changes)) {
    if (typeof change.address === "string" && isObject(change.change)) changes.set(change.address, change.change);
  }
  const configuration = isObject(plan.configuration) ? plan.configuration : {};
  let next = 0;
  const keys = new Map<string, string>();
  for (const r of planned) {
    const local = `${r.mode === "data" ? "data." : ""}${r.type}.`;
    keys.set(r.address, r.address === `${local}${r.name}` ? r.address : `${local}${r.name}--${++next}`);
  }
  for (const r of planned) {
    const change = changes.get(r.address);
    const config = configResource(configuration, r);
    const expressions = config && isObject(config.expressions) ? config.expressions : undefined;
    const body = withUnknowns(r.values, change?.after_unknown, expressions, (reference) => referenceKey(reference, r, keys));
    // Planned values omit the provider meta-argument; the configuration names it (`aws.archive`) for a root resource.
    const providerKey = config?.provider_config_key;
    if (r.calls.length === 0 && typeof providerKey === "string" && !providerKey.includes(":")) body.provider = providerKey;
    const key = keys.get(r.address)!;
    graph.add(r.type, r.name, r.mode, body, file, key === r.address ? undefined : { address: r.address, key });
  }
  readProviders(configuration, graph);
  return graph;
}

/** The root module's provider configurations (`configuration.provider_config`), with constant expressions as values. */
function readProviders(configuration: JsonObject, graph: TfModule): void {
  const configs = isObject(configuration.provider_config) ? configuration.provider_config : {};
  for (const key in configs) {
    const config = configs[key];
    // Keys with a module path (`module.eks:aws`) configure a child module's provider, which rules do not follow.
    if (key.includes(":") || !isObject(config)) continue;
    const body = isObject(config.expressions) ? fromExpressions(config.expressions) : {};
    if (typeof config.alias === "string") body.alias = config.alias;
    graph.providers.set(key, body);
  }
}

/** A plan's configuration expressions as a body: constants as values, the rest as the reference they make, or unknown. */
function fromExpressions(expressions: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const name in expressions) {
    const e = expressions[name];
    if (Array.isArray(e)) out[name] = e.filter(isObject).map(fromExpressions);
    else if (isObject(e) && "constant_value" in e) out[name] = e.constant_value;
    else if (isObject(e) && Array.isArray(e.references)) out[name] = "${" + (e.references.find((r) => typeof r === "string") ?? name) + "}";
    else out[name] = "${" + name + "}";
  }
  return out;
}

function collect(module: JsonObject, file: string, out: Planned[]): void {
  if (!isObject(module)) throw new InputError(`${file}: planned_values has no root_module.`);
  const walk = (m: JsonObject) => {
    for (const r of objects(m.resources)) {
      const { address, mode, type, name } = r;
      if (typeof address !== "string" || typeof type !== "string" || typeof name !== "string")
        throw new InputError(`${file}: a planned resource has no address, type or name.`);
      const prefix = address.slice(0, Math.max(0, address.lastIndexOf(`${mode === "data" ? "data." : ""}${type}.${name}`)));
      const calls = [...prefix.matchAll(/module\.([\w-]+)/g)].map((x) => x[1]);
      out.push({
        address,
        mode: mode === "data" ? "data" : "managed",
        type,
        name,
        index: r.index,
        values: isObject(r.values) ? r.values : {},
        prefix,
        calls,
      });
    }
    for (const child of objects(m.child_modules)) walk(child);
  };
  walk(isObject(module.root_module) ? module.root_module : (undefined as never));
}

/** The configuration entry of a planned resource (module-relative, so without instance keys). */
function configResource(configuration: JsonObject, r: Planned): JsonObject | undefined {
  let module = isObject(configuration.root_module) ? configuration.root_module : undefined;
  for (const call of r.calls) {
    const calls = module && isObject(module.module_calls) ? module.module_calls : undefined;
    const next = calls && isObject(calls[call]) ? calls[call] : undefined;
    module = next && isObject(next.module) ? next.module : undefined;
  }
  const written = `${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;
  return objects(module?.resources).find((c) => c.address === written);
}

const REFERENCE = /^((?:data\.)?[A-Za-z][\w-]*\.[\w-]+)(\[[^\]]+\])?(?:\.(.+))?$/;

/** The graph key of what a configuration reference names, in the same module instance as `from`. */
function referenceKey(reference: string, from: Planned, keys: Map<string, string>): string | undefined {
  const m = REFERENCE.exec(reference);
  if (!m || /^(var|local|module|each|count|path|self|terraform)\./.test(reference)) return undefined;
  const [, base, index, rest] = m;
  const sameIndex = from.index === undefined ? "" : `[${JSON.stringify(from.index)}]`;
  for (const candidate of [`${from.prefix}${base}${index ?? ""}`, `${from.prefix}${base}${sameIndex}`, `${from.prefix}${base}[0]`]) {
    const key = keys.get(candidate);
    if (key) return rest ? `${key}.${rest}` : key;
  }
  return undefined;
}

/** Planned values with every after_unknown attribute written as its reference, or as unknown. */
function withUnknowns(
  values: JsonObject,
  unknown: Json | undefined,
  expressions: Json | undefined,
  key: (reference: string) => string | undefined,
): JsonObject {
  const out: JsonObject = { ...values };
  if (!isObject(unknown)) return out;
  for (const name in unknown) {
    const flag = unknown[name];
    const expression = isObject(expressions) ? expressions[name] : undefined;
    if (flag === true) out[name] = unknownText(expression, key, name);
    else if (Array.isArray(flag) && Array.isArray(out[name])) {
      const list = (out[name] as Json[]).slice();
      flag.forEach((f, i) => {
        const e = Array.isArray(expression) ? expression[i] : undefined;
        if (f === true) list[i] = unknownText(e, key, name);
        else if (isObject(f) && isObject(list[i])) list[i] = withUnknowns(list[i] as JsonObject, f, e, key);
      });
      out[name] = list;
    } else if (isObject(flag) && isObject(out[name])) out[name] = withUnknowns(out[name] as JsonObject, flag, expression, key);
  }
  return out;
}

function unknownText(expression: Json | undefined, key: (reference: string) => string | undefined, name: string): string {
  const references =
    isObject(expression) && Array.isArray(expression.references)
      ? expression.references.filter((r): r is string => typeof r === "string")
      : [];
  for (const reference of references) {
    const k = key(reference);
    if (k) return "${" + k + "}";
  }
  return "${" + (references[0] ?? name) + "}";
}
