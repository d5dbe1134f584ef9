import { s3BucketOwnershipEnforced as rule } from "../../../../lib/rules/aws/s3/s3-bucket-ownership-enforced";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-s3-bucket-ownership-enforced", () => {
  it("passes BucketOwnerEnforced in object or list form, fails other settings and absence", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_s3_bucket: { object: {}, list: { bucket: "list-bucket" }, writer: {}, none: {}, variable: {} },
        aws_s3_bucket_ownership_controls: {
          object: { bucket: "${aws_s3_bucket.object.id}", rule: { object_ownership: "BucketOwnerEnforced" } },
          list: { bucket: "list-bucket", rule: [{ object_ownership: "BucketOwnerEnforced" }] },
          writer: { bucket: "${aws_s3_bucket.writer.id}", rule: { object_ownership: "ObjectWriter" } },
          variable: { bucket: "${aws_s3_bucket.variable.id}", rule: { object_ownership: "${var.ownership}" } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_s3_bucket.object": "pass",
      "aws_s3_bucket.list": "pass",
      "aws_s3_bucket.writer": "fail",
      "aws_s3_bucket.none": "fail",
      "aws_s3_bucket.variable": "fail",
    });
    expect(findingFor(findings, "aws_s3_bucket.writer").message).toMatch(/rule\.object_ownership "ObjectWriter"/);
    expect(findingFor(findings, "aws_s3_bucket.none").message).toMatch(/no aws_s3_bucket_ownership_controls/);
    expect(findingFor(findings, "aws_s3_bucket.variable").message).toMatch(/^unresolved: .*var\.ownership/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_s3_bucket" "good" {}
       resource "aws_s3_bucket_ownership_controls" "good" {
         bucket = aws_s3_bucket.good.id
         rule { object_ownership = "BucketOwnerEnforced" }
       }
       resource "aws_s3_bucket" "preferred" {}
       resource "aws_s3_bucket_ownership_controls" "preferred" {
         bucket = aws_s3_bucket.preferred.id
         rule { object_ownership = "BucketOwnerPreferred" }
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_s3_bucket.good": "pass", "aws_s3_bucket.preferred": "fail" });
  });
});
