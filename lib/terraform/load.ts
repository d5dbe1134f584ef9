import { promises as fs } from "node:fs";
import * as path from "node:path";
import { isObject, Json, JsonObject, TfModule } from "./model";

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
  for (const [mode, key] of [["managed", "resource"], ["data", "data"]] as const) {
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
          if (!module.add(type, name, mode, withDynamicBlocks(body), source)) throw new InputError(`${source}: ${mode === "data" ? "data." : ""}${type}.${name} is declared twice in module '${module.id}'.`);
        }
      }
    }
  }
  for (const block of blocks(doc.locals)) Object.assign(module.locals, block);
  for (const block of blocks(doc.terraform)) {
    if (block.backend !== undefined && module.terraform.backend !== undefined) throw new InputError(`${source}: a module has one backend; another terraform block of module '${module.id}' declares one already.`);
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
}

/** The stacks of a `cdktf.out` folder, in the order its manifest lists them. */
async function cdktfOutSources(dir: string): Promise<ModuleSource[]> {
  const manifestPath = path.join(dir, "manifest.json");
  const manifest = parseJson(await readText(manifestPath), manifestPath);
  const stacks = isObject(manifest) ? manifest.stacks : undefined;
  if (!isObject(stacks)) throw new InputError(`${manifestPath}: has no 'stacks' object; is this a cdktf.out folder?`);
  return Object.entries(stacks).map(([name, stack]) => {
    const relative = isObject(stack) ? stack.synthesizedStackPath : undefined;
    if (typeof relative !== "string") throw new InputError(`${manifestPath}: stack '${name}' has no synthesizedStackPath.`);
    return { id: name, files: [path.join(dir, relative)] };
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
    sources.push({ id: given, files });
  }
  return sources;
}

/** Loads Terraform in any form `moduleSources` reads, one TfModule per module. */
export async function loadTerraform(paths: readonly string[]): Promise<TfModule[]> {
  const modules: TfModule[] = [];
  for (const source of await moduleSources(paths)) {
    const module = new TfModule(source.id);
    for (const file of source.files) {
      const text = await readText(file);
      addDocument(module, file.endsWith(".tf") ? await parseHcl(text, file) : parseJson(text, file), file);
    }
    modules.push(module);
  }
  return modules;
}
