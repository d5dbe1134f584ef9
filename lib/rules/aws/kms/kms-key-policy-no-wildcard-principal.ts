import { pass, Rule, unresolved } from "../../../compliance/rule";
import { isEffect, judge, principalScope, readPolicies } from "../../policies/statements";
import { everyKeyPolicySource } from "../../policies/key-access";

export const kmsKeyPolicyNoWildcardPrincipal: Rule = {
  id: "aws-kms-key-policy-no-wildcard-principal",
  title: "KMS key policies allow only named principals",
  requirements: ["AICP-ACCESS-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_kms_key"],
  checkov: ["CKV_AWS_33"],
  relations: {
    CKV_AWS_33: {
      relation: "stricter",
      reason:
        'AICP-ACCESS-01 demands named principals: CKV_AWS_33 skips an Allow to "*" that carries any Condition and never reads NotPrincipal; this rule fails both; both read the key\'s policy and a connected aws_kms_key_policy',
    },
  },
  remediation: 'Name the principals in every Allow statement of the key policy instead of "*" (PlatformKey refuses wildcard principals).',
  examples: {
    good: [
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
    bad: [
      `
      resource "aws_kms_key" "models" {
        enable_key_rotation = true
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect    = "Allow"
            Principal = "*"
            Action    = "kms:Decrypt"
            Resource  = "*"
            Condition = { StringEquals = { "kms:CallerAccount" = "111122223333" } }
          }]
        })
      }
    `,
    ],
  },
  check(key) {
    // A separate aws_kms_key_policy replaces the key's policy, so both are read.
    const sources = everyKeyPolicySource(key);
    if (sources.length === 0) return pass("policy is not set, so AWS applies the default key policy, which trusts only the account root");
    const { statements, unreadable } = readPolicies(sources);
    const problems: string[] = [];
    for (const { statement, source, label } of statements) {
      if (!isEffect(statement, "Allow")) continue;
      if (statement.NotPrincipal !== undefined) {
        problems.push(`${label} allows with NotPrincipal, which trusts every principal but those listed`);
        continue;
      }
      const scope = principalScope(source, statement.Principal);
      // Conditions do not excuse a wildcard: the requirement is named principals.
      if (scope === "wildcard")
        problems.push(
          `${label} allows Principal ${JSON.stringify(statement.Principal)}${statement.Condition ? " (conditions do not name principals)" : ""}`,
        );
      if (scope === "unknown")
        unreadable.push(unresolved(`${label} has Principal ${JSON.stringify(statement.Principal)}, which is not known before apply`));
    }
    return judge(problems, unreadable, `every Allow statement of ${sources.map((s) => s.address).join(" and ")} names its principals`);
  },
};
