import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { describe, isTrue, valueAt } from "../../helpers";

export const cloudtrailLoggingEnabled: Rule = {
  id: "aws-cloudtrail-logging-enabled",
  title: "CloudTrail trails are logging",
  requirements: ["AICP-AUDIT-01"],
  severity: "mandatory",
  waivable: false,
  appliesTo: ["aws_cloudtrail"],
  checkov: ["CKV_AWS_251"],
  relations: {
    CKV_AWS_251: {
      relation: "equivalent",
      reason: "both pass enable_logging unset or true and fail false; a value not known before apply is unresolved here",
    },
  },
  remediation: "Remove enable_logging or set it to true (AuditTrail does).",
  examples: {
    good: [
      `
      resource "aws_cloudtrail" "org" {
        name           = "org"
        s3_bucket_name = "audit-logs"
        enable_logging = true
      }
    `,
    ],
    bad: [
      `
      resource "aws_cloudtrail" "org" {
        name           = "org"
        s3_bucket_name = "audit-logs"
        enable_logging = false
      }
    `,
    ],
  },
  check(trail) {
    const value = valueAt(trail, "enable_logging");
    if (value.state === "absent") return pass("enable_logging is not set, and the provider default (true) starts the trail");
    if (isTrue(value)) return pass("enable_logging is true: the trail records events");
    if (value.state === "unknown" || value.state === "reference") return unresolved(`enable_logging is ${describe(value)}`);
    return fail(`the trail is stopped and records nothing: enable_logging is ${describe(value)}`);
  },
};
