import { s3BucketPolicyNoPublicAllow as rule } from "../../../../lib/rules/aws/s3/s3-bucket-policy-no-public-allow";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (extra: object) => ({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", ...extra });
const ACCOUNT = "${data.aws_caller_identity.c.account_id}";

describe("aws-s3-bucket-policy-no-public-allow", () => {
  const findings = checkJson(rule, {
    resource: {
      aws_s3_bucket: {
        none: {},
        named: { bucket: "named-bucket" },
        service: {},
        public: {},
        negated: {},
        if_exists: {},
        inline: { policy: policy(allow({ Sid: "Inline", Principal: { AWS: "*" } })) },
        variable: {},
        open_condition: {},
        wildcard_org: {},
        wildcard_arn: {},
        wildcard_char: {},
        numeric_account: {},
        templated_arn: {},
      },
      aws_s3_bucket_policy: {
        named: {
          bucket: "named-bucket",
          policy: policy(allow({ Principal: { AWS: "arn:aws:iam::111122223333:role/reader" } }), {
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: "*",
          }),
        },
        service: {
          bucket: "${aws_s3_bucket.service.id}",
          policy: policy(
            allow({ Principal: { Service: "logging.s3.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } }),
            allow({ Sid: "OrgRead", Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } }),
          ),
        },
        public: { bucket: "${aws_s3_bucket.public.id}", policy: policy(allow({ Sid: "Website", Principal: "*" })) },
        negated: {
          bucket: "${aws_s3_bucket.negated.id}",
          policy: policy(
            allow({ Sid: "Negated", Principal: "*", Condition: { StringNotEquals: { "aws:SourceAccount": "111122223333" } } }),
          ),
        },
        if_exists: {
          bucket: "${aws_s3_bucket.if_exists.id}",
          policy: policy(
            allow({
              Sid: "IfExists",
              Principal: "*",
              Condition: { StringEqualsIfExists: { "aws:SourceVpce": "vpce-1" }, IpAddress: { "aws:SourceIp": "10.0.0.0/8" } },
            }),
          ),
        },
        variable: { bucket: "${aws_s3_bucket.variable.id}", policy: "${data.aws_iam_policy_document.p.json}" },
        open_condition: {
          bucket: "${aws_s3_bucket.open_condition.id}",
          policy: policy(allow({ Sid: "Account", Principal: "*", Condition: { StringEquals: { "aws:SourceAccount": "${var.account}" } } })),
        },
        // A limiting key whose value holds * or ? matches more than one account, organization or source.
        wildcard_org: {
          bucket: "${aws_s3_bucket.wildcard_org.id}",
          policy: policy(allow({ Sid: "AnyOrg", Principal: "*", Condition: { StringLike: { "aws:PrincipalOrgID": "o-*" } } })),
        },
        wildcard_arn: {
          bucket: "${aws_s3_bucket.wildcard_arn.id}",
          policy: policy(
            allow({
              Sid: "AnySource",
              Principal: { AWS: "*" },
              Condition: { ArnLike: { "aws:SourceArn": ["arn:aws:sns:eu-west-1:111122223333:t", "arn:aws:sns:*:*:*"] } },
            }),
          ),
        },
        wildcard_char: {
          bucket: "${aws_s3_bucket.wildcard_char.id}",
          policy: policy(allow({ Sid: "Char", Principal: "*", Condition: { StringLike: { "aws:SourceAccount": "11112222333?" } } })),
        },
        numeric_account: {
          bucket: "${aws_s3_bucket.numeric_account.id}",
          policy: policy(allow({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalAccount": 111122223333 } } })),
        },
        templated_arn: {
          bucket: "${aws_s3_bucket.templated_arn.id}",
          policy: policy(
            allow({
              Sid: "Templated",
              Principal: "*",
              Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::${var.account}:role/reader" } },
            }),
          ),
        },
      },
    },
  });

  it("passes policies with named principals, or with limiting conditions", () => {
    expect(statuses(findings)).toMatchObject({ "aws_s3_bucket_policy.named": "pass", "aws_s3_bucket_policy.service": "pass" });
    // The finding is on the policy, as Checkov gives it; a bucket without an inline policy has none.
    expect(Object.keys(statuses(findings)).filter((a) => a.startsWith("aws_s3_bucket."))).toEqual(["aws_s3_bucket.inline"]);
  });

  it("fails wildcard allows without a confining condition", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_s3_bucket_policy.public": "fail",
      "aws_s3_bucket_policy.negated": "fail",
      "aws_s3_bucket_policy.if_exists": "fail",
      "aws_s3_bucket.inline": "fail",
    });
    expect(findingFor(findings, "aws_s3_bucket_policy.public").message).toMatch(
      /aws_s3_bucket_policy\.public statement "Website" allows Principal "\*" with no condition/,
    );
    expect(findingFor(findings, "aws_s3_bucket.inline").message).toMatch(
      /aws_s3_bucket\.inline statement "Inline" allows Principal \{"AWS":"\*"\}/,
    );
  });

  it("does not count a limiting value with a wildcard as a limit", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_s3_bucket_policy.wildcard_org": "fail",
      "aws_s3_bucket_policy.wildcard_arn": "fail",
      "aws_s3_bucket_policy.wildcard_char": "fail",
      "aws_s3_bucket_policy.numeric_account": "pass",
    });
    expect(findingFor(findings, "aws_s3_bucket_policy.wildcard_org").message).toMatch(
      /statement "AnyOrg" allows Principal "\*" with no condition that limits it to an account, organization, source or VPC with an exact value/,
    );
    expect(findingFor(findings, "aws_s3_bucket_policy.wildcard_arn").message).toMatch(
      /statement "AnySource" allows Principal \{"AWS":"\*"\}/,
    );
  });

  it("leaves unreadable policies and unknown condition values unresolved", () => {
    expect(findingFor(findings, "aws_s3_bucket_policy.templated_arn").message).toMatch(
      /^unresolved: .*"Templated" limits Principal "\*" with a condition value that is not known before apply/,
    );
    expect(findingFor(findings, "aws_s3_bucket_policy.variable").message).toMatch(/^unresolved: .*data\.aws_iam_policy_document\.p\.json/);
    expect(findingFor(findings, "aws_s3_bucket_policy.open_condition").message).toMatch(
      /^unresolved: .*"Account" limits Principal "\*" with a condition value/,
    );
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_s3_bucket" "open" {}
       resource "aws_s3_bucket_policy" "open" {
         bucket = aws_s3_bucket.open.id
         policy = <<EOT
{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}
EOT
       }
       resource "aws_s3_bucket" "private" {}`,
    );
    expect(statuses(hcl)).toEqual({ "aws_s3_bucket_policy.open": "fail" });
  });
});
