import { s3BucketCmkEncryption as rule } from "../../../../lib/rules/aws/s3/s3-bucket-cmk-encryption";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const sse = (bucket: string, byDefault: object, asList = false) => ({
  bucket,
  rule: asList ? [{ apply_server_side_encryption_by_default: [byDefault] }] : { apply_server_side_encryption_by_default: byDefault },
});

describe("aws-s3-bucket-cmk-encryption", () => {
  const findings = checkJson(rule, {
    resource: {
      aws_kms_key: { k: { enable_key_rotation: true } },
      aws_s3_bucket: {
        cmk: {},
        named: { bucket: "named-bucket" },
        dsse: {},
        aws_managed: {},
        no_key: {},
        aes: {},
        none: {},
        variable: {},
        inline: {
          server_side_encryption_configuration: {
            rule: { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.k.arn}" } },
          },
        },
        logs: { tags: { "saip:role": "access-logs" } },
        logs_default: { tags: { "saip:role": "access-logs", team: "sec" } },
        // Targets of a logging resource without the role tag: the loophole of exempting any bucket a logging resource points at.
        datasets: { tags: { Purpose: "datasets" } },
        datasets_default: {},
      },
      aws_s3_bucket_server_side_encryption_configuration: {
        cmk: sse("${aws_s3_bucket.cmk.id}", { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.k.arn}" }),
        named: sse("named-bucket", { sse_algorithm: "aws:kms", kms_master_key_id: "arn:aws:kms:eu-west-1:111122223333:key/1234" }, true),
        dsse: sse("${aws_s3_bucket.dsse.bucket}", { sse_algorithm: "aws:kms:dsse", kms_master_key_id: "${aws_kms_key.k.id}" }),
        aws_managed: sse("${aws_s3_bucket.aws_managed.id}", { sse_algorithm: "aws:kms", kms_master_key_id: "alias/aws/s3" }),
        no_key: sse("${aws_s3_bucket.no_key.id}", { sse_algorithm: "aws:kms" }, true),
        aes: sse("${aws_s3_bucket.aes.id}", { sse_algorithm: "AES256" }),
        variable: sse("${aws_s3_bucket.variable.id}", { sse_algorithm: "aws:kms", kms_master_key_id: "${var.key_arn}" }),
        logs: sse("${aws_s3_bucket.logs.id}", { sse_algorithm: "AES256" }),
        datasets: sse("${aws_s3_bucket.datasets.id}", { sse_algorithm: "AES256" }, true),
      },
      aws_s3_bucket_logging: {
        cmk: { bucket: "${aws_s3_bucket.cmk.id}", target_bucket: "${aws_s3_bucket.logs.bucket}", target_prefix: "cmk/" },
        named: { bucket: "named-bucket", target_bucket: "${aws_s3_bucket.logs_default.id}", target_prefix: "named/" },
        aes: { bucket: "${aws_s3_bucket.aes.id}", target_bucket: "${aws_s3_bucket.aes.id}", target_prefix: "self/" },
        into_datasets: { bucket: "${aws_s3_bucket.dsse.id}", target_bucket: "${aws_s3_bucket.datasets.bucket}", target_prefix: "d/" },
        into_datasets_default: {
          bucket: "${aws_s3_bucket.dsse.id}",
          target_bucket: "${aws_s3_bucket.datasets_default.id}",
          target_prefix: "d/",
        },
      },
    },
  });

  it("passes customer-managed keys, by reference, by name, inline, object or list blocks", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_s3_bucket.cmk": "pass",
      "aws_s3_bucket.named": "pass",
      "aws_s3_bucket.dsse": "pass",
      "aws_s3_bucket.inline": "pass",
    });
    expect(findingFor(findings, "aws_s3_bucket.cmk").message).toMatch(
      /aws_s3_bucket_server_side_encryption_configuration\.cmk: encrypted with the customer-managed key aws_kms_key\.k/,
    );
    expect(findingFor(findings, "aws_s3_bucket.inline").message).toMatch(/inline server_side_encryption_configuration/);
  });

  it("fails AWS-managed keys, SSE-S3 and missing configuration", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_s3_bucket.aws_managed": "fail",
      "aws_s3_bucket.no_key": "fail",
      "aws_s3_bucket.aes": "fail",
      "aws_s3_bucket.none": "fail",
    });
    expect(findingFor(findings, "aws_s3_bucket.aws_managed").message).toMatch(/alias\/aws\/s3/);
    expect(findingFor(findings, "aws_s3_bucket.no_key").message).toMatch(/kms_master_key_id is not set, so the AWS managed key aws\/s3/);
    expect(findingFor(findings, "aws_s3_bucket.aes").message).toMatch(/sse_algorithm is "AES256"/);
    expect(findingFor(findings, "aws_s3_bucket.none").message).toMatch(/no aws_s3_bucket_server_side_encryption_configuration/);
  });

  it("accepts SSE-S3 on server access log buckets and says why, but not on a bucket logging to itself", () => {
    expect(findingFor(findings, "aws_s3_bucket.logs").status).toBe("pass");
    expect(findingFor(findings, "aws_s3_bucket.logs").message).toMatch(
      /AES256.*receives server access logs from aws_s3_bucket_logging\.cmk.*cannot deliver to SSE-KMS/,
    );
    expect(findingFor(findings, "aws_s3_bucket.logs_default").status).toBe("pass");
    expect(findingFor(findings, "aws_s3_bucket.logs_default").message).toMatch(
      /no default encryption is configured.*aws_s3_bucket_logging\.named/,
    );
  });

  it("does not accept SSE-S3 on a logging target that is not tagged saip:role = access-logs", () => {
    expect(statuses(findings)).toMatchObject({ "aws_s3_bucket.datasets": "fail", "aws_s3_bucket.datasets_default": "fail" });
    expect(findingFor(findings, "aws_s3_bucket.datasets").message).toMatch(
      /sse_algorithm is "AES256", not aws:kms with a customer-managed key; it receives server access logs from aws_s3_bucket_logging\.into_datasets but is not declared a log bucket \(tag saip:role = "access-logs" in tags\)/,
    );
    expect(findingFor(findings, "aws_s3_bucket.datasets_default").message).toMatch(
      /^no aws_s3_bucket_server_side_encryption_configuration is attached.*not declared a log bucket/,
    );
  });

  it("leaves a key from a variable unresolved", () => {
    expect(findingFor(findings, "aws_s3_bucket.variable").message).toMatch(/^unresolved: .*var\.key_arn/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_kms_key" "k" {}
       resource "aws_s3_bucket" "good" {}
       resource "aws_s3_bucket_server_side_encryption_configuration" "good" {
         bucket = aws_s3_bucket.good.id
         rule {
           apply_server_side_encryption_by_default {
             sse_algorithm     = "aws:kms"
             kms_master_key_id = aws_kms_key.k.arn
           }
         }
       }
       resource "aws_s3_bucket" "plain" {}
       resource "aws_s3_bucket_server_side_encryption_configuration" "plain" {
         bucket = aws_s3_bucket.plain.id
         rule {
           apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
         }
       }
       resource "aws_s3_bucket" "logs" {
         tags = { "saip:role" = "access-logs" }
       }
       resource "aws_s3_bucket_logging" "good" {
         bucket        = aws_s3_bucket.good.id
         target_bucket = aws_s3_bucket.logs.id
       }
       resource "aws_s3_bucket_logging" "good_to_plain" {
         bucket        = aws_s3_bucket.good.id
         target_bucket = aws_s3_bucket.plain.id
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_s3_bucket.good": "pass", "aws_s3_bucket.plain": "fail", "aws_s3_bucket.logs": "pass" });
    expect(findingFor(hcl, "aws_s3_bucket.plain").message).toMatch(
      /receives server access logs from aws_s3_bucket_logging\.good_to_plain but is not declared a log bucket/,
    );
  });
});
