import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { attached, customerManagedKey, describe, valueAt } from "../../helpers";
import { combine, logBucket, whereOf } from "./util";

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

export const s3BucketCmkEncryption: Rule = {
  id: "aws-s3-bucket-cmk-encryption",
  title: "S3 buckets encrypt by default with a customer-managed KMS key",
  requirements: ["AICP-DATA-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_s3_bucket"],
  checkov: ["CKV_AWS_145"],
  trivy: ["AVD-AWS-0132"],
  relations: {
    CKV_AWS_145: {
      relation: "partial",
      reason:
        "fails aws:kms without a customer-managed kms_master_key_id, which CKV_AWS_145 passes; and passes a declared server access log bucket on SSE-S3, which CKV_AWS_145 fails, because S3 server access logging cannot deliver to SSE-KMS buckets; both read the inline block and a connected aws_s3_bucket_server_side_encryption_configuration",
    },
  },
  remediation:
    'Attach an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm aws:kms and a customer-managed kms_master_key_id (SecureBucket does); only a server access log bucket, declared by the tag saip:role = "access-logs" (AccessLogBucket sets it), may keep the AES256 that log delivery requires.',
  examples: {
    good: [
      `
      resource "aws_kms_key" "models" {
        enable_key_rotation = true
      }

      resource "aws_s3_bucket" "models" {
        bucket = "platform-models"
      }

      resource "aws_s3_bucket_server_side_encryption_configuration" "models" {
        bucket = aws_s3_bucket.models.id
        rule {
          bucket_key_enabled = true
          apply_server_side_encryption_by_default {
            sse_algorithm     = "aws:kms"
            kms_master_key_id = aws_kms_key.models.arn
          }
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_s3_bucket" "models" {
        bucket = "platform-models"
      }

      resource "aws_s3_bucket_server_side_encryption_configuration" "models" {
        bucket = aws_s3_bucket.models.id
        rule {
          apply_server_side_encryption_by_default {
            sse_algorithm = "AES256"
          }
        }
      }
    `,
    ],
  },
  check(bucket) {
    const configs = attached(bucket, "aws_s3_bucket_server_side_encryption_configuration", "bucket", "bucket");
    const inline = valueAt(bucket, "server_side_encryption_configuration").state === "absent" ? [] : [bucket];
    // The separate resource overrides the deprecated inline block when both are present.
    const sources = configs.length > 0 ? configs : inline;
    const log = logBucket(bucket);
    // S3 server access logging cannot deliver to a bucket whose default encryption is SSE-KMS.
    const accepted = log.exempt ? `${log.why}, and S3 server access logging cannot deliver to SSE-KMS buckets` : undefined;
    const refused = log.why && !log.exempt ? `; ${log.why}` : "";
    if (sources.length === 0) {
      if (accepted) return pass(`no default encryption is configured, so S3 uses SSE-S3 (AES256), accepted because ${accepted}`);
      return fail(
        `no aws_s3_bucket_server_side_encryption_configuration is attached, so S3 encrypts with SSE-S3 (AES256), not a customer-managed key${refused}`,
      );
    }
    return combine(sources.map((source) => judge(source, bucket, accepted, refused)));
  },
};

function judge(source: TfResource, bucket: TfResource, accepted: string | undefined, refused: string): Outcome {
  const prefix = source === bucket ? "server_side_encryption_configuration." : "";
  const where = whereOf(source, bucket, "server_side_encryption_configuration");
  const path = `${prefix}rule.apply_server_side_encryption_by_default`;
  const algorithm = valueAt(source, `${path}.sse_algorithm`);
  if (algorithm.state === "unknown" || algorithm.state === "reference")
    return unresolved(`${where}: ${path}.sse_algorithm is ${describe(algorithm)}`);
  const text = algorithm.state === "known" ? String(algorithm.value) : "";
  if (KMS_ALGORITHMS.includes(text)) {
    if (valueAt(source, `${path}.kms_master_key_id`).state === "absent")
      return fail(`${where}: ${path}.kms_master_key_id is not set, so the AWS managed key aws/s3 encrypts objects`);
    const key = customerManagedKey(source, `${path}.kms_master_key_id`);
    return { ...key, message: `${where}: ${key.message}` };
  }
  if (text === "AES256" && accepted) return pass(`${where} uses SSE-S3 (AES256), accepted because ${accepted}`);
  return fail(`${where}: ${path}.sse_algorithm is ${describe(algorithm)}, not aws:kms with a customer-managed key${refused}`);
}
