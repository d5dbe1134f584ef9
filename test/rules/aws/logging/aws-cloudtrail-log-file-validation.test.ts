import { cloudtrailLogFileValidation as rule } from "../../../../lib/rules/aws/logging/cloudtrail-log-file-validation";
import { Waiver } from "../../../../lib/compliance/waivers";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-cloudtrail-log-file-validation", () => {
  const doc = {
    resource: {
      aws_cloudtrail: {
        signed: { s3_bucket_name: "b", enable_log_file_validation: "true" },
        off: { s3_bucket_name: "b", enable_log_file_validation: false },
        unset: { s3_bucket_name: "b" },
        variable: { s3_bucket_name: "b", enable_log_file_validation: "${var.validate}" },
      },
    },
  };

  it("passes validated trails, fails the rest", () => {
    const findings = checkJson(rule, doc);
    expect(statuses(findings)).toEqual({
      "aws_cloudtrail.signed": "pass",
      "aws_cloudtrail.off": "fail",
      "aws_cloudtrail.unset": "fail",
      "aws_cloudtrail.variable": "fail",
    });
    expect(findingFor(findings, "aws_cloudtrail.off").message).toMatch(/enable_log_file_validation is false/);
    expect(findingFor(findings, "aws_cloudtrail.variable").message).toMatch(/^unresolved: .*var\.validate/);
  });

  it("cannot be waived: a waiver for it is refused, naming the waiver", () => {
    const waiver: Waiver = {
      rule: rule.id,
      resource: "aws_cloudtrail.off",
      reason: "validation handled elsewhere",
      owner: "audit",
      expires: "2999-01-01",
      origin: "waivers.yaml",
    };
    expect(() => checkJson(rule, doc, [waiver])).toThrow(
      `waivers.yaml: the waiver for ${rule.id} on aws_cloudtrail.off: rule ${rule.id} cannot be waived`,
    );
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_cloudtrail" "signed" {
         name = "s"
         s3_bucket_name = "b"
         enable_log_file_validation = true
       }
       resource "aws_cloudtrail" "unsigned" {
         name = "u"
         s3_bucket_name = "b"
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_cloudtrail.signed": "pass", "aws_cloudtrail.unsigned": "fail" });
  });
});
