import { Testing } from "cdktf";
import { NodeRole } from "../../../../constructs/aws/node-role";
import { iamRoleTrustNoWildcard as rule } from "../../../../lib/rules/aws/iam/iam-role-trust-no-wildcard";
import { SecureStack } from "../../../../lib/secure-stack";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const trust = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const assume = (extra: object) => ({ Effect: "Allow", Action: "sts:AssumeRole", ...extra });
const ACCOUNT = "${data.aws_caller_identity.c.account_id}";

describe("aws-iam-role-trust-no-wildcard", () => {
  const findings = checkJson(rule, {
    resource: {
      aws_iam_role: {
        service: { assume_role_policy: trust(assume({ Principal: { Service: "ec2.amazonaws.com" } })) },
        account: { assume_role_policy: trust(assume({ Principal: { AWS: "arn:aws:iam::111122223333:root" } })) },
        org: { assume_role_policy: trust(assume({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } })) },
        external_id: {
          assume_role_policy: trust(assume({ Principal: { AWS: "*" }, Condition: { StringEquals: { "sts:ExternalId": "f00d" } } })),
        },
        own_account: {
          assume_role_policy: trust(assume({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } } })),
        },
        anyone: {
          assume_role_policy: trust(assume({ Principal: { Service: "ec2.amazonaws.com" } }), assume({ Sid: "Anyone", Principal: "*" })),
        },
        any_aws: { assume_role_policy: trust(assume({ Sid: "AnyAws", Principal: { AWS: ["arn:aws:iam::111122223333:root", "*"] } })) },
        not_principal: { assume_role_policy: trust(assume({ Sid: "AllBut", NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" } })) },
        wildcard_org: {
          assume_role_policy: trust(assume({ Sid: "AnyOrg", Principal: "*", Condition: { StringLike: { "aws:PrincipalOrgID": "o-*" } } })),
        },
        // aws:SourceArn limits resource policies but not who assumes a role.
        source_arn: {
          assume_role_policy: trust(
            assume({
              Sid: "SourceArn",
              Principal: "*",
              Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-1:111122223333:t" } },
            }),
          ),
        },
        negated: {
          assume_role_policy: trust(
            assume({ Sid: "Negated", Principal: "*", Condition: { StringNotEquals: { "aws:PrincipalAccount": "111122223333" } } }),
          ),
        },
        deny: {
          assume_role_policy: trust(
            { Effect: "Deny", Principal: "*", Action: "sts:AssumeRole" },
            assume({ Principal: { Service: "eks.amazonaws.com" } }),
          ),
        },
        unreadable: { assume_role_policy: "${data.aws_iam_policy_document.trust.json}" },
        missing: {},
        variable_principal: { assume_role_policy: trust(assume({ Sid: "Var", Principal: { AWS: "${var.principal}" } })) },
        variable_condition: {
          assume_role_policy: trust(
            assume({ Sid: "VarAccount", Principal: "*", Condition: { StringEquals: { "aws:PrincipalAccount": "${var.account}" } } }),
          ),
        },
      },
    },
  });

  it("passes named principals and wildcards limited by an exact account, organization or external id", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_iam_role.service": "pass",
      "aws_iam_role.account": "pass",
      "aws_iam_role.org": "pass",
      "aws_iam_role.external_id": "pass",
      "aws_iam_role.own_account": "pass",
      "aws_iam_role.deny": "pass",
    });
    expect(findingFor(findings, "aws_iam_role.service").message).toMatch(
      /no Allow statement of assume_role_policy lets every principal assume the role/,
    );
  });

  it("fails trust policies any principal can assume", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_iam_role.anyone": "fail",
      "aws_iam_role.any_aws": "fail",
      "aws_iam_role.not_principal": "fail",
      "aws_iam_role.wildcard_org": "fail",
      "aws_iam_role.source_arn": "fail",
      "aws_iam_role.negated": "fail",
    });
    const message = (name: string) => findingFor(findings, `aws_iam_role.${name}`).message;
    expect(message("anyone")).toBe(
      'anyone can assume the role: aws_iam_role.anyone statement "Anyone" allows Principal "*" with no condition that limits it to an account, organization or external id (aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceAccount or sts:ExternalId, without wildcards)',
    );
    expect(message("any_aws")).toMatch(/statement "AnyAws" allows Principal \{"AWS":\["arn:aws:iam::111122223333:root","\*"\]\}/);
    expect(message("not_principal")).toMatch(/statement "AllBut" allows with NotPrincipal/);
    expect(message("wildcard_org")).toMatch(/statement "AnyOrg" allows Principal "\*" with no condition/);
  });

  it("leaves unreadable trust policies and unknown values unresolved", () => {
    expect(findingFor(findings, "aws_iam_role.unreadable").message).toMatch(
      /^unresolved: aws_iam_role\.unreadable: assume_role_policy is .*data\.aws_iam_policy_document\.trust\.json/,
    );
    expect(findingFor(findings, "aws_iam_role.variable_principal").message).toMatch(
      /^unresolved: .*statement "Var" has Principal .*var\.principal.*not known before apply/,
    );
    expect(findingFor(findings, "aws_iam_role.variable_condition").message).toMatch(
      /^unresolved: .*statement "VarAccount" limits Principal "\*" with a condition value that is not known before apply/,
    );
    expect(findingFor(findings, "aws_iam_role.missing").message).toMatch(/^unresolved: assume_role_policy is not set/);
    for (const name of ["unreadable", "missing", "variable_principal", "variable_condition"])
      expect(findingFor(findings, `aws_iam_role.${name}`).unresolved).toBe(true);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_iam_role" "open" {
         assume_role_policy = <<EOT
{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}
EOT
       }
       resource "aws_iam_role" "partner" {
         assume_role_policy = <<EOT
{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"partner-42"}}}]}
EOT
       }
       resource "aws_iam_role" "encoded" {
         assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "sts:AssumeRole" }] })
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_iam_role.open": "fail", "aws_iam_role.partner": "pass", "aws_iam_role.encoded": "fail" });
    expect(findingFor(hcl, "aws_iam_role.open").message).toMatch(/^anyone can assume the role/);
    expect(findingFor(hcl, "aws_iam_role.encoded").message).toMatch(/^anyone can assume the role/);
    expect(findingFor(hcl, "aws_iam_role.encoded").unresolved).toBeFalsy();
  });

  it("passes NodeRole, and fails it once its trust admits every principal", () => {
    const stack = new SecureStack(Testing.app(), "test");
    new NodeRole(stack, "NodeRole");
    const json = JSON.parse(Testing.synth(stack));
    expect(statuses(checkJson(rule, json))).toEqual({ "aws_iam_role.node_role": "pass" });
    const role = json.resource.aws_iam_role.node_role;
    const policy = JSON.parse(role.assume_role_policy);
    policy.Statement.push({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" });
    role.assume_role_policy = JSON.stringify(policy);
    expect(statuses(checkJson(rule, json))).toEqual({ "aws_iam_role.node_role": "fail" });
  });
});
