import { Outcome, unresolved } from "../../../compliance/rule";
import { isObject, TfModule, TfResource } from "../../../terraform/model";
import { asNumber, describe, valueAt } from "../../helpers";

/** The bucket in the module that `s3_bucket_name` names, by reference or by literal name. */
export function trailBucket(trail: TfResource): { bucket: TfResource } | Outcome {
  const name = valueAt(trail, "s3_bucket_name");
  if (name.state === "reference") {
    if (name.target.type === "aws_s3_bucket") return { bucket: name.target };
    return unresolved(`s3_bucket_name refers to ${name.target.address}, which is not an aws_s3_bucket`);
  }
  if (name.state === "known" && typeof name.value === "string" && name.value.indexOf("${") < 0) {
    const bucket = trail.module.ofType("aws_s3_bucket").find((b) => valueAt(b, "bucket").state === "known" && b.body.bucket === name.value);
    if (bucket) return { bucket };
    return unresolved(`s3_bucket_name is ${describe(name)}, a bucket outside this module, which cannot be checked`);
  }
  return unresolved(`s3_bucket_name is ${describe(name)}`);
}

/**
 * Tag on log groups that hold workload logs (container logs, inference
 * records): they are evidence of what ran, so the retention rule holds them to
 * the audit trail's retention, not only to the one-year floor.
 */
export const WORKLOAD_LOG_TAG = { key: "saip:log-kind", value: "workload" } as const;

/** Whether a log group declares itself a workload log group with WORKLOAD_LOG_TAG. */
export function isWorkloadLogGroup(group: TfResource): boolean {
  const tags = valueAt(group, "tags");
  return tags.state === "known" && isObject(tags.value) && tags.value[WORKLOAD_LOG_TAG.key] === WORKLOAD_LOG_TAG.value;
}

/** Days a log group keeps events, Infinity for never expiring (unset or 0); undefined when not known. */
export function retentionDays(group: TfResource): number | undefined {
  const value = valueAt(group, "retention_in_days");
  if (value.state === "absent") return Infinity;
  const days = asNumber(value);
  return days === 0 ? Infinity : days;
}

const TRAIL_GROUP = /\$\{aws_cloudwatch_log_group\.([\w-]+)\.arn\}/;

/** The log groups the module's trails copy events to (`cloud_watch_logs_group_arn`, by reference), with their retention. */
export function auditTrailRetention(module: TfModule): { group: TfResource; days: number } | undefined {
  let longest: { group: TfResource; days: number } | undefined;
  for (const trail of module.ofType("aws_cloudtrail")) {
    const arn = trail.body.cloud_watch_logs_group_arn;
    const match = typeof arn === "string" ? TRAIL_GROUP.exec(arn) : null;
    const group = match ? module.get(`aws_cloudwatch_log_group.${match[1]}`) : undefined;
    const days = group ? retentionDays(group) : undefined;
    if (group && days !== undefined && (!longest || days > longest.days)) longest = { group, days };
  }
  return longest;
}
