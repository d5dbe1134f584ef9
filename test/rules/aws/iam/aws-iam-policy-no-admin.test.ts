import { iamPolicyNoAdmin as rule } from "../../../../lib/rules/aws/iam/iam-policy-no-admin";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const allow = (Action: unknown, Resource: unknown = "*") => ({ Effect: "Allow", Action, Resource });
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";

// The resource types of Checkov's CKV_AWS_62 / CKV_AWS_63 (policy documents) and CKV_AWS_274 (AdministratorAccess attachments).
describe("aws-iam-policy-no-admin", () => {
  const findings = checkJson(rule, {
    resource: {
      aws_iam_policy: {
        scoped: { policy: doc(allow(["s3:GetObject"], "arn:aws:s3:::models/*")) },
        star: { policy: doc(allow("s3:GetObject"), { Sid: "All", ...allow("*") }) },
        star_on_one: { policy: doc(allow(["*"], "arn:aws:s3:::models")) },
        denied_star: { policy: doc({ Effect: "Deny", Action: "*", Resource: "*" }) },
        unreadable: { policy: "${var.policy}" },
      },
      aws_iam_role_policy: {
        star: { role: "r", policy: doc(allow("*")) },
        unknown_action: { role: "r", policy: doc(allow("${var.action}")) },
      },
      aws_iam_user_policy: { star: { user: "u", policy: doc(allow("*")) } },
      aws_iam_group_policy: { scoped: { group: "g", policy: doc(allow("ec2:DescribeInstances")) } },
      aws_ssoadmin_permission_set_inline_policy: { star: { instance_arn: "i", permission_set_arn: "p", inline_policy: doc(allow("*")) } },
      aws_iam_role: {
        plain: { assume_role_policy: doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }) },
        listed: {
          assume_role_policy: "{}",
          managed_policy_arns: ["arn:${data.aws_partition.p.partition}:iam::aws:policy/AdministratorAccess"],
        },
        inline_star: { assume_role_policy: "{}", inline_policy: [{ name: "all", policy: doc(allow("*")) }] },
        unknown_list: { assume_role_policy: "{}", managed_policy_arns: "${var.arns}" },
      },
      aws_iam_role_policy_attachment: {
        admin: { role: "r", policy_arn: ADMIN },
        readonly: { role: "r", policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
      },
      aws_iam_user_policy_attachment: {
        admin: { user: "u", policy_arn: ADMIN },
        customer: { user: "u", policy_arn: "${aws_iam_policy.scoped.arn}" },
      },
      aws_iam_group_policy_attachment: { unknown: { group: "g", policy_arn: "${var.policy_arn}" } },
      aws_iam_policy_attachment: { admin: { name: "a", roles: ["r"], policy_arn: "arn:aws-us-gov:iam::aws:policy/AdministratorAccess" } },
      aws_ssoadmin_managed_policy_attachment: { admin: { instance_arn: "i", permission_set_arn: "p", managed_policy_arn: ADMIN } },
    },
  });

  it("passes scoped policies, Deny statements and attachments of other policies", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_iam_policy.scoped": "pass",
      "aws_iam_policy.denied_star": "pass",
      "aws_iam_group_policy.scoped": "pass",
      "aws_iam_role.plain": "pass",
      "aws_iam_role_policy_attachment.readonly": "pass",
      "aws_iam_user_policy_attachment.customer": "pass",
    });
    expect(findingFor(findings, "aws_iam_user_policy_attachment.customer").message).toBe(
      "aws_iam_user_policy_attachment.customer attaches aws_iam_policy.scoped, which this rule judges on its own",
    );
  });

  it('fails Action "*" on any resource, in every policy type and a role\'s inline blocks', () => {
    expect(statuses(findings)).toMatchObject({
      "aws_iam_policy.star": "fail",
      "aws_iam_policy.star_on_one": "fail",
      "aws_iam_role_policy.star": "fail",
      "aws_iam_user_policy.star": "fail",
      "aws_ssoadmin_permission_set_inline_policy.star": "fail",
      "aws_iam_role.inline_star": "fail",
    });
    expect(findingFor(findings, "aws_iam_policy.star").message).toBe('aws_iam_policy.star statement "All" allows Action "*"');
  });

  it("fails AdministratorAccess attached in any partition, by any attachment type or managed_policy_arns", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_iam_role_policy_attachment.admin": "fail",
      "aws_iam_user_policy_attachment.admin": "fail",
      "aws_iam_policy_attachment.admin": "fail",
      "aws_ssoadmin_managed_policy_attachment.admin": "fail",
      "aws_iam_role.listed": "fail",
    });
    expect(findingFor(findings, "aws_iam_role.listed").message).toBe(
      "managed_policy_arns attaches the AWS managed policy AdministratorAccess",
    );
  });

  it("leaves unknown documents, actions and ARNs unresolved", () => {
    for (const address of [
      "aws_iam_policy.unreadable",
      "aws_iam_role_policy.unknown_action",
      "aws_iam_group_policy_attachment.unknown",
      "aws_iam_role.unknown_list",
    ]) {
      expect(findingFor(findings, address)).toMatchObject({ status: "fail", unresolved: true });
    }
    expect(findingFor(findings, "aws_iam_role_policy.unknown_action").message).toMatch(
      /^unresolved: aws_iam_role_policy\.unknown_action statement 1 has Action "\$\{var\.action\}", which is not known before apply/,
    );
  });

  it("reads a jsonencode policy in HCL", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_iam_policy" "admin" {
         policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
       }
       resource "aws_iam_role_policy_attachment" "admin" {
         role       = "deployer"
         policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_iam_policy.admin": "fail", "aws_iam_role_policy_attachment.admin": "fail" });
  });
});
