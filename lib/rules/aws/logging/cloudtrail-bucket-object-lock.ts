import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { attached, describe, isTrue, valueAt } from "../../helpers";
import { trailBucket } from "./util";

export const cloudtrailBucketObjectLock: Rule = {
  id: "aws-cloudtrail-bucket-object-lock",
  title: "CloudTrail delivers to a bucket with a COMPLIANCE-mode Object Lock",
  requirements: ["AICP-AUDIT-02"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_cloudtrail"],
  checkov: ["CKV_AWS_143"],
  relations: {
    CKV_AWS_143: {
      relation: "partial",
      reason:
        "judges the bucket each trail delivers to, and requires COMPLIANCE-mode default retention; CKV_AWS_143 judges every bucket's Object Lock setting",
    },
  },
  remediation:
    "Deliver to a bucket with object_lock_enabled = true and an aws_s3_bucket_object_lock_configuration whose default retention mode is COMPLIANCE (AuditTrail's bucket has both).",
  examples: {
    good: [
      `
      resource "aws_s3_bucket" "audit" {
        bucket              = "platform-audit"
        object_lock_enabled = true
      }

      resource "aws_s3_bucket_object_lock_configuration" "audit" {
        bucket = aws_s3_bucket.audit.id
        rule {
          default_retention {
            mode = "COMPLIANCE"
            days = 365
          }
        }
      }

      resource "aws_cloudtrail" "org" {
        name           = "org"
        s3_bucket_name = aws_s3_bucket.audit.bucket
      }
    `,
    ],
    bad: [
      `
      resource "aws_s3_bucket" "audit" {
        bucket = "platform-audit"
      }

      resource "aws_cloudtrail" "org" {
        name           = "org"
        s3_bucket_name = aws_s3_bucket.audit.bucket
      }
    `,
    ],
  },
  check(trail) {
    const found = trailBucket(trail);
    return "status" in found ? found : judgeBucket(found.bucket);
  },
};

function judgeBucket(bucket: TfResource): Outcome {
  const configs = attached(bucket, "aws_s3_bucket_object_lock_configuration", "bucket", "bucket");
  // The deprecated inline object_lock_configuration block carries the same rule.
  const sources = configs.length > 0 ? configs.map((c) => ({ where: c.address, resource: c, path: "rule.default_retention.mode" })) : [];
  if (sources.length === 0 && valueAt(bucket, "object_lock_configuration").state !== "absent") {
    sources.push({
      where: `${bucket.address} inline object_lock_configuration`,
      resource: bucket,
      path: "object_lock_configuration.rule.default_retention.mode",
    });
  }
  if (sources.length === 0)
    return fail(
      `${bucket.address} has no Object Lock default retention (no aws_s3_bucket_object_lock_configuration), so log files can be deleted`,
    );
  // aws_s3_bucket_object_lock_configuration enables Object Lock on new and existing buckets; the inline block needs the bucket flag or its
  // own.
  if (configs.length === 0) {
    const flag = valueAt(bucket, "object_lock_enabled");
    const inlineFlag = valueAt(bucket, "object_lock_configuration.object_lock_enabled");
    if (!isTrue(flag) && !(inlineFlag.state === "known" && inlineFlag.value === "Enabled")) {
      if (flag.state === "unknown" || flag.state === "reference")
        return unresolved(`${bucket.address}: object_lock_enabled is ${describe(flag)}`);
      return fail(`${bucket.address} does not enable Object Lock: object_lock_enabled is ${describe(flag)}`);
    }
  }
  for (const { where, resource, path } of sources) {
    const mode = valueAt(resource, path);
    if (mode.state === "unknown" || mode.state === "reference") return unresolved(`${where}: ${path} is ${describe(mode)}`);
    if (!(mode.state === "known" && mode.value === "COMPLIANCE")) {
      return fail(
        `${where}: ${path} is ${describe(mode)}; only COMPLIANCE mode stops every user, root included, from deleting log files early`,
      );
    }
  }
  return pass(`log files land in ${bucket.address}, locked in COMPLIANCE mode by ${sources.map((s) => s.where).join(", ")}`);
}
