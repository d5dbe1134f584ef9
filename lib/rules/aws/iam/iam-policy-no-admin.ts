import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { Json, TfResource } from "../../../terraform/model";
import { blocksOf, describe, isOutcome, policyStatements, resolve } from "../../helpers";
import { knownStrings } from "../../policies/actions";
import { isEffect } from "../../policies/statements";
import { inBlock } from "../compute/util";

/** Policy resources and the attribute holding their document (Checkov's CKV_AWS_62 and CKV_AWS_63 types). */
const DOCUMENTS: Record<string, string> = {
  aws_iam_policy: "policy",
  aws_iam_role_policy: "policy",
  aws_iam_user_policy: "policy",
  aws_iam_group_policy: "policy",
  aws_ssoadmin_permission_set_inline_policy: "inline_policy",
};

/** Attachment resources and the attribute naming the managed policy (Checkov's CKV_AWS_274 types). */
const ATTACHMENTS: Record<string, string> = {
  aws_iam_policy_attachment: "policy_arn",
  aws_iam_role_policy_attachment: "policy_arn",
  aws_iam_user_policy_attachment: "policy_arn",
  aws_iam_group_policy_attachment: "policy_arn",
  aws_ssoadmin_managed_policy_attachment: "managed_policy_arn",
};

// In any partition; `arn:${partition}:iam::aws:policy/AdministratorAccess` names it before the partition is known.
const ADMIN = /^arn:[^:]+:iam::aws:policy\/AdministratorAccess$/;

/** Allow statements granting Action "*" in the document at `path`, or why it cannot be read. */
function starActions(source: TfResource, path: string, label: string): { problems: string[]; open: string[] } {
  const statements = policyStatements(source, path);
  if (isOutcome(statements)) return { problems: [], open: [`${label}: ${statements.message}`] };
  const problems: string[] = [];
  const open: string[] = [];
  statements.forEach((statement, i) => {
    if (!isEffect(statement, "Allow") || statement.Action === undefined) return;
    const at = `${label} statement ${statement.Sid ? JSON.stringify(statement.Sid) : i + 1}`;
    const actions = knownStrings(source, statement.Action);
    if (!actions) open.push(`${at} has Action ${JSON.stringify(statement.Action)}, which is not known before apply`);
    else if (actions.includes("*")) problems.push(`${at} allows Action "*"`);
  });
  return { problems, open };
}

/** One managed policy ARN: AdministratorAccess fails; a customer policy of the configuration is judged on its own. */
function managedArn(source: TfResource, raw: Json | undefined, where: string): Outcome {
  const arn = resolve(source, raw);
  if (arn.state === "reference") return pass(`${where} attaches ${arn.target.address}, which this rule judges on its own`);
  const text =
    arn.state === "known" ? String(arn.value) : typeof raw === "string" && /:iam::aws:policy\/[\w+=,.@/-]+$/.test(raw) ? raw : undefined;
  if (text === undefined) return unresolved(`${where} attaches ${describe(arn)}`);
  return ADMIN.test(text)
    ? fail(`${where} attaches the AWS managed policy AdministratorAccess`)
    : pass(`${where} attaches ${text}, not AdministratorAccess`);
}

const verdict = (problems: string[], open: string[], ok: string): Outcome =>
  problems.length > 0 ? fail(problems.join("; ")) : open.length > 0 ? unresolved(open[0]) : pass(ok);

/**
 * Every IAM policy, attachment and role, not only node roles: a workload or
 * deployer identity with administrator access undoes every other control.
 */
export const iamPolicyNoAdmin: Rule = {
  id: "aws-iam-policy-no-admin",
  title: "No IAM policy allows every action and no identity is given AdministratorAccess",
  requirements: ["AICP-ACCESS-05"],
  severity: "mandatory",
  waivable: true,
  appliesTo: [...Object.keys(DOCUMENTS), ...Object.keys(ATTACHMENTS), "aws_iam_role"],
  checkov: ["CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_274"],
  relations: {
    CKV_AWS_62: {
      relation: "stricter",
      reason:
        'AICP-ACCESS-05 forbids Action "*" on any resource: CKV_AWS_62 fails it only together with Resource "*"; a policy that cannot be read is unresolved where CKV_AWS_62 passes it',
    },
    CKV_AWS_63: { relation: "equivalent", reason: "except a policy that cannot be read, unresolved here, which CKV_AWS_63 passes" },
    CKV_AWS_274: {
      relation: "stricter",
      reason:
        'matches AdministratorAccess in every partition (CKV_AWS_274 only the literal arn:aws:... ARN), and also fails Action "*" in an aws_iam_role\'s inline_policy blocks, which no Checkov policy check reads',
    },
  },
  remediation:
    "Grant the actions the identity needs on the resources it needs; use AWS managed job-function policies other than AdministratorAccess only with a waiver naming who needs them.",
  examples: {
    good: [
      `
      resource "aws_iam_policy" "training" {
        name = "training"
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect   = "Allow"
            Action   = ["s3:GetObject", "s3:PutObject"]
            Resource = "*"
          }]
        })
      }
    `,
    ],
    bad: [
      `
      resource "aws_iam_policy" "training" {
        name = "training"
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect   = "Allow"
            Action   = "*"
            Resource = "*"
          }]
        })
      }
    `,
    ],
  },
  check(resource) {
    const attribute = DOCUMENTS[resource.type];
    if (attribute) {
      const { problems, open } = starActions(resource, attribute, resource.address);
      return verdict(problems, open, `no Allow statement of ${resource.address} grants Action "*"`);
    }
    const arnAttribute = ATTACHMENTS[resource.type];
    if (arnAttribute) return managedArn(resource, resource.body[arnAttribute], resource.address);
    // aws_iam_role: its managed_policy_arns and inline_policy blocks.
    const problems: string[] = [];
    const open: string[] = [];
    const list = resolve(resource, resource.body.managed_policy_arns);
    if (list.state === "known" && Array.isArray(list.value)) {
      for (const item of list.value) {
        const outcome = managedArn(resource, item, "managed_policy_arns");
        if (outcome.status === "fail") problems.push(outcome.message);
        else if (outcome.status === "unresolved") open.push(outcome.message);
      }
    } else if (list.state !== "absent") open.push(`managed_policy_arns is ${describe(list)}`);
    blocksOf(resource.body.inline_policy).forEach((block, i) => {
      if (block.policy === undefined) return;
      const found = starActions(inBlock(resource, block), "policy", `inline_policy ${block.name ? JSON.stringify(block.name) : i + 1}`);
      problems.push(...found.problems);
      open.push(...found.open);
    });
    return verdict(problems, open, 'the role lists no AdministratorAccess in managed_policy_arns and no inline policy allowing Action "*"');
  },
};
