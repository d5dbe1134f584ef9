import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { describe, isTrue, valueAt } from "../../helpers";

export const lbInternal: Rule = {
  id: "aws-lb-internal",
  title: "Load balancers are internal, not internet-facing",
  requirements: ["AICP-INFER-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_lb", "aws_alb"],
  trivy: ["AVD-AWS-0053"],
  remediation: "Set internal = true and reach the load balancer from inside the VPC or over private connectivity (InferenceEntry does).",
  examples: {
    good: [
      `
      resource "aws_lb" "inference" {
        name               = "inference"
        load_balancer_type = "application"
        internal           = true
        subnets            = ["subnet-0a1b2c3d", "subnet-1a2b3c4d"]
      }
    `,
    ],
    bad: [
      `
      resource "aws_lb" "inference" {
        name               = "inference"
        load_balancer_type = "application"
        internal           = false
        subnets            = ["subnet-0a1b2c3d", "subnet-1a2b3c4d"]
      }
    `,
    ],
  },
  check(lb) {
    const internal = valueAt(lb, "internal");
    if (isTrue(internal)) return pass("internal is true: the load balancer has private addresses only");
    if (internal.state === "unknown" || internal.state === "reference") return unresolved(`internal is ${describe(internal)}`);
    // The provider's default is false, which makes the load balancer internet-facing.
    return fail(
      `the load balancer is internet-facing: internal is ${describe(internal)}${internal.state === "absent" ? " (the provider default is false)" : ""}`,
    );
  },
};
