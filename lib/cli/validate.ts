import { readTerraformModules } from "../schema/documents";
import { formatIssue, validateModules } from "../schema/validate";
import { InputError } from "../terraform/load";
import { writeAtomically } from "./output";

export interface ValidateCommandOptions {
  readonly format: "text" | "json";
  readonly output?: string;
}

/**
 * `saip validate`: checks Terraform against the provider schemas shipped in
 * lib/schema/providers, the part of `terraform validate` that needs no
 * provider download. Returns 0 when valid, 1 on schema errors.
 */
export async function runValidate(
  paths: readonly string[],
  options: ValidateCommandOptions,
  stdout: (text: string) => void,
): Promise<number> {
  const targets = paths.length > 0 ? paths : ["cdktf.out"];
  const modules = await readTerraformModules(targets);
  const result = validateModules(modules);
  if (result.validated === 0 && result.notValidated.length === 0)
    throw new InputError(`${targets.join(", ")}: no resources, data sources or providers to validate.`);
  let text: string;
  if (options.format === "json") {
    text =
      JSON.stringify(
        {
          version: 1,
          valid: result.issues.length === 0,
          schemas: result.schemas,
          validated: result.validated,
          issues: result.issues,
          notValidated: result.notValidated,
        },
        null,
        2,
      ) + "\n";
  } else {
    const lines = result.issues.map(formatIssue);
    const sources = [...new Set(result.notValidated.map((n) => n.source))].sort();
    const summary =
      `${result.issues.length === 0 ? "valid" : `${result.issues.length} schema error${result.issues.length === 1 ? "" : "s"}`}: ` +
      `checked ${result.validated} ${result.validated === 1 ? "resource, data source or provider" : "resources, data sources and providers"} against ${result.schemas.join(", ") || "no schema"}` +
      (sources.length ? `; ${result.notValidated.length} not checked, their providers have no schema here (${sources.join(", ")})` : "");
    text = [...lines, summary].join("\n") + "\n";
  }
  if (options.output) writeAtomically(options.output, text);
  else stdout(text);
  return result.issues.length === 0 ? 0 : 1;
}
