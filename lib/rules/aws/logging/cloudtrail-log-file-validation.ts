import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { describe, isTrue, valueAt } from "../../helpers";

export const cloudtrailLogFileValidation: Rule = {
  id: "aws-cloudtrail-log-file-validation",
  title: "CloudTrail trails sign their log files for validation",
  requirements: ["AICP-AUDIT-02"],
  severity: "mandatory",
  waivable: false,
  appliesTo: ["aws_cloudtrail"],
  checkov: ["CKV_AWS_36"],
  trivy: ["AVD-AWS-0016"],
  relations: {
    CKV_AWS_36: {
      relation: "equivalent",
      reason: "both pass enable_log_file_validation = true only; a value not known before apply is unresolved here",
    },
  },
  remediation: "Set enable_log_file_validation = true (AuditTrail does).",
  examples: {
    good: [
      `
      resource "aws_cloudtrail" "org" {
        name                       = "org"
        s3_bucket_name             = "audit-logs"
        enable_log_file_validation = true
      }
    `,
    ],
    bad: [
      `
      resource "aws_cloudtrail" "org" {
        name           = "org"
        s3_bucket_name = "audit-logs" # enable_log_file_validation defaults to false
      }
    `,
    ],
  },
  check(trail) {
    const value = valueAt(trail, "enable_log_file_validation");
    if (isTrue(value)) return pass("enable_log_file_validation is true: digest files make tampering with log files detectable");
    if (value.state === "unknown" || value.state === "reference") return unresolved(`enable_log_file_validation is ${describe(value)}`);
    return fail(`log files are not signed: enable_log_file_validation is ${describe(value)} (the provider default is false)`);
  },
};
