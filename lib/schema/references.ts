import { isObject, Json } from "../terraform/model";
import { SchemaIssue, suggestion } from "./body";
import { BlockSpec } from "./provider-schema";

/** A reference in an expression: `aws_s3_bucket.models` or `data.aws_iam_policy_document.x`, with what follows it. */
const REFERENCE = /(?<![\w.\-"])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g;
/** The `${ ... }` parts of a string; the text between them is literal, and so is an escaped `$${`. */
const INTERPOLATION = /(?<!\$)\$\{([^}]*)\}/g;

/** Where a value was found, for messages. */
interface Site {
  readonly file: string;
  readonly address: string;
}

/**
 * Terraform rejects a reference to a resource or data source the module does
 * not declare ("Reference to undeclared resource"). Only types a provider
 * schema knows are judged, so iterators, function names and other words that
 * look like references are left alone; string literals inside an expression
 * are skipped.
 */
export class ReferenceChecker {
  constructor(
    private readonly declared: ReadonlySet<string>,
    private readonly specOf: (type: string, data: boolean) => BlockSpec | undefined,
    private readonly issues: SchemaIssue[],
  ) {}

  private checkExpression(expression: string, site: Site, path: string): void {
    const code = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    for (const m of code.matchAll(REFERENCE)) {
      const data = m[1] !== undefined;
      const [type, name] = [m[2], m[3]];
      const spec = this.specOf(type, data);
      if (!spec) continue;
      const address = `${data ? "data." : ""}${type}.${name}`;
      if (!this.declared.has(address)) {
        this.issues.push({
          file: site.file,
          address: site.address,
          path,
          message: `refers to ${address}, which this module does not declare.`,
        });
        continue;
      }
      // What follows: an optional instance key (`[0]`, `["a"]`, `[*]`, `.*`), then the attribute read.
      const attribute = /^(?:\[[^\]]*\]|\.\*)?\.([A-Za-z_][\w-]*)/.exec(code.slice((m.index ?? 0) + m[0].length))?.[1];
      if (attribute && !spec.a?.[attribute] && !spec.b?.[attribute] && !spec.c?.includes(attribute)) {
        const known = [...Object.keys(spec.a ?? {}), ...Object.keys(spec.b ?? {}), ...(spec.c ?? [])];
        this.issues.push({
          file: site.file,
          address: site.address,
          path,
          message: `reads ${address}.${attribute}, but ${type} has no attribute "${attribute}".${suggestion(attribute, known)}`,
        });
      }
    }
  }

  /** Every string under `value`; `bare` strings are references themselves (depends_on, replace_triggered_by). */
  walk(value: Json, site: Site, path: string, bare = false): void {
    if (typeof value === "string") {
      if (bare && !value.includes("${")) return this.checkExpression(value, site, path);
      for (const m of value.matchAll(INTERPOLATION)) this.checkExpression(m[1], site, path);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.walk(item, site, `${path}[${i}]`, bare));
      return;
    }
    if (!isObject(value)) return;
    for (const key in value) {
      if (key === "//") continue;
      const next = path ? `${path}.${key}` : key;
      this.walk(value[key], site, next, key === "depends_on" || key === "replace_triggered_by");
    }
  }
}

/** The addresses a module declares: `type.name` for resources, `data.type.name` for data sources. */
export function declaredAddresses(docs: readonly Json[]): Set<string> {
  const declared = new Set<string>();
  for (const doc of docs) {
    if (!isObject(doc)) continue;
    for (const [key, prefix] of [
      ["resource", ""],
      ["data", "data."],
    ] as const) {
      for (const group of Array.isArray(doc[key]) ? (doc[key] as Json[]) : [doc[key]]) {
        if (!isObject(group)) continue;
        for (const type in group) {
          const byName = group[type];
          if (isObject(byName)) for (const name in byName) declared.add(`${prefix}${type}.${name}`);
        }
      }
    }
  }
  return declared;
}
