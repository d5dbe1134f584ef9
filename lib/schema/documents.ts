import { promises as fs } from "node:fs";
import * as path from "node:path";
import { InputError, parseJson } from "../terraform/load";
import { isObject, Json } from "../terraform/model";
import { TerraformDocument } from "./validate";

async function readText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (error) {
    throw new InputError(`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function readDocument(file: string): Promise<TerraformDocument> {
  const text = await readText(file);
  if (!file.endsWith(".tf")) return { file, doc: parseJson(text, file), hcl: false };
  const { parse } = await import("@cdktf/hcl2json");
  try {
    return { file, doc: (await parse(path.basename(file), text)) as Json, hcl: true };
  } catch (error) {
    throw new InputError(`${file}: malformed HCL: ${String((error as Error).message ?? error).split("\n")[0]}`);
  }
}

const isTerraformFile = (name: string) => name.endsWith(".tf") || name.endsWith(".tf.json");

/**
 * Reads Terraform in the forms `saip check` takes (a cdktf.out folder, whose
 * manifest names the stacks; a stack folder; a .tf, .tf.json or .json file;
 * a folder of .tf / .tf.json files), one list of documents per module.
 */
export async function readTerraformModules(paths: readonly string[]): Promise<TerraformDocument[][]> {
  const modules: TerraformDocument[][] = [];
  for (const given of paths) {
    let stat;
    try {
      stat = await fs.stat(given);
    } catch (error) {
      throw new InputError(`${given}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (stat.isFile()) {
      modules.push([await readDocument(given)]);
      continue;
    }
    const names = (await fs.readdir(given)).sort();
    if (names.includes("manifest.json") && names.includes("stacks")) {
      const manifestPath = path.join(given, "manifest.json");
      const manifest = parseJson(await readText(manifestPath), manifestPath);
      const stacks = isObject(manifest) ? manifest.stacks : undefined;
      if (!isObject(stacks)) throw new InputError(`${manifestPath}: has no 'stacks' object; is this a cdktf.out folder?`);
      for (const [name, stack] of Object.entries(stacks)) {
        const relative = isObject(stack) ? stack.synthesizedStackPath : undefined;
        if (typeof relative !== "string") throw new InputError(`${manifestPath}: stack '${name}' has no synthesizedStackPath.`);
        modules.push([await readDocument(path.join(given, relative))]);
      }
      continue;
    }
    const files = names.filter(isTerraformFile).map((name) => path.join(given, name));
    if (files.length === 0) throw new InputError(`${given}: holds no .tf or .tf.json files and no cdktf manifest.json.`);
    const documents: TerraformDocument[] = [];
    for (const file of files) documents.push(await readDocument(file));
    modules.push(documents);
  }
  return modules;
}
