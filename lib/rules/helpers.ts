import { fail, Outcome, pass, unresolved } from "../compliance/rule";
import { isObject, Json, JsonObject, TfModule, TfResource } from "../terraform/model";
import { describe, documentAt, Resolved, resolveValue, valueAt } from "../terraform/values";
import { policyDocumentSource, statementsOfPolicyDocument } from "./policies/document-data";

export { blocksOf, firstBlock, rawAt, valueAt, describe, documentAt } from "../terraform/values";

/** `true` or the string "true", as Terraform JSON accepts both. */
export function isTrue(resolved: Resolved): boolean {
  return resolved.state === "known" && (resolved.value === true || resolved.value === "true");
}

/** A number, or a string of digits. */
export function asNumber(resolved: Resolved): number | undefined {
  if (resolved.state !== "known") return undefined;
  const { value } = resolved;
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

/** Pass when `path` is true; fail when it is anything else known or absent; unresolved when unknown. */
export function requireTrue(resource: TfResource, path: string, what: string): Outcome {
  const value = valueAt(resource, path);
  if (isTrue(value)) return pass(`${what}: ${path} is true`);
  if (value.state === "unknown" || value.state === "reference") return unresolved(`${path} is ${describe(value)}`);
  return fail(`${what} is off: ${path} is ${describe(value)}`);
}

/** Pass when `path` equals `expected` (case-insensitive for strings). */
export function requireEquals(resource: TfResource, path: string, expected: string | number | boolean, what: string): Outcome {
  const value = valueAt(resource, path);
  if (value.state === "unknown" || value.state === "reference") return unresolved(`${path} is ${describe(value)}`);
  const actual = value.state === "known" ? value.value : undefined;
  const same =
    typeof actual === "string" && typeof expected === "string"
      ? actual.toLowerCase() === expected.toLowerCase()
      : String(actual) === String(expected);
  return same
    ? pass(`${what}: ${path} is ${JSON.stringify(expected)}`)
    : fail(`${what} is not set: ${path} is ${describe(value)}, expected ${JSON.stringify(expected)}`);
}

const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//;

/**
 * Whether a `kms_key_id`-style value names a customer-managed key: a
 * reference to an `aws_kms_key` (or an alias of one) in the module, or a
 * literal key ARN or id. AWS-managed aliases (`alias/aws/s3`) fail.
 */
export function customerManagedKey(resource: TfResource, path: string): Outcome {
  const value = valueAt(resource, path);
  switch (value.state) {
    case "absent":
      return fail(`${path} is not set, so AWS-owned or AWS-managed keys encrypt the data`);
    case "unknown":
      return unresolved(`${path} is ${describe(value)}; cannot tell whether it is a customer-managed key`);
    case "reference":
      if (value.target.type === "aws_kms_key" || value.target.type === "aws_kms_replica_key") {
        return pass(`encrypted with the customer-managed key ${value.target.address}`);
      }
      if (value.target.type === "aws_kms_alias") return aliasTarget(value.target);
      return unresolved(`${path} refers to ${value.target.address}, which is not a KMS key`);
    case "known": {
      const text = String(value.value);
      if (text === "") return fail(`${path} is empty`);
      if (AWS_MANAGED_ALIAS.test(text)) return fail(`${path} is the AWS-managed key ${text}, not a customer-managed key`);
      return pass(`encrypted with the key ${text}`);
    }
  }
}

function aliasTarget(alias: TfResource): Outcome {
  const target = valueAt(alias, "target_key_id");
  if (target.state === "reference" && target.target.type === "aws_kms_key")
    return pass(`encrypted through ${alias.address} with ${target.target.address}`);
  return unresolved(`${alias.address} targets ${describe(target)}`);
}

/** Configuration resources whose `id` is the id of the resource their argument names. */
const ID_IS_TARGET: ReadonlyArray<readonly [string, string]> = [["aws_s3_bucket_policy", "bucket"]];

/**
 * Resources of `type` attached to `target` through argument `key`: by a
 * reference (`bucket = "${aws_s3_bucket.x.id}"`) or, where the target has a
 * literal `nameKey` (`bucket = "my-bucket"`), by that literal.
 */
export function attached(target: TfResource, type: string, key: string, nameKey?: string): TfResource[] {
  const referring = (to: TfResource) =>
    to.module
      .referrers(to)
      .filter((r) => r.resource.type === type && r.key === key)
      .map((r) => r.resource);
  const found = referring(target);
  // Resources whose id is the id of what they configure stand for it: the
  // provider sets an aws_s3_bucket_policy's id to its bucket's name, and
  // terraform-aws-modules/s3-bucket attaches its public access block and
  // ownership controls through `aws_s3_bucket_policy.this[0].id` to order them.
  for (const [aliasType, aliasKey] of ID_IS_TARGET) {
    if (aliasType === type) continue;
    for (const alias of target.module.referrers(target)) {
      if (alias.resource.type !== aliasType || alias.key !== aliasKey) continue;
      for (const other of referring(alias.resource)) if (!found.includes(other)) found.push(other);
    }
  }
  if (nameKey) {
    const name = valueAt(target, nameKey);
    if (name.state === "known" && typeof name.value === "string" && name.value.indexOf("${") < 0) {
      for (const other of byLiteral(target.module, type, key).get(name.value) ?? []) {
        if (!found.includes(other)) found.push(other);
      }
    }
  }
  return found;
}

/** Resources of `type` by the literal string value of their argument `key`, built once per module. */
function byLiteral(module: TfModule, type: string, key: string): Map<string, TfResource[]> {
  return module.cached(`literal:${type}:${key}`, (m) => {
    const index = new Map<string, TfResource[]>();
    for (const resource of m.ofType(type)) {
      const value = resource.body[key];
      if (typeof value !== "string") continue;
      const list = index.get(value);
      if (list) list.push(resource);
      else index.set(value, [resource]);
    }
    return index;
  });
}

/**
 * `prefix` and `name` joined, the same string each time for the same two: a memo key (TfModule.cached) built
 * afresh on every call is a new string to hash, and the policy readers are asked for one per rule and resource.
 */
export function memoKey(prefix: string, name: string): string {
  let byName = MEMO_KEYS.get(prefix);
  if (!byName) MEMO_KEYS.set(prefix, (byName = new Map()));
  let key = byName.get(name);
  if (key === undefined) byName.set(name, (key = prefix + name));
  return key;
}

const MEMO_KEYS = new Map<string, Map<string, string>>();

export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: Json;
  readonly NotPrincipal?: Json;
  readonly Action?: Json;
  readonly NotAction?: Json;
  readonly Resource?: Json;
  readonly NotResource?: Json;
  readonly Condition?: Json;
}

/**
 * The statements of a policy JSON string at `path`, or an outcome saying why they cannot be read.
 * Read once per resource and path: a key or bucket policy is read by half a dozen rules. The module's
 * memo holds the cache, so a resource added later (a policy document data source) is seen. Callers
 * must not change what is returned.
 */
export function policyStatements(resource: TfResource, path: string): PolicyStatementJson[] | Outcome {
  const read = resource.module.cached(
    memoKey("policy-statements:", path),
    () => new WeakMap<TfResource, PolicyStatementJson[] | Outcome>(),
  );
  let statements = read.get(resource);
  if (!statements) read.set(resource, (statements = readStatements(resource, path)));
  return statements;
}

function readStatements(resource: TfResource, path: string): PolicyStatementJson[] | Outcome {
  // Hand-written Terraform often builds policies with the aws_iam_policy_document data source.
  const data = policyDocumentSource(resource, path);
  if (data) return statementsOfPolicyDocument(data) as PolicyStatementJson[] | Outcome;
  const value = documentAt(resource, path);
  if (value.state === "absent") return [];
  if (value.state !== "known") return unresolved(`${path} is ${describe(value)}; the policy cannot be read before apply`);
  let doc: Json = value.value;
  if (typeof doc === "string") {
    try {
      doc = JSON.parse(doc) as Json;
    } catch {
      return unresolved(`${path} is not JSON the engine can read (a function call such as jsonencode, or malformed)`);
    }
  }
  if (!isObject(doc)) return unresolved(`${path} is not a policy document`);
  const statements = doc.Statement;
  return (Array.isArray(statements) ? statements : [statements]).filter(isObject) as PolicyStatementJson[];
}

export const isOutcome = (value: unknown): value is Outcome => isObject(value as Json) && typeof (value as Outcome).status === "string";

/** The list of strings a policy field holds (a string or a list). */
export function stringList(value: Json | undefined): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
}

/** Whether a statement's principal is everyone: `"*"` or `{"AWS": "*"}`. */
export function principalIsWildcard(principal: Json | undefined): boolean {
  if (principal === "*") return true;
  if (!isObject(principal)) return false;
  return stringList(principal.AWS).includes("*") || stringList((principal as JsonObject).CanonicalUser).includes("*");
}

/** Resolves a value that is not at a path of a resource (a block already read). */
export function resolve(resource: TfResource, value: Json | undefined): Resolved {
  return resolveValue(resource.module, value);
}
