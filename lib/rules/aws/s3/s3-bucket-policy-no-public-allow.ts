import { Rule } from "../../../compliance/rule";
import { valueAt } from "../../helpers";
import { limitation, publicAllows, RESOURCE_LIMITING_KEYS } from "../../policies/public-access";
import { judge, readPolicies } from "../../policies/statements";

/**
 * Judged where the policy is written, as Checkov's CKV_AWS_70 does: each
 * aws_s3_bucket_policy, and a bucket only when it carries the deprecated
 * inline `policy` (a bucket without a policy allows no one, so it has no finding).
 */
export const s3BucketPolicyNoPublicAllow: Rule = {
  id: "aws-s3-bucket-policy-no-public-allow",
  title: "S3 bucket policies allow no wildcard principal without a limiting condition",
  requirements: ["AICP-DATA-04"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_s3_bucket_policy", "aws_s3_bucket"],
  checkov: ["CKV_AWS_70"],
  relations: {
    CKV_AWS_70: {
      relation: "partial",
      reason:
        'the same resources, but conditions are read differently: CKV_AWS_70 passes a "*" principal under any ArnNotEquals/ArnNotLike, or an ArnEquals/ArnLike on aws:PrincipalArn or aws:SourceArn not of the form arn:aws:svc::*, or a VPC source, and fails every other condition; this rule passes only exact, wildcard-free account, organization, source or VPC values (so it fails arn:aws:sns:*:*:* and passes an exact aws:PrincipalOrgID that CKV_AWS_70 fails); CKV_AWS_70 stops at the first statement with a "*" principal, this rule reads them all; an unreadable policy is unresolved here and not judged by CKV_AWS_70',
    },
  },
  remediation:
    'Name the principals of every Allow statement, or limit "*" with an exact (wildcard-free) aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID or similar condition (use SecureBucket\'s grantRead / grantReadWrite).',
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
            Effect    = "Allow"
            Principal = { AWS = "arn:aws:iam::111122223333:role/inference" }
            Action    = "s3:GetObject"
            Resource  = "\${aws_s3_bucket.models.arn}/*"
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

      resource "aws_s3_bucket_policy" "models" {
        bucket = aws_s3_bucket.models.id
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect    = "Allow"
            Principal = "*"
            Action    = "s3:GetObject"
            Resource  = "\${aws_s3_bucket.models.arn}/*"
          }]
        })
      }
    `,
    ],
  },
  applies: (resource) => resource.type === "aws_s3_bucket_policy" || valueAt(resource, "policy").state !== "absent",
  check(resource) {
    const { statements, unreadable } = readPolicies([resource]);
    const problems = publicAllows(
      statements,
      unreadable,
      (s) => limitation(s.source, s.statement.Condition, RESOURCE_LIMITING_KEYS),
      "an account, organization, source or VPC with an exact value",
    );
    return judge(problems, unreadable, `no Allow statement of ${resource.address} reaches every principal without a limiting condition`);
  },
};
