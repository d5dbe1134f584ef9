import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { isTrue, valueAt } from "../../helpers";
import { detectorFeatures, detectorOff } from "./util";

export const guarddutyS3Protection: Rule = {
  id: "aws-guardduty-s3-protection",
  title: "GuardDuty watches S3 data events",
  requirements: ["AICP-INCIDENT-01"],
  severity: "recommended",
  waivable: true,
  appliesTo: ["aws_guardduty_detector"],
  remediation: "Attach an aws_guardduty_detector_feature enabling S3_DATA_EVENTS to the detector (ThreatDetection does).",
  examples: {
    good: [
      `
      resource "aws_guardduty_detector" "main" {
        enable = true
      }

      resource "aws_guardduty_detector_feature" "s3" {
        detector_id = aws_guardduty_detector.main.id
        name        = "S3_DATA_EVENTS"
        status      = "ENABLED"
      }
    `,
    ],
    bad: [
      `
      resource "aws_guardduty_detector" "main" {
        enable = true
      }
    `,
    ],
  },
  check(detector) {
    const off = detectorOff(detector);
    if (off) return off;
    const { enabled, unknown } = detectorFeatures(detector);
    if (enabled.has("S3_DATA_EVENTS")) return pass("S3_DATA_EVENTS is enabled: GuardDuty watches object-level access to the buckets");
    // The deprecated datasources block still turns on S3 protection.
    if (isTrue(valueAt(detector, "datasources.s3_logs.enable")))
      return pass("datasources.s3_logs.enable is true: GuardDuty watches object-level access to the buckets");
    if (unknown.length > 0) return unresolved(`${unknown.join(", ")} cannot be read before apply`);
    return fail("S3_DATA_EVENTS is not enabled on the detector, so object-level access to datasets and models is not watched");
  },
};
