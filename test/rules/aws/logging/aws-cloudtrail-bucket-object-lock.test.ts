import { cloudtrailBucketObjectLock as rule } from "../../../../lib/rules/aws/logging/cloudtrail-bucket-object-lock";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const lock = (bucket: string, mode: string, asList = false) => ({
  bucket,
  rule: asList ? [{ default_retention: [{ mode, days: 365 }] }] : { default_retention: { mode, days: 365 } },
});

describe("aws-cloudtrail-bucket-object-lock", () => {
  const findings = checkJson(rule, {
    resource: {
      aws_s3_bucket: {
        locked: { object_lock_enabled: true },
        named: { bucket: "audit-named", object_lock_enabled: true },
        governance: { object_lock_enabled: true },
        unlocked: {},
        inline: { object_lock_enabled: true, object_lock_configuration: { rule: { default_retention: { mode: "COMPLIANCE", days: 30 } } } },
        inline_off: { object_lock_configuration: [{ rule: [{ default_retention: [{ mode: "COMPLIANCE", days: 30 }] }] }] },
        variable: { object_lock_enabled: true },
      },
      aws_s3_bucket_object_lock_configuration: {
        locked: lock("${aws_s3_bucket.locked.id}", "COMPLIANCE"),
        named: lock("audit-named", "COMPLIANCE", true),
        governance: lock("${aws_s3_bucket.governance.bucket}", "GOVERNANCE"),
        variable: lock("${aws_s3_bucket.variable.id}", "${var.mode}"),
      },
      aws_cloudtrail: {
        locked: { s3_bucket_name: "${aws_s3_bucket.locked.bucket}" },
        named: { s3_bucket_name: "audit-named" },
        governance: { s3_bucket_name: "${aws_s3_bucket.governance.id}" },
        unlocked: { s3_bucket_name: "${aws_s3_bucket.unlocked.bucket}" },
        inline: { s3_bucket_name: "${aws_s3_bucket.inline.bucket}" },
        inline_off: { s3_bucket_name: "${aws_s3_bucket.inline_off.bucket}" },
        variable: { s3_bucket_name: "${aws_s3_bucket.variable.bucket}" },
        outside: { s3_bucket_name: "org-audit-bucket" },
        from_variable: { s3_bucket_name: "${var.bucket}" },
      },
    },
  });

  it("passes trails whose bucket is locked in COMPLIANCE mode, by reference, by name or inline", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_cloudtrail.locked": "pass",
      "aws_cloudtrail.named": "pass",
      "aws_cloudtrail.inline": "pass",
    });
    expect(findingFor(findings, "aws_cloudtrail.locked").message).toMatch(
      /aws_s3_bucket\.locked, locked in COMPLIANCE mode by aws_s3_bucket_object_lock_configuration\.locked/,
    );
  });

  it("fails GOVERNANCE mode, missing retention and Object Lock left off", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_cloudtrail.governance": "fail",
      "aws_cloudtrail.unlocked": "fail",
      "aws_cloudtrail.inline_off": "fail",
    });
    expect(findingFor(findings, "aws_cloudtrail.governance").message).toMatch(/rule\.default_retention\.mode is "GOVERNANCE"/);
    expect(findingFor(findings, "aws_cloudtrail.unlocked").message).toMatch(/no Object Lock default retention/);
    expect(findingFor(findings, "aws_cloudtrail.inline_off").message).toMatch(/does not enable Object Lock/);
  });

  it("leaves buckets outside the module and unknown values unresolved", () => {
    expect(findingFor(findings, "aws_cloudtrail.outside").message).toMatch(
      /^unresolved: s3_bucket_name is "org-audit-bucket", a bucket outside this module/,
    );
    expect(findingFor(findings, "aws_cloudtrail.from_variable").message).toMatch(/^unresolved: s3_bucket_name .*var\.bucket/);
    expect(findingFor(findings, "aws_cloudtrail.variable").message).toMatch(/^unresolved: .*var\.mode/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_s3_bucket" "audit" { object_lock_enabled = true }
       resource "aws_s3_bucket_object_lock_configuration" "audit" {
         bucket = aws_s3_bucket.audit.id
         rule {
           default_retention {
             mode = "COMPLIANCE"
             days = 365
           }
         }
       }
       resource "aws_s3_bucket" "plain" {}
       resource "aws_cloudtrail" "good" {
         name = "g"
         s3_bucket_name = aws_s3_bucket.audit.bucket
       }
       resource "aws_cloudtrail" "bad" {
         name = "b"
         s3_bucket_name = aws_s3_bucket.plain.bucket
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_cloudtrail.good": "pass", "aws_cloudtrail.bad": "fail" });
  });
});
