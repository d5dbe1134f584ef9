import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, Json, TfResource } from "../../../terraform/model";
import { attached, describe, rawAt, stringList, valueAt } from "../../helpers";
import { isEffect, judge, principalScope, readPolicies } from "../../policies/statements";

/**
 * Interface endpoint services that take a VPC endpoint policy (AWS
 * PrivateLink guide, "AWS services that integrate with AWS PrivateLink";
 * a service that takes none rejects a policy at CreateVpcEndpoint, so a rule
 * cannot ask for one there).
 *
 * - ssm takes one: Systems Manager User Guide, "Create an interface VPC
 *   endpoint policy" (doc_source/setup-create-vpc.md), and AWS's data
 *   perimeter examples (aws-samples/data-perimeter-policy-examples,
 *   vpc_endpoint_policies/ssm_endpoint_policy.json). The SSM agent signs its
 *   calls with the node role, a principal of this account, and reads
 *   AWS-owned documents and public parameters, whose ARNs carry no account:
 *   a policy on aws:PrincipalAccount alone keeps both working.
 * - eks-auth takes one: the EKS User Guide, "Access Amazon EKS using AWS
 *   PrivateLink", lists com.amazonaws.<region>.eks-auth among the EKS
 *   interface endpoints, recommends endpoint policies for them, and names
 *   oidc-eks as the one that accepts only the default policy. The Pod Identity
 *   agent calls eks-auth:AssumeRoleForPodIdentity with the node role (EKS
 *   User Guide, "Learn how EKS Pod Identity grants pods access"), so
 *   aws:PrincipalAccount is this account.
 * - ssmmessages and ec2messages stay out, not confirmed: the Systems Manager
 *   guide's policy section and AWS's data perimeter examples show policies for
 *   ssm only, and no guide says which condition keys the agent's long-lived
 *   channels (ssmmessages Open*Channel over a WebSocket, ec2messages'
 *   GetMessages polling) carry; a policy that guessed wrong would cut off
 *   Session Manager and Run Command on every node. The endpoint security group
 *   still confines them to the VPC.
 */
export const POLICY_ENDPOINT_SERVICES: ReadonlySet<string> = new Set([
  "ecr.api",
  "ecr.dkr",
  "sts",
  "kms",
  "logs",
  "ec2",
  "eks",
  "eks-auth",
  "ssm",
  "elasticloadbalancing",
  "autoscaling",
  "secretsmanager",
  "sqs",
  "sns",
  "monitoring",
  "s3",
  "dynamodb",
  "events",
  "execute-api",
]);

/** The service part of `com.amazonaws.<region>.<service>` (the region may be an interpolation), undefined when unknown. */
function serviceOf(endpoint: TfResource): string | undefined {
  // Written as Terraform has it: the region is often an interpolation, the service part a literal.
  const name = rawAt(endpoint.body, "service_name");
  if (typeof name !== "string") return undefined;
  const match = /^(?:aws\.api\.)?com\.amazonaws\.(?:\$\{[^{}]+\}|[a-z0-9-]+)\.([a-z0-9.-]+)$/.exec(name);
  return match?.[1];
}

const ACCOUNT_KEYS = ["aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths"];

/** Whether a condition pins the calling principal's account or organization to known values. */
function pinsPrincipalAccount(condition: Json | undefined): boolean {
  if (!isObject(condition)) return false;
  return Object.entries(condition).some(
    ([operator, entries]) =>
      /^(stringequals|stringlike|forallvalues:stringequals|foranyvalue:stringlike)$/i.test(operator) &&
      isObject(entries) &&
      Object.entries(entries).some(
        ([key, value]) =>
          ACCOUNT_KEYS.includes(key.toLowerCase()) &&
          stringList(value).length > 0 &&
          stringList(value).every((v) => v !== "*" && !/^\$\{var\./.test(v)),
      ),
  );
}

/** Whether every resource a statement names is in this module's account (an ARN with its account id). */
const ownResourcesOnly = (resource: Json | undefined) => {
  const resources = stringList(resource);
  return (
    resources.length > 0 && resources.every((r) => /^arn:[^:]*:[^:]*:[^:]*:\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}:/.test(r))
  );
};

export const vpcInterfaceEndpointPolicy: Rule = {
  id: "aws-vpc-interface-endpoint-policy",
  title: "Interface endpoints that accept a policy let only the platform's account use them",
  requirements: ["AICP-ACCESS-09"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_vpc_endpoint"],
  remediation:
    "Give the endpoint a policy whose Allow statements require aws:PrincipalAccount (or aws:PrincipalOrgID) to be the platform's account, or name only the account's own resources (PrivateNetwork does); the default policy lets credentials of any account through, a path to move data out.",
  examples: {
    good: [
      `
      resource "aws_vpc_endpoint" "sts" {
        vpc_id            = "vpc-0a1b2c3d"
        vpc_endpoint_type = "Interface"
        service_name      = "com.amazonaws.eu-west-1.sts"
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect    = "Allow"
            Principal = "*"
            Action    = "*"
            Resource  = "*"
            Condition = { StringEquals = { "aws:PrincipalAccount" = "111122223333" } }
          }]
        })
      }
    `,
    ],
    bad: [
      `
      resource "aws_vpc_endpoint" "sts" {
        vpc_id            = "vpc-0a1b2c3d"
        vpc_endpoint_type = "Interface"
        service_name      = "com.amazonaws.eu-west-1.sts"
      }
    `,
    ],
  },
  applies(endpoint) {
    const type = valueAt(endpoint, "vpc_endpoint_type");
    if (type.state === "known" && type.value !== "Interface") return false;
    if (type.state === "absent") return false; // the provider's default is Gateway
    const service = serviceOf(endpoint);
    return service === undefined || POLICY_ENDPOINT_SERVICES.has(service);
  },
  check(endpoint) {
    const type = valueAt(endpoint, "vpc_endpoint_type");
    if (type.state !== "known") return unresolved(`vpc_endpoint_type is ${describe(type)}`);
    const service = serviceOf(endpoint);
    if (service === undefined)
      return unresolved(
        `service_name is ${describe(valueAt(endpoint, "service_name"))}, so whether the service takes a policy is not known`,
      );
    const sources = [
      ...(valueAt(endpoint, "policy").state === "absent" ? [] : [endpoint]),
      ...attached(endpoint, "aws_vpc_endpoint_policy", "vpc_endpoint_id"),
    ];
    if (sources.length === 0)
      return fail(`the ${service} endpoint has no policy, so AWS's default lets any principal of any account use it`);
    const { statements, unreadable } = readPolicies(sources);
    const problems: string[] = [];
    for (const { statement, source, label } of statements) {
      if (!isEffect(statement, "Allow")) continue;
      const scope = principalScope(source, statement.Principal);
      if (scope === "unknown")
        unreadable.push(unresolved(`${label} has Principal ${JSON.stringify(statement.Principal)}, known only at apply`));
      else if (scope === "wildcard" && !pinsPrincipalAccount(statement.Condition) && !ownResourcesOnly(statement.Resource)) {
        problems.push(`${label} allows every principal without pinning aws:PrincipalAccount, on resources outside the account`);
      }
    }
    if (problems.length === 0 && unreadable.length === 0)
      return pass(`every Allow of the ${service} endpoint's policy is limited to the account's principals or resources`);
    return judge(problems, unreadable, "");
  },
};
