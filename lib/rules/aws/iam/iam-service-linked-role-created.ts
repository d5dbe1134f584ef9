import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, Json, TfResource } from "../../../terraform/model";
import { rawAt, stringList } from "../../helpers";
import { policyDocumentSource } from "../../policies/document-data";
import { readPolicies } from "../../policies/statements";

/**
 * Policies AWS checks for principals that exist: KMS rejects a key policy
 * naming a missing role (MalformedPolicyDocumentException), and S3, SNS, SQS,
 * ECR and IAM trust policies reject one as an invalid principal. A
 * service-linked role appears only when its service first needs it (EC2 Auto
 * Scaling's with the account's first Auto Scaling group), so a new account
 * lacks it until then.
 */
const POLICY_ARGUMENTS: Readonly<Record<string, string[]>> = {
  aws_kms_key: ["policy"],
  aws_kms_key_policy: ["policy"],
  aws_s3_bucket_policy: ["policy"],
  aws_sns_topic_policy: ["policy"],
  aws_sqs_queue_policy: ["policy"],
  aws_ecr_repository_policy: ["policy"],
  aws_iam_role: ["assume_role_policy"],
  aws_kms_grant: ["grantee_principal", "retiring_principal"],
};

/** Roles every account has from its creation. */
const ALWAYS_PRESENT = new Set(["AWSServiceRoleForSupport", "AWSServiceRoleForTrustedAdvisor"]);

const MENTIONED = /aws-service-role\/[^/"]+\/([A-Za-z0-9+=,.@_-]+)/g;
const SERVICE_LINKED = /:role\/aws-service-role\/([^/"]+)\/([A-Za-z0-9+=,.@_-]+)$/;

/** The text a policy argument holds, through an aws_iam_policy_document when it names one. */
function policyText(resource: TfResource, path: string): string {
  const data = policyDocumentSource(resource, path);
  return JSON.stringify(data ? data.body : (rawAt(resource.body, path) ?? ""));
}

/** Service-linked roles a resource's policies name as principals: `[service, role name]`. */
function namedRoles(resource: TfResource): Array<{ service: string; roleName: string; source: TfResource }> {
  const found: Array<{ service: string; roleName: string; source: TfResource }> = [];
  const add = (text: string, source: TfResource) => {
    const match = SERVICE_LINKED.exec(text);
    if (match && !ALWAYS_PRESENT.has(match[2]) && !found.some((f) => f.roleName === match[2]))
      found.push({ service: match[1], roleName: match[2], source });
  };
  for (const path of POLICY_ARGUMENTS[resource.type]) {
    if (resource.type === "aws_kms_grant") {
      const raw = rawAt(resource.body, path);
      if (typeof raw === "string") add(raw, resource);
      continue;
    }
    for (const { statement, source } of readPolicies([resource], path).statements) {
      const principal: Json | undefined = statement.Principal;
      const values = isObject(principal) ? stringList(principal.AWS) : [];
      values.forEach((v) => add(v, source));
    }
  }
  return found;
}

/** The role's name given a custom suffix (`AWSServiceRoleForAutoScaling_suffix`). */
function createdName(slr: TfResource, defaultName: string): string {
  const suffix = rawAt(slr.body, "custom_suffix");
  return typeof suffix === "string" && suffix !== "" ? `${defaultName}_${suffix}` : defaultName;
}

/** Whether `count` creates the role: absent or at least 1, or a guard on a lookup of existing roles; otherwise why not. */
/**
 * A count that creates the role only where a lookup finds none:
 * `length(data.aws_iam_roles.X.names) == 0 ? 1 : 0`, optionally `|| <keep the platform's own>` before `?`.
 */
const GUARD = /^\$\{\s*length\(\s*data\.aws_iam_roles\.([\w-]+)\.names\s*\)\s*==\s*0\s*(\|\|[^?]*)?\?\s*1\s*:\s*0\s*\}$/;

function creates(slr: TfResource, roleName: string): true | Outcome {
  const count = rawAt(slr.body, "count");
  if (count === undefined || count === null) return true;
  if (typeof count === "number" || /^\d+$/.test(String(count))) {
    return Number(count) >= 1 ? true : fail(`${slr.address} has count = ${String(count)}, so it creates no role`);
  }
  const text = String(count);
  const guard = GUARD.exec(text);
  if (guard) {
    // The lookup must look for this role: another role's absence says nothing about this one.
    const lookup = slr.module.get(`data.aws_iam_roles.${guard[1]}`);
    const regex = lookup ? rawAt(lookup.body, "name_regex") : undefined;
    if (typeof regex === "string" && regex.includes(roleName)) return true;
    return unresolved(
      `${slr.address} is created only when data.aws_iam_roles.${guard[1]} finds no role, but that lookup's name_regex is ${regex === undefined ? "not set or not in the module" : JSON.stringify(regex)}, not ${roleName}`,
    );
  }
  return unresolved(`${slr.address} has count = ${text}, which is known only at plan: cannot tell whether the role is created`);
}

/** Whether `resource` (or the policy document it reads) is ordered after `slr`. */
function orderedAfter(resource: TfResource, source: TfResource, slr: TfResource): boolean {
  const address = new RegExp(`${slr.address.replace(/\./g, "\\.")}(?![\\w-])`);
  const mentions = (r: TfResource) => address.test(JSON.stringify(r.body));
  return (
    mentions(resource) ||
    (source !== resource && mentions(source)) ||
    POLICY_ARGUMENTS[resource.type].some((path) => {
      const data = policyDocumentSource(resource, path);
      return data !== undefined && mentions(data);
    })
  );
}

export const iamServiceLinkedRoleCreated: Rule = {
  id: "aws-iam-service-linked-role-created",
  title: "Policies that name a service-linked role come after the module creates it (or finds it)",
  requirements: ["AICP-ACCESS-07"],
  severity: "mandatory",
  waivable: true,
  appliesTo: Object.keys(POLICY_ARGUMENTS),
  effect:
    "The policy can be applied in a new account: every service-linked role it names is created by the module, or looked up and created only when missing, before the policy.",
  remediation:
    "Create the role with aws_iam_service_linked_role (guarded by a data.aws_iam_roles lookup where the account may have it already, as the platform's ServiceLinkedRole does) and add it to the policy's depends_on.",
  examples: {
    good: [
      `
      resource "aws_iam_service_linked_role" "autoscaling" {
        aws_service_name = "autoscaling.amazonaws.com"
      }

      resource "aws_kms_key" "volumes" {
        enable_key_rotation = true
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid       = "AutoScalingUsesTheKey"
            Effect    = "Allow"
            Principal = { AWS = "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling" }
            Action    = ["kms:Decrypt", "kms:GenerateDataKey*", "kms:CreateGrant"]
            Resource  = "*"
          }]
        })
        depends_on = [aws_iam_service_linked_role.autoscaling]
      }
    `,
    ],
    bad: [
      `
      resource "aws_iam_service_linked_role" "autoscaling" {
        aws_service_name = "autoscaling.amazonaws.com"
      }

      resource "aws_kms_key" "volumes" {
        enable_key_rotation = true
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid       = "AutoScalingUsesTheKey"
            Effect    = "Allow"
            Principal = { AWS = "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling" }
            Action    = ["kms:Decrypt", "kms:GenerateDataKey*", "kms:CreateGrant"]
            Resource  = "*"
          }]
        })
      }
    `,
    ],
  },
  applies: (resource) =>
    POLICY_ARGUMENTS[resource.type].some((path) =>
      [...policyText(resource, path).matchAll(MENTIONED)].some((m) => !ALWAYS_PRESENT.has(m[1])),
    ),
  check(resource) {
    const named = namedRoles(resource);
    if (named.length === 0) {
      const unreadable = POLICY_ARGUMENTS[resource.type].flatMap((path) => readPolicies([resource], path).unreadable);
      if (unreadable.length > 0)
        return unresolved(`a policy of ${resource.address} mentions a service-linked role but cannot be read: ${unreadable[0].message}`);
      return pass("the policy names service-linked roles only in conditions (aws:PrincipalArn), which need no role to exist");
    }
    const problems: string[] = [];
    const unknowns: Outcome[] = [];
    const oks: string[] = [];
    for (const { service, roleName, source } of named) {
      const candidates = resource.module
        .ofType("aws_iam_service_linked_role")
        .filter((r) => rawAt(r.body, "aws_service_name") === service && createdName(r, roleName.split("_")[0]) === roleName);
      const slr = candidates.find((r) => orderedAfter(resource, source, r)) ?? candidates[0];
      if (!slr) {
        problems.push(
          `names ${roleName} (${service}), which a new account lacks until the service first creates it, and the module does not create it: AWS rejects the policy until then (MalformedPolicyDocumentException for a key policy)`,
        );
        continue;
      }
      const created = creates(slr, roleName);
      if (created !== true) {
        if (created.status === "fail") problems.push(`names ${roleName}, but ${created.message}`);
        else unknowns.push(created);
        continue;
      }
      if (!orderedAfter(resource, source, slr)) {
        problems.push(
          `names ${roleName}, created by ${slr.address}, but is not ordered after it: add it to depends_on, or the policy may be applied before the role exists`,
        );
        continue;
      }
      oks.push(`${roleName} (created by ${slr.address}, before the policy)`);
    }
    if (problems.length > 0) return fail(`${resource.address} ${problems.join("; ")}`);
    if (unknowns.length > 0) return unknowns[0];
    return pass(`every service-linked role the policy names exists before it: ${oks.join(", ")}`);
  },
};
