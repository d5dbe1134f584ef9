import { pass, Rule } from "../../../compliance/rule";
import { limitation, publicAllows, RESOURCE_LIMITING_KEYS } from "../../policies/public-access";
import { judge, readPolicies } from "../../policies/statements";
import { bucketPolicySources } from "./util";

export const s3BucketPolicyNoPublicAllow: Rule = {
  id: "aws-s3-bucket-policy-no-public-allow",
  title: "S3 bucket policies allow no wildcard principal without a limiting condition",
  requirements: ["AICP-DATA-04"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_s3_bucket"],
  checkov: ["CKV_AWS_70"],
  remediation:
    "Name the principals of every Allow statement, or limit \"*\" with an exact (wildcard-free) aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID or similar condition (use SecureBucket's grantRead / grantReadWrite).",
  check(bucket) {
    const sources = bucketPolicySources(bucket);
    if (sources.length === 0) return pass("no bucket policy is attached, so no statement allows every principal");
    const { statements, unreadable } = readPolicies(sources);
    const problems = publicAllows(statements, unreadable, (s) => limitation(s.source, s.statement.Condition, RESOURCE_LIMITING_KEYS), "an account, organization, source or VPC with an exact value");
    return judge(problems, unreadable, `no Allow statement of ${sources.map((s) => s.address).join(", ")} reaches every principal without a limiting condition`);
  },
};
