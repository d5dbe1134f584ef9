import { kmsKeyPolicyNoWildcardPrincipal } from "../../lib/rules/aws/kms/key-policy-no-wildcard-principal";
import { s3BucketPolicyNoPublicAllow } from "../../lib/rules/aws/s3/bucket-policy-no-public-allow";
import { s3BucketTlsOnly } from "../../lib/rules/aws/s3/bucket-tls-only";
import { checkHcl, checkJson, findingFor } from "./harness";

/** Policies built with the aws_iam_policy_document data source, as hand-written Terraform does. */
const HCL = `
resource "aws_s3_bucket" "data" {}

data "aws_iam_policy_document" "data" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [aws_s3_bucket.data.arn, "\${aws_s3_bucket.data.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
  statement {
    actions   = ["s3:GetObject"]
    resources = ["\${aws_s3_bucket.data.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = data.aws_iam_policy_document.data.json
}
`;

describe("policies from aws_iam_policy_document", () => {
  it("reads the statements the data source renders (HCL)", async () => {
    expect(findingFor(await checkHcl(s3BucketTlsOnly, HCL), "aws_s3_bucket.data").status).toBe("pass");
    const open = findingFor(await checkHcl(s3BucketPolicyNoPublicAllow, HCL), "aws_s3_bucket_policy.data");
    expect(open.status).toBe("fail");
    expect(open.unresolved).toBe(false);
  });

  it("reads them in JSON too, and fails a key policy that allows everyone", () => {
    const findings = checkJson(kmsKeyPolicyNoWildcardPrincipal, {
      data: {
        aws_iam_policy_document: {
          key: { statement: [{ actions: ["kms:Decrypt"], resources: ["*"], principals: [{ type: "AWS", identifiers: ["*"] }] }] },
        },
      },
      resource: { aws_kms_key: { k: { policy: "${data.aws_iam_policy_document.key.json}" } } },
    });
    expect(findingFor(findings, "aws_kms_key.k")).toMatchObject({ status: "fail", unresolved: false });
  });

  it("leaves documents merged from others unresolved", () => {
    const findings = checkJson(kmsKeyPolicyNoWildcardPrincipal, {
      data: { aws_iam_policy_document: { key: { source_policy_documents: ["${var.base}"], statement: [] } } },
      resource: { aws_kms_key: { k: { policy: "${data.aws_iam_policy_document.key.json}" } } },
    });
    expect(findingFor(findings, "aws_kms_key.k")).toMatchObject({ status: "fail", unresolved: true });
  });
});
