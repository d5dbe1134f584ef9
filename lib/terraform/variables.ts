import { promises as fs } from "node:fs";
import * as path from "node:path";
import { ModuleConfig } from "./config";
import { evaluate, evaluateTemplate, Scope } from "./hcl/evaluate";
import { HclSyntaxError, parseExpression, parseTemplate } from "./hcl/parse";
import { EvalError, Value } from "./hcl/value";
import type { Assignment } from "./load";
import { InputError, parseHcl, parseJson, readText } from "./load";
import { isObject, Json } from "./model";

/** tfvars hold values only: a reference in one is an error, as in Terraform. */
const NO_NAMES: Scope = {
  traverse(root) {
    throw new EvalError(`a variables file cannot refer to ${root}`);
  },
};

/**
 * The root module's variable values, in Terraform's order of precedence,
 * later wins: `TF_VAR_<name>` environment variables, then terraform.tfvars,
 * terraform.tfvars.json, *.auto.tfvars and *.auto.tfvars.json in lexical
 * order (when a folder was given), then each --var-file and --var in
 * command-line order. Defaults apply where none of these sets a variable.
 * As in Terraform, an environment variable for a variable the module does not
 * declare is ignored.
 */
export async function rootValues(
  config: ModuleConfig,
  autoLoad: boolean,
  assignments: readonly Assignment[],
  environment: Readonly<Record<string, string | undefined>> = {},
): Promise<Map<string, Value>> {
  const values = new Map<string, Value>();
  for (const [name, declared] of config.variables) {
    const text = environment[`TF_VAR_${name}`];
    if (text !== undefined) values.set(name, cliValue(text, declared.type, `TF_VAR_${name}`));
  }
  if (autoLoad) {
    const names = (await fs.readdir(config.dir)).sort();
    const auto = [
      ...names.filter((n) => n === "terraform.tfvars"),
      ...names.filter((n) => n === "terraform.tfvars.json"),
      ...names.filter((n) => n.endsWith(".auto.tfvars") || n.endsWith(".auto.tfvars.json")),
    ];
    for (const name of auto) await readVarFile(path.join(config.dir, name), values);
  }
  for (const a of assignments) {
    if ("file" in a) await readVarFile(a.file, values);
    else {
      const eq = a.var.indexOf("=");
      if (eq <= 0) throw new InputError(`--var ${JSON.stringify(a.var)}: expected NAME=VALUE`);
      const name = a.var.slice(0, eq);
      values.set(name, cliValue(a.var.slice(eq + 1), config.variables.get(name)?.type, `--var ${name}`));
    }
  }
  return values;
}

/** A --var or TF_VAR_ value: the text itself for a primitive type, an HCL expression for a list, map or object. */
function cliValue(text: string, type: string | undefined, given: string): Value {
  const t = (type ?? "").replace(/^\$\{\s*|\s*\}$/g, "");
  if (t === "" || t === "string" || t === "number" || t === "bool") return text;
  try {
    return evaluate(parseExpression(text), NO_NAMES);
  } catch (error) {
    if (error instanceof HclSyntaxError || error instanceof EvalError) throw new InputError(`${given}: ${error.message}`);
    throw error;
  }
}

async function readVarFile(file: string, values: Map<string, Value>): Promise<void> {
  const text = await readText(file);
  const json = file.endsWith(".json");
  const doc: Json = json ? parseJson(text, file) : await parseHcl(text, file);
  if (!isObject(doc)) throw new InputError(`${file}: a variables file must set NAME = VALUE pairs.`);
  for (const name in doc) {
    // In .tfvars.json strings are values as they are; in .tfvars, hcl2json gives expressions as "${...}".
    values.set(name, json ? (doc[name] as Value) : literal(doc[name], file, name));
  }
}

function literal(json: Json, file: string, name: string): Value {
  if (typeof json === "string" && (json.includes("${") || json.includes("%{"))) {
    try {
      return evaluateTemplate(parseTemplate(json), NO_NAMES, undefined);
    } catch (error) {
      if (error instanceof HclSyntaxError || error instanceof EvalError) throw new InputError(`${file}: ${name}: ${error.message}`);
      throw error;
    }
  }
  if (Array.isArray(json)) return json.map((v) => literal(v, file, name));
  if (isObject(json)) return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, literal(v, file, name)]));
  return json;
}
