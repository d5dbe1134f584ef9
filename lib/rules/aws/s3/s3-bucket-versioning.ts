import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { attached, describe, valueAt } from "../../helpers";

export const s3BucketVersioning: Rule = {
  id: "aws-s3-bucket-versioning",
  title: "S3 buckets keep object versions",
  requirements: ["AICP-DATA-05"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_s3_bucket"],
  checkov: ["CKV_AWS_21"],
  trivy: ["AVD-AWS-0090"],
  relations: {
    CKV_AWS_21: {
      relation: "equivalent",
      reason:
        "both pass an inline versioning.enabled = true or a connected aws_s3_bucket_versioning with status Enabled; a status not known before apply is unresolved here",
    },
  },
  remediation: 'Add an aws_s3_bucket_versioning with versioning_configuration.status = "Enabled" for the bucket (SecureBucket does).',
  examples: {
    good: [
      `
      resource "aws_s3_bucket" "models" {
        bucket = "platform-models"
      }

      resource "aws_s3_bucket_versioning" "models" {
        bucket = aws_s3_bucket.models.id
        versioning_configuration {
          status = "Enabled"
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_s3_bucket" "models" {
        bucket = "platform-models"
      }

      resource "aws_s3_bucket_versioning" "models" {
        bucket = aws_s3_bucket.models.id
        versioning_configuration {
          status = "Suspended"
        }
      }
    `,
    ],
  },
  check(bucket) {
    // The inline `versioning` block is deprecated but still honoured by the provider.
    const inline = valueAt(bucket, "versioning.enabled");
    if (inline.state === "known" && (inline.value === true || inline.value === "true")) return pass("versioning is enabled inline");
    const configs = attached(bucket, "aws_s3_bucket_versioning", "bucket", "bucket");
    if (configs.length === 0) return fail("no aws_s3_bucket_versioning is attached to the bucket");
    for (const config of configs) {
      const status = valueAt(config, "versioning_configuration.status");
      if (status.state === "known" && status.value === "Enabled") return pass(`versioning is enabled by ${config.address}`);
      if (status.state === "unknown" || status.state === "reference")
        return unresolved(`${config.address} sets status to ${describe(status)}`);
    }
    return fail(
      `versioning is not enabled: ${configs.map((c) => `${c.address} sets status ${describe(valueAt(c, "versioning_configuration.status"))}`).join(", ")}`,
    );
  },
};
