import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { isTrue, valueAt } from "../../helpers";
import { detectorFeatures, detectorOff } from "./util";

export const guarddutyEksProtection: Rule = {
  id: "aws-guardduty-eks-protection",
  title: "GuardDuty watches EKS audit logs and container runtime activity",
  requirements: ["AICP-INCIDENT-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_guardduty_detector"],
  remediation:
    "Attach aws_guardduty_detector_feature resources enabling EKS_AUDIT_LOGS and RUNTIME_MONITORING to the detector (ThreatDetection does).",
  examples: {
    good: [
      `
      resource "aws_guardduty_detector" "main" {
        enable = true
      }

      resource "aws_guardduty_detector_feature" "audit" {
        detector_id = aws_guardduty_detector.main.id
        name        = "EKS_AUDIT_LOGS"
        status      = "ENABLED"
      }

      resource "aws_guardduty_detector_feature" "runtime" {
        detector_id = aws_guardduty_detector.main.id
        name        = "RUNTIME_MONITORING"
        status      = "ENABLED"
      }
    `,
    ],
    bad: [
      `
      resource "aws_guardduty_detector" "main" {
        enable = true
      }

      resource "aws_guardduty_detector_feature" "audit" {
        detector_id = aws_guardduty_detector.main.id
        name        = "EKS_AUDIT_LOGS"
        status      = "ENABLED"
      }
    `,
    ],
  },
  check(detector) {
    const off = detectorOff(detector);
    if (off) return off;
    const { enabled, unknown } = detectorFeatures(detector);
    // The deprecated datasources block still turns on EKS audit log monitoring.
    const inlineAudit = isTrue(valueAt(detector, "datasources.kubernetes.audit_logs.enable"));
    const missing: string[] = [];
    if (!enabled.has("EKS_AUDIT_LOGS") && !inlineAudit) missing.push("EKS_AUDIT_LOGS");
    if (!enabled.has("RUNTIME_MONITORING") && !enabled.has("EKS_RUNTIME_MONITORING"))
      missing.push("RUNTIME_MONITORING (or EKS_RUNTIME_MONITORING)");
    if (missing.length === 0) {
      const runtime = enabled.has("RUNTIME_MONITORING") ? "RUNTIME_MONITORING" : "EKS_RUNTIME_MONITORING";
      return pass(
        `EKS audit logs (${inlineAudit && !enabled.has("EKS_AUDIT_LOGS") ? "datasources.kubernetes.audit_logs" : "EKS_AUDIT_LOGS"}) and ${runtime} are enabled`,
      );
    }
    if (unknown.length > 0)
      return unresolved(`${unknown.join(", ")} cannot be read before apply, and ${missing.join(", ")} is not enabled otherwise`);
    return fail(`not enabled on the detector: ${missing.join(", ")}`);
  },
};
