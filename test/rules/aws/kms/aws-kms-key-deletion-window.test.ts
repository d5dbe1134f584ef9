import { kmsKeyDeletionWindow } from "../../../../lib/rules/aws/kms/kms-key-deletion-window";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-kms-key-deletion-window", () => {
  it("passes 14 days or more and the provider default, fails shorter windows", () => {
    const findings = checkJson(kmsKeyDeletionWindow, {
      resource: {
        aws_kms_key: {
          fourteen: { deletion_window_in_days: 14 },
          text: { deletion_window_in_days: "30" },
          seven: { deletion_window_in_days: 7 },
          none: {},
          variable: { deletion_window_in_days: "${var.days}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_kms_key.fourteen": "pass",
      "aws_kms_key.text": "pass",
      "aws_kms_key.seven": "fail",
      "aws_kms_key.none": "pass",
      "aws_kms_key.variable": "fail",
    });
    expect(findingFor(findings, "aws_kms_key.none").message).toMatch(/default of 30 days/);
    expect(findingFor(findings, "aws_kms_key.seven").message).toMatch(/deletion_window_in_days is 7, below the 14/);
    expect(findingFor(findings, "aws_kms_key.variable").message).toMatch(/^unresolved: deletion_window_in_days .*var\.days/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      kmsKeyDeletionWindow,
      `resource "aws_kms_key" "long" { deletion_window_in_days = 20 }
       resource "aws_kms_key" "short" { deletion_window_in_days = 7 }`,
    );
    expect(statuses(findings)).toEqual({ "aws_kms_key.long": "pass", "aws_kms_key.short": "fail" });
  });
});
