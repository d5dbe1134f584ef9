import { Outcome, unresolved } from "../../compliance/rule";
import { isObject, Json, TfResource } from "../../terraform/model";
import { resolve } from "../helpers";
import { isEffect, LocatedStatement, principalScope } from "./statements";

const lowered = (keys: string[]): ReadonlySet<string> => new Set(keys.map((k) => k.toLowerCase()));

/**
 * Condition keys that confine a wildcard principal of a resource policy to an
 * account, organization, resource or network endpoint (those AWS treats as
 * making a policy non-public). aws:SourceIp is left out: it limits where
 * requests come from, not who makes them.
 */
export const RESOURCE_LIMITING_KEYS = lowered([
  "aws:SourceAccount",
  "aws:SourceArn",
  "aws:SourceOwner",
  "aws:SourceOrgID",
  "aws:SourceOrgPaths",
  "aws:PrincipalAccount",
  "aws:PrincipalArn",
  "aws:PrincipalOrgID",
  "aws:PrincipalOrgPaths",
  "aws:SourceVpc",
  "aws:SourceVpce",
  "aws:userid",
  "s3:DataAccessPointAccount",
  "s3:DataAccessPointArn",
]);

/** Keys that confine who may assume a role trusted by a wildcard principal. */
export const TRUST_LIMITING_KEYS = lowered(["aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:SourceAccount", "sts:ExternalId"]);

export type Limit = "limited" | "open" | "unknown";

const INTERPOLATION = /\$\{[^{}]*\}/g;
const DATA = /^\$\{\s*data\./;

/**
 * Whether a string of a policy names exactly one thing: no `*` or `?`, and no
 * interpolation that could hold them. Resource and data source attributes name
 * one thing; a variable, module output or function could be anything.
 */
export function exactness(source: TfResource, text: string): "exact" | "wildcard" | "unknown" {
  let unknown = text.includes("%{");
  const literal = text.replace(INTERPOLATION, (expression) => {
    const value = resolve(source, expression);
    if (value.state === "known") return typeof value.value === "string" ? value.value : JSON.stringify(value.value);
    if (value.state !== "reference" && !DATA.test(expression)) unknown = true;
    return "";
  });
  if (/[*?]/.test(literal)) return "wildcard";
  return unknown ? "unknown" : "exact";
}

/** Strings (and numbers, as account ids are sometimes written) of a condition value; undefined when it holds anything else. */
function conditionStrings(raw: Json): string[] | undefined {
  const values = Array.isArray(raw) ? raw : [raw];
  if (values.some((v) => typeof v !== "string" && typeof v !== "number")) return undefined;
  return values.map(String);
}

/** Whether a condition block confines a wildcard principal through one of `keys`, every value exact. */
export function limitation(source: TfResource, condition: Json | undefined, keys: ReadonlySet<string>): Limit {
  if (!isObject(condition)) return "open";
  let unknown = false;
  for (const [operator, entries] of Object.entries(condition)) {
    // Negated operators, IfExists (true when the key is missing) and ForAllValues (true for an empty set) do not confine.
    const op = operator.toLowerCase();
    if (op.includes("not") || op.endsWith("ifexists") || op.startsWith("forallvalues:") || op === "null" || !isObject(entries)) continue;
    for (const [key, raw] of Object.entries(entries)) {
      if (!keys.has(key.toLowerCase())) continue;
      const values = conditionStrings(raw);
      if (!values || values.length === 0) continue;
      // A value with a wildcard matches more than one account or organization under the *Like operators.
      const kinds = values.map((v) => exactness(source, v));
      if (kinds.includes("wildcard")) continue;
      if (kinds.includes("unknown")) unknown = true;
      else return "limited";
    }
  }
  return unknown ? "unknown" : "open";
}

/**
 * Allow statements that reach every principal (NotPrincipal, `"*"`,
 * `{"AWS": "*"}`) unless `limits` says the statement confines them. Adds
 * what cannot be known before apply to `unreadable`; returns the problems.
 * `limitedTo` words what a limiting condition names, for messages.
 */
export function publicAllows(
  statements: readonly LocatedStatement[],
  unreadable: Outcome[],
  limits: (s: LocatedStatement) => Limit,
  limitedTo: string,
): string[] {
  const problems: string[] = [];
  for (const located of statements) {
    const { statement, source, label } = located;
    if (!isEffect(statement, "Allow")) continue;
    if (statement.NotPrincipal !== undefined) {
      problems.push(`${label} allows with NotPrincipal, which reaches every principal but those listed`);
      continue;
    }
    const scope = principalScope(source, statement.Principal);
    if (scope === "named") continue;
    const limit = limits(located);
    if (limit === "limited") continue;
    const principal = JSON.stringify(statement.Principal);
    if (scope === "unknown") unreadable.push(unresolved(`${label} has Principal ${principal}, which is not known before apply`));
    else if (limit === "open") problems.push(`${label} allows Principal ${principal} with no condition that limits it to ${limitedTo}`);
    else unreadable.push(unresolved(`${label} limits Principal ${principal} with a condition value that is not known before apply`));
  }
  return problems;
}
