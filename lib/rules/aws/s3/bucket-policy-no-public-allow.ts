import { pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, Json, TfResource } from "../../../terraform/model";
import { stringList } from "../../helpers";
import { isEffect, isOpenValue, judge, principalScope, readPolicies } from "../kms/util";
import { bucketPolicySources } from "./util";

/**
 * Condition keys that confine a wildcard principal to an account, organization,
 * resource or network endpoint (those AWS treats as making a policy non-public).
 * aws:SourceIp is left out: it limits where requests come from, not who makes them.
 */
const LIMITING_KEYS = new Set(
  [
    "aws:SourceAccount", "aws:SourceArn", "aws:SourceOwner", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:PrincipalAccount",
    "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:SourceVpc", "aws:SourceVpce", "aws:userid",
    "s3:DataAccessPointAccount", "s3:DataAccessPointArn",
  ].map((k) => k.toLowerCase()),
);

export const s3BucketPolicyNoPublicAllow: Rule = {
  id: "aws-s3-bucket-policy-no-public-allow",
  title: "S3 bucket policies allow no wildcard principal without a limiting condition",
  requirements: ["AICP-DATA-04"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_s3_bucket"],
  checkov: ["CKV_AWS_70"],
  remediation: "Name the principals of every Allow statement, or limit \"*\" with aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID or a similar condition (use SecureBucket's grantRead / grantReadWrite).",
  check(bucket) {
    const sources = bucketPolicySources(bucket);
    if (sources.length === 0) return pass("no bucket policy is attached, so no statement allows every principal");
    const { statements, unreadable } = readPolicies(sources);
    const problems: string[] = [];
    for (const { statement, source, label } of statements) {
      if (!isEffect(statement, "Allow")) continue;
      if (statement.NotPrincipal !== undefined) {
        problems.push(`${label} allows with NotPrincipal, which reaches every principal but those listed`);
        continue;
      }
      const scope = principalScope(source, statement.Principal);
      if (scope === "unknown") unreadable.push(unresolved(`${label} has Principal ${JSON.stringify(statement.Principal)}, which is not known before apply`));
      if (scope !== "wildcard") continue;
      const limit = limitation(source, statement.Condition);
      if (limit === "open") problems.push(`${label} allows Principal ${JSON.stringify(statement.Principal)} with no condition that limits it to an account, organization, source or VPC`);
      if (limit === "unknown") unreadable.push(unresolved(`${label} limits Principal "*" with a condition value that is not known before apply`));
    }
    return judge(problems, unreadable, `no Allow statement of ${sources.map((s) => s.address).join(", ")} reaches every principal without a limiting condition`);
  },
};

/** Whether a condition block confines a wildcard principal. */
function limitation(source: TfResource, condition: Json | undefined): "limited" | "open" | "unknown" {
  if (!isObject(condition)) return "open";
  let unknown = false;
  for (const [operator, entries] of Object.entries(condition)) {
    // Negated operators, IfExists (true when the key is missing) and ForAllValues (true for an empty set) do not confine.
    const op = operator.toLowerCase();
    if (op.includes("not") || op.endsWith("ifexists") || op.startsWith("forallvalues:") || op === "null" || !isObject(entries)) continue;
    for (const [key, raw] of Object.entries(entries)) {
      if (!LIMITING_KEYS.has(key.toLowerCase())) continue;
      const values = stringList(raw);
      if (values.length === 0 || values.includes("*")) continue;
      if (values.some((v) => isOpenValue(source, v))) unknown = true;
      else return "limited";
    }
  }
  return unknown ? "unknown" : "open";
}
