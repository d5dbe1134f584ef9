import { fail, Outcome, pass, unresolved } from "../../compliance/rule";
import { isObject, Json, TfResource } from "../../terraform/model";
import { isWholeInterpolation } from "../../terraform/values";
import { isOutcome, memoKey, PolicyStatementJson, policyStatements, principalIsWildcard, resolve, stringList } from "../helpers";

/**
 * Whether a string inside a policy document (a principal, a condition value)
 * may hold anything at apply time: a whole `${var.x}` could be `*`. Resource
 * and data source attributes (`${aws_iam_role.x.arn}`) name one thing.
 */
export function isOpenValue(resource: TfResource, text: string): boolean {
  if (!isWholeInterpolation(text)) return false;
  const value = resolve(resource, text);
  if (value.state === "known") return stringList(value.value).includes("*");
  return value.state === "unknown" && !/^\$\{\s*data\./.test(text);
}

/** How far a statement's principal reaches: everyone, named principals, or not knowable before apply. */
export function principalScope(resource: TfResource, principal: Json | undefined): "wildcard" | "named" | "unknown" {
  if (principalIsWildcard(principal)) return "wildcard";
  // IAM takes "*" or an object of principal lists; anything else ( ["foo", "*"], a number,
  // {"AWS": 5}) is not a principal IAM can read, so it fails closed as if it admitted everyone.
  if (malformedPrincipal(principal)) return "wildcard";
  const values = isObject(principal) ? Object.values(principal).flatMap((v) => stringList(v)) : stringList(principal);
  for (const text of values) {
    if (!isWholeInterpolation(text)) continue;
    const value = resolve(resource, text);
    if (value.state === "known" && stringList(value.value).includes("*")) return "wildcard";
  }
  return values.some((text) => isOpenValue(resource, text)) ? "unknown" : "named";
}

function malformedPrincipal(principal: Json | undefined): boolean {
  if (principal === undefined) return false;
  if (typeof principal === "string") return principal !== "*" && !isWholeInterpolation(principal);
  if (!isObject(principal)) return true;
  return Object.values(principal).some((v) => !(typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string"))));
}

/** A statement of a policy, with where it was read from for messages. */
export interface LocatedStatement {
  readonly statement: PolicyStatementJson;
  readonly source: TfResource;
  /** `aws_s3_bucket_policy.x statement "Sid"` or `... statement 2` */
  readonly label: string;
}

/** The statements of the policies at `path` of each source, and the sources that could not be read. */
export function readPolicies(sources: readonly TfResource[], path = "policy"): { statements: LocatedStatement[]; unreadable: Outcome[] } {
  const statements: LocatedStatement[] = [];
  const unreadable: Outcome[] = [];
  for (const source of sources) {
    const read = located(source, path);
    if (isOutcome(read)) unreadable.push(read);
    else for (const statement of read) statements.push(statement);
  }
  return { statements, unreadable };
}

/** One source's statements with their labels, built once per source and path (several rules read each policy). */
function located(source: TfResource, path: string): readonly LocatedStatement[] | Outcome {
  const cache = source.module.cached(
    memoKey("located-statements:", path),
    () => new WeakMap<TfResource, readonly LocatedStatement[] | Outcome>(),
  );
  let found = cache.get(source);
  if (found) return found;
  const read = policyStatements(source, path);
  if (isOutcome(read)) found = unresolved(`${source.address}: ${read.message}`);
  else
    found = read.map((statement, i) => {
      const id = typeof statement.Sid === "string" && statement.Sid !== "" ? JSON.stringify(statement.Sid) : String(i + 1);
      return { statement, source, label: `${source.address} statement ${id}` };
    });
  cache.set(source, found);
  return found;
}

export const isEffect = (statement: PolicyStatementJson, effect: "Allow" | "Deny"): boolean =>
  typeof statement.Effect === "string" && statement.Effect.toLowerCase() === effect.toLowerCase();

/** Fails with `problems`, else is unresolved with the first unreadable policy, else passes with `ok`. */
export function judge(problems: string[], unreadable: Outcome[], ok: string): Outcome {
  if (problems.length > 0) return fail(problems.join("; "));
  if (unreadable.length > 0) return unreadable[0];
  return pass(ok);
}
