import { cloudtrailLoggingEnabled as rule } from "../../../../lib/rules/aws/logging/cloudtrail-logging-enabled";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-cloudtrail-logging-enabled", () => {
  const findings = checkJson(rule, {
    resource: {
      aws_cloudtrail: {
        on: { s3_bucket_name: "b", enable_logging: true },
        on_string: { s3_bucket_name: "b", enable_logging: "true" },
        unset: { s3_bucket_name: "b" },
        stopped: { s3_bucket_name: "b", enable_logging: false },
        stopped_string: { s3_bucket_name: "b", enable_logging: "false" },
        variable: { s3_bucket_name: "b", enable_logging: "${var.logging}" },
        local: { s3_bucket_name: "b", enable_logging: "${local.off}" },
      },
    },
    locals: { off: false },
  });

  it("passes trails that log, including the provider default", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_cloudtrail.on": "pass",
      "aws_cloudtrail.on_string": "pass",
      "aws_cloudtrail.unset": "pass",
    });
    expect(findingFor(findings, "aws_cloudtrail.unset").message).toMatch(
      /enable_logging is not set, and the provider default \(true\) starts the trail/,
    );
  });

  it("fails stopped trails", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_cloudtrail.stopped": "fail",
      "aws_cloudtrail.stopped_string": "fail",
      "aws_cloudtrail.local": "fail",
    });
    expect(findingFor(findings, "aws_cloudtrail.stopped").message).toBe(
      "the trail is stopped and records nothing: enable_logging is false",
    );
    expect(findingFor(findings, "aws_cloudtrail.local").unresolved).toBeFalsy();
  });

  it("leaves a value from a variable unresolved", () => {
    expect(findingFor(findings, "aws_cloudtrail.variable").message).toMatch(/^unresolved: enable_logging is .*var\.logging/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_cloudtrail" "on" {
         name           = "a"
         s3_bucket_name = "b"
       }
       resource "aws_cloudtrail" "off" {
         name           = "o"
         s3_bucket_name = "b"
         enable_logging = false
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_cloudtrail.on": "pass", "aws_cloudtrail.off": "fail" });
  });
});
