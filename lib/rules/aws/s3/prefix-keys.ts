import { Json, TfResource } from "../../../terraform/model";
import { rawAt, resolve, stringList } from "../../helpers";
import { coversAction } from "../../policies/actions";
import { isEffect, readPolicies } from "../../policies/statements";
import { bucketPolicySources } from "./util";

const KEY_ID = "s3:x-amz-server-side-encryption-aws-kms-key-id";
/** `${aws_s3_bucket.x.arn}/rest`, the way a module names a bucket's objects. */
const OBJECT_OF = /\$\{(aws_s3_bucket\.[\w-]+)\.(?:arn|bucket|id)\}(?:\/(.*))?$/;

/** A prefix of a bucket whose objects a bucket policy holds to one key. */
export interface PrefixPin {
  /** `tenant-a/` */
  readonly prefix: string;
  /** The key the pin names, as written (`${aws_kms_key.x.arn}`). */
  readonly key: string;
  /** Where it is pinned, for messages. */
  readonly label: string;
}

/** A role whose inline policies let it read or write a bucket's objects, and which of them. */
export interface BucketObjectGrant {
  readonly role: TfResource;
  write: boolean;
  /** What the role's Allow statements on `*` give it of customer keys. */
  readonly iamActions: string[];
  /** The object keys granted, after `<bucket ARN>/`: `*`, `tenant-a/*`. */
  readonly patterns: string[];
}

/** Whether a granted object pattern (`tenant-a/*`) stays under `prefix`. */
export const within = (pattern: string, prefix: string) => pattern.startsWith(prefix);

/** Whether a granted object pattern reaches objects under `prefix`: it is under it, or a wildcard before its end covers it. */
export function reaches(pattern: string, prefix: string): boolean {
  const wildcard = pattern.search(/[*?]/);
  const fixed = wildcard < 0 ? pattern : pattern.slice(0, wildcard);
  return within(pattern, prefix) || (wildcard >= 0 && prefix.startsWith(fixed));
}

/**
 * The prefixes a bucket's policy holds to one key: a Deny of s3:PutObject on `<bucket ARN>/<prefix>*` to everyone,
 * unless the request names that key (StringNotEquals on the key id, applied only when the header is there).
 */
export function prefixPins(bucket: TfResource): PrefixPin[] {
  // Asked per grant and per key by the key-consumers rule: read once per bucket.
  const read = bucket.module.cached("s3:prefix-pins", () => new WeakMap<TfResource, PrefixPin[]>());
  let pins = read.get(bucket);
  if (!pins) read.set(bucket, (pins = readPins(bucket)));
  return pins;
}

function readPins(bucket: TfResource): PrefixPin[] {
  const pins: PrefixPin[] = [];
  for (const { statement, source, label } of readPolicies(bucketPolicySources(bucket)).statements) {
    if (!isEffect(statement, "Deny") || coversAction(source, statement, "s3:PutObject") !== true) continue;
    if (statement.Principal !== "*" && JSON.stringify(statement.Principal) !== JSON.stringify({ AWS: "*" })) continue;
    const resources = stringList(statement.Resource as Json);
    const match = resources.length === 1 ? OBJECT_OF.exec(resources[0]) : null;
    if (!match || match[1] !== bucket.address) continue;
    const rest = match[2] ?? "";
    const prefix = rest.endsWith("*") ? rest.slice(0, -1) : "";
    if (!prefix.endsWith("/") || /[*?]/.test(prefix)) continue;
    const condition = (statement.Condition ?? {}) as Record<string, Record<string, Json>>;
    const operators = Object.keys(condition);
    const keys = stringList(condition.StringNotEquals?.[KEY_ID]);
    // Any other condition could make the deny apply to fewer requests than those naming another key.
    const onlyWhenNamed = operators.every((op) => op === "StringNotEquals" || op === "Null");
    const nullKeys = condition.Null ? Object.keys(condition.Null) : [];
    const nullOk = nullKeys.every((k) => k === KEY_ID && String(condition.Null[k]) === "false");
    if (keys.length !== 1 || Object.keys(condition.StringNotEquals).length !== 1 || !onlyWhenNamed || !nullOk) continue;
    pins.push({ prefix, key: keys[0], label });
  }
  return pins;
}

/** The roles whose inline policies in the module let them read or write objects, by bucket address; built once per module. */
export function bucketObjectGrants(bucket: TfResource): BucketObjectGrant[] {
  const index = bucket.module.cached("s3:object-grants", (m) => {
    const byBucket = new Map<string, BucketObjectGrant[]>();
    for (const policy of m.ofType("aws_iam_role_policy")) {
      const role = resolve(policy, rawAt(policy.body, "role"));
      if (role.state !== "reference" || role.target.type !== "aws_iam_role") continue;
      const { statements } = readPolicies([policy]);
      const iamActions = statements
        .filter(({ statement }) => isEffect(statement, "Allow") && stringList(statement.Resource as Json).includes("*"))
        .flatMap(({ statement }) => stringList(statement.Action as Json).filter((a) => a.toLowerCase().startsWith("kms:")));
      for (const { statement, source } of statements) {
        if (!isEffect(statement, "Allow")) continue;
        const reads = coversAction(source, statement, "s3:GetObject") === true;
        const writes = coversAction(source, statement, "s3:PutObject") === true;
        if (!reads && !writes) continue;
        for (const resource of stringList(statement.Resource as Json)) {
          for (const match of resource.matchAll(/aws_s3_bucket\.[\w-]+/g)) {
            const list = byBucket.get(match[0]) ?? [];
            byBucket.set(match[0], list);
            const object = OBJECT_OF.exec(resource);
            // A resource the pattern cannot read (an ARN built another way) counts as the whole bucket.
            const pattern = object && object[1] === match[0] ? (object[2] ?? "") : "*";
            const existing = list.find((f) => f.role === role.target);
            if (existing) {
              existing.write ||= writes;
              if (pattern !== "" && !existing.patterns.includes(pattern)) existing.patterns.push(pattern);
            } else list.push({ role: role.target, write: writes, iamActions, patterns: pattern === "" ? [] : [pattern] });
          }
        }
      }
    }
    return byBucket;
  });
  return index.get(bucket.address) ?? [];
}

/** Whether every object a role is granted lies under one of the pinned prefixes. */
export const withinPins = (grant: BucketObjectGrant, pins: readonly PrefixPin[]) =>
  grant.patterns.length > 0 && grant.patterns.every((p) => pins.some((pin) => within(p, pin.prefix)));
