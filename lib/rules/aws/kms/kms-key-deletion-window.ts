import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { asNumber, describe, valueAt } from "../../helpers";

const MIN_DAYS = 14;

export const kmsKeyDeletionWindow: Rule = {
  id: "aws-kms-key-deletion-window",
  title: "KMS keys wait at least 14 days before deletion",
  requirements: ["AICP-DATA-02"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_kms_key"],
  remediation: `Set deletion_window_in_days to ${MIN_DAYS}-30, or leave it unset for 30 (PlatformKey allows only ${MIN_DAYS} to 30).`,
  examples: {
    good: [
      `
      resource "aws_kms_key" "models" {
        enable_key_rotation     = true
        deletion_window_in_days = 30
      }
    `,
    ],
    bad: [
      `
      resource "aws_kms_key" "models" {
        enable_key_rotation     = true
        deletion_window_in_days = 7
      }
    `,
    ],
  },
  check(key) {
    const value = valueAt(key, "deletion_window_in_days");
    if (value.state === "absent") return pass("deletion_window_in_days is not set, so the provider default of 30 days applies");
    if (value.state === "unknown" || value.state === "reference") return unresolved(`deletion_window_in_days is ${describe(value)}`);
    const days = asNumber(value);
    if (days === undefined) return fail(`deletion_window_in_days is ${describe(value)}, not a number of days`);
    if (days < MIN_DAYS)
      return fail(`deletion_window_in_days is ${days}, below the ${MIN_DAYS} days that stop a key from vanishing at once`);
    return pass(`deletion_window_in_days is ${days} (at least ${MIN_DAYS})`);
  },
};
