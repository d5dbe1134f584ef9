import { cloudtrailMultiRegion as rule } from "../../../../lib/rules/aws/logging/cloudtrail-multi-region";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-cloudtrail-multi-region", () => {
  it("passes multi-region trails, fails single-region ones and the default", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_cloudtrail: {
          all: { s3_bucket_name: "b", is_multi_region_trail: true },
          one: { s3_bucket_name: "b", is_multi_region_trail: false },
          unset: { s3_bucket_name: "b" },
          variable: { s3_bucket_name: "b", is_multi_region_trail: "${var.multi}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_cloudtrail.all": "pass",
      "aws_cloudtrail.one": "fail",
      "aws_cloudtrail.unset": "fail",
      "aws_cloudtrail.variable": "fail",
    });
    expect(findingFor(findings, "aws_cloudtrail.unset").message).toMatch(
      /is_multi_region_trail is not set \(the provider default is false\)/,
    );
    expect(findingFor(findings, "aws_cloudtrail.variable").message).toMatch(/^unresolved: .*var\.multi/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_cloudtrail" "all" {
         name = "a"
         s3_bucket_name = "b"
         is_multi_region_trail = true
       }
       resource "aws_cloudtrail" "one" {
         name = "o"
         s3_bucket_name = "b"
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_cloudtrail.all": "pass", "aws_cloudtrail.one": "fail" });
  });
});
