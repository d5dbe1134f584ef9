import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, Json, TfResource } from "../../../terraform/model";
import { attached, blocksOf, describe, isOutcome, policyStatements, resolve, stringList } from "../../helpers";
import { inBlock } from "../compute/util";
import { knownStrings } from "../../policies/actions";
import { isEffect } from "../../policies/statements";

const EC2 = /^ec2\.amazonaws\.com(\.cn)?$/;
const BROAD_MANAGED = /^arn:[^:]+:iam::aws:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;
const ANY_ACTION = ["*", "iam:*"];
const ANY_ON_ALL = ["s3:*", "kms:*"];

/** Whether the role's trust policy lets EC2 assume it (the role of nodes and instances), or why that cannot be read. */
export function ec2Trust(role: TfResource): boolean | string {
  const statements = policyStatements(role, "assume_role_policy");
  if (isOutcome(statements)) return statements.message;
  return statements.some(
    (s) => isEffect(s, "Allow") && isObject(s.Principal) && stringList(s.Principal.Service).some((service) => EC2.test(service)),
  );
}

const AWS_MANAGED_NAME = /:iam::aws:policy\/[\w+=,.@/-]+$/;

/** What one role's permissions allow that a node must not have, and what cannot be read. */
class Findings {
  readonly problems: string[] = [];
  readonly open: string[] = [];
  checked = 0;

  /** A managed policy ARN: AWS's broad policies fail; a customer policy of the module is read. */
  managed(source: TfResource, raw: Json | undefined, where: string): void {
    const arn = resolve(source, raw);
    if (arn.state === "reference" && arn.target.type === "aws_iam_policy")
      return this.document(arn.target, "policy", `${arn.target.address} (attached by ${where})`);
    this.checked += 1;
    // `arn:${partition}:iam::aws:policy/Name` names the policy though its partition is only known at apply.
    const text = arn.state === "known" ? String(arn.value) : typeof raw === "string" && AWS_MANAGED_NAME.test(raw) ? raw : undefined;
    if (text === undefined) return void this.open.push(`${where} attaches ${describe(arn)}`);
    const broad = BROAD_MANAGED.exec(text);
    if (broad) this.problems.push(`${where} attaches the AWS managed policy ${broad[1]}`);
  }

  /** A list of managed policy ARNs. */
  managedList(source: TfResource, raw: Json | undefined, where: string): void {
    const list = resolve(source, raw);
    if (list.state === "absent") return;
    if (list.state !== "known" || !Array.isArray(list.value)) return void this.open.push(`${where} is ${describe(list)}`);
    list.value.forEach((item) => this.managed(source, item, where));
  }

  /** A policy document: Allow statements with every action, all of IAM, or all of S3 or KMS on every resource fail. */
  document(source: TfResource, path: string, label: string): void {
    this.checked += 1;
    const statements = policyStatements(source, path);
    if (isOutcome(statements)) return void this.open.push(`${label}: ${statements.message}`);
    statements.forEach((statement, i) => {
      if (!isEffect(statement, "Allow")) return;
      const at = `${label} statement ${statement.Sid ? JSON.stringify(statement.Sid) : i + 1}`;
      if (statement.NotAction !== undefined)
        return void this.problems.push(`${at} allows every action but ${JSON.stringify(statement.NotAction)} (NotAction)`);
      const actions = knownStrings(source, statement.Action)?.map((a) => a.toLowerCase());
      if (!actions) return void this.open.push(`${at} has Action ${JSON.stringify(statement.Action)}, which is not known before apply`);
      const any = actions.find((a) => ANY_ACTION.includes(a));
      if (any) return void this.problems.push(`${at} allows Action "${any}"`);
      const broad = actions.find((a) => ANY_ON_ALL.includes(a));
      if (!broad) return;
      const resources = knownStrings(source, statement.Resource);
      if (!resources)
        this.open.push(`${at} allows "${broad}" on Resource ${JSON.stringify(statement.Resource)}, which is not known before apply`);
      else if (resources.includes("*")) this.problems.push(`${at} allows "${broad}" on Resource "*"`);
    });
  }
}

export const iamNodeRoleLeastPrivilege: Rule = {
  id: "aws-iam-node-role-least-privilege",
  title: "Node roles carry no administrator or wildcard permissions",
  requirements: ["AICP-ACCESS-05"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_iam_role"],
  remediation:
    "Give EC2-trusted roles only the policies nodes need and move workload permissions to IRSA or EKS Pod Identity roles (NodeRole attaches exactly the three EKS node policies).",
  // A trust policy the engine cannot read may trust EC2, so the role is judged.
  examples: {
    good: [
      `
      resource "aws_iam_role" "node" {
        name = "eks-node"
        assume_role_policy = jsonencode({
          Version   = "2012-10-17"
          Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
        })
      }

      resource "aws_iam_role_policy_attachment" "worker" {
        role       = aws_iam_role.node.name
        policy_arn = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"
      }
    `,
    ],
    bad: [
      `
      resource "aws_iam_role" "node" {
        name = "eks-node"
        assume_role_policy = jsonencode({
          Version   = "2012-10-17"
          Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
        })
      }

      resource "aws_iam_role_policy_attachment" "worker" {
        role       = aws_iam_role.node.name
        policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
      }
    `,
    ],
  },
  applies: (role) => ec2Trust(role) !== false,
  check(role) {
    const trust = ec2Trust(role);
    const f = new Findings();
    for (const attachment of attached(role, "aws_iam_role_policy_attachment", "role", "name"))
      f.managed(attachment, attachment.body.policy_arn, attachment.address);
    for (const exclusive of attached(role, "aws_iam_role_policy_attachments_exclusive", "role_name", "name"))
      f.managedList(exclusive, exclusive.body.policy_arns, `${exclusive.address} policy_arns`);
    f.managedList(role, role.body.managed_policy_arns, "managed_policy_arns");
    for (const inline of attached(role, "aws_iam_role_policy", "role", "name")) f.document(inline, "policy", inline.address);
    blocksOf(role.body.inline_policy).forEach((block, i) => {
      if (block.policy !== undefined)
        f.document(inBlock(role, block), "policy", `inline_policy ${block.name ? JSON.stringify(block.name) : i + 1}`);
    });
    const clean = `none of the role's ${f.checked} policies and attachments grants administrator, IAM-wide or wildcard S3/KMS access`;
    if (typeof trust === "string") {
      // Broad permissions matter only if EC2 assumes the role, which the trust policy would tell.
      if (f.problems.length > 0)
        return unresolved(`${trust}, so whether nodes assume this over-privileged role is unknown: ${f.problems.join("; ")}`);
      if (f.open.length > 0) return unresolved(`${trust}; and ${f.open[0]}`);
      return pass(`whoever assumes the role (${trust}), ${clean}`);
    }
    if (f.problems.length > 0) return fail(`the EC2-trusted role is over-privileged: ${f.problems.join("; ")}`);
    if (f.open.length > 0) return unresolved(f.open[0]);
    return pass(clean);
  },
};
