/** Values of evaluated HCL expressions: JSON, with unknowns where a value is known only after apply. */

export type Value = null | boolean | number | string | Value[] | ValueObject | Unknown;
export interface ValueObject {
  [key: string]: Value;
}

/**
 * A value the engine cannot know before apply (a resource attribute, a
 * variable nobody set), with the expression that stands for it and why.
 * `template` is set when the value is a string of known text around unknown
 * parts (`"${aws_s3_bucket.b.arn}/*"`), which is how it is written back.
 */
export class Unknown {
  constructor(
    readonly expr: string,
    readonly reason: string,
    readonly template?: string,
  ) {}

  /** The Terraform JSON string that stands for this value. */
  get text(): string {
    return this.template ?? "${" + this.expr + "}";
  }
}

/** An error of evaluation (a missing attribute, a wrong type): `try` and `can` catch it. */
export class EvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EvalError";
  }
}

export const isUnknown = (v: unknown): v is Unknown => v instanceof Unknown;

export function isValueObject(v: Value | undefined): v is ValueObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
}

/** The first unknown anywhere inside a value, if any. */
export function firstUnknown(v: Value): Unknown | undefined {
  if (v instanceof Unknown) return v;
  if (Array.isArray(v)) {
    for (const item of v) {
      const u = firstUnknown(item);
      if (u) return u;
    }
  } else if (isValueObject(v)) {
    for (const key in v) {
      const u = firstUnknown(v[key]);
      if (u) return u;
    }
  }
  return undefined;
}

/** A value as HCL source, for the expression of an unknown that contains it. */
export function hclSource(v: Value): string {
  if (v instanceof Unknown) return v.template !== undefined ? JSON.stringify(v.template) : v.expr;
  if (typeof v === "string") return JSON.stringify(v).replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
  if (Array.isArray(v)) return `[${v.map(hclSource).join(", ")}]`;
  if (isValueObject(v))
    return `{${Object.keys(v)
      .map((k) => `${JSON.stringify(k)} = ${hclSource(v[k])}`)
      .join(", ")}}`;
  return JSON.stringify(v);
}

/** A type name for messages. */
export function typeOf(v: Value): string {
  if (v === null) return "null";
  if (v instanceof Unknown) return "unknown";
  if (Array.isArray(v)) return "list";
  if (typeof v === "object") return "object";
  return typeof v;
}

/** Terraform's string form of a primitive (numbers and bools convert; other types do not). */
export function toText(v: Value, what: string): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw new EvalError(`${what} must be a string, not ${typeOf(v)}`);
}
