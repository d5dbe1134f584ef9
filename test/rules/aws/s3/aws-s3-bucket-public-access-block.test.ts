import { s3BucketPublicAccessBlock as rule } from "../../../../lib/rules/aws/s3/s3-bucket-public-access-block";
import { Waiver } from "../../../../lib/compliance/waivers";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const ALL = { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };

describe("aws-s3-bucket-public-access-block", () => {
  const doc = {
    resource: {
      aws_s3_bucket: { all: {}, named: { bucket: "named-bucket" }, partial: {}, none: {}, variable: {} },
      aws_s3_bucket_public_access_block: {
        all: { bucket: "${aws_s3_bucket.all.id}", ...ALL },
        named: { bucket: "named-bucket", ...ALL, ignore_public_acls: "true" },
        partial: { bucket: "${aws_s3_bucket.partial.id}", block_public_acls: true, block_public_policy: false, ignore_public_acls: true },
        variable: { bucket: "${aws_s3_bucket.variable.id}", ...ALL, restrict_public_buckets: "${var.restrict}" },
      },
    },
  };

  it("passes only when all four flags are true, and lists the flags that are not", () => {
    const findings = checkJson(rule, doc);
    expect(statuses(findings)).toEqual({
      "aws_s3_bucket_public_access_block.all": "pass",
      "aws_s3_bucket_public_access_block.named": "pass",
      "aws_s3_bucket_public_access_block.partial": "fail",
      "aws_s3_bucket_public_access_block.variable": "fail",
      "aws_s3_bucket.all": "pass",
      "aws_s3_bucket.named": "pass",
      "aws_s3_bucket.partial": "fail",
      "aws_s3_bucket.none": "fail",
      "aws_s3_bucket.variable": "fail",
    });
    // The block holds the flags and gets its own finding, as Checkov's CKV_AWS_53 to 56 give it; the bucket's repeats it.
    expect(findingFor(findings, "aws_s3_bucket_public_access_block.partial").message).toBe(
      findingFor(findings, "aws_s3_bucket.partial").message,
    );
    const partial = findingFor(findings, "aws_s3_bucket.partial").message;
    expect(partial).toMatch(/block_public_policy false, restrict_public_buckets not set/);
    expect(partial).not.toMatch(/block_public_acls|ignore_public_acls/);
    expect(findingFor(findings, "aws_s3_bucket.none").message).toMatch(/no aws_s3_bucket_public_access_block/);
    expect(findingFor(findings, "aws_s3_bucket.variable").message).toMatch(/^unresolved: .*restrict_public_buckets .*var\.restrict/);
  });

  it("finds a block attached through the bucket policy's id, which the provider sets to the bucket's name", () => {
    // terraform-aws-modules/s3-bucket orders its public access block after the policy this way.
    const findings = checkJson(rule, {
      resource: {
        aws_s3_bucket: { chained: {} },
        aws_s3_bucket_policy: { chained: { bucket: "${aws_s3_bucket.chained.id}", policy: "{}" } },
        aws_s3_bucket_public_access_block: { chained: { bucket: "${aws_s3_bucket_policy.chained.id}", ...ALL } },
      },
    });
    expect(findingFor(findings, "aws_s3_bucket.chained")).toMatchObject({
      status: "pass",
      message: "aws_s3_bucket_public_access_block.chained sets all four flags true",
    });
  });

  it("cannot be waived: a waiver for it is refused, naming the waiver", () => {
    const waiver: Waiver = {
      rule: rule.id,
      resource: "aws_s3_bucket.partial",
      reason: "public website bucket for docs",
      owner: "web-team",
      expires: "2999-01-01",
      origin: "waivers.yaml",
    };
    expect(() => checkJson(rule, doc, [waiver])).toThrow(
      `waivers.yaml: the waiver for ${rule.id} on aws_s3_bucket.partial: rule ${rule.id} cannot be waived`,
    );
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_s3_bucket" "good" {}
       resource "aws_s3_bucket_public_access_block" "good" {
         bucket                  = aws_s3_bucket.good.id
         block_public_acls       = true
         block_public_policy     = true
         ignore_public_acls      = true
         restrict_public_buckets = true
       }
       resource "aws_s3_bucket" "open" {}
       resource "aws_s3_bucket_public_access_block" "open" {
         bucket            = aws_s3_bucket.open.id
         block_public_acls = true
       }`,
    );
    expect(statuses(hcl)).toEqual({
      "aws_s3_bucket.good": "pass",
      "aws_s3_bucket.open": "fail",
      "aws_s3_bucket_public_access_block.good": "pass",
      "aws_s3_bucket_public_access_block.open": "fail",
    });
    expect(findingFor(hcl, "aws_s3_bucket.open").message).toMatch(
      /block_public_policy not set, ignore_public_acls not set, restrict_public_buckets not set/,
    );
  });
});
