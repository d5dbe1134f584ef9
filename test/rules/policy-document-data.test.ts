import { kmsKeyPolicyNoWildcardPrincipal } from "../../lib/rules/aws/kms/kms-key-policy-no-wildcard-principal";
import { s3BucketPolicyNoPublicAllow } from "../../lib/rules/aws/s3/s3-bucket-policy-no-public-allow";
import { s3BucketTlsOnly } from "../../lib/rules/aws/s3/s3-bucket-tls-only";
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

  it("leaves a merged document that is not known before apply, or not valid JSON, unresolved", () => {
    const findings = checkJson(kmsKeyPolicyNoWildcardPrincipal, {
      data: {
        aws_iam_policy_document: {
          key: { source_policy_documents: ["${var.base}"], statement: [] },
          bad: { override_policy_documents: ['{"Statement": ['] },
        },
      },
      resource: {
        aws_kms_key: {
          k: { policy: "${data.aws_iam_policy_document.key.json}" },
          bad: { policy: "${data.aws_iam_policy_document.bad.json}" },
        },
      },
    });
    expect(findingFor(findings, "aws_kms_key.k")).toMatchObject({
      status: "fail",
      unresolved: true,
      message: expect.stringMatching(/source_policy_documents holds \$\{var\.base\}, which is not known before apply/),
    });
    expect(findingFor(findings, "aws_kms_key.bad")).toMatchObject({
      status: "fail",
      unresolved: true,
      message: expect.stringMatching(/override_policy_documents holds a document that is not valid JSON/),
    });
  });

  // As the provider merges them: sources first, then the document's own statements and the
  // override documents, each replacing an earlier statement with the same Sid.
  const MERGED = {
    data: {
      aws_iam_policy_document: {
        tls: {
          statement: [
            {
              sid: "denyInsecureTransport",
              effect: "Deny",
              actions: ["s3:*"],
              resources: ["${aws_s3_bucket.b.arn}", "${aws_s3_bucket.b.arn}/*"],
              principals: [{ type: "*", identifiers: ["*"] }],
              condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
            },
          ],
        },
        open: {
          statement: [{ sid: "Open", actions: ["s3:GetObject"], resources: ["*"], principals: [{ type: "*", identifiers: ["*"] }] }],
        },
        combined: {
          source_policy_documents: [
            "${data.aws_iam_policy_document.tls.json}",
            "${data.aws_iam_policy_document.open.json}",
            JSON.stringify({ Statement: [{ Sid: "Literal", Effect: "Allow", Principal: "*", Action: "s3:ListBucket", Resource: "*" }] }),
          ],
          override_policy_documents: [
            JSON.stringify({
              Statement: {
                Sid: "Literal",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::111122223333:root" },
                Action: "s3:ListBucket",
                Resource: "*",
              },
            }),
          ],
          statement: [
            {
              sid: "Open",
              actions: ["s3:GetObject"],
              resources: ["*"],
              principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111122223333:root"] }],
            },
          ],
        },
        loop: { source_policy_documents: ["${data.aws_iam_policy_document.loop.json}"] },
      },
    },
    resource: {
      aws_s3_bucket: { b: {} },
      aws_s3_bucket_policy: {
        b: { bucket: "${aws_s3_bucket.b.id}", policy: "${data.aws_iam_policy_document.combined.json}" },
        loop: { bucket: "x", policy: "${data.aws_iam_policy_document.loop.json}" },
      },
    },
  };

  it("merges source and override documents, own statements and later overrides replacing earlier ones by Sid", () => {
    // The source "Open" and "Literal" statements allow everyone; the document's own "Open" and the override's "Literal" replace them.
    expect(findingFor(checkJson(s3BucketPolicyNoPublicAllow, MERGED), "aws_s3_bucket_policy.b")).toMatchObject({ status: "pass" });
    expect(findingFor(checkJson(s3BucketTlsOnly, MERGED), "aws_s3_bucket.b")).toMatchObject({
      status: "pass",
      message: expect.stringMatching(/"denyInsecureTransport" denies/),
    });
    const withoutOverride = structuredClone(MERGED);
    delete (withoutOverride.data.aws_iam_policy_document.combined as Record<string, unknown>).override_policy_documents;
    expect(findingFor(checkJson(s3BucketPolicyNoPublicAllow, withoutOverride), "aws_s3_bucket_policy.b")).toMatchObject({
      status: "fail",
      message: expect.stringMatching(/statement "Literal" allows Principal "\*"/),
    });
    expect(findingFor(checkJson(s3BucketPolicyNoPublicAllow, MERGED), "aws_s3_bucket_policy.loop")).toMatchObject({
      unresolved: true,
      message: expect.stringMatching(/merges itself/),
    });
  });
});
