import { promises as fs } from "node:fs";
import * as path from "node:path";
import { declare, declareProviders, ModuleConfig } from "./config";
import { Expansion_, ModuleInstance, toJson } from "./expand";
import { Value } from "./hcl/value";
import { isObject, Json, JsonObject, TfModule } from "./model";
import { isPlan, planModule } from "./plan";
import { rootValues } from "./variables";

/** Bad input the user can fix: the message names the file and the problem. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** Adds the resources, data sources and locals of one Terraform JSON document to a module. */
export function addDocument(module: TfModule, doc: Json, source: string): void {
  if (!isObject(doc)) throw new InputError(`${source}: a Terraform JSON document must be an object.`);
  for (const [mode, key] of [
    ["managed", "resource"],
    ["data", "data"],
  ] as const) {
    for (const block of blocks(doc[key])) {
      for (const type in block) {
        const byName = block[type];
        if (type === "//") continue;
        if (!isObject(byName)) throw new InputError(`${source}: ${key}.${type} must be an object of named ${key}s.`);
        for (const name in byName) {
          if (name === "//") continue;
          const raw = byName[name];
          const body = Array.isArray(raw) ? raw.find(isObject) : raw;
          if (!isObject(body)) throw new InputError(`${source}: ${key}.${type}.${name} must be an object.`);
          if (!module.add(type, name, mode, withDynamicBlocks(body), source))
            throw new InputError(`${source}: ${mode === "data" ? "data." : ""}${type}.${name} is declared twice in module '${module.id}'.`);
        }
      }
    }
  }
  for (const block of blocks(doc.locals)) Object.assign(module.locals, block);
  declareProviders(module.providers, doc.provider, source, (m) => new InputError(m));
  for (const block of blocks(doc.terraform)) {
    if (block.backend !== undefined && module.terraform.backend !== undefined)
      throw new InputError(`${source}: a module has one backend; another terraform block of module '${module.id}' declares one already.`);
    Object.assign(module.terraform, block);
  }
}

/**
 * Turns `dynamic "ingress" { content { ... } }` into `ingress` blocks, so rules
 * judge what a dynamic block would create like any written block (its
 * iterator values, `${ingress.value}`, stay unknown). The input is not changed.
 */
export function withDynamicBlocks(body: JsonObject): JsonObject {
  let out = body;
  for (const key in body) {
    if (key === "dynamic" || key === "//") continue;
    const value = body[key];
    let expanded: Json = value;
    if (Array.isArray(value)) {
      // Copied only when an element changes: most blocks hold no dynamic block.
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        const next = isObject(item) ? withDynamicBlocks(item) : item;
        if (next !== item) {
          if (expanded === value) expanded = value.slice();
          (expanded as Json[])[i] = next;
        }
      }
    } else if (isObject(value)) {
      expanded = withDynamicBlocks(value);
    }
    if (expanded !== value) {
      if (out === body) out = { ...body };
      out[key] = expanded;
    }
  }
  if (!("dynamic" in body)) return out;
  if (out === body) out = { ...body };
  for (const group of blocks(body.dynamic)) {
    for (const name in group) {
      for (const spec of blocks(group[name])) {
        out[name] = [...blocks(out[name]), ...blocks(spec.content).map(withDynamicBlocks)];
      }
    }
  }
  return out;
}

function blocks(value: Json | undefined): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** Parses JSON text, turning a syntax error into an InputError that names the file. */
export function parseJson(text: string, source: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new InputError(`${source}: malformed JSON: ${(error as Error).message}`);
  }
}

/** Parses HCL text into Terraform JSON, turning a syntax error into an InputError that names the file. */
export async function parseHcl(text: string, source: string): Promise<Json> {
  const { parse } = await import("@cdktf/hcl2json");
  try {
    return (await parse(path.basename(source), text)) as Json;
  } catch (error) {
    const detail = String((error as Error).message ?? error).split("\n")[0];
    throw new InputError(`${source}: malformed HCL: ${detail}`);
  }
}

/** Reads a file, turning a failure into an InputError that names it. */
export async function readText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (error) {
    throw new InputError(`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

const isTerraformFile = (name: string) => name.endsWith(".tf") || name.endsWith(".tf.json");

/** One module to load: its id and its files. */
export interface ModuleSource {
  readonly id: string;
  readonly files: readonly string[];
  /** The folder, when the user named a folder (Terraform loads its .tfvars files automatically). */
  readonly dir?: string;
  /** The files of the stacks of the same cdktf.out folder this one depends on (applied before it). */
  readonly dependsOn?: readonly string[];
}

/** The stacks of a `cdktf.out` folder, in the order its manifest lists them. */
async function cdktfOutSources(dir: string): Promise<ModuleSource[]> {
  const manifestPath = path.join(dir, "manifest.json");
  const manifest = parseJson(await readText(manifestPath), manifestPath);
  const stacks = isObject(manifest) ? manifest.stacks : undefined;
  if (!isObject(stacks)) throw new InputError(`${manifestPath}: has no 'stacks' object; is this a cdktf.out folder?`);
  const fileOf = (name: string): string => {
    const stack = stacks[name];
    const relative = isObject(stack) ? stack.synthesizedStackPath : undefined;
    if (typeof relative !== "string") throw new InputError(`${manifestPath}: stack '${name}' has no synthesizedStackPath.`);
    return path.join(dir, relative);
  };
  return Object.entries(stacks).map(([name, stack]) => {
    const file = fileOf(name);
    const dependencies = isObject(stack) ? stack.dependencies : undefined;
    const dependsOn = (Array.isArray(dependencies) ? dependencies.filter((d): d is string => typeof d === "string") : []).map(
      (dependency) => {
        if (!isObject(stacks[dependency]))
          throw new InputError(`${manifestPath}: stack '${name}' depends on '${dependency}', which it does not list.`);
        return fileOf(dependency);
      },
    );
    return { id: name, files: [file], dependsOn };
  });
}

/**
 * The modules in the forms users have Terraform: a cdktf.out folder (all
 * stacks through manifest.json), a stack folder, a `.tf.json`, `.json` or
 * `.tf` file, or a folder of `.tf` / `.tf.json` files (one module).
 */
export async function moduleSources(paths: readonly string[]): Promise<ModuleSource[]> {
  const sources: ModuleSource[] = [];
  for (const given of paths) {
    let stat;
    try {
      stat = await fs.stat(given);
    } catch (error) {
      throw new InputError(`${given}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (stat.isFile()) {
      sources.push({ id: given, files: [given] });
      continue;
    }
    const names = (await fs.readdir(given)).sort();
    if (names.includes("manifest.json") && names.includes("stacks")) {
      sources.push(...(await cdktfOutSources(given)));
      continue;
    }
    const files = names.filter(isTerraformFile).map((name) => path.join(given, name));
    if (files.length === 0) throw new InputError(`${given}: holds no .tf or .tf.json files and no cdktf manifest.json.`);
    sources.push({ id: given, files, dir: given });
  }
  return sources;
}

/** Variable values from the command line, in the order given (later wins, as in Terraform). */
export type Assignment = { readonly file: string } | { readonly var: string };

export interface LoadOptions {
  /** `--var-file FILE` and `--var NAME=VALUE`, in command-line order. */
  readonly assignments?: readonly Assignment[];
  /**
   * The environment `TF_VAR_<name>` values are read from, as `terraform plan` reads them.
   * @default {} - none: a library call stays independent of the process it runs in (the command line passes process.env)
   */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

/**
 * Loads Terraform in any form `moduleSources` reads, one TfModule per root
 * module: variables bound, locals and expressions evaluated, count and
 * for_each expanded, local modules followed (see expand.ts). A plan JSON
 * (`terraform show -json`) is read with the plan's values and addresses.
 */
export async function loadTerraform(paths: readonly string[], options: LoadOptions = {}): Promise<TfModule[]> {
  const modules: TfModule[] = [];
  const configs = new Map<string, ModuleConfig | string>();
  const sources = await moduleSources(paths);
  for (const source of sources) {
    const docs: Array<{ doc: Json; file: string }> = [];
    for (const file of source.files) {
      const text = await readText(file);
      docs.push({ doc: file.endsWith(".tf") ? await parseHcl(text, file) : parseJson(text, file), file });
    }
    if (docs.length === 1 && isPlan(docs[0].doc)) {
      modules.push(planModule(source.id, docs[0].doc as JsonObject, docs[0].file));
      continue;
    }
    const dir = source.dir ?? path.dirname(source.files[0]);
    const root = new ModuleConfig(dir, source.id);
    for (const { doc, file } of docs) declare(root, doc, file, (m) => new InputError(m));
    await readLocalModules(root, configs, 0);
    const values = await rootValues(root, source.dir !== undefined, options.assignments ?? [], options.environment);
    modules.push(expandRoot(root, source.id, values, configs));
  }
  linkStacks(sources, modules);
  return modules;
}

/** A cdktf.out stack's rules read the stacks it depends on, applied before it, as its upstream modules. */
function linkStacks(sources: readonly ModuleSource[], modules: readonly TfModule[]): void {
  const byFile = new Map(sources.map((source, i) => [source.files[0], modules[i]]));
  sources.forEach((source, i) => {
    for (const file of source.dependsOn ?? []) {
      const upstream = byFile.get(file);
      if (upstream && upstream !== modules[i]) modules[i].upstream.push(upstream);
    }
  });
}

/** Reads every local module a module calls, to any depth, so expansion can stay synchronous. */
async function readLocalModules(config: ModuleConfig, configs: Map<string, ModuleConfig | string>, depth: number): Promise<void> {
  if (depth > 16) return;
  for (const call of config.calls.values()) {
    const source = call.body.source;
    if (typeof source !== "string" || !(source.startsWith("./") || source.startsWith("../"))) continue;
    const dir = path.resolve(config.dir, source);
    if (configs.has(dir)) continue;
    configs.set(dir, "being read");
    const child = await readModuleFolder(dir);
    configs.set(dir, child);
    if (typeof child !== "string") await readLocalModules(child, configs, depth + 1);
  }
}

/** A local module's folder read into its declarations, or why it cannot be. */
async function readModuleFolder(dir: string): Promise<ModuleConfig | string> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).sort();
  } catch (error) {
    return `the folder ${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  const files = names.filter(isTerraformFile);
  if (files.length === 0) return `the folder ${dir} holds no .tf or .tf.json files`;
  const config = new ModuleConfig(dir, dir);
  for (const name of files) {
    const file = path.join(dir, name);
    const text = await readText(file);
    declare(config, name.endsWith(".tf") ? await parseHcl(text, file) : parseJson(text, file), file, (m) => new InputError(m));
  }
  return config;
}

function expandRoot(config: ModuleConfig, id: string, values: Map<string, Value>, configs: Map<string, ModuleConfig | string>): TfModule {
  const graph = new TfModule(id);
  Object.assign(graph.terraform, config.terraform);
  // The root module's own configurations; a child module's resources use those its call passes (`providers`), not followed here.
  for (const [key, body] of config.providers) graph.providers.set(key, body);
  const trees = [config.dir, ...[...configs].filter(([, c]) => typeof c !== "string").map(([dir]) => dir)];
  const state = new Expansion_(graph, (dir) => configs.get(dir) ?? `the folder ${dir} was not read`, path.resolve(config.dir), trees);
  const root = new ModuleInstance(state, config, "", (name) => values.get(name), 0);
  root.expandInto(graph);
  for (const name of config.locals.keys()) graph.locals[name] = toJson(root.local(name));
  graph.declaresAnything = config.declaresAnything;
  return graph;
}
