import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { JsonObject, TfResource } from "../../../terraform/model";
import { blocksOf, resolve, stringList } from "../../helpers";

const S3_OBJECT = "AWS::S3::Object";

export const cloudtrailS3DataEvents: Rule = {
  id: "aws-cloudtrail-s3-data-events",
  title: "CloudTrail trails record S3 object-level data events",
  requirements: ["AICP-AILOG-02"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_cloudtrail"],
  remediation:
    "Add an advanced_event_selector with eventCategory = Data and resources.type = AWS::S3::Object for the dataset and model buckets (AuditTrail does).",
  examples: {
    good: [
      `
      resource "aws_cloudtrail" "org" {
        name           = "org"
        s3_bucket_name = "audit-logs"
        advanced_event_selector {
          name = "S3 object reads and writes"
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
    `,
    ],
    bad: [
      `
      resource "aws_cloudtrail" "org" {
        name           = "org"
        s3_bucket_name = "audit-logs" # management events only
      }
    `,
    ],
  },
  check(trail) {
    const unknown: string[] = [];
    const basic = blocksOf(trail.body.event_selector).flatMap((s, i) => blocksOf(s.data_resource).map((d) => ({ d, i })));
    for (const { d, i } of basic) {
      const type = resolve(trail, d.type);
      if (type.state === "known" && type.value === S3_OBJECT)
        return pass(`event_selector ${i + 1} records data events of type ${S3_OBJECT}`);
      if (type.state === "unknown" || type.state === "reference") unknown.push(`event_selector ${i + 1} data_resource.type`);
    }
    const advanced = blocksOf(trail.body.advanced_event_selector);
    for (const [i, selector] of advanced.entries()) {
      const label = typeof selector.name === "string" ? JSON.stringify(selector.name) : String(i + 1);
      const category = equals(trail, selector, "eventCategory");
      const type = equals(trail, selector, "resources.type");
      if (category.values.includes("Data") && type.values.includes(S3_OBJECT))
        return pass(`advanced_event_selector ${label} records Data events of ${S3_OBJECT}`);
      if (category.unknown || type.unknown) unknown.push(`advanced_event_selector ${label}`);
    }
    if (unknown.length > 0) return unresolved(`${unknown.join(", ")} cannot be read before apply`);
    return fail(
      `no event_selector data_resource or advanced_event_selector selects ${S3_OBJECT} data events, so reads and writes of dataset and model objects are not recorded`,
    );
  },
};

/** The `equals` values of the field selectors on `field`, and whether any is unknown before apply. */
function equals(trail: TfResource, selector: JsonObject, field: string): { values: string[]; unknown: boolean } {
  const values: string[] = [];
  let unknown = false;
  for (const fs of blocksOf(selector.field_selector)) {
    if (fs.field !== field) continue;
    const resolved = resolve(trail, fs.equals);
    if (resolved.state === "known") values.push(...stringList(resolved.value));
    else if (resolved.state !== "absent") unknown = true;
  }
  return { values, unknown };
}
