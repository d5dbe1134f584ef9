import { pass, Rule } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { stringList, valueAt } from "../../helpers";
import { judge, LocatedStatement, readPolicies } from "../../policies/statements";
import { exactness, Limit, limitation, publicAllows, RESOURCE_LIMITING_KEYS } from "../../policies/public-access";

/** What AWS applies where the optional `policy` is not set. */
const WITHOUT_POLICY: Readonly<Record<string, string>> = {
  aws_sns_topic: "the default topic policy, which lets only the owner account act on the topic",
  aws_sqs_queue: "no queue policy, so only the owner account's principals, through IAM, reach the queue",
  aws_vpc_endpoint: "the default endpoint policy, which grants nothing itself: IAM and resource policies still decide every request",
};

const ENDPOINT_TYPES = ["aws_vpc_endpoint", "aws_vpc_endpoint_policy"];

export const resourcePolicyNoPublicAllow: Rule = {
  id: "aws-resource-policy-no-public-allow",
  title: "Repository, topic, queue and VPC endpoint policies allow no wildcard principal without a limiting condition",
  requirements: ["AICP-DATA-04"],
  severity: "mandatory",
  waivable: true,
  appliesTo: [
    "aws_ecr_repository_policy",
    "aws_sns_topic_policy",
    "aws_sns_topic",
    "aws_sqs_queue_policy",
    "aws_sqs_queue",
    ...ENDPOINT_TYPES,
  ],
  checkov: ["CKV_AWS_32", "CKV_AWS_168", "CKV_AWS_169"],
  relations: {
    CKV_AWS_32: {
      relation: "partial",
      reason:
        'CKV_AWS_32 reads only the first statement of an aws_ecr_repository_policy, only Principal "*" written as a string, and accepts only a StringEquals aws:PrincipalOrgID as a limit; this rule reads every statement and both principal forms, and also accepts exact aws:PrincipalAccount, aws:SourceAccount and aws:SourceArn values',
    },
    CKV_AWS_168: {
      relation: "partial",
      reason:
        "both judge aws_sqs_queue_policy and aws_sqs_queue; CKV_AWS_168 asks policyuniverse whether the policy is internet accessible, whose limiting condition keys differ from this rule's exact account, organization and source values",
    },
    CKV_AWS_169: {
      relation: "partial",
      reason:
        "CKV_AWS_169 judges aws_sns_topic_policy only (this rule also the aws_sns_topic's own policy) and asks policyuniverse whether the policy is internet accessible, whose limiting condition keys differ from this rule's exact account, organization and source values",
    },
  },
  remediation:
    "Name the principals of every Allow statement, or limit \"*\" with an exact (wildcard-free) aws:PrincipalAccount, aws:SourceAccount, aws:SourceArn or aws:PrincipalOrgID condition (PrivateNetwork's endpoint policies admit only the account's principals).",
  examples: {
    good: [
      `
      resource "aws_sqs_queue" "findings" {
        name = "findings"
      }

      resource "aws_sqs_queue_policy" "findings" {
        queue_url = aws_sqs_queue.findings.id
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect    = "Allow"
            Principal = { Service = "sns.amazonaws.com" }
            Action    = "sqs:SendMessage"
            Resource  = aws_sqs_queue.findings.arn
            Condition = { StringEquals = { "aws:SourceAccount" = "111122223333" } }
          }]
        })
      }
    `,
    ],
    bad: [
      `
      resource "aws_sqs_queue" "findings" {
        name = "findings"
      }

      resource "aws_sqs_queue_policy" "findings" {
        queue_url = aws_sqs_queue.findings.id
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect    = "Allow"
            Principal = "*"
            Action    = "sqs:SendMessage"
            Resource  = aws_sqs_queue.findings.arn
          }]
        })
      }
    `,
    ],
  },
  check(resource) {
    if (valueAt(resource, "policy").state === "absent")
      return pass(`policy is not set, so AWS applies ${WITHOUT_POLICY[resource.type] ?? "no policy"}`);
    const { statements, unreadable } = readPolicies([resource]);
    const endpoint = ENDPOINT_TYPES.includes(resource.type);
    const limits = (s: LocatedStatement): Limit => {
      const limit = limitation(s.source, s.statement.Condition, RESOURCE_LIMITING_KEYS);
      return limit === "limited" || !endpoint ? limit : ownedResources(s, limit);
    };
    const problems = publicAllows(
      statements,
      unreadable,
      limits,
      `an account, organization or source with an exact value${endpoint ? ", nor a Resource of a named owner" : ""}`,
    );
    return judge(problems, unreadable, `no Allow statement of the policy reaches every principal without a limiting condition`);
  },
};

/**
 * An endpoint policy does not grant access: it filters what callers inside
 * the VPC may reach through the endpoint. A wildcard principal there is
 * confined when every Resource belongs to a named owner (the bucket in an S3
 * ARN, the account otherwise): AWS's documented ECR layer bucket statement,
 * or web identity federation into the account's own roles.
 */
function ownedResources({ statement, source }: LocatedStatement, byCondition: Limit): Limit {
  const resources = stringList(statement.Resource);
  if ("NotResource" in statement || resources.length === 0) return byCondition;
  const kinds = resources.map((r) => owner(source, r));
  if (kinds.every((k) => k === "exact")) return "limited";
  return kinds.includes("unknown") || byCondition === "unknown" ? "unknown" : "open";
}

const LEADING = /^\$\{[^{}]*\}/;

/** Whether a Resource ARN names its owner exactly: `arn:P:s3:::BUCKET/...`, or `arn:P:SERVICE:REGION:ACCOUNT:...` with an account. */
function owner(source: TfResource, arn: string): "exact" | "wildcard" | "unknown" {
  // An ARN that starts with an attribute of a resource or data source (`${aws_s3_bucket.x.arn}/*`) lies within that one resource.
  const lead = LEADING.exec(arn);
  if (lead) return exactness(source, lead[0]);
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return "wildcard";
  const field = parts[2] === "s3" ? parts.slice(5).join(":").split("/")[0] : parts[4];
  return field === "" ? "wildcard" : exactness(source, field);
}
