import { s3BucketTlsOnly as rule } from "../../../../lib/rules/aws/s3/bucket-tls-only";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const ARN = "${aws_s3_bucket.%.arn}";
const denyTls = (bucket: string, overrides: object = {}) => ({
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [ARN.replace("%", bucket), `${ARN.replace("%", bucket)}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
  ...overrides,
});
const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

describe("aws-s3-bucket-tls-only", () => {
  const findings = checkJson(rule, {
    resource: {
      aws_s3_bucket: {
        good: {},
        named: { bucket: "named-bucket" },
        boolean: {},
        inline: { policy: policy(denyTls("inline", { Principal: { AWS: "*" }, Action: ["*"] })) },
        allow_only: {},
        wrong_action: {},
        none: {},
        variable: {},
      },
      aws_s3_bucket_policy: {
        good: { bucket: "${aws_s3_bucket.good.id}", policy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "s3:GetObject", Resource: "*" }, denyTls("good")) },
        named: { bucket: "named-bucket", policy: policy(denyTls("named")) },
        boolean: { bucket: "${aws_s3_bucket.boolean.id}", policy: policy(denyTls("boolean", { Condition: { Bool: { "aws:SecureTransport": false } } })) },
        allow_only: { bucket: "${aws_s3_bucket.allow_only.id}", policy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "s3:*", Resource: "*" }) },
        wrong_action: { bucket: "${aws_s3_bucket.wrong_action.id}", policy: policy(denyTls("wrong_action", { Action: "s3:PutObject" })) },
        variable: { bucket: "${aws_s3_bucket.variable.id}", policy: "${var.bucket_policy}" },
      },
    },
  });

  it("passes buckets whose policy denies requests without TLS", () => {
    expect(statuses(findings)).toMatchObject({ "aws_s3_bucket.good": "pass", "aws_s3_bucket.named": "pass", "aws_s3_bucket.boolean": "pass", "aws_s3_bucket.inline": "pass" });
    expect(findingFor(findings, "aws_s3_bucket.good").message).toMatch(/aws_s3_bucket_policy\.good statement "DenyInsecureTransport" denies every request made without TLS/);
  });

  it("fails buckets without such a statement", () => {
    expect(statuses(findings)).toMatchObject({ "aws_s3_bucket.allow_only": "fail", "aws_s3_bucket.wrong_action": "fail", "aws_s3_bucket.none": "fail" });
    expect(findingFor(findings, "aws_s3_bucket.wrong_action").message).toMatch(/no statement of aws_s3_bucket_policy\.wrong_action denies s3:\*/);
    expect(findingFor(findings, "aws_s3_bucket.none").message).toMatch(/no bucket policy is attached/);
  });

  it("leaves a policy from a variable unresolved", () => {
    expect(findingFor(findings, "aws_s3_bucket.variable").message).toMatch(/^unresolved: aws_s3_bucket_policy\.variable: policy is .*var\.bucket_policy/);
  });

  it("reads HCL heredocs", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_s3_bucket" "good" {}
       resource "aws_s3_bucket_policy" "good" {
         bucket = aws_s3_bucket.good.id
         policy = <<EOT
{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}
EOT
       }
       resource "aws_s3_bucket" "bare" {}`,
    );
    expect(statuses(hcl)).toEqual({ "aws_s3_bucket.good": "pass", "aws_s3_bucket.bare": "fail" });
  });
});
