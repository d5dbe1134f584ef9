import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { attached, describe, valueAt } from "../../helpers";
import { combine } from "./util";

export const s3BucketOwnershipEnforced: Rule = {
  id: "aws-s3-bucket-ownership-enforced",
  title: "S3 buckets disable ACLs with BucketOwnerEnforced object ownership",
  requirements: ["AICP-DATA-04"],
  severity: "recommended",
  waivable: true,
  appliesTo: ["aws_s3_bucket"],
  remediation:
    'Attach an aws_s3_bucket_ownership_controls with rule.object_ownership = "BucketOwnerEnforced" (SecureBucket and AccessLogBucket do).',
  examples: {
    good: [
      `
      resource "aws_s3_bucket" "models" {
        bucket = "platform-models"
      }

      resource "aws_s3_bucket_ownership_controls" "models" {
        bucket = aws_s3_bucket.models.id
        rule {
          object_ownership = "BucketOwnerEnforced"
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_s3_bucket" "models" {
        bucket = "platform-models"
      }

      resource "aws_s3_bucket_ownership_controls" "models" {
        bucket = aws_s3_bucket.models.id
        rule {
          object_ownership = "ObjectWriter"
        }
      }
    `,
    ],
  },
  check(bucket) {
    const controls = attached(bucket, "aws_s3_bucket_ownership_controls", "bucket", "bucket");
    // New buckets default to BucketOwnerEnforced, but existing and imported ones may not: only explicit configuration is evidence.
    if (controls.length === 0) return fail("no aws_s3_bucket_ownership_controls is attached, so the configuration does not pin ACLs off");
    return combine(controls.map(judge));
  },
};

function judge(controls: TfResource): Outcome {
  const value = valueAt(controls, "rule.object_ownership");
  if (value.state === "unknown" || value.state === "reference")
    return unresolved(`${controls.address}: rule.object_ownership is ${describe(value)}`);
  if (value.state === "known" && value.value === "BucketOwnerEnforced")
    return pass(`${controls.address} sets rule.object_ownership "BucketOwnerEnforced": ACLs are disabled`);
  return fail(`${controls.address} sets rule.object_ownership ${describe(value)}, so ACLs still grant access`);
}
