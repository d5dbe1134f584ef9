import { kmsKeyNoAccountAdministration as rule } from "../../../../lib/rules/aws/kms/kms-key-no-account-administration";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const ROOT = "arn:${data.aws_partition.p.partition}:iam::${data.aws_caller_identity.c.account_id}:root";
const ADMIN = "arn:aws:iam::111122223333:role/key-admin";
const BREAK_GLASS = "arn:aws:iam::111122223333:role/break-glass";
const admins = {
  Sid: "KeyAdministrators",
  Effect: "Allow",
  Principal: { AWS: [ADMIN] },
  Action: ["kms:Put*", "kms:Update*", "kms:Describe*"],
  Resource: "*",
};
const breakGlass = {
  Sid: "BreakGlass",
  Effect: "Allow",
  Principal: { AWS: BREAK_GLASS },
  Action: ["kms:Disable*", "kms:ScheduleKeyDeletion"],
  Resource: "*",
  Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
};
const readOnly = {
  Sid: "AccountReads",
  Effect: "Allow",
  Principal: { AWS: ROOT },
  Action: ["kms:Describe*", "kms:Get*", "kms:List*"],
  Resource: "*",
};

describe("aws-kms-key-no-account-administration", () => {
  const findings = checkJson(rule, {
    resource: {
      aws_kms_key: {
        named: { policy: policy(admins, breakGlass, readOnly) },
        default: {},
        root_put: {
          policy: policy(admins, {
            Sid: "AccountAdministration",
            Effect: "Allow",
            Principal: { AWS: ROOT },
            Action: ["kms:Put*", "kms:Describe*"],
            Resource: "*",
          }),
        },
        account_id: {
          policy: policy({ Sid: "Everything", Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "kms:*", Resource: "*" }),
        },
        wildcard: { policy: policy({ Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "kms:DisableKey", Resource: "*" }) },
        no_mfa: { policy: policy(admins, { ...breakGlass, Condition: undefined }) },
        if_exists_mfa: { policy: policy(admins, { ...breakGlass, Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } } }) },
        separate: { policy: policy(admins) },
        open_actions: {
          policy: policy(admins, { Sid: "Who", Effect: "Allow", Principal: { AWS: ROOT }, Action: "${var.actions}", Resource: "*" }),
        },
        open_principal: {
          policy: policy({ Sid: "Who", Effect: "Allow", Principal: { AWS: "${var.admin}" }, Action: "kms:PutKeyPolicy", Resource: "*" }),
        },
        unreadable: { policy: "${var.key_policy}" },
      },
      aws_kms_key_policy: {
        separate: {
          key_id: "${aws_kms_key.separate.id}",
          policy: policy({ Sid: "Root", Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" }),
        },
      },
    },
  });

  it("passes a key whose policy only named principals administer, with MFA to destroy, and that lets the account read metadata", () => {
    expect(findingFor(findings, "aws_kms_key.named").status).toBe("pass");
  });

  it("fails AWS's default policy, account principals (root or id) and wildcards that may put a policy, disable or delete", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_kms_key.default": "fail",
      "aws_kms_key.root_put": "fail",
      "aws_kms_key.account_id": "fail",
      "aws_kms_key.wildcard": "fail",
    });
    expect(findingFor(findings, "aws_kms_key.default").message).toMatch(/default key policy lets the account/);
    expect(findingFor(findings, "aws_kms_key.root_put").message).toMatch(
      /statement "AccountAdministration" lets the account .*:root call kms:PutKeyPolicy, so any IAM principal/,
    );
    expect(findingFor(findings, "aws_kms_key.account_id").message).toMatch(/kms:PutKeyPolicy, kms:ScheduleKeyDeletion, kms:DisableKey/);
    expect(findingFor(findings, "aws_kms_key.wildcard").message).toMatch(/lets every principal call kms:DisableKey/);
  });

  it("fails a named principal that may disable or delete without an MFA session (BoolIfExists passes sessions without MFA)", () => {
    expect(findingFor(findings, "aws_kms_key.no_mfa").message).toMatch(
      /break-glass call kms:ScheduleKeyDeletion, kms:DisableKey without an MFA session/,
    );
    expect(findingFor(findings, "aws_kms_key.if_exists_mfa").status).toBe("fail");
  });

  it("reads a separate aws_kms_key_policy beside the inline one", () => {
    expect(findingFor(findings, "aws_kms_key.separate").message).toMatch(/aws_kms_key_policy\.separate statement "Root" lets the account/);
  });

  it("leaves actions, principals and policies known only at apply unresolved", () => {
    for (const name of ["open_actions", "open_principal", "unreadable"])
      expect(findingFor(findings, `aws_kms_key.${name}`).unresolved).toBe(true);
    expect(findingFor(findings, "aws_kms_key.open_actions").message).toMatch(/not known before apply/);
    expect(findingFor(findings, "aws_kms_key.open_principal").message).toMatch(/var\.admin/);
  });

  it("reads HCL", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_kms_key" "root" {
         policy = <<EOT
{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}
EOT
       }
       resource "aws_kms_key" "named" {
         policy = <<EOT
{"Statement":[{"Effect":"Allow","Principal":{"AWS":"${ADMIN}"},"Action":"kms:PutKeyPolicy","Resource":"*"}]}
EOT
       }
       resource "aws_kms_key" "encoded" {
         policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" }] })
       }
       variable "policy" {}
       resource "aws_kms_key" "variable" {
         policy = var.policy
       }`,
    );
    // jsonencode of known values is read as the policy it encodes; a variable with no value stays unknown.
    expect(statuses(hcl)).toEqual({
      "aws_kms_key.root": "fail",
      "aws_kms_key.named": "pass",
      "aws_kms_key.encoded": "fail",
      "aws_kms_key.variable": "fail",
    });
    expect(findingFor(hcl, "aws_kms_key.encoded").unresolved).toBeFalsy();
    expect(findingFor(hcl, "aws_kms_key.variable").unresolved).toBe(true);
  });
});
