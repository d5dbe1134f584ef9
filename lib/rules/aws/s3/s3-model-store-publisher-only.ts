import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, Json, TfResource } from "../../../terraform/model";
import { stringList, valueAt } from "../../helpers";
import { coversAction } from "../../policies/actions";
import { sparedByDeny } from "../../policies/deny-except";
import { isEffect, LocatedStatement, principalScope, readPolicies } from "../../policies/statements";
import { bucketPolicySources } from "./util";

/** What replaces or removes a published model: a new object version, or deleting one. */
const WRITES = ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"];

/** A model store: tagged Purpose (or purpose) = "models", as SecureBucket tags it. */
export function isModelStore(bucket: TfResource): boolean {
  const tags = valueAt(bucket, "tags");
  return tags.state === "known" && isObject(tags.value) && [tags.value.Purpose, tags.value.purpose].includes("models");
}

/**
 * Whether a statement's Resource covers every object of the bucket: `*`, or the bucket's ARN (by reference or literal) followed by `/*`.
 */
function coversEveryObject(located: LocatedStatement, bucket: TfResource): boolean | "unknown" {
  const resources: Json | undefined = located.statement.Resource;
  if (resources === undefined) return false;
  const name = valueAt(bucket, "bucket");
  const arns = [
    `\${${bucket.address}.arn}`,
    ...(name.state === "known" && typeof name.value === "string" ? [`arn:aws:s3:::${name.value}`] : []),
  ];
  for (const text of stringList(resources)) {
    if (text === "*" || arns.some((arn) => text === `${arn}/*`)) return true;
    if (text.includes("${var.") || text.includes("${local.")) return "unknown";
  }
  return false;
}

export const s3ModelStorePublisherOnly: Rule = {
  id: "aws-s3-model-store-publisher-only",
  title: "Only the publisher path writes the model store",
  requirements: ["AICP-INTEGRITY-07"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_s3_bucket"],
  examples: {
    good: [
      `
      resource "aws_s3_bucket" "models" {
        bucket = "platform-models"
        tags   = { Purpose = "models" }
      }

      resource "aws_s3_bucket_policy" "models" {
        bucket = aws_s3_bucket.models.id
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid       = "OnlyThePublisherWrites"
            Effect    = "Deny"
            Principal = "*"
            Action    = ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"]
            Resource  = "\${aws_s3_bucket.models.arn}/*"
            Condition = { ArnNotEquals = { "aws:PrincipalArn" = ["arn:aws:iam::111122223333:role/models-publisher"] } }
          }]
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

      resource "aws_s3_bucket_policy" "models" {
        bucket = aws_s3_bucket.models.id
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid       = "OnlyThePublisherWrites"
            Effect    = "Deny"
            Principal = "*"
            Action    = "s3:PutObject"
            Resource  = "\${aws_s3_bucket.models.arn}/*"
            Condition = { ArnNotEquals = { "aws:PrincipalArn" = ["arn:aws:iam::111122223333:role/models-publisher"] } }
          }]
        })
      }
    `,
    ],
  },
  applies: isModelStore,
  remediation:
    'Add a bucket policy statement that denies s3:PutObject, s3:DeleteObject and s3:DeleteObjectVersion on "<bucket ARN>/*" to Principal "*" under ArnNotEquals aws:PrincipalArn = the models publisher role (SecureBucket.restrictWritesTo).',
  effect: "a write, replacement or deletion of a model by any principal but the publisher role is refused, whatever its IAM permissions",
  check(bucket): Outcome {
    const sources = bucketPolicySources(bucket);
    if (sources.length === 0)
      return fail(
        "no bucket policy: any principal of the account whose IAM policy allows s3:PutObject can replace the weights that serving loads",
      );
    const { statements, unreadable } = readPolicies(sources);
    const missing: string[] = [];
    const deniedBy = new Set<string>();
    let unknown: string | undefined;
    for (const action of WRITES) {
      const denial = statements.find((located) => {
        if (!isEffect(located.statement, "Deny") || principalScope(located.source, located.statement.Principal) !== "wildcard")
          return false;
        const covers = coversAction(located.source, located.statement, action);
        const everywhere = coversEveryObject(located, bucket);
        if (covers === "unknown" || everywhere === "unknown") {
          unknown ??= `${located.label}: its actions or resources are not known before apply`;
          return false;
        }
        if (!covers || !everywhere) return false;
        const spared = sparedByDeny(located, "writes");
        if (spared.kind === "unknown") unknown ??= `${located.label}: ${spared.why}`;
        return spared.kind === "nobody" || spared.kind === "named";
      });
      if (denial) deniedBy.add(`${denial.label} ${sparedByDeny(denial, "writes").why}`);
      else missing.push(action);
    }
    if (missing.length === 0) return pass([...deniedBy].join("; "));
    if (unreadable.length > 0) return unreadable[0];
    if (unknown) return unresolved(unknown);
    return fail(
      `no statement denies ${missing.join(", ")} on every object to all but named publishers: any principal of the account with IAM write rights can replace or delete the weights serving loads`,
    );
  },
};
