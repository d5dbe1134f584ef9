import { Outcome, pass } from "../../../compliance/rule";
import { Json, TfResource } from "../../../terraform/model";
import { attached, blocksOf, resolve, valueAt } from "../../helpers";

/** Policies that govern a bucket: attached aws_s3_bucket_policy resources and the deprecated inline `policy`. */
export function bucketPolicySources(bucket: TfResource): TfResource[] {
  const inline = valueAt(bucket, "policy").state === "absent" ? [] : [bucket];
  return [...inline, ...attached(bucket, "aws_s3_bucket_policy", "bucket", "bucket")];
}

/** Whether `value`, read in `from`, names `bucket`: a reference to it or its literal name. */
export function namesBucket(from: TfResource, value: Json | undefined, bucket: TfResource): boolean {
  const resolved = resolve(from, value);
  if (resolved.state === "reference") return resolved.target === bucket;
  if (resolved.state !== "known" || typeof resolved.value !== "string") return false;
  const name = valueAt(bucket, "bucket");
  return name.state === "known" && name.value === resolved.value;
}

/**
 * What delivers other buckets' server access logs to `bucket`: aws_s3_bucket_logging
 * resources and buckets with an inline `logging` block whose target_bucket it is.
 */
export function logDeliveriesTo(bucket: TfResource): TfResource[] {
  const separate = attached(bucket, "aws_s3_bucket_logging", "target_bucket", "bucket").filter((l) => !namesBucket(l, l.body.bucket, bucket));
  // Buckets with an inline logging block are few; find them once per module, not once per bucket.
  const loggers = bucket.module.cached("s3:inline-logging", (m) => m.ofType("aws_s3_bucket").filter((b) => blocksOf(b.body.logging).length > 0));
  const inline = loggers.filter((other) => other !== bucket && blocksOf(other.body.logging).some((b) => namesBucket(other, b.target_bucket, bucket)));
  return [...separate, ...inline];
}

/** Where a setting was read, for messages: the resource, or the bucket's inline block. */
export const whereOf = (resource: TfResource, bucket: TfResource, inlineBlock: string): string =>
  resource === bucket ? `the inline ${inlineBlock} block` : resource.address;

/** Several configurations of one bucket: any failure fails, else any unresolved, else all passed. */
export function combine(outcomes: readonly Outcome[]): Outcome {
  const failed = outcomes.find((o) => o.status === "fail") ?? outcomes.find((o) => o.status === "unresolved");
  return failed ?? pass(outcomes.map((o) => o.message).join("; "));
}
