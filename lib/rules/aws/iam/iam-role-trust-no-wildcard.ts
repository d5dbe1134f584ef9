import { Rule, unresolved } from "../../../compliance/rule";
import { rawAt } from "../../helpers";
import { judge, readPolicies } from "../../policies/statements";
import { limitation, publicAllows, TRUST_LIMITING_KEYS } from "../../policies/public-access";

export const iamRoleTrustNoWildcard: Rule = {
  id: "aws-iam-role-trust-no-wildcard",
  title: "Role trust policies let no wildcard principal assume the role without an exact account, organization or external id condition",
  requirements: ["AICP-ACCESS-05"],
  severity: "mandatory",
  waivable: false,
  appliesTo: ["aws_iam_role"],
  checkov: ["CKV_AWS_60"],
  relations: {
    CKV_AWS_60: {
      relation: "partial",
      reason:
        'CKV_AWS_60 fails Principal {"AWS": "*"} whatever its conditions and does not read Principal "*"; this rule fails both forms but passes one limited by an exact aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceAccount or sts:ExternalId',
    },
  },
  remediation:
    'Name who may assume the role (a service, an account or role ARN, an OIDC provider), or limit "*" with an exact aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceAccount or sts:ExternalId condition (NodeRole and PodIdentityRole trust their service only).',
  examples: {
    good: [
      `
      resource "aws_iam_role" "ci" {
        name = "ci"
        assume_role_policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect    = "Allow"
            Principal = { AWS = "arn:aws:iam::111122223333:role/ci-runner" }
            Action    = "sts:AssumeRole"
          }]
        })
      }
    `,
    ],
    bad: [
      `
      resource "aws_iam_role" "ci" {
        name = "ci"
        assume_role_policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect    = "Allow"
            Principal = { AWS = "*" }
            Action    = "sts:AssumeRole"
          }]
        })
      }
    `,
    ],
  },
  check(role) {
    if (rawAt(role.body, "assume_role_policy") === undefined)
      return unresolved("assume_role_policy is not set (Terraform requires it), so who may assume the role is unknown");
    const { statements, unreadable } = readPolicies([role], "assume_role_policy");
    const problems = publicAllows(
      statements,
      unreadable,
      (s) => limitation(s.source, s.statement.Condition, TRUST_LIMITING_KEYS),
      "an account, organization or external id (aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceAccount or sts:ExternalId, without wildcards)",
    );
    const found = problems.length > 0 ? [`anyone can assume the role: ${problems.join("; ")}`] : [];
    return judge(
      found,
      unreadable,
      "no Allow statement of assume_role_policy lets every principal assume the role without an exact account, organization or external id condition",
    );
  },
};
