import { Json } from "../../lib/terraform/model";
import { formatIssue, loadProviderSchemas, ProviderSchemas, validateModules } from "../../lib/schema/validate";

let schemas: ProviderSchemas | undefined;

/**
 * What `saip validate` reports for synthesized stacks (one module each), one
 * line per issue: the suites that synthesize the platforms call it on what
 * they already have, so validating them adds no synth.
 */
export function schemaIssues(stacks: ReadonlyArray<{ file: string; doc: unknown }>): string[] {
  schemas ??= loadProviderSchemas();
  const result = validateModules(
    stacks.map((s) => [{ file: s.file, doc: s.doc as Json, hcl: false }]),
    schemas,
  );
  // A stack whose blocks all went unchecked would pass for the wrong reason.
  if (result.validated === 0) return ["no resource, data source or provider block was checked against a schema"];
  return [
    ...result.issues.map(formatIssue),
    ...result.notValidated.map((n) => `${n.file}: ${n.address}: not validated, no schema for ${n.source}`),
  ];
}
