import fc from "fast-check";
import { globMatches, s3BucketTlsOnly as rule } from "../../../../lib/rules/aws/s3/s3-bucket-tls-only";
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
        literal_arns: { bucket: "logs-bucket" },
        any_bucket: {},
        extra_condition: {},
        extra_bool: {},
        bucket_only: {},
        objects_only: {},
        other_bucket: {},
        prefix_only: { bucket: "data-bucket" },
        resource_variable: {},
      },
      aws_s3_bucket_policy: {
        good: {
          bucket: "${aws_s3_bucket.good.id}",
          policy: policy(
            { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "s3:GetObject", Resource: "*" },
            denyTls("good"),
          ),
        },
        named: { bucket: "named-bucket", policy: policy(denyTls("named")) },
        boolean: {
          bucket: "${aws_s3_bucket.boolean.id}",
          policy: policy(denyTls("boolean", { Condition: { Bool: { "aws:SecureTransport": false } } })),
        },
        allow_only: {
          bucket: "${aws_s3_bucket.allow_only.id}",
          policy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "s3:*", Resource: "*" }),
        },
        wrong_action: { bucket: "${aws_s3_bucket.wrong_action.id}", policy: policy(denyTls("wrong_action", { Action: "s3:PutObject" })) },
        variable: { bucket: "${aws_s3_bucket.variable.id}", policy: "${var.bucket_policy}" },
        literal_arns: {
          bucket: "logs-bucket",
          policy: policy(
            denyTls("x", { Resource: ["arn:aws-cn:s3:::logs-bucket", "arn:${data.aws_partition.p.partition}:s3:::logs-bucket/*"] }),
          ),
        },
        any_bucket: { bucket: "${aws_s3_bucket.any_bucket.id}", policy: policy(denyTls("x", { Resource: "arn:aws:s3:::*" })) },
        // Every further condition narrows the deny to requests that also match it.
        extra_condition: {
          bucket: "${aws_s3_bucket.extra_condition.id}",
          policy: policy(
            denyTls("extra_condition", {
              Sid: "Narrow",
              Condition: { Bool: { "aws:SecureTransport": "false" }, StringEquals: { "aws:SourceVpce": "vpce-1" } },
            }),
          ),
        },
        extra_bool: {
          bucket: "${aws_s3_bucket.extra_bool.id}",
          policy: policy(
            denyTls("extra_bool", { Condition: { Bool: { "aws:SecureTransport": "false", "aws:MultiFactorAuthPresent": "true" } } }),
          ),
        },
        bucket_only: {
          bucket: "${aws_s3_bucket.bucket_only.id}",
          policy: policy(denyTls("bucket_only", { Sid: "BucketOnly", Resource: "${aws_s3_bucket.bucket_only.arn}" })),
        },
        objects_only: {
          bucket: "${aws_s3_bucket.objects_only.id}",
          policy: policy(denyTls("objects_only", { Resource: ["${aws_s3_bucket.objects_only.arn}/*"] })),
        },
        other_bucket: { bucket: "${aws_s3_bucket.other_bucket.id}", policy: policy(denyTls("good")) },
        prefix_only: {
          bucket: "data-bucket",
          policy: policy(denyTls("x", { Resource: ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/public/*"] })),
        },
        resource_variable: {
          bucket: "${aws_s3_bucket.resource_variable.id}",
          policy: policy(denyTls("x", { Resource: ["${var.bucket_arn}", "${var.bucket_arn}/*"] })),
        },
      },
    },
  });

  it("passes buckets whose policy denies requests without TLS", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_s3_bucket.good": "pass",
      "aws_s3_bucket.named": "pass",
      "aws_s3_bucket.boolean": "pass",
      "aws_s3_bucket.inline": "pass",
    });
    expect(findingFor(findings, "aws_s3_bucket.good").message).toMatch(
      /aws_s3_bucket_policy\.good statement "DenyInsecureTransport" denies every request made without TLS/,
    );
  });

  it("accepts literal ARNs in any partition and wildcards that cover the bucket and its objects", () => {
    expect(statuses(findings)).toMatchObject({ "aws_s3_bucket.literal_arns": "pass", "aws_s3_bucket.any_bucket": "pass" });
  });

  it("fails a TLS deny narrowed by further conditions or by its Resource", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_s3_bucket.extra_condition": "fail",
      "aws_s3_bucket.extra_bool": "fail",
      "aws_s3_bucket.bucket_only": "fail",
      "aws_s3_bucket.objects_only": "fail",
      "aws_s3_bucket.other_bucket": "fail",
      "aws_s3_bucket.prefix_only": "fail",
    });
    const message = (name: string) => findingFor(findings, `aws_s3_bucket.${name}`).message;
    expect(message("extra_condition")).toMatch(/statement "Narrow" denies without TLS only where StringEquals:aws:SourceVpce also holds/);
    expect(message("extra_bool")).toMatch(/only where Bool:aws:MultiFactorAuthPresent also holds/);
    expect(message("bucket_only")).toMatch(
      /statement "BucketOnly" covers Resource "\$\{aws_s3_bucket\.bucket_only\.arn\}", not its objects \(<bucket ARN>\/\*\)/,
    );
    expect(message("objects_only")).toMatch(/covers Resource .*, not the bucket ARN$/);
    expect(message("other_bucket")).toMatch(/not the bucket ARN and its objects/);
    expect(message("prefix_only")).toMatch(/not its objects/);
  });

  it("fails buckets without such a statement", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_s3_bucket.allow_only": "fail",
      "aws_s3_bucket.wrong_action": "fail",
      "aws_s3_bucket.none": "fail",
    });
    expect(findingFor(findings, "aws_s3_bucket.wrong_action").message).toMatch(
      /no statement of aws_s3_bucket_policy\.wrong_action denies s3:\*/,
    );
    expect(findingFor(findings, "aws_s3_bucket.none").message).toMatch(/no bucket policy is attached/);
  });

  it("leaves a policy from a variable unresolved", () => {
    expect(findingFor(findings, "aws_s3_bucket.variable").message).toMatch(
      /^unresolved: aws_s3_bucket_policy\.variable: policy is .*var\.bucket_policy/,
    );
    expect(findingFor(findings, "aws_s3_bucket.resource_variable").message).toMatch(
      /^unresolved: .*denies without TLS on Resource .*var\.bucket_arn/,
    );
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

describe("the Resource pattern match of aws-s3-bucket-tls-only", () => {
  // The regular expression the rule built per entry before: `*` any run, `?` one character, the rest literal.
  const asRegex = (pattern: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, "[\\s\\S]*")
        .replace(/\?/g, "[\\s\\S]")}$`,
    );
  const chars = (alphabet: string) => fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((c) => c.join(""));

  it("matches exactly what that regular expression matched", () => {
    fc.assert(
      fc.property(chars("ab*?/.\n"), chars("ab/.\n"), (pattern, text) => globMatches(pattern, text) === asRegex(pattern).test(text)),
      { numRuns: 3000 },
    );
    expect(globMatches("arn:aws:s3:::b/*", "arn:aws:s3:::b/\u0002/\u0003\u0004")).toBe(true);
    expect(globMatches("arn:aws:s3:::b*", "arn:aws:s3:::c")).toBe(false);
    expect(globMatches("arn:aws:s3:::B", "arn:aws:s3:::b")).toBe(false);
  });
});
