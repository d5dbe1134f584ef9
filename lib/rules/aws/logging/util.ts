import { Outcome, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { describe, valueAt } from "../../helpers";

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

