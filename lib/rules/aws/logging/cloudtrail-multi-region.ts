import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { describe, isTrue, valueAt } from "../../helpers";

export const cloudtrailMultiRegion: Rule = {
  id: "aws-cloudtrail-multi-region",
  title: "CloudTrail trails record every region",
  requirements: ["AICP-AUDIT-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_cloudtrail"],
  checkov: ["CKV_AWS_67"],
  trivy: ["AVD-AWS-0014"],
  relations: {
    CKV_AWS_67: {
      relation: "equivalent",
      reason: "both pass is_multi_region_trail = true only; a value not known before apply is unresolved here",
    },
  },
  remediation: "Set is_multi_region_trail = true (AuditTrail does).",
  examples: {
    good: [
      `
      resource "aws_cloudtrail" "org" {
        name                  = "org"
        s3_bucket_name        = "audit-logs"
        is_multi_region_trail = true
      }
    `,
    ],
    bad: [
      `
      resource "aws_cloudtrail" "org" {
        name           = "org"
        s3_bucket_name = "audit-logs" # one region only by default
      }
    `,
    ],
  },
  check(trail) {
    const value = valueAt(trail, "is_multi_region_trail");
    if (isTrue(value)) return pass("is_multi_region_trail is true: the trail records events of every region");
    if (value.state === "unknown" || value.state === "reference") return unresolved(`is_multi_region_trail is ${describe(value)}`);
    return fail(`the trail records one region only: is_multi_region_trail is ${describe(value)} (the provider default is false)`);
  },
};
