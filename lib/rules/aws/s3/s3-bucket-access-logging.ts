import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { Json, TfResource } from "../../../terraform/model";
import { attached, blocksOf, describe, resolve } from "../../helpers";
import { combine, logBucket, namesBucket, whereOf } from "./util";

export const s3BucketAccessLogging: Rule = {
  id: "aws-s3-bucket-access-logging",
  title: "S3 buckets write server access logs to a log bucket",
  requirements: ["AICP-AUDIT-04"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_s3_bucket"],
  checkov: ["CKV_AWS_18"],
  trivy: ["AVD-AWS-0089"],
  relations: {
    CKV_AWS_18: {
      relation: "partial",
      reason:
        "fails logging without a target_bucket or into the bucket itself, which CKV_AWS_18 passes (it asks only that logging exists); and passes a declared log bucket that receives other buckets' logs, which CKV_AWS_18 fails, because a log bucket logging its own access writes a record per record",
    },
  },
  remediation:
    'Attach an aws_s3_bucket_logging whose target_bucket is a dedicated log bucket (SecureBucket logs to an AccessLogBucket); a bucket that receives access logs is exempt once declared a log bucket by the tag saip:role = "access-logs" in its tags (AccessLogBucket sets it).',
  examples: {
    good: [
      `
      resource "aws_s3_bucket" "models" {
        bucket = "platform-models"
      }

      resource "aws_s3_bucket" "access_logs" {
        bucket = "platform-access-logs"
        tags   = { "saip:role" = "access-logs" }
      }

      resource "aws_s3_bucket_logging" "models" {
        bucket        = aws_s3_bucket.models.id
        target_bucket = aws_s3_bucket.access_logs.id
        target_prefix = "models/"
      }
    `,
    ],
    bad: [
      `
      resource "aws_s3_bucket" "models" {
        bucket = "platform-models"
      }
    `,
    ],
  },
  check(bucket) {
    const configs: Array<{ source: TfResource; target: Json | undefined }> = [
      ...attached(bucket, "aws_s3_bucket_logging", "bucket", "bucket").map((source) => ({ source, target: source.body.target_bucket })),
      ...blocksOf(bucket.body.logging).map((block) => ({ source: bucket, target: block.target_bucket })),
    ];
    if (configs.length > 0) return combine(configs.map(({ source, target }) => judge(bucket, source, target)));
    const log = logBucket(bucket);
    // A log bucket that logged its own access would write a record for every record.
    if (log.exempt) return pass(`exempt: ${log.why}, and a log bucket does not log to itself`);
    return fail(
      `no aws_s3_bucket_logging is attached and no inline logging block is set, so object access is not logged${log.why ? `; ${log.why}` : ""}`,
    );
  },
};

function judge(bucket: TfResource, source: TfResource, target: Json | undefined): Outcome {
  const where = whereOf(source, bucket, "logging");
  const value = resolve(source, target);
  if (value.state === "absent" || (value.state === "known" && value.value === "")) return fail(`${where} sets no target_bucket`);
  if (value.state === "unknown") return unresolved(`${where}: target_bucket is ${describe(value)}; cannot tell where the logs go`);
  // Logging into the bucket itself writes a log record for every log record.
  if (namesBucket(source, target, bucket)) return fail(`${where} delivers the bucket's access logs to the bucket itself`);
  return pass(`server access logs go to ${describe(value)} (${where})`);
}
