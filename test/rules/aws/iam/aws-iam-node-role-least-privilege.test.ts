import { Testing } from "cdktf";
import { NodeRole } from "../../../../constructs/aws/node-role";
import { iamNodeRoleLeastPrivilege } from "../../../../lib/rules/aws/iam/iam-node-role-least-privilege";
import { SecureStack } from "../../../../lib/secure-stack";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const trust = (service: string) => doc({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" });
const EC2 = trust("ec2.amazonaws.com");
const allow = (Action: unknown, Resource: unknown = "*") => ({ Effect: "Allow", Action, Resource });
const attach = (role: string, policy: string) => ({ role: `\${aws_iam_role.${role}.name}`, policy_arn: policy });
const MANAGED = (name: string) => `arn:aws:iam::aws:policy/${name}`;

describe("aws-iam-node-role-least-privilege", () => {
  it("fails EC2-trusted roles with administrator, IAM-wide or wildcard S3/KMS permissions", () => {
    const findings = checkJson(iamNodeRoleLeastPrivilege, {
      resource: {
        aws_iam_role: {
          lean: { assume_role_policy: EC2 },
          admin: { assume_role_policy: EC2 },
          power_by_name: { name: "power-node", assume_role_policy: EC2 },
          exclusive_iam: { assume_role_policy: EC2 },
          listed: {
            assume_role_policy: EC2,
            managed_policy_arns: ["arn:${data.aws_partition.p.partition}:iam::aws:policy/AdministratorAccess"],
          },
          inline_star: { assume_role_policy: EC2 },
          inline_block: { assume_role_policy: EC2, inline_policy: [{ name: "s3", policy: doc(allow("s3:*")) }] },
          inline_scoped: {
            assume_role_policy: EC2,
            inline_policy: { name: "kms", policy: doc(allow(["kms:*"], "arn:aws:kms:eu-west-1:111122223333:key/1")) },
          },
          not_action: {
            assume_role_policy: EC2,
            inline_policy: [{ name: "all", policy: doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) }],
          },
          customer: { assume_role_policy: EC2 },
          unknown_arn: { assume_role_policy: EC2 },
          unknown_action: { assume_role_policy: EC2, inline_policy: [{ name: "x", policy: doc(allow("${var.action}")) }] },
          lambda: { assume_role_policy: trust("lambda.amazonaws.com") },
          unreadable_trust: { assume_role_policy: "${data.aws_iam_policy_document.t.json}" },
        },
        aws_iam_policy: { wide: { policy: doc(allow(["ec2:Describe*", "IAM:*"])) } },
        aws_iam_role_policy_attachment: {
          lean_worker: attach("lean", MANAGED("AmazonEKSWorkerNodePolicy")),
          admin: attach("admin", MANAGED("AdministratorAccess")),
          power: { role: "power-node", policy_arn: MANAGED("PowerUserAccess") },
          customer: attach("customer", "${aws_iam_policy.wide.arn}"),
          unknown: attach("unknown_arn", "${var.policy_arn}"),
          lambda: attach("lambda", MANAGED("AdministratorAccess")),
        },
        aws_iam_role_policy_attachments_exclusive: {
          exclusive_iam: {
            role_name: "${aws_iam_role.exclusive_iam.name}",
            policy_arns: [MANAGED("AmazonEKS_CNI_Policy"), MANAGED("IAMFullAccess")],
          },
        },
        aws_iam_role_policy: {
          inline_star: { role: "${aws_iam_role.inline_star.id}", policy: doc(allow("ec2:DescribeInstances"), allow("*")) },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_iam_role.lean": "pass",
      "aws_iam_role.admin": "fail",
      "aws_iam_role.power_by_name": "fail",
      "aws_iam_role.exclusive_iam": "fail",
      "aws_iam_role.listed": "fail",
      "aws_iam_role.inline_star": "fail",
      "aws_iam_role.inline_block": "fail",
      "aws_iam_role.inline_scoped": "pass",
      "aws_iam_role.not_action": "fail",
      "aws_iam_role.customer": "fail",
      "aws_iam_role.unknown_arn": "fail",
      "aws_iam_role.unknown_action": "fail",
      "aws_iam_role.unreadable_trust": "pass",
    });
    const message = (name: string) => findingFor(findings, `aws_iam_role.${name}`).message;
    expect(message("lean")).toMatch(/none of the role's 1 policies and attachments grants/);
    expect(message("admin")).toBe(
      "the EC2-trusted role is over-privileged: aws_iam_role_policy_attachment.admin attaches the AWS managed policy AdministratorAccess",
    );
    expect(message("power_by_name")).toMatch(/aws_iam_role_policy_attachment\.power attaches the AWS managed policy PowerUserAccess/);
    expect(message("exclusive_iam")).toMatch(
      /aws_iam_role_policy_attachments_exclusive\.exclusive_iam policy_arns attaches the AWS managed policy IAMFullAccess/,
    );
    expect(message("listed")).toMatch(/managed_policy_arns attaches the AWS managed policy AdministratorAccess/);
    expect(message("inline_star")).toMatch(/aws_iam_role_policy\.inline_star statement 2 allows Action "\*"/);
    expect(message("inline_block")).toMatch(/inline_policy "s3" statement 1 allows "s3:\*" on Resource "\*"/);
    expect(message("not_action")).toMatch(/allows every action but "iam:\*" \(NotAction\)/);
    expect(message("customer")).toMatch(
      /aws_iam_policy\.wide \(attached by aws_iam_role_policy_attachment\.customer\) statement 1 allows Action "iam:\*"/,
    );
    expect(message("unknown_arn")).toMatch(/^unresolved: aws_iam_role_policy_attachment\.unknown attaches .*var\.policy_arn/);
    expect(message("unknown_action")).toMatch(/^unresolved: inline_policy "x" statement 1 has Action .*var\.action/);
    expect(message("unreadable_trust")).toMatch(
      /^whoever assumes the role \(assume_role_policy is .*data\.aws_iam_policy_document\.t\.json.*\), none of the role's 0 policies/,
    );
  });

  it("judges roles whose trust policy cannot be read: unresolved when they carry broad or unknown permissions", () => {
    const findings = checkJson(iamNodeRoleLeastPrivilege, {
      resource: {
        aws_iam_role: {
          data_trust_admin: { assume_role_policy: "${data.aws_iam_policy_document.trust.json}" },
          variable_trust_inline: { assume_role_policy: "${var.trust}", inline_policy: { name: "all", policy: doc(allow("*")) } },
          data_trust_unknown: { assume_role_policy: "${data.aws_iam_policy_document.trust.json}", managed_policy_arns: "${var.arns}" },
          data_trust_lean: { assume_role_policy: "${data.aws_iam_policy_document.trust.json}" },
        },
        aws_iam_role_policy_attachment: {
          admin: attach("data_trust_admin", MANAGED("AdministratorAccess")),
          lean: attach("data_trust_lean", MANAGED("AmazonEKSWorkerNodePolicy")),
        },
      },
    });
    expect(findings.map((f) => [f.resource, f.status, f.unresolved ?? false])).toEqual([
      ["aws_iam_role.data_trust_admin", "fail", true],
      ["aws_iam_role.variable_trust_inline", "fail", true],
      ["aws_iam_role.data_trust_unknown", "fail", true],
      ["aws_iam_role.data_trust_lean", "pass", false],
    ]);
    const message = (name: string) => findingFor(findings, `aws_iam_role.${name}`).message;
    expect(message("data_trust_admin")).toMatch(
      /^unresolved: assume_role_policy is .*data\.aws_iam_policy_document\.trust\.json.*, so whether nodes assume this over-privileged role is unknown: aws_iam_role_policy_attachment\.admin attaches the AWS managed policy AdministratorAccess/,
    );
    expect(message("variable_trust_inline")).toMatch(
      /^unresolved: assume_role_policy is .*var\.trust.*inline_policy "all" statement 1 allows Action "\*"/,
    );
    expect(message("data_trust_unknown")).toMatch(/^unresolved: assume_role_policy is .*; and managed_policy_arns is .*var\.arns/);
    expect(message("data_trust_lean")).toMatch(/none of the role's 1 policies and attachments grants/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      iamNodeRoleLeastPrivilege,
      `resource "aws_iam_role" "node" {
         assume_role_policy = <<EOT
       {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
       EOT
       }
       resource "aws_iam_role_policy_attachment" "worker" {
         role       = aws_iam_role.node.name
         policy_arn = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"
       }
       resource "aws_iam_role" "admin_node" {
         assume_role_policy = <<EOT
       {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}
       EOT
         inline_policy {
           name   = "everything"
           policy = "{\\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"*\\", \\"Resource\\": \\"*\\"}]}"
         }
       }
       resource "aws_iam_role" "encoded" {
         assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
       }
       resource "aws_iam_role_policy_attachment" "encoded_admin" {
         role       = aws_iam_role.encoded.name
         policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_iam_role.node": "pass", "aws_iam_role.admin_node": "fail", "aws_iam_role.encoded": "fail" });
    // The trust policy is jsonencode of known values, so the role is read as EC2-trusted.
    expect(findingFor(findings, "aws_iam_role.encoded").message).toMatch(/^the EC2-trusted role is over-privileged: .*AdministratorAccess/);
    expect(findingFor(findings, "aws_iam_role.admin_node").message).toMatch(/inline_policy "everything" statement 1 allows Action "\*"/);
  });

  it("passes NodeRole, and fails it once an administrator policy is attached", () => {
    const stack = new SecureStack(Testing.app(), "test");
    new NodeRole(stack, "NodeRole");
    const json = JSON.parse(Testing.synth(stack));
    const findings = checkJson(iamNodeRoleLeastPrivilege, json);
    expect(statuses(findings)).toEqual({ "aws_iam_role.node_role": "pass" });
    expect(findingFor(findings, "aws_iam_role.node_role").message).toMatch(/none of the role's 6 policies/);
    json.resource.aws_iam_role_policy_attachment.node_role_worker_node_policy.policy_arn =
      "arn:${data.aws_partition.aws_context_partition.partition}:iam::aws:policy/AdministratorAccess";
    expect(statuses(checkJson(iamNodeRoleLeastPrivilege, json))).toEqual({ "aws_iam_role.node_role": "fail" });
  });
});
