import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, Json, TfResource } from "../../../terraform/model";
import { isWholeInterpolation } from "../../../terraform/values";
import { attached, principalIsWildcard, resolve, stringList, valueAt } from "../../helpers";
import { actionMatches, coversAction } from "../../policies/actions";
import { isAccount, keyPolicySources } from "../../policies/key-access";
import { isEffect, readPolicies } from "../../policies/statements";

/**
 * Buckets that hold what people publish: SecureBucket tags them with their purpose. The one
 * list of them: the platform's config and stack read it too (constructs/aws/choices.ts).
 */
export const PUBLISHED_BUCKETS = ["datasets", "models", "artifacts"] as const;
const DATA_STORES: readonly string[] = PUBLISHED_BUCKETS;

/** The role an aws_iam_role_policy or attachment's `role` names: a reference, or a literal name of a role declared here. */
function roleOf(source: TfResource): TfResource | undefined {
  const value = resolve(source, source.body.role);
  if (value.state === "reference") return value.target.type === "aws_iam_role" ? value.target : undefined;
  if (value.state !== "known" || typeof value.value !== "string") return undefined;
  return source.module.ofType("aws_iam_role").find((r) => {
    const n = valueAt(r, "name");
    return n.state === "known" && n.value === value.value;
  });
}

/** Identity policies of the module with the role they apply to: inline role policies and attached managed policies. */
function identityPolicies(bucket: TfResource): Array<{ role: TfResource; policy: TfResource }> {
  return bucket.module.cached("s3-named-writer:identity-policies", (m) => {
    const inline = m.ofType("aws_iam_role_policy").flatMap((policy) => {
      const role = roleOf(policy);
      return role ? [{ role, policy }] : [];
    });
    const managed = m.ofType("aws_iam_role_policy_attachment").flatMap((a) => {
      const role = roleOf(a);
      const target = resolve(a, a.body.policy_arn);
      return role && target.state === "reference" && target.target.type === "aws_iam_policy" ? [{ role, policy: target.target }] : [];
    });
    return [...inline, ...managed];
  });
}

/**
 * A statement's Resource strings, references to resources kept as written
 * (`${aws_s3_bucket.x.arn}/*`); "unknown" when one is a variable or the like.
 */
function resourceStrings(source: TfResource, value: Json | undefined): string[] | "unknown" {
  const out: string[] = [];
  for (const text of stringList(value)) {
    if (!isWholeInterpolation(text)) out.push(text);
    else {
      const resolved = resolve(source, text);
      if (resolved.state === "known") out.push(...stringList(resolved.value));
      else if (resolved.state === "reference") out.push(text);
      else return "unknown";
    }
  }
  return out;
}

/** Whether a Resource string covers objects of `bucket`: its ARN followed by "/", `*`, or a pattern over its literal name. */
function coversObjects(text: string, bucket: TfResource): boolean {
  if (text === "*") return true;
  if (text.startsWith(`\${${bucket.address}.arn}/`)) return true;
  const name = valueAt(bucket, "bucket");
  return (
    name.state === "known" &&
    typeof name.value === "string" &&
    !text.includes("${") &&
    actionMatches(text, `arn:aws:s3:::${name.value}/object`)
  );
}

/** The customer-managed key the bucket's default encryption names, if any; "unknown" when it cannot be told. */
function bucketKey(bucket: TfResource): TfResource | "none" | "unknown" {
  const configs = attached(bucket, "aws_s3_bucket_server_side_encryption_configuration", "bucket", "bucket");
  for (const config of configs) {
    const value = valueAt(config, "rule.apply_server_side_encryption_by_default.kms_master_key_id");
    if (value.state === "absent") continue;
    if (value.state !== "reference") return "unknown";
    if (value.target.type === "aws_kms_key") return value.target;
    if (value.target.type === "aws_kms_alias") {
      const target = resolve(value.target, value.target.body.target_key_id);
      return target.state === "reference" && target.target.type === "aws_kms_key" ? target.target : "unknown";
    }
    return "unknown";
  }
  return "none";
}

/** Whether a principal string, read in `source`, is `role`. */
function isRole(source: TfResource, text: string, role: TfResource): boolean {
  const value = resolve(source, text);
  if (value.state === "reference") return value.target === role;
  const name = valueAt(role, "name");
  return (
    name.state === "known" && typeof name.value === "string" && new RegExp(`:role/(.+/)?${name.value.replace(/[.+]/g, "\\$&")}$`).test(text)
  );
}

/** Whether the key lets `role` make data keys: named in the key policy, or the account delegated and the role's own policies allow it. */
function keyLets(key: TfResource, role: TfResource, rolePolicies: TfResource[]): boolean | "unknown" {
  const sources = keyPolicySources(key);
  const { statements, unreadable } = readPolicies(sources);
  if (unreadable.length > 0) return "unknown";
  let delegated = sources.length === 0;
  const deniedToRole = statements.some(({ statement, source }) => {
    if (
      !isEffect(statement, "Deny") ||
      statement.Condition !== undefined ||
      coversAction(source, statement, "kms:GenerateDataKey") !== true
    )
      return false;
    return (
      principalIsWildcard(statement.Principal) ||
      (isObject(statement.Principal) && stringList(statement.Principal.AWS).some((p) => isRole(source, p, role)))
    );
  });
  if (deniedToRole) return false;
  for (const { statement, source } of statements) {
    if (
      !isEffect(statement, "Allow") ||
      principalIsWildcard(statement.Principal) ||
      coversAction(source, statement, "kms:GenerateDataKey") !== true
    )
      continue;
    const principals = isObject(statement.Principal) ? stringList(statement.Principal.AWS) : [];
    if (principals.some((p) => isRole(source, p, role))) return true;
    if (
      principals.some((p) => {
        const v = resolve(source, p);
        return isAccount(v.state === "known" ? String(v.value) : p);
      })
    )
      delegated = true;
  }
  if (!delegated) return false;
  // The account delegates to IAM: the role's own policies must allow GenerateDataKey on this key.
  const { statements: own } = readPolicies(rolePolicies);
  return own.some(
    ({ statement, source }) =>
      isEffect(statement, "Allow") &&
      coversAction(source, statement, "kms:GenerateDataKey") === true &&
      [resourceStrings(source, statement.Resource)].flat().some((r) => r === "*" || r === `\${${key.address}.arn}`),
  );
}

export const s3BucketNamedWriter: Rule = {
  id: "aws-s3-bucket-named-writer",
  title: "Every datasets, models and artifacts bucket has a named role that can write it",
  requirements: ["AICP-DATA-08"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_s3_bucket"],
  effect: "Some role may put objects in the data store and make data keys with the store's KMS key, so uploads under SSE-KMS succeed.",
  remediation:
    "Give a role an identity policy allowing s3:PutObject on the bucket's objects and let it use the bucket's key (kms:GenerateDataKey); SecureBucket.grantReadWrite does both, and the platform config's storage.publishers names who assumes the publisher role.",
  examples: {
    good: [
      `
      resource "aws_s3_bucket" "models" {
        bucket = "platform-models"
        tags   = { Purpose = "models" }
      }

      resource "aws_iam_role" "publisher" {
        name = "models-publisher"
        assume_role_policy = jsonencode({
          Version   = "2012-10-17"
          Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/pipeline" }, Action = "sts:AssumeRole" }]
        })
      }

      resource "aws_iam_role_policy" "publish" {
        role = aws_iam_role.publisher.name
        policy = jsonencode({
          Version   = "2012-10-17"
          Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "\${aws_s3_bucket.models.arn}/*" }]
        })
      }
    `,
    ],
    bad: [
      `
      resource "aws_s3_bucket" "models" {
        bucket = "platform-models"
        tags   = { Purpose = "models" }
      }

      resource "aws_iam_role" "publisher" {
        name = "models-publisher"
        assume_role_policy = jsonencode({
          Version   = "2012-10-17"
          Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/pipeline" }, Action = "sts:AssumeRole" }]
        })
      }

      resource "aws_iam_role_policy" "publish" {
        role = aws_iam_role.publisher.name
        policy = jsonencode({
          Version   = "2012-10-17"
          Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "arn:aws:s3:::platform-other/*" }]
        })
      }
    `,
    ],
  },
  applies: (bucket) => {
    const tags = valueAt(bucket, "tags");
    return tags.state === "known" && isObject(tags.value) && DATA_STORES.includes(String(tags.value.Purpose));
  },
  check(bucket) {
    const key = bucketKey(bucket);
    const byRole = new Map<TfResource, TfResource[]>();
    for (const { role, policy } of identityPolicies(bucket)) byRole.set(role, [...(byRole.get(role) ?? []), policy]);
    const writers: string[] = [];
    const blocked: string[] = [];
    const open: string[] = [];
    for (const [role, policies] of byRole) {
      const { statements, unreadable } = readPolicies(policies);
      open.push(...unreadable.map((u) => u.message));
      const putting = statements.filter(
        ({ statement, source }) => isEffect(statement, "Allow") && coversAction(source, statement, "s3:PutObject") !== false,
      );
      const resources = putting.map(({ statement, source, label }) => ({
        label,
        action: coversAction(source, statement, "s3:PutObject"),
        list: resourceStrings(source, statement.Resource),
      }));
      for (const r of resources.filter((x) => x.action === "unknown" || x.list === "unknown"))
        open.push(`${r.label} has an Action or Resource that is not known before apply`);
      const puts = resources.some((r) => r.action === true && r.list !== "unknown" && r.list.some((text) => coversObjects(text, bucket)));
      if (!puts) continue;
      // A Deny beats every Allow; one with a condition may or may not apply, which is not judged here.
      const denied = statements.find(({ statement, source }) => {
        if (!isEffect(statement, "Deny") || statement.Condition !== undefined || coversAction(source, statement, "s3:PutObject") !== true)
          return false;
        const list = resourceStrings(source, statement.Resource);
        return list !== "unknown" && list.some((text) => coversObjects(text, bucket));
      });
      if (denied) {
        blocked.push(`${role.address} may put objects but ${denied.label} denies it`);
        continue;
      }
      if (key === "none") writers.push(role.address);
      else if (key === "unknown")
        open.push(
          `the bucket's default encryption key is not known before apply, so whether ${role.address} can make data keys is not known`,
        );
      else {
        const lets = keyLets(key, role, policies);
        if (lets === true) writers.push(`${role.address} (kms:GenerateDataKey with ${key.address})`);
        else if (lets === "unknown")
          open.push(`the policy of ${key.address} cannot be read, so whether ${role.address} can make data keys is not known`);
        else
          blocked.push(
            `${role.address} may put objects but ${key.address} does not let it kms:GenerateDataKey, so its SSE-KMS uploads are refused`,
          );
      }
    }
    if (writers.length > 0) return pass(`written by ${writers.join(", ")}`);
    if (open.length > 0) return unresolved(open.join("; "));
    const tags = valueAt(bucket, "tags");
    const purpose = tags.state === "known" && isObject(tags.value) ? String(tags.value.Purpose) : "data";
    if (blocked.length > 0) return fail(blocked.join("; "));
    return fail(`no role's policy allows s3:PutObject on the objects of this ${purpose} bucket, so nobody can publish to it`);
  },
};
