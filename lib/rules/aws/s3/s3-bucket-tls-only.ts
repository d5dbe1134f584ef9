import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, Json, TfResource } from "../../../terraform/model";
import { principalIsWildcard, resolve, stringList, valueAt } from "../../helpers";
import { isEffect, LocatedStatement, readPolicies } from "../../policies/statements";
import { bucketPolicySources } from "./util";

export const s3BucketTlsOnly: Rule = {
  id: "aws-s3-bucket-tls-only",
  title: "S3 bucket policies deny requests that do not use TLS",
  requirements: ["AICP-DATA-03"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_s3_bucket"],
  checkov: ["CKV_AWS_379"],
  relations: {
    CKV_AWS_379: {
      relation: "partial",
      reason:
        "CKV_AWS_379 gives its finding on an aws_s3_bucket_acl and judges only a bucket that ACL makes public (public-read or an AllUsers grant not blocked by the public access block) and that serves no website; AICP-DATA-03 asks TLS of every bucket, so this rule judges each aws_s3_bucket, including those with no ACL resource",
    },
  },
  remediation:
    'Attach a bucket policy statement that denies s3:* to Principal "*" on the bucket ARN and <bucket ARN>/* with aws:SecureTransport false as its only condition (SecureBucket and AccessLogBucket do).',
  examples: {
    good: [
      `
      resource "aws_s3_bucket" "models" {
        bucket = "platform-models"
      }

      resource "aws_s3_bucket_policy" "models" {
        bucket = aws_s3_bucket.models.id
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid       = "DenyWithoutTls"
            Effect    = "Deny"
            Principal = "*"
            Action    = "s3:*"
            Resource  = [aws_s3_bucket.models.arn, "\${aws_s3_bucket.models.arn}/*"]
            Condition = { Bool = { "aws:SecureTransport" = "false" } }
          }]
        })
      }
    `,
    ],
    bad: [
      `
      resource "aws_s3_bucket" "models" {
        bucket = "platform-models"
      }
    `,
    ],
  },
  check(bucket) {
    const sources = bucketPolicySources(bucket);
    if (sources.length === 0) return fail("no bucket policy is attached, so requests without TLS are not denied");
    const { statements, unreadable } = readPolicies(sources);
    const near: string[] = [];
    for (const located of statements) {
      const verdict = deniesInsecureTransport(bucket, located);
      if (verdict === true) return pass(`${located.label} denies every request made without TLS to the bucket and its objects`);
      if (typeof verdict === "string") near.push(`${located.label} ${verdict}`);
      else if (verdict) unreadable.push(verdict);
    }
    if (unreadable.length > 0) return unreadable[0];
    const why = near.length > 0 ? `: ${near.join("; ")}` : "";
    return fail(
      `no statement of ${sources.map((s) => s.address).join(", ")} denies s3:* to Principal "*" on the bucket and its objects whenever aws:SecureTransport is "false"${why}`,
    );
  },
};

/**
 * True when the statement denies every request without TLS; a string saying
 * how a TLS deny falls short; an unresolved outcome when its Resource cannot
 * be read; false for statements about something else.
 */
function deniesInsecureTransport(bucket: TfResource, { statement, source, label }: LocatedStatement): boolean | string | Outcome {
  const values = conditionValues(statement.Condition, "aws:SecureTransport");
  if (!isEffect(statement, "Deny") || !values.some((v) => v === false || v === "false")) return false;
  if (!principalIsWildcard(statement.Principal)) return "denies only some principals";
  const actions = stringList(statement.Action).map((a) => a.toLowerCase());
  if (!actions.includes("s3:*") && !actions.includes("*")) return `denies only ${JSON.stringify(statement.Action)}, not s3:*`;
  // Every further condition key narrows the deny to requests that also match it.
  const others = conditionKeys(statement.Condition).filter((k) => k.toLowerCase() !== "bool:aws:securetransport");
  if (others.length > 0) return `denies without TLS only where ${others.join(" and ")} also hold${others.length === 1 ? "s" : ""}`;
  if ("NotResource" in statement) return "uses NotResource, which leaves the resources it lists open";
  const resources = stringList(statement.Resource);
  const covered = resources.map((r) => coverage(source, bucket, r));
  const bucketCovered = covered.some((c) => c?.bucket);
  const objectsCovered = covered.some((c) => c?.objects);
  if (bucketCovered && objectsCovered) return true;
  if (covered.includes(undefined))
    return unresolved(`${label} denies without TLS on Resource ${JSON.stringify(statement.Resource)}, which is not known before apply`);
  const missing = [...(bucketCovered ? [] : ["the bucket ARN"]), ...(objectsCovered ? [] : ["its objects (<bucket ARN>/*)"])];
  return `covers Resource ${JSON.stringify(statement.Resource ?? null)}, not ${missing.join(" and ")}`;
}

/** `Operator:key` of every condition entry, `Bool:aws:SecureTransport` style. */
function conditionKeys(condition: Json | undefined): string[] {
  if (!isObject(condition)) return [];
  return Object.entries(condition).flatMap(([op, entries]) =>
    isObject(entries) ? Object.keys(entries).map((k) => `${op}:${k}`) : [`${op}`],
  );
}

/** Values of a condition key under Bool; operators and keys compare case-insensitively, as IAM does for keys. */
function conditionValues(condition: Json | undefined, key: string): Json[] {
  if (!isObject(condition)) return [];
  const values: Json[] = [];
  for (const [op, entries] of Object.entries(condition)) {
    if (op.toLowerCase() !== "bool" || !isObject(entries)) continue;
    for (const [k, v] of Object.entries(entries)) if (k.toLowerCase() === key.toLowerCase()) values.push(...(Array.isArray(v) ? v : [v]));
  }
  return values;
}

const PARTITION = /^\$\{\s*data\.aws_partition\.[\w-]+\.partition\s*\}$/;
const INTERPOLATION = /\$\{[^{}]*\}/g;
// Samples no narrower pattern matches: the bucket's own name when it has no literal one, and object keys.
const UNNAMED = "\u0001bucket\u0001";
const KEYS = ["\u0002", "\u0002/\u0003\u0004"];

/** Which of the bucket and its objects a Resource entry matches; undefined when the entry holds a value unknown before apply. */
function coverage(source: TfResource, bucket: TfResource, entry: string): { bucket: boolean; objects: boolean } | undefined {
  const literal = valueAt(bucket, "bucket");
  const name = literal.state === "known" && typeof literal.value === "string" && !literal.value.includes("${") ? literal.value : UNNAMED;
  let unknown = false;
  const text = entry.replace(INTERPOLATION, (expression) => {
    if (PARTITION.test(expression)) return "aws";
    const value = resolve(source, expression);
    if (value.state === "reference") {
      if (value.target !== bucket) return "\u0000";
      if (value.attribute === "arn") return `arn:aws:s3:::${name}`;
      if (value.attribute === "bucket" || value.attribute === "id") return name;
      return "\u0000";
    }
    if (value.state === "known" && typeof value.value === "string") return value.value;
    unknown = true;
    return "";
  });
  if (unknown) return undefined;
  const pattern = text.replace(/^arn:aws-[a-z-]+:/, "arn:aws:");
  const arn = `arn:aws:s3:::${name}`;
  return { bucket: globMatches(pattern, arn), objects: KEYS.every((key) => globMatches(pattern, `${arn}/${key}`)) };
}

/**
 * Whether the whole of `text` matches `pattern`, where `*` stands for any run of characters and `?` for one
 * (case-sensitive, as S3 ARNs are). Without a regular expression: each bucket's entries are patterns of their own,
 * and compiling one per entry was most of this rule's time on large modules.
 */
export function globMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  // Where the last `*` was and the text position it has taken up to: on a mismatch it takes one character more.
  let star = -1;
  let taken = 0;
  while (t < text.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && c !== STAR && (c === QUESTION || c === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (p < pattern.length && c === STAR) {
      star = p++;
      taken = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++taken;
    } else return false;
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) p++;
  return p === pattern.length;
}

const STAR = 42;
const QUESTION = 63;
