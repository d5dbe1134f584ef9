import { fail, pass, Rule } from "../../../compliance/rule";
import { isObject, Json } from "../../../terraform/model";
import { PolicyStatementJson, principalIsWildcard, stringList } from "../../helpers";
import { isEffect, readPolicies } from "../kms/util";
import { bucketPolicySources } from "./util";

export const s3BucketTlsOnly: Rule = {
  id: "aws-s3-bucket-tls-only",
  title: "S3 bucket policies deny requests that do not use TLS",
  requirements: ["AICP-DATA-03"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_s3_bucket"],
  checkov: ["CKV_AWS_379"],
  remediation: "Attach a bucket policy statement that denies s3:* to Principal \"*\" when aws:SecureTransport is false (SecureBucket and AccessLogBucket do).",
  check(bucket) {
    const sources = bucketPolicySources(bucket);
    if (sources.length === 0) return fail("no bucket policy is attached, so requests without TLS are not denied");
    const { statements, unreadable } = readPolicies(sources);
    const denies = statements.find(({ statement }) => deniesInsecureTransport(statement));
    if (denies) return pass(`${denies.label} denies every request made without TLS`);
    if (unreadable.length > 0) return unreadable[0];
    return fail(`no statement of ${sources.map((s) => s.address).join(", ")} denies s3:* to Principal "*" when aws:SecureTransport is "false"`);
  },
};

function deniesInsecureTransport(statement: PolicyStatementJson): boolean {
  if (!isEffect(statement, "Deny") || !principalIsWildcard(statement.Principal)) return false;
  const actions = stringList(statement.Action).map((a) => a.toLowerCase());
  if (!actions.includes("s3:*") && !actions.includes("*")) return false;
  return conditionValues(statement.Condition, "Bool", "aws:SecureTransport").some((v) => v === false || v === "false");
}

/** Values of a condition key under an operator; operators and keys compare case-insensitively, as IAM does for keys. */
function conditionValues(condition: Json | undefined, operator: string, key: string): Json[] {
  if (!isObject(condition)) return [];
  const values: Json[] = [];
  for (const [op, entries] of Object.entries(condition)) {
    if (op.toLowerCase() !== operator.toLowerCase() || !isObject(entries)) continue;
    for (const [k, v] of Object.entries(entries)) if (k.toLowerCase() === key.toLowerCase()) values.push(...(Array.isArray(v) ? v : [v]));
  }
  return values;
}
