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
  appliesTo: ["aws_s3_bucket"],
  checkov: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
  trivy: ["AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093"],
  remediation: "Attach an aws_s3_bucket_public_access_block with all four flags true (SecureBucket and AccessLogBucket do).",
  check(bucket) {
    const blocks = attached(bucket, "aws_s3_bucket_public_access_block", "bucket", "bucket");
    if (blocks.length === 0) return fail(`no aws_s3_bucket_public_access_block is attached, so none of ${FLAGS.join(", ")} is on`);
    return combine(blocks.map(judge));
  },
};

function judge(block: TfResource): Outcome {
  const values = FLAGS.map((flag) => ({ flag, value: valueAt(block, flag) }));
  const open = values.filter(({ value }) => value.state === "absent" || (value.state === "known" && !isTrue(value)));
  // Each flag defaults to false.
  if (open.length > 0) return fail(`${block.address} leaves ${open.map(({ flag, value }) => `${flag} ${describe(value)}`).join(", ")}: all four flags must be true`);
  const unknown = values.find(({ value }) => !isTrue(value));
  if (unknown) return unresolved(`${block.address}: ${unknown.flag} is ${describe(unknown.value)}`);
  return pass(`${block.address} sets all four flags true`);
}
