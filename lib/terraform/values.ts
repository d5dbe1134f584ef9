import { isObject, Json, JsonObject, TfModule, TfResource } from "./model";

/**
 * What an argument is known to be before apply:
 * - `known`: a literal;
 * - `absent`: not set;
 * - `reference`: exactly `${TYPE.NAME.ATTR}` of a resource in the module, whose value exists only after apply;
 * - `unknown`: a variable, data source, module output, function call, a template that mixes text with
 *   interpolations or `%{...}` directives, or a reference to nothing in the module.
 */
export type Resolved =
  | { readonly state: "known"; readonly value: Json }
  | { readonly state: "absent" }
  | { readonly state: "reference"; readonly target: TfResource; readonly attribute: string; readonly expression: string }
  | { readonly state: "unknown"; readonly expression: string; readonly reason?: string };

const ABSENT: Resolved = { state: "absent" };
const PURE = /^\$\{\s*([^{}]*?)\s*\}$/;
/** The first group is the address as written, looked up as it is (see SIMPLE_REFERENCE in expand.ts). */
const TRAVERSAL = /^((data\.)?([A-Za-z][\w-]*)\.([\w-]+))(?:\.([\w-]+))?/;

/** The first block of a nested block that may be written as an object or a list of objects. */
export function firstBlock(value: Json | undefined): JsonObject | undefined {
  if (Array.isArray(value)) return value.find(isObject);
  return isObject(value) ? value : undefined;
}

/** All blocks of a nested block written as an object or a list of objects. */
export function blocksOf(value: Json | undefined): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

const splitPaths = new Map<string, string[]>();

/** Reads `path` (dot-separated, through nested blocks) of an object without resolving it. */
export function rawAt(body: JsonObject | undefined, path: string): Json | undefined {
  let keys = splitPaths.get(path);
  if (!keys) splitPaths.set(path, (keys = path.split(".")));
  let current: Json | undefined = body;
  for (const key of keys) {
    const block = firstBlock(current);
    if (!block) return undefined;
    current = block[key];
  }
  return current;
}

/** Resolves a value as far as the module allows: locals are followed, everything else is labelled. */
export function resolveValue(module: TfModule, value: Json | undefined, depth = 0): Resolved {
  if (value === undefined || value === null) return ABSENT;
  if (typeof value !== "string" || !isTemplate(value)) return { state: "known", value };
  const cached = module.expressions.get(value) as Resolved | undefined;
  if (cached) return cached;
  let resolved = resolveExpression(module, value, depth);
  if (resolved.state === "unknown") {
    const reason = module.reasons.get(value);
    if (reason) resolved = { ...resolved, reason };
  }
  module.expressions.set(value, resolved);
  return resolved;
}

function resolveExpression(module: TfModule, value: string, depth: number): Resolved {
  const pure = PURE.exec(value);
  // "${var.a}${var.b}" or "%{ if var.x }true%{ endif }" is only known after apply.
  if (!pure) return { state: "unknown", expression: value };
  const expression = pure[1];
  const traversal = TRAVERSAL.exec(expression);
  if (!traversal || traversal[0].length !== expression.length) return { state: "unknown", expression };
  const [, address, data, first, second, third] = traversal;
  if (!data && first === "local") {
    if (depth > 8 || !(second in module.locals)) return { state: "unknown", expression };
    return resolveValue(module, module.locals[second], depth + 1);
  }
  if (!data && (first === "var" || first === "module" || first === "each" || first === "count" || first === "path" || first === "self")) {
    return { state: "unknown", expression };
  }
  const target = module.get(address);
  if (!target || data || third === undefined) return { state: "unknown", expression };
  return { state: "reference", target, attribute: third, expression };
}

/** Whether a string is one interpolation as a whole (`${var.x}`), as opposed to text around one. */
export function isWholeInterpolation(text: string): boolean {
  return PURE.test(text);
}

/** Whether a string holds Terraform interpolations or template directives. */
export function isTemplate(text: string): boolean {
  return text.indexOf("${") >= 0 || text.indexOf("%{") >= 0;
}

/**
 * Reads a JSON document held in a string (a policy, an event pattern): the
 * document is known even where interpolations stand for values inside it
 * (`"Resource": "${aws_s3_bucket.x.arn}/*"`), since its structure is literal.
 * A string that is one interpolation as a whole stays a reference or unknown.
 */
export function documentAt(resource: TfResource, path: string): Resolved {
  const raw = rawAt(resource.body, path);
  if (typeof raw === "string" && isTemplate(raw) && !PURE.test(raw)) return { state: "known", value: raw };
  return resolveValue(resource.module, raw);
}

/** Resolves `path` of a resource's arguments. */
export function valueAt(resource: TfResource, path: string): Resolved {
  return resolveValue(resource.module, rawAt(resource.body, path));
}

/** A short human form of a resolved value for messages. */
export function describe(resolved: Resolved): string {
  switch (resolved.state) {
    case "known":
      return JSON.stringify(resolved.value);
    case "absent":
      return "not set";
    case "reference": {
      const { target, expression } = resolved;
      const key = target.key;
      // An instance's graph key (this--3) reads better as its address.
      return `\${${key && expression.startsWith(key) ? target.address + expression.slice(key.length) : expression}}`;
    }
    case "unknown":
      return `\${${resolved.expression}} (unresolved${resolved.reason ? `: ${resolved.reason}` : ""})`;
  }
}
