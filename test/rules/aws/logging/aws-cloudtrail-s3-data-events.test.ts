import { cloudtrailS3DataEvents as rule } from "../../../../lib/rules/aws/logging/cloudtrail-s3-data-events";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-cloudtrail-s3-data-events", () => {
  it("passes basic and advanced selectors of S3 object events, object or list form", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_cloudtrail: {
          basic: {
            s3_bucket_name: "b",
            event_selector: [{ read_write_type: "All", data_resource: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }] }],
          },
          basic_object: {
            s3_bucket_name: "b",
            event_selector: { data_resource: { type: "AWS::S3::Object", values: ["arn:aws:s3:::models/"] } },
          },
          advanced: {
            s3_bucket_name: "b",
            advanced_event_selector: [
              { name: "Management", field_selector: [{ field: "eventCategory", equals: ["Management"] }] },
              {
                name: "Objects",
                field_selector: [
                  { field: "eventCategory", equals: ["Data"] },
                  { field: "resources.type", equals: ["AWS::S3::Object"] },
                ],
              },
            ],
          },
          management_only: {
            s3_bucket_name: "b",
            advanced_event_selector: [{ field_selector: [{ field: "eventCategory", equals: ["Management"] }] }],
          },
          lambda: {
            s3_bucket_name: "b",
            event_selector: [{ data_resource: [{ type: "AWS::Lambda::Function", values: ["arn:aws:lambda"] }] }],
          },
          none: { s3_bucket_name: "b" },
          variable: {
            s3_bucket_name: "b",
            advanced_event_selector: [
              {
                field_selector: [
                  { field: "eventCategory", equals: ["Data"] },
                  { field: "resources.type", equals: "${var.types}" },
                ],
              },
            ],
          },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_cloudtrail.basic": "pass",
      "aws_cloudtrail.basic_object": "pass",
      "aws_cloudtrail.advanced": "pass",
      "aws_cloudtrail.management_only": "fail",
      "aws_cloudtrail.lambda": "fail",
      "aws_cloudtrail.none": "fail",
      "aws_cloudtrail.variable": "fail",
    });
    expect(findingFor(findings, "aws_cloudtrail.advanced").message).toMatch(
      /advanced_event_selector "Objects" records Data events of AWS::S3::Object/,
    );
    expect(findingFor(findings, "aws_cloudtrail.basic").message).toMatch(/event_selector 1 records data events/);
    expect(findingFor(findings, "aws_cloudtrail.none").message).toMatch(
      /no event_selector data_resource or advanced_event_selector selects AWS::S3::Object/,
    );
    expect(findingFor(findings, "aws_cloudtrail.variable").message).toMatch(/^unresolved: advanced_event_selector 1/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_cloudtrail" "data" {
         name = "d"
         s3_bucket_name = "b"
         advanced_event_selector {
           name = "Objects"
           field_selector {
             field  = "eventCategory"
             equals = ["Data"]
           }
           field_selector {
             field  = "resources.type"
             equals = ["AWS::S3::Object"]
           }
         }
       }
       resource "aws_cloudtrail" "mgmt" {
         name = "m"
         s3_bucket_name = "b"
         event_selector { read_write_type = "All" }
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_cloudtrail.data": "pass", "aws_cloudtrail.mgmt": "fail" });
  });
});
