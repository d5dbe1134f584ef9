import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { describe, firstBlock, isTrue, resolve } from "../../helpers";
import { loadBalancerType } from "./util";

export const lbAccessLogs: Rule = {
  id: "aws-lb-access-logs",
  title: "Load balancers write access logs to a bucket",
  requirements: ["AICP-AUDIT-04"],
  severity: "recommended",
  waivable: true,
  appliesTo: ["aws_lb", "aws_alb"],
  checkov: ["CKV_AWS_91"],
  relations: {
    CKV_AWS_91: {
      relation: "partial",
      reason:
        "does not judge Gateway Load Balancers, which have no access logs and which CKV_AWS_91 fails; also fails access_logs.enabled = true without a bucket, which CKV_AWS_91 passes",
    },
  },
  remediation:
    "Add access_logs { bucket = <log bucket>, enabled = true } and a bucket policy that lets Elastic Load Balancing write (InferenceEntry does, with AccessLogBucket.allowLoadBalancerLogs).",
  // Gateway Load Balancers have no access logs.
  examples: {
    good: [
      `
      resource "aws_lb" "inference" {
        name               = "inference"
        load_balancer_type = "application"
        internal           = true
        subnets            = ["subnet-0a1b2c3d", "subnet-1a2b3c4d"]
        access_logs {
          enabled = true
          bucket  = "platform-lb-logs"
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_lb" "inference" {
        name               = "inference"
        load_balancer_type = "application"
        internal           = true
        subnets            = ["subnet-0a1b2c3d", "subnet-1a2b3c4d"]
      }
    `,
    ],
  },
  applies: (lb) => loadBalancerType(lb) !== "gateway",
  check(lb) {
    const raw = lb.body.access_logs;
    if (typeof raw === "string") return unresolved(`access_logs is ${describe(resolve(lb, raw))}`);
    const block = firstBlock(raw);
    if (!block) return fail("access_logs is not set, so the load balancer keeps no access logs");
    const enabled = resolve(lb, block.enabled);
    if (enabled.state === "unknown" || enabled.state === "reference") return unresolved(`access_logs.enabled is ${describe(enabled)}`);
    // enabled defaults to false even when a bucket is given.
    if (!isTrue(enabled))
      return fail(
        `access logging is off: access_logs.enabled is ${describe(enabled)}${enabled.state === "absent" ? " (the provider default is false)" : ""}`,
      );
    const bucket = resolve(lb, block.bucket);
    if (bucket.state === "reference") return pass(`access logs go to ${bucket.target.address}`);
    if (bucket.state === "unknown") return unresolved(`access_logs.bucket is ${describe(bucket)}`);
    if (bucket.state === "absent" || bucket.value === "")
      return fail(`access_logs.enabled is true but access_logs.bucket is ${describe(bucket)}`);
    return pass(`access logs go to the bucket ${describe(bucket)}`);
  },
};
