import { cloudtrailDigestDelivery as rule } from "../../../../lib/rules/aws/logging/cloudtrail-digest-delivery";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const ARN = "${aws_s3_bucket.logs.arn}";
const DIGESTS = `${ARN}/AWSLogs/\${data.aws_caller_identity.c.account_id}/CloudTrail-Digest/*`;
const kmsOnly = (where: object) => ({
  Sid: "DenyEncryptionOtherThanKms",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:PutObject",
  ...where,
  Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" }, Null: { "s3:x-amz-server-side-encryption": "false" } },
});
const otherKeys = {
  Sid: "DenyOtherKmsKeys",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:PutObject",
  Resource: `${ARN}/*`,
  Condition: {
    StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "${aws_kms_key.k.arn}" },
    Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
  },
};
const tls = {
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [ARN, `${ARN}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const policy = (...statements: object[]) => ({
  bucket: "${aws_s3_bucket.logs.id}",
  policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
});
const trail = (validation: unknown = true) => ({
  name: "t",
  s3_bucket_name: "${aws_s3_bucket.logs.id}",
  enable_log_file_validation: validation,
});

function verdict(...statements: object[]) {
  return findingFor(
    checkJson(rule, {
      resource: { aws_s3_bucket: { logs: {} }, aws_s3_bucket_policy: { logs: policy(...statements) }, aws_cloudtrail: { audit: trail() } },
    }),
    "aws_cloudtrail.audit",
  );
}

describe("aws-cloudtrail-digest-delivery", () => {
  it("passes a bucket whose KMS-only deny spares the digest prefix, and the other denies that never touch SSE-S3 writes over TLS", () => {
    const finding = verdict(tls, kmsOnly({ NotResource: [DIGESTS] }), otherKeys);
    expect(finding.status).toBe("pass");
    expect(finding.message).toBe("no statement of aws_s3_bucket_policy.logs denies CloudTrail's SSE-S3 digest files");
  });

  it("fails a bucket that denies every object not encrypted with KMS, digest files included", () => {
    const finding = verdict(tls, kmsOnly({ Resource: `${ARN}/*` }), otherKeys);
    expect(finding.status).toBe("fail");
    expect(finding.message).toBe(
      'aws_s3_bucket_policy.logs statement "DenyEncryptionOtherThanKms" denies CloudTrail\'s digest files, which CloudTrail writes with SSE-S3 under AWSLogs/<account>/CloudTrail-Digest/, so log files cannot be validated',
    );
  });

  it("fails a NotResource that spares another prefix only, and a deny that names the bucket by its literal ARN", () => {
    expect(verdict(kmsOnly({ NotResource: [`${ARN}/exports/*`] })).status).toBe("fail");
    expect(verdict(kmsOnly({ Resource: "arn:aws:s3:::org-audit-logs/AWSLogs/*" })).status).toBe("fail");
    expect(verdict(kmsOnly({ Resource: "arn:${data.aws_partition.p.partition}:s3:::org-audit-logs/*" })).status).toBe("fail");
    expect(verdict(kmsOnly({ Resource: "arn:aws:s3:::${aws_s3_bucket.logs.bucket}/*" })).status).toBe("fail");
  });

  it("is unresolved when a deny's condition is on a key the engine does not model", () => {
    const finding = verdict({
      Sid: "Odd",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: `${ARN}/*`,
      Condition: { StringEquals: { "aws:PrincipalServiceName": "cloudtrail.amazonaws.com" } },
    });
    expect(finding.status).toBe("fail");
    expect(finding.unresolved).toBe(true);
    expect(finding.message).toMatch(
      /^unresolved: whether CloudTrail may write its digest files: aws_s3_bucket_policy\.logs statement "Odd": its condition/,
    );
  });

  it("judges only trails that validate their log files, and leaves a bucket outside the module unresolved", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_cloudtrail: {
          unsigned: trail(false),
          outside: { name: "o", s3_bucket_name: "org-trail-bucket", enable_log_file_validation: true },
        },
      },
    });
    expect(statuses(findings)).toEqual({ "aws_cloudtrail.outside": "fail" });
    expect(findingFor(findings, "aws_cloudtrail.outside").message).toMatch(
      /^unresolved: s3_bucket_name is "org-trail-bucket", a bucket outside this module/,
    );
  });

  it("reads HCL the same way", async () => {
    const bucket = (name: string, where: string) => `
       resource "aws_s3_bucket" "${name}" {}
       resource "aws_cloudtrail" "${name}" {
         name                       = "${name}"
         s3_bucket_name             = aws_s3_bucket.${name}.id
         enable_log_file_validation = true
       }
       resource "aws_s3_bucket_policy" "${name}" {
         bucket = aws_s3_bucket.${name}.id
         policy = <<EOT
{"Statement":[{"Sid":"KmsOnly","Effect":"Deny","Principal":"*","Action":"s3:PutObject",${where},
  "Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"},"Null":{"s3:x-amz-server-side-encryption":"false"}}}]}
EOT
       }`;
    const hcl = await checkHcl(
      rule,
      bucket("good", '"NotResource":"${aws_s3_bucket.good.arn}/AWSLogs/*/CloudTrail-Digest/*"') +
        bucket("bad", '"Resource":"${aws_s3_bucket.bad.arn}/*"'),
    );
    expect(statuses(hcl)).toEqual({ "aws_cloudtrail.good": "pass", "aws_cloudtrail.bad": "fail" });
    expect(findingFor(hcl, "aws_cloudtrail.bad").message).toMatch(
      /^aws_s3_bucket_policy\.bad statement "KmsOnly" denies CloudTrail's digest files/,
    );
  });
});
