import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, Json } from "../../../terraform/model";
import { stringList } from "../../helpers";
import { coversAction } from "../../policies/actions";
import { everyKeyPolicySource, isAccount } from "../../policies/key-access";
import { isEffect, judge, principalScope, readPolicies } from "../../policies/statements";

/** Calls that rewrite who may use a key, or make what it protects unreadable. */
const TAKEOVER_ACTIONS = ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"];
/** Of those, the ones that destroy: only a session made with MFA may call them. */
const DESTRUCTIVE_ACTIONS = ["kms:ScheduleKeyDeletion", "kms:DisableKey"];

/** Whether a condition block requires an MFA session: `Bool` (not `BoolIfExists`) on aws:MultiFactorAuthPresent, true. */
function requiresMfa(condition: Json | undefined): boolean {
  if (!isObject(condition)) return false;
  return Object.entries(condition).some(([operator, entries]) => {
    if (operator.toLowerCase() !== "bool" || !isObject(entries)) return false;
    return Object.entries(entries).some(([key, raw]) => {
      const values = (Array.isArray(raw) ? raw : [raw]).map((v) => String(v).toLowerCase());
      return key.toLowerCase() === "aws:multifactorauthpresent" && values.length > 0 && values.every((v) => v === "true");
    });
  });
}

export const kmsKeyNoAccountAdministration: Rule = {
  id: "aws-kms-key-no-account-administration",
  title: "No key policy lets the account's IAM rewrite, disable or delete the key, and destroying it needs MFA",
  requirements: ["AICP-ACCESS-08"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_kms_key"],
  effect:
    "Only the principals the key policy names can put a new policy, disable the key or schedule its deletion: an account principal there would let every IAM administrator of the account do it, and AWS's default policy does exactly that.",
  remediation:
    'Give kms:PutKeyPolicy, kms:DisableKey and kms:ScheduleKeyDeletion to named roles only (the key administrators, the deploying role, a break-glass role), never to the account root, its id or "*"; require aws:MultiFactorAuthPresent for DisableKey and ScheduleKeyDeletion (PlatformKey does, with governance.breakGlassRoleArn).',
  examples: {
    good: [
      `
      resource "aws_kms_key" "models" {
        enable_key_rotation = true
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [
            {
              Sid       = "KeyAdministrators"
              Effect    = "Allow"
              Principal = { AWS = "arn:aws:iam::111122223333:role/key-admin" }
              Action    = ["kms:PutKeyPolicy", "kms:DescribeKey", "kms:TagResource"]
              Resource  = "*"
            },
            {
              Sid       = "DeleteOnlyWithMfa"
              Effect    = "Allow"
              Principal = { AWS = "arn:aws:iam::111122223333:role/key-admin" }
              Action    = ["kms:ScheduleKeyDeletion", "kms:DisableKey"]
              Resource  = "*"
              Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
            }
          ]
        })
      }
    `,
    ],
    bad: [
      `
      resource "aws_kms_key" "models" {
        enable_key_rotation = true
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid       = "EnableIamPolicies"
            Effect    = "Allow"
            Principal = { AWS = "arn:aws:iam::111122223333:root" }
            Action    = "kms:*"
            Resource  = "*"
          }]
        })
      }
    `,
    ],
  },
  check(key) {
    const sources = everyKeyPolicySource(key);
    if (sources.length === 0)
      return fail(
        "policy is not set, so AWS's default key policy lets the account (every IAM principal its policies allow) put a new policy, disable the key and delete it",
      );
    const { statements, unreadable } = readPolicies(sources);
    const problems: string[] = [];
    for (const { statement, source, label } of statements) {
      if (!isEffect(statement, "Allow")) continue;
      const covered = TAKEOVER_ACTIONS.map((a) => [a, coversAction(source, statement, a)] as const).filter(([, c]) => c !== false);
      if (covered.length === 0) continue;
      if (covered.some(([, c]) => c === "unknown")) {
        unreadable.push(unresolved(`${label} has actions not known before apply, which may include ${TAKEOVER_ACTIONS.join(", ")}`));
        continue;
      }
      const actions = covered.map(([a]) => a);
      const scope = principalScope(source, statement.Principal);
      const principals = isObject(statement.Principal) ? stringList(statement.Principal.AWS) : [];
      if (statement.NotPrincipal !== undefined || scope === "wildcard") {
        problems.push(`${label} lets every principal call ${actions.join(", ")}`);
        continue;
      }
      const accounts = principals.filter(isAccount);
      if (accounts.length > 0) {
        problems.push(
          `${label} lets the account ${accounts.join(", ")} call ${actions.join(", ")}, so any IAM principal its policies allow can`,
        );
        continue;
      }
      if (scope === "unknown") {
        unreadable.push(
          unresolved(`${label} allows ${actions.join(", ")} to ${JSON.stringify(statement.Principal)}, which is not known before apply`),
        );
        continue;
      }
      const destructive = actions.filter((a) => DESTRUCTIVE_ACTIONS.includes(a));
      if (destructive.length > 0 && !requiresMfa(statement.Condition))
        problems.push(
          `${label} lets ${principals.join(", ") || JSON.stringify(statement.Principal)} call ${destructive.join(", ")} without an MFA session (Bool aws:MultiFactorAuthPresent true)`,
        );
    }
    if (problems.length === 0 && unreadable.length === 0) {
      return pass(
        `only principals that ${sources.map((s) => s.address).join(" and ")} names can put a policy, and disabling or deleting the key needs an MFA session`,
      );
    }
    return judge(problems, unreadable, "");
  },
};
