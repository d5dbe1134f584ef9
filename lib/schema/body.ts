import { isObject, Json, JsonObject } from "../terraform/model";
import { AttributeSpec, BlockSpec, BlockTypeSpec, TypeSpec } from "./provider-schema";

/** One way a configuration does not match its provider's schema. */
export interface SchemaIssue {
  /** The file the block was read from. */
  readonly file: string;
  /** `aws_s3_bucket.models`, `data.aws_iam_policy_document.x`, `provider.aws`. */
  readonly address: string;
  /** The attribute or block, `versioning_configuration[0].status`; empty for the block itself. */
  readonly path: string;
  readonly message: string;
}

/** What the body is checked in: the file, the address, and whether it was written in HCL. */
export interface BodyContext {
  readonly file: string;
  readonly address: string;
  /** What the body is, for messages: `aws_s3_bucket`, `data source aws_iam_policy_document`, `provider aws`. */
  readonly kind: string;
  /**
   * HCL converted to JSON writes every block as a list of objects and an
   * attribute `x = { ... }` as an object, so block and attribute syntax can
   * be told apart; Terraform JSON writes both as objects.
   */
  readonly hcl: boolean;
  readonly issues: SchemaIssue[];
}

/** Arguments Terraform itself defines on every resource (`connection` and `provisioner` only there). */
export const RESOURCE_META = new Set(["count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"]);
export const DATA_META = new Set(["count", "for_each", "depends_on", "provider", "lifecycle"]);
const LIFECYCLE = new Set([
  "create_before_destroy",
  "prevent_destroy",
  "ignore_changes",
  "replace_triggered_by",
  "precondition",
  "postcondition",
  "action_trigger",
  "//",
]);
const DATA_LIFECYCLE = new Set(["precondition", "postcondition", "//"]);
const DYNAMIC = new Set(["for_each", "iterator", "labels", "content", "//"]);

/** A string Terraform evaluates (an interpolation or a template directive): its value is not known here. */
export const isExpression = (value: Json): boolean => typeof value === "string" && (value.includes("${") || value.includes("%{"));

const describe = (value: Json): string =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "a list"
      : isObject(value)
        ? "an object"
        : typeof value === "string"
          ? `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "..." : value)}`
          : `the ${typeof value} ${String(value)}`;

const typeName = (t: TypeSpec): string =>
  typeof t === "string"
    ? t
    : "list" in t
      ? `list(${typeName(t.list)})`
      : "set" in t
        ? `set(${typeName(t.set)})`
        : "map" in t
          ? `map(${typeName(t.map)})`
          : "object";

const join = (path: string, key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** ` Did you mean "x"?` for a name close to a known one (a camelCase override, a typo), else nothing. */
export function suggestion(name: string, known: Iterable<string>): string {
  const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    if (candidate === snake) return ` Did you mean "${candidate}"? Terraform names are snake_case.`;
    // The distance is at least the difference in length: most of 1,500 resource types need no computing.
    if (Math.abs(candidate.length - name.length) >= bestDistance) continue;
    const d = editDistance(name, candidate);
    // A short name is close to too many others for a guess to help.
    if (d < bestDistance && d * 3 <= name.length) [best, bestDistance] = [candidate, d];
  }
  return best ? ` Did you mean "${best}"?` : "";
}

function issue(ctx: BodyContext, path: string, message: string): void {
  ctx.issues.push({ file: ctx.file, address: ctx.address, path, message });
}

/** A value against an attribute's type. Terraform converts between primitives, so only what no conversion fixes is an issue. */
function checkValue(ctx: BodyContext, value: Json, type: TypeSpec, path: string, inCollection = false): void {
  if (value === null || type === "any" || isExpression(value)) return;
  if (typeof type === "string") {
    if (isObject(value) || Array.isArray(value)) {
      const hint = ctx.hcl && Array.isArray(value) && value.every(isObject) ? `; write ${path.split(".").pop()} = ..., not a block` : "";
      return issue(ctx, path, `is an attribute of type ${type}, but is given ${describe(value)}${hint}.`);
    }
    if (
      type === "number" &&
      (typeof value === "boolean" || (typeof value === "string" && !/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)))
    ) {
      return issue(ctx, path, `expects a number, but is given ${describe(value)}.`);
    }
    if (type === "bool" && (typeof value === "number" || (typeof value === "string" && !["true", "false", "1", "0"].includes(value)))) {
      return issue(ctx, path, `expects a bool, but is given ${describe(value)}.`);
    }
    return;
  }
  if ("list" in type || "set" in type) {
    const element = "list" in type ? type.list : type.set;
    if (!Array.isArray(value)) return issue(ctx, path, `expects a ${typeName(type)}, but is given ${describe(value)}.`);
    value.forEach((item, i) => checkValue(ctx, item, element, join(path, i), true));
    return;
  }
  if ("map" in type) {
    if (!isObject(value)) {
      const hint = ctx.hcl && Array.isArray(value) ? `; write ${path.split(".").pop()} = { ... }, not a block` : "";
      return issue(ctx, path, `is an attribute of type ${typeName(type)}, but is given ${describe(value)}${hint}.`);
    }
    for (const key in value) checkValue(ctx, value[key], type.map, join(path, key));
    return;
  }
  if (!isObject(value)) {
    const hint = ctx.hcl && Array.isArray(value) ? `; write ${path.split(".").pop()} = { ... }, not a block` : "";
    return issue(ctx, path, `is an attribute of object type, but is given ${describe(value)}${hint}.`);
  }
  // HCL may write a list of objects as blocks, which Terraform fills with nulls; the converted JSON cannot tell which was written.
  checkObject(ctx, value, type.object, path, !(ctx.hcl && inCollection));
}

function checkObject(
  ctx: BodyContext,
  value: JsonObject,
  attributes: Record<string, AttributeSpec>,
  path: string,
  enforceRequired: boolean,
): void {
  for (const key in value) {
    const spec = attributes[key];
    // Terraform's object conversion drops what the type does not name, silently: a misspelt key is lost.
    if (!spec)
      issue(
        ctx,
        join(path, key),
        `is not an attribute of this object, and Terraform would drop it without a word.${suggestion(key, Object.keys(attributes))}`,
      );
    else checkValue(ctx, value[key], spec.t, join(path, key));
  }
  for (const [key, spec] of Object.entries(attributes)) {
    if (enforceRequired && spec.r && value[key] === undefined) issue(ctx, join(path, key), "is required in this object, but is not set.");
  }
}

/** The block bodies a block argument holds, or an issue when it cannot hold blocks. */
function blockBodies(ctx: BodyContext, value: Json, spec: BlockTypeSpec, path: string): Array<{ body: JsonObject; path: string }> {
  const name = path.split(/[.[]/).pop() ?? path;
  if (value === null) return [];
  if (isExpression(value)) {
    issue(ctx, path, `is a nested block, which cannot be set from an expression; generate the blocks with a dynamic "${name}" block.`);
    return [];
  }
  if (spec.n === "map") {
    if (!isObject(value)) {
      issue(ctx, path, `is a nested block with labels, but is given ${describe(value)}.`);
      return [];
    }
    return Object.entries(value).flatMap(([label, v]) =>
      (Array.isArray(v) ? v : [v]).filter(isObject).map((body) => ({ body, path: join(path, label) })),
    );
  }
  if (isObject(value)) {
    // In HCL, `x = { ... }` assigns an attribute; a block is written `x { ... }`.
    if (ctx.hcl) issue(ctx, path, `is a nested block, not an attribute: write ${name} { ... } without "=".`);
    return [{ body: value, path }];
  }
  if (!Array.isArray(value) || !value.every(isObject)) {
    issue(
      ctx,
      path,
      `is a nested block, but is given ${describe(value)}; a block is an object${spec.n === "single" ? "" : " or a list of objects"}.`,
    );
    return [];
  }
  if ((spec.max || spec.n === "single") && value.length > 1) issue(ctx, path, `allows at most one block, but ${value.length} are given.`);
  return value.map((body, i) => ({ body: body as JsonObject, path: value.length === 1 && !ctx.hcl ? path : join(path, i) }));
}

/** How many blocks a value gives (for min_items), without reporting anything. */
const blockCount = (value: Json | undefined): number =>
  value === undefined || value === null ? 0 : Array.isArray(value) ? value.length : 1;

function checkDynamic(ctx: BodyContext, value: Json, spec: BlockSpec, path: string, generated: Set<string>): void {
  const groups = Array.isArray(value) ? value : [value];
  for (const group of groups) {
    if (!isObject(group)) return issue(ctx, join(path, "dynamic"), `must be an object of dynamic blocks, but is given ${describe(group)}.`);
    for (const name in group) {
      const at = join(join(path, "dynamic"), name);
      const block = spec.b?.[name];
      const attribute = spec.a?.[name];
      // Terraform also accepts dynamic blocks for list or set of object attributes, which it lets be written as blocks.
      const objectList =
        attribute && typeof attribute.t === "object" && ("list" in attribute.t || "set" in attribute.t)
          ? "list" in attribute.t
            ? attribute.t.list
            : attribute.t.set
          : undefined;
      // Written as blocks, such objects get null for what they leave out, so nothing in them is required.
      const members = objectList && typeof objectList === "object" && "object" in objectList ? objectList.object : undefined;
      const content: BlockSpec | undefined =
        block ?? (members ? { a: Object.fromEntries(Object.entries(members).map(([k, v]) => [k, { t: v.t }])) } : undefined);
      if (!content) {
        issue(
          ctx,
          at,
          `generates "${name}" blocks, but ${attribute ? `"${name}" is an attribute, not a block` : "this block has no nested block of that name"}.${attribute ? "" : suggestion(name, Object.keys(spec.b ?? {}))}`,
        );
        continue;
      }
      generated.add(name);
      const specs = Array.isArray(group[name]) ? (group[name] as Json[]) : [group[name]];
      specs.forEach((dyn, i) => {
        const where = specs.length > 1 ? join(at, i) : at;
        if (!isObject(dyn)) return issue(ctx, where, `must be an object with for_each and content, but is given ${describe(dyn)}.`);
        for (const key in dyn)
          if (!DYNAMIC.has(key))
            issue(ctx, join(where, key), `is not an argument of a dynamic block (for_each, iterator, labels, content).`);
        if (dyn.for_each === undefined) issue(ctx, join(where, "for_each"), "is required in a dynamic block, but is not set.");
        const bodies = Array.isArray(dyn.content) ? dyn.content : dyn.content === undefined ? [] : [dyn.content];
        if (bodies.length === 0) issue(ctx, join(where, "content"), "is required in a dynamic block, but is not set.");
        for (const body of bodies) {
          if (!isObject(body)) issue(ctx, join(where, "content"), `must be a block body, but is given ${describe(body)}.`);
          else checkBody(ctx, body, content, join(where, "content"), undefined);
        }
      });
    }
  }
}

/**
 * A resource, data source, provider or nested block body against its schema.
 * `meta` names the meta-arguments allowed at this level (none in nested blocks).
 */
export function checkBody(
  ctx: BodyContext,
  body: JsonObject,
  spec: BlockSpec,
  path: string,
  meta: { names: ReadonlySet<string>; lifecycle?: ReadonlySet<string> } | undefined,
): void {
  const generated = new Set<string>();
  for (const key in body) {
    if (key === "//") continue;
    const value = body[key];
    if (key === "dynamic") {
      checkDynamic(ctx, value, spec, path, generated);
      continue;
    }
    const attribute = spec.a?.[key];
    if (attribute) {
      checkValue(ctx, value, attribute.t, join(path, key));
      continue;
    }
    const block = spec.b?.[key];
    if (block) {
      for (const inner of blockBodies(ctx, value, block, join(path, key))) checkBody(ctx, inner.body, block, inner.path, undefined);
      continue;
    }
    if (meta?.names.has(key)) {
      if (key === "lifecycle" && meta.lifecycle) checkLifecycle(ctx, value, meta.lifecycle, join(path, key));
      continue;
    }
    const known = [...Object.keys(spec.a ?? {}), ...Object.keys(spec.b ?? {})];
    const owner = path
      ? `the ${path
          .replace(/\[\d+\]/g, "")
          .split(".")
          .pop()} block`
      : ctx.kind;
    issue(ctx, join(path, key), `is not an argument or block of ${owner}.${suggestion(key, known)}`);
  }
  for (const [key, attribute] of Object.entries(spec.a ?? {})) {
    if (attribute.r && (body[key] === undefined || body[key] === null) && !generated.has(key))
      issue(ctx, join(path, key), "is a required argument, but is not set.");
  }
  for (const [key, block] of Object.entries(spec.b ?? {})) {
    if (block.min && blockCount(body[key]) === 0 && !generated.has(key))
      issue(ctx, join(path, key), `is a required block: at least one "${key}" block must be given.`);
  }
}

function checkLifecycle(ctx: BodyContext, value: Json, allowed: ReadonlySet<string>, path: string): void {
  for (const body of Array.isArray(value) ? value : [value]) {
    if (!isObject(body)) {
      issue(ctx, path, `is a block, but is given ${describe(body)}.`);
      continue;
    }
    for (const key in body) if (!allowed.has(key)) issue(ctx, join(path, key), `is not a lifecycle argument.${suggestion(key, allowed)}`);
  }
}

export const LIFECYCLE_ARGUMENTS = { resource: LIFECYCLE, data: DATA_LIFECYCLE };
