import { guarddutyEksProtection as rule } from "../../../../lib/rules/aws/detection/guardduty-eks-protection";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const feature = (detector: string, name: string, status = "ENABLED") => ({
  detector_id: `\${aws_guardduty_detector.${detector}.id}`,
  name,
  status,
});

describe("aws-guardduty-eks-protection", () => {
  it("passes detectors with EKS audit logs and runtime monitoring, listing what is missing otherwise", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_guardduty_detector: {
          full: { enable: true },
          eks_runtime: {},
          inline: { datasources: { kubernetes: { audit_logs: { enable: true } } } },
          audit_only: {},
          none: {},
          disabled: { enable: false },
          variable: {},
        },
        aws_guardduty_detector_feature: {
          full_audit: feature("full", "EKS_AUDIT_LOGS"),
          full_runtime: {
            ...feature("full", "RUNTIME_MONITORING"),
            additional_configuration: [{ name: "EKS_ADDON_MANAGEMENT", status: "ENABLED" }],
          },
          eks_audit: feature("eks_runtime", "EKS_AUDIT_LOGS"),
          eks_runtime: feature("eks_runtime", "EKS_RUNTIME_MONITORING"),
          inline_runtime: feature("inline", "RUNTIME_MONITORING"),
          audit_only: feature("audit_only", "EKS_AUDIT_LOGS"),
          audit_only_runtime_off: feature("audit_only", "RUNTIME_MONITORING", "DISABLED"),
          disabled_audit: feature("disabled", "EKS_AUDIT_LOGS"),
          variable_audit: feature("variable", "EKS_AUDIT_LOGS"),
          variable_runtime: feature("variable", "RUNTIME_MONITORING", "${var.runtime}"),
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_guardduty_detector.full": "pass",
      "aws_guardduty_detector.eks_runtime": "pass",
      "aws_guardduty_detector.inline": "pass",
      "aws_guardduty_detector.audit_only": "fail",
      "aws_guardduty_detector.none": "fail",
      "aws_guardduty_detector.disabled": "fail",
      "aws_guardduty_detector.variable": "fail",
    });
    expect(findingFor(findings, "aws_guardduty_detector.inline").message).toMatch(
      /datasources\.kubernetes\.audit_logs\) and RUNTIME_MONITORING/,
    );
    expect(findingFor(findings, "aws_guardduty_detector.audit_only").message).toBe(
      "not enabled on the detector: RUNTIME_MONITORING (or EKS_RUNTIME_MONITORING)",
    );
    expect(findingFor(findings, "aws_guardduty_detector.none").message).toMatch(/EKS_AUDIT_LOGS, RUNTIME_MONITORING/);
    expect(findingFor(findings, "aws_guardduty_detector.disabled").message).toMatch(/the detector is disabled/);
    expect(findingFor(findings, "aws_guardduty_detector.variable").message).toMatch(
      /^unresolved: aws_guardduty_detector_feature\.variable_runtime/,
    );
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_guardduty_detector" "good" {}
       resource "aws_guardduty_detector_feature" "audit" {
         detector_id = aws_guardduty_detector.good.id
         name        = "EKS_AUDIT_LOGS"
         status      = "ENABLED"
       }
       resource "aws_guardduty_detector_feature" "runtime" {
         detector_id = aws_guardduty_detector.good.id
         name        = "RUNTIME_MONITORING"
         status      = "ENABLED"
         additional_configuration {
           name   = "EKS_ADDON_MANAGEMENT"
           status = "ENABLED"
         }
       }
       resource "aws_guardduty_detector" "bare" {
         datasources {
           kubernetes {
             audit_logs { enable = true }
           }
         }
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_guardduty_detector.good": "pass", "aws_guardduty_detector.bare": "fail" });
    expect(findingFor(hcl, "aws_guardduty_detector.bare").message).toBe(
      "not enabled on the detector: RUNTIME_MONITORING (or EKS_RUNTIME_MONITORING)",
    );
  });
});
