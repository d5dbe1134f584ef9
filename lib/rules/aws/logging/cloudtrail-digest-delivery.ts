import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, Json, TfResource } from "../../../terraform/model";
import { attached, isTrue, PolicyStatementJson, stringList, valueAt } from "../../helpers";
import { coversAction } from "../../policies/actions";
import { isEffect, readPolicies } from "../../policies/statements";
import { trailBucket } from "./util";

/**
 * Where CloudTrail writes a digest file, with the parts only apply knows
 * (bucket ARN, account, Region) as `x`, a path part that any interpolation
 * or wildcard in a policy's Resource may stand for.
 */
const DIGEST_KEY = "x/AWSLogs/x/CloudTrail-Digest/x/2026/01/01/digest.json.gz";

/** Whether a Resource pattern covers the digest key: `*` and `?` as IAM reads them, each `${...}` as one path part. */
function coversDigest(pattern: string): boolean {
  // The policy is attached to the trail's bucket, so a literal bucket ARN in it names that bucket.
  const source = pattern
    .replace(/^arn:(\$\{[^}]*\}|[\w-]*):s3:::(\$\{[^}]*\}|[^/$]+)/, "x")
    .split(/(\$\{[^}]*\})/)
    .map((part) =>
      part.startsWith("${")
        ? "[^/]*"
        : part
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, "."),
    )
    .join("");
  return new RegExp(`^${source}$`).test(DIGEST_KEY);
}

/**
 * Whether a condition holds for CloudTrail's digest PutObject: over TLS, with
 * `x-amz-server-side-encryption: AES256` and no KMS key id. "unknown" for a
 * condition on anything else.
 */
function holdsForDigest(condition: Json | undefined): boolean | "unknown" {
  if (condition === undefined) return true;
  if (!isObject(condition)) return "unknown";
  const request: Record<string, string | undefined> = {
    "s3:x-amz-server-side-encryption": "AES256",
    "s3:x-amz-server-side-encryption-aws-kms-key-id": undefined,
    "aws:securetransport": "true",
  };
  for (const [operator, entries] of Object.entries(condition)) {
    if (!isObject(entries)) return "unknown";
    for (const [rawKey, rawValues] of Object.entries(entries)) {
      const key = rawKey.toLowerCase();
      if (!(key in request)) return "unknown";
      const actual = request[key];
      const values = stringList(rawValues).map((v) => v.toLowerCase());
      let holds: boolean;
      switch (operator) {
        case "Null":
          holds = values.includes(String(actual === undefined));
          break;
        case "StringEquals":
        case "StringEqualsIgnoreCase":
        case "Bool":
          holds = actual !== undefined && values.includes(actual.toLowerCase());
          break;
        case "StringNotEquals":
        case "StringNotEqualsIgnoreCase":
          // A negated operator holds for a key the request does not carry.
          holds = actual === undefined || !values.includes(actual.toLowerCase());
          break;
        default:
          return "unknown";
      }
      if (!holds) return false;
    }
  }
  return true;
}

/** Whether one statement denies the digest write: yes, no, or why it cannot be told. */
function deniesDigest(statement: PolicyStatementJson, source: TfResource): boolean | string {
  if (!isEffect(statement, "Deny")) return false;
  const action = coversAction(source, statement, "s3:PutObject");
  if (action === "unknown") return "its actions are not known before apply";
  if (!action) return false;
  if (statement.Resource !== undefined && !stringList(statement.Resource).some(coversDigest)) return false;
  if (statement.Resource === undefined && stringList(statement.NotResource).some(coversDigest)) return false;
  const holds = holdsForDigest(statement.Condition);
  if (holds === "unknown") return `its condition ${JSON.stringify(statement.Condition)} is on something the engine does not model`;
  return holds;
}

export const cloudtrailDigestDelivery: Rule = {
  id: "aws-cloudtrail-digest-delivery",
  title: "CloudTrail can deliver the digest files that log file validation needs",
  requirements: ["AICP-AUDIT-02"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_cloudtrail"],
  effect:
    "Log file validation works: no statement of the trail bucket's policy denies the SSE-S3 digest files CloudTrail writes, as a policy requiring SSE-KMS for every object would.",
  remediation:
    "Exempt AWSLogs/<account>/CloudTrail-Digest/ from bucket-policy denies of non-KMS encryption, for example with NotResource (SecureBucket's sseS3Prefixes, which AuditTrail sets). CloudTrail always encrypts digest files with SSE-S3.",
  examples: {
    good: [
      `
      resource "aws_s3_bucket" "audit" {
        bucket = "platform-audit"
      }

      resource "aws_cloudtrail" "org" {
        name                       = "org"
        s3_bucket_name             = aws_s3_bucket.audit.id
        enable_log_file_validation = true
      }

      resource "aws_s3_bucket_policy" "audit" {
        bucket = aws_s3_bucket.audit.id
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid       = "KmsOnly"
            Effect    = "Deny"
            Principal = "*"
            Action    = "s3:PutObject"
            NotResource = "\${aws_s3_bucket.audit.arn}/AWSLogs/*/CloudTrail-Digest/*"
            Condition = {
              StringNotEquals = { "s3:x-amz-server-side-encryption" = "aws:kms" }
              Null            = { "s3:x-amz-server-side-encryption" = "false" }
            }
          }]
        })
      }
    `,
    ],
    bad: [
      `
      resource "aws_s3_bucket" "audit" {
        bucket = "platform-audit"
      }

      resource "aws_cloudtrail" "org" {
        name                       = "org"
        s3_bucket_name             = aws_s3_bucket.audit.id
        enable_log_file_validation = true
      }

      resource "aws_s3_bucket_policy" "audit" {
        bucket = aws_s3_bucket.audit.id
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid       = "KmsOnly"
            Effect    = "Deny"
            Principal = "*"
            Action    = "s3:PutObject"
            Resource  = "\${aws_s3_bucket.audit.arn}/*"
            Condition = {
              StringNotEquals = { "s3:x-amz-server-side-encryption" = "aws:kms" }
              Null            = { "s3:x-amz-server-side-encryption" = "false" }
            }
          }]
        })
      }
    `,
    ],
  },
  applies: (trail) => isTrue(valueAt(trail, "enable_log_file_validation")),
  check(trail): Outcome {
    const found = trailBucket(trail);
    if ("status" in found) return found;
    const policies = attached(found.bucket, "aws_s3_bucket_policy", "bucket", "bucket");
    if (policies.length === 0) return pass(`${found.bucket.address} has no bucket policy that could deny CloudTrail's digest files`);
    const { statements, unreadable } = readPolicies(policies);
    const open: string[] = [];
    for (const { statement, source, label } of statements) {
      const denies = deniesDigest(statement, source);
      if (denies === true)
        return fail(
          `${label} denies CloudTrail's digest files, which CloudTrail writes with SSE-S3 under AWSLogs/<account>/CloudTrail-Digest/, so log files cannot be validated`,
        );
      if (typeof denies === "string") open.push(`${label}: ${denies}`);
    }
    if (unreadable.length > 0) return unreadable[0];
    if (open.length > 0) return unresolved(`whether CloudTrail may write its digest files: ${open.join("; ")}`);
    return pass(`no statement of ${policies.map((p) => p.address).join(", ")} denies CloudTrail's SSE-S3 digest files`);
  },
};
