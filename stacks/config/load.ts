import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { InputError } from "../../lib/terraform/load";
import { DEFAULT_CONFIG } from "./default";
import { PlatformConfig, platformConfigSchema } from "./schema";

/** `nodePools[2].instanceTypes[0]` from a zod issue path. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

/** Configs parseConfig returned, so a stack handed one does not validate it again. */
const validated = new WeakSet<object>();

export function isValidatedConfig(config: unknown): config is PlatformConfig {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: WeakSet.has is false for null and primitives anyway
  return typeof config === "object" && config !== null && validated.has(config);
}

/** A field that is missing says so, rather than "expected string, received undefined". */
const requiredField: z.core.$ZodErrorMap = (issue) => (issue.code === "invalid_type" && issue.input === undefined ? "required" : undefined);

/** Validates a config object; every problem at once, each naming its field by its config path. */
export function parseConfig(input: unknown, source: string): PlatformConfig {
  const result = platformConfigSchema.safeParse(input, { error: requiredField });
  if (!result.success) throw new InputError(`${source}: invalid platform config:\n${formatIssues(result.error)}`);
  validated.add(result.data);
  return result.data;
}

export function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `  ${formatPath(issue.path) || "(top level)"}: ${issue.message}`).join("\n");
}

/** Reads and validates a config file, YAML or JSON. */
export function loadConfigFile(file: string): PlatformConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`${file}: cannot read the platform config: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    throw new InputError(`${file}: malformed YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  return parseConfig(doc, file);
}

/** The config to synthesize: a file when one is named, else the embedded reference platform. */
export function resolveConfig(file: string | undefined): { config: PlatformConfig; source: string } {
  if (file) return { config: loadConfigFile(file), source: file };
  // Stryker disable next-line StringLiteral: the first is only ever shown in an error, and the embedded config is valid (a test says so)
  return { config: parseConfig(DEFAULT_CONFIG, "embedded default config"), source: "embedded default config" };
}
