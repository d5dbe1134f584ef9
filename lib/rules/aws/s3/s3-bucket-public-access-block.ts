import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { attached, describe, isTrue, valueAt } from "../../helpers";
import { combine } from "./util";

const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

export const s3BucketPublicAccessBlock: Rule = {
  id: "aws-s3-bucket-public-access-block",
  title: "S3 buckets block public ACLs and policies with all four flags",
  requirements: ["AICP-DATA-04"],
  severity: "mandatory",
  waivable: false,
  // The flags are judged on the block that holds them, as Checkov's CKV_AWS_53 to 56 do;
  // the bucket is judged on having a block with all four (Checkov's CKV2_AWS_6).
  appliesTo: ["aws_s3_bucket_public_access_block", "aws_s3_bucket"],
  checkov: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6"],
  trivy: ["AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093"],
  remediation: "Attach an aws_s3_bucket_public_access_block with all four flags true (SecureBucket and AccessLogBucket do).",
  relations: {
    CKV_AWS_53: {
      relation: "stricter",
      reason: "one finding for all four flags: a block fails here when any flag is not true, CKV_AWS_53 only when block_public_acls is not",
    },
    CKV_AWS_54: {
      relation: "stricter",
      reason:
        "one finding for all four flags: a block fails here when any flag is not true, CKV_AWS_54 only when block_public_policy is not",
    },
    CKV_AWS_55: {
      relation: "stricter",
      reason:
        "one finding for all four flags: a block fails here when any flag is not true, CKV_AWS_55 only when ignore_public_acls is not",
    },
    CKV_AWS_56: {
      relation: "stricter",
      reason:
        "one finding for all four flags: a block fails here when any flag is not true, CKV_AWS_56 only when restrict_public_buckets is not",
    },
    CKV2_AWS_6: {
      relation: "stricter",
      reason: "the bucket fails without an attached block, as in CKV2_AWS_6, and also when its block leaves any of the four flags false",
    },
  },
  examples: {
    good: [
      `
      resource "aws_s3_bucket" "models" {
        bucket = "platform-models"
      }

      resource "aws_s3_bucket_public_access_block" "models" {
        bucket                  = aws_s3_bucket.models.id
        block_public_acls       = true
        block_public_policy     = true
        ignore_public_acls      = true
        restrict_public_buckets = true
      }
    `,
    ],
    bad: [
      `
      resource "aws_s3_bucket" "models" {
        bucket = "platform-models"
      }

      resource "aws_s3_bucket_public_access_block" "models" {
        bucket             = aws_s3_bucket.models.id
        block_public_acls  = true
        ignore_public_acls = true
      }
    `,
    ],
  },
  check(resource) {
    if (resource.type === "aws_s3_bucket_public_access_block") return judge(resource);
    const bucket = resource;
    const blocks = attached(bucket, "aws_s3_bucket_public_access_block", "bucket", "bucket");
    if (blocks.length === 0) return fail(`no aws_s3_bucket_public_access_block is attached, so none of ${FLAGS.join(", ")} is on`);
    return combine(blocks.map(judge));
  },
};

function judge(block: TfResource): Outcome {
  const values = FLAGS.map((flag) => ({ flag, value: valueAt(block, flag) }));
  const open = values.filter(({ value }) => value.state === "absent" || (value.state === "known" && !isTrue(value)));
  // Each flag defaults to false.
  if (open.length > 0)
    return fail(
      `${block.address} leaves ${open.map(({ flag, value }) => `${flag} ${describe(value)}`).join(", ")}: all four flags must be true`,
    );
  const unknown = values.find(({ value }) => !isTrue(value));
  if (unknown) return unresolved(`${block.address}: ${unknown.flag} is ${describe(unknown.value)}`);
  return pass(`${block.address} sets all four flags true`);
}
