import { kmsKeyPolicyNoWildcardPrincipal as rule } from "../../../../lib/rules/aws/kms/kms-key-policy-no-wildcard-principal";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const ROOT = "arn:${data.aws_partition.p.partition}:iam::${data.aws_caller_identity.c.account_id}:root";

describe("aws-kms-key-policy-no-wildcard-principal", () => {
  const findings = checkJson(rule, {
    resource: {
      aws_iam_role: { admin: { assume_role_policy: "{}" } },
      aws_kms_key: {
        default: {},
        named: {
          policy: policy(
            { Sid: "Admins", Effect: "Allow", Principal: { AWS: [ROOT, "${aws_iam_role.admin.arn}"] }, Action: "kms:*", Resource: "*" },
            { Sid: "Logs", Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, Action: "kms:Encrypt*", Resource: "*" },
            { Sid: "DenyAll", Effect: "Deny", Principal: "*", Action: "kms:ScheduleKeyDeletion", Resource: "*" },
          ),
        },
        star: {
          policy: policy({
            Sid: "Everyone",
            Effect: "Allow",
            Principal: "*",
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: { StringEquals: { "kms:CallerAccount": "111122223333" } },
          }),
        },
        aws_star: { policy: policy({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "kms:*", Resource: "*" }) },
        not_principal: { policy: policy({ Sid: "AllBut", Effect: "Allow", NotPrincipal: { AWS: ROOT }, Action: "kms:*", Resource: "*" }) },
        separate: {},
        variable: { policy: "${var.key_policy}" },
        open_principal: {
          policy: policy({ Sid: "Who", Effect: "Allow", Principal: { AWS: "${var.principal}" }, Action: "kms:*", Resource: "*" }),
        },
      },
      aws_kms_key_policy: {
        separate: {
          key_id: "${aws_kms_key.separate.id}",
          policy: policy({ Sid: "Open", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*", Resource: "*" }),
        },
      },
    },
  });

  it("passes the default key policy and policies that name every principal", () => {
    expect(statuses(findings)).toMatchObject({ "aws_kms_key.default": "pass", "aws_kms_key.named": "pass" });
    expect(findingFor(findings, "aws_kms_key.default").message).toMatch(/default key policy/);
    expect(findingFor(findings, "aws_kms_key.named").message).toMatch(/names its principals/);
  });

  it("fails wildcard principals, with or without conditions, and NotPrincipal", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_kms_key.star": "fail",
      "aws_kms_key.aws_star": "fail",
      "aws_kms_key.not_principal": "fail",
    });
    expect(findingFor(findings, "aws_kms_key.star").message).toMatch(
      /statement "Everyone" allows Principal "\*" \(conditions do not name principals\)/,
    );
    expect(findingFor(findings, "aws_kms_key.aws_star").message).toMatch(
      /aws_kms_key\.aws_star statement 1 allows Principal \{"AWS":\["\*"\]\}/,
    );
    expect(findingFor(findings, "aws_kms_key.not_principal").message).toMatch(/NotPrincipal/);
  });

  it("reads a separate aws_kms_key_policy attached to the key", () => {
    expect(findingFor(findings, "aws_kms_key.separate").status).toBe("fail");
    expect(findingFor(findings, "aws_kms_key.separate").message).toMatch(/aws_kms_key_policy\.separate statement "Open"/);
  });

  it("leaves policies and principals unknown before apply unresolved", () => {
    expect(findingFor(findings, "aws_kms_key.variable").message).toMatch(/^unresolved: .*var\.key_policy/);
    expect(findingFor(findings, "aws_kms_key.open_principal").message).toMatch(/^unresolved: .*"Who".*var\.principal/);
  });

  it('fails principals IAM cannot read, such as a list holding "*", closed (JSON and HCL)', async () => {
    const statement = (principal: unknown) =>
      JSON.stringify({ Statement: [{ Effect: "Allow", Principal: principal, Action: "kms:Decrypt", Resource: "*" }] });
    const json = checkJson(rule, {
      resource: {
        aws_kms_key: {
          list: { policy: statement(["foo", "*"]) },
          number: { policy: statement({ AWS: 5 }) },
          named: { policy: statement({ AWS: ["arn:aws:iam::111122223333:root"] }) },
        },
      },
    });
    expect(statuses(json)).toEqual({ "aws_kms_key.list": "fail", "aws_kms_key.number": "fail", "aws_kms_key.named": "pass" });
    expect(findingFor(json, "aws_kms_key.list").unresolved).toBeFalsy();
    const hcl = await checkHcl(
      rule,
      `resource "aws_kms_key" "list" {
      policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = ["foo", "*"], Action = "kms:Decrypt", Resource = "*" }] })
    }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_kms_key.list": "fail" });
  });

  it("reads HCL heredocs and jsonencode, and leaves a policy from an unset variable unresolved", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_kms_key" "open" {
         policy = <<EOT
{"Statement":[{"Sid":"Open","Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}
EOT
       }
       resource "aws_kms_key" "encoded" {
         policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "kms:*", Resource = "*" }] })
       }
       variable "key_policy" {}
       resource "aws_kms_key" "variable" {
         policy = jsonencode(var.key_policy)
       }
       resource "aws_kms_key" "other" {}
       resource "aws_kms_key_policy" "other" {
         key_id = aws_kms_key.other.id
         policy = "{\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Principal\\":{\\"AWS\\":\\"arn:aws:iam::111122223333:root\\"},\\"Action\\":\\"kms:*\\",\\"Resource\\":\\"*\\"}]}"
       }`,
    );
    expect(statuses(hcl)).toEqual({
      "aws_kms_key.open": "fail",
      "aws_kms_key.encoded": "fail",
      "aws_kms_key.variable": "fail",
      "aws_kms_key.other": "pass",
    });
    expect(findingFor(hcl, "aws_kms_key.encoded").unresolved).toBeFalsy();
    expect(findingFor(hcl, "aws_kms_key.variable").unresolved).toBe(true);
    expect(findingFor(hcl, "aws_kms_key.variable").message).toMatch(/var\.key_policy has no default and no value was given/);
    expect(findingFor(hcl, "aws_kms_key.open").unresolved).toBeFalsy();
  });
});
