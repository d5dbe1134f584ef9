import { isObject, Json, JsonObject } from "./model";

/** A resource, data source or module call of one module, as written. */
export interface Declared {
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly body: JsonObject;
  readonly source: string;
}

export interface ModuleCall {
  readonly name: string;
  readonly body: JsonObject;
  readonly source: string;
}

export interface VariableDecl {
  readonly default?: Json;
  readonly type?: string;
  readonly hasDefault: boolean;
}

/** One module's files read into its declarations (before any value is evaluated). */
export class ModuleConfig {
  readonly variables = new Map<string, VariableDecl>();
  readonly locals = new Map<string, Json>();
  readonly outputs = new Map<string, Json>();
  readonly resources: Declared[] = [];
  readonly byAddress = new Map<string, Declared>();
  readonly calls = new Map<string, ModuleCall>();
  readonly terraform: JsonObject = {};
  /** The module's provider configurations, keyed as Terraform addresses them (see declareProviders). */
  readonly providers = new Map<string, JsonObject>();
  /** Whether any file declared anything Terraform reads (variables and outputs count). */
  declaresAnything = false;

  constructor(
    readonly dir: string,
    readonly id: string,
  ) {}
}

export function blocks(value: Json | undefined): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** A block body written as an object or, by hcl2json, a list of one object. */
function body(raw: Json): JsonObject | undefined {
  return Array.isArray(raw) ? raw.find(isObject) : isObject(raw) ? raw : undefined;
}

/**
 * Adds a document's `provider` blocks to `providers`, keyed `aws` for the
 * default configuration and `aws.<alias>` for an aliased one, as resources'
 * `provider` meta-arguments address them. Terraform rejects two
 * configurations with one address, and so does this.
 */
export function declareProviders(
  providers: Map<string, JsonObject>,
  value: Json | undefined,
  source: string,
  fail: (message: string) => Error,
): void {
  for (const block of blocks(value)) {
    for (const name in block) {
      if (name === "//") continue;
      // cdktf writes a list per provider name (one entry per configuration); hcl2json does too.
      const list = Array.isArray(block[name]) ? (block[name] as Json[]) : [block[name]];
      for (const raw of list) {
        if (!isObject(raw)) throw fail(`${source}: provider.${name} must be an object or a list of objects.`);
        const alias = raw.alias;
        if (alias !== undefined && typeof alias !== "string") throw fail(`${source}: provider.${name}.alias must be a string.`);
        const key = alias ? `${name}.${alias}` : name;
        if (providers.has(key)) throw fail(`${source}: provider configuration ${key} is declared twice.`);
        providers.set(key, raw);
      }
    }
  }
}

/**
 * Adds one Terraform JSON document (from `.tf.json`, or `.tf` through
 * hcl2json) to a module's declarations; `fail` names the file and problem.
 */
export function declare(config: ModuleConfig, doc: Json, source: string, fail: (message: string) => Error): void {
  if (!isObject(doc)) throw fail(`${source}: a Terraform JSON document must be an object.`);
  for (const [mode, key] of [
    ["managed", "resource"],
    ["data", "data"],
  ] as const) {
    for (const block of blocks(doc[key])) {
      for (const type in block) {
        if (type === "//") continue;
        const byName = block[type];
        if (!isObject(byName)) throw fail(`${source}: ${key}.${type} must be an object of named ${key}s.`);
        for (const name in byName) {
          if (name === "//") continue;
          const b = body(byName[name]);
          if (!b) throw fail(`${source}: ${key}.${type}.${name} must be an object.`);
          const address = `${mode === "data" ? "data." : ""}${type}.${name}`;
          if (config.byAddress.has(address)) throw fail(`${source}: ${address} is declared twice in module '${config.id}'.`);
          const declared = { mode, type, name, body: b, source };
          config.byAddress.set(address, declared);
          config.resources.push(declared);
          config.declaresAnything = true;
        }
      }
    }
  }
  for (const block of blocks(doc.module)) {
    for (const name in block) {
      if (name === "//") continue;
      const b = body(block[name]);
      if (!b) throw fail(`${source}: module.${name} must be an object.`);
      if (config.calls.has(name)) throw fail(`${source}: module.${name} is declared twice in module '${config.id}'.`);
      config.calls.set(name, { name, body: b, source });
      config.declaresAnything = true;
    }
  }
  for (const block of blocks(doc.variable)) {
    for (const name in block) {
      const b = body(block[name]) ?? {};
      config.variables.set(name, { default: b.default, hasDefault: "default" in b, type: typeof b.type === "string" ? b.type : undefined });
      config.declaresAnything = true;
    }
  }
  for (const block of blocks(doc.output)) {
    for (const name in block) {
      const b = body(block[name]);
      if (b) config.outputs.set(name, b.value ?? null);
      config.declaresAnything = true;
    }
  }
  for (const block of blocks(doc.locals)) for (const name in block) if (name !== "//") config.locals.set(name, block[name]);
  declareProviders(config.providers, doc.provider, source, fail);
  for (const block of blocks(doc.terraform)) {
    if (block.backend !== undefined && config.terraform.backend !== undefined)
      throw fail(`${source}: a module has one backend; another terraform block of module '${config.id}' declares one already.`);
    Object.assign(config.terraform, block);
  }
}
