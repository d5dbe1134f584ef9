import { moduleSources, parseHcl, parseJson, readText } from "../terraform/load";
import { TerraformDocument } from "./validate";

async function readDocument(file: string): Promise<TerraformDocument> {
  const text = await readText(file);
  const hcl = file.endsWith(".tf");
  return { file, doc: hcl ? await parseHcl(text, file) : parseJson(text, file), hcl };
}

/**
 * Reads Terraform in the forms `saip check` takes (a cdktf.out folder, whose
 * manifest names the stacks; a stack folder; a .tf, .tf.json or .json file;
 * a folder of .tf / .tf.json files), one list of documents per module.
 */
export async function readTerraformModules(paths: readonly string[]): Promise<TerraformDocument[][]> {
  const modules: TerraformDocument[][] = [];
  for (const source of await moduleSources(paths)) {
    const documents: TerraformDocument[] = [];
    for (const file of source.files) documents.push(await readDocument(file));
    modules.push(documents);
  }
  return modules;
}
