import { Outcome, pass } from "../../../compliance/rule";
import { isObject, Json, TfResource } from "../../../terraform/model";
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
  const separate = attached(bucket, "aws_s3_bucket_logging", "target_bucket", "bucket").filter(
    (l) => !namesBucket(l, l.body.bucket, bucket),
  );
  // Buckets with an inline logging block are few; find them once per module, not once per bucket.
  const loggers = bucket.module.cached("s3:inline-logging", (m) =>
    m.ofType("aws_s3_bucket").filter((b) => blocksOf(b.body.logging).length > 0),
  );
  const inline = loggers.filter(
    (other) => other !== bucket && blocksOf(other.body.logging).some((b) => namesBucket(other, b.target_bucket, bucket)),
  );
  return [...separate, ...inline];
}

/** The tag by which a bucket declares itself a server access log bucket (AccessLogBucket sets it). */
export const LOG_BUCKET_TAG = { key: "saip:role", value: "access-logs" } as const;
const TAG_TEXT = `tag ${LOG_BUCKET_TAG.key} = "${LOG_BUCKET_TAG.value}"`;

/**
 * Whether a bucket is an exempt log bucket: it receives other buckets' server
 * access logs AND declares itself one with the literal tag in `tags`. Either
 * alone is not enough: one aws_s3_bucket_logging pointed at a data bucket
 * must not exempt it. `why` says which holds, for messages.
 */
export function logBucket(bucket: TfResource): { exempt: boolean; why?: string } {
  const deliveries = logDeliveriesTo(bucket);
  if (deliveries.length === 0) return { exempt: false };
  const from = `receives server access logs from ${deliveries.map((d) => d.address).join(", ")}`;
  const tags = valueAt(bucket, "tags");
  const declared = tags.state === "known" && isObject(tags.value) && tags.value[LOG_BUCKET_TAG.key] === LOG_BUCKET_TAG.value;
  if (declared) return { exempt: true, why: `it is declared a log bucket (${TAG_TEXT}) and ${from}` };
  return { exempt: false, why: `it ${from} but is not declared a log bucket (${TAG_TEXT} in tags), so it is not exempt` };
}

/** Where a setting was read, for messages: the resource, or the bucket's inline block. */
export const whereOf = (resource: TfResource, bucket: TfResource, inlineBlock: string): string =>
  resource === bucket ? `the inline ${inlineBlock} block` : resource.address;

/** Several configurations of one bucket: any failure fails, else any unresolved, else all passed. */
export function combine(outcomes: readonly Outcome[]): Outcome {
  const failed = outcomes.find((o) => o.status === "fail") ?? outcomes.find((o) => o.status === "unresolved");
  return failed ?? pass(outcomes.map((o) => o.message).join("; "));
}
