import { Testing } from "cdktf";
import { AccessLogBucket } from "../../../../constructs/aws/access-log-bucket";
import { AccessRole } from "../../../../constructs/aws/access-role";
import { PlatformKey } from "../../../../constructs/aws/platform-key";
import { SecureBucket } from "../../../../constructs/aws/secure-bucket";
import { s3BucketNamedWriter } from "../../../../lib/rules/aws/s3/s3-bucket-named-writer";
import { SecureStack } from "../../../../lib/secure-stack";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const ROOT = "arn:aws:iam::111122223333:root";
const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const put = (resource: string | string[]) => ({ Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: resource });
const trust = policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/pipeline" }, Action: "sts:AssumeRole" });
const sse = (bucket: string, key?: string) => ({
  bucket: `\${aws_s3_bucket.${bucket}.id}`,
  rule: {
    apply_server_side_encryption_by_default: key ? { sse_algorithm: "aws:kms", kms_master_key_id: key } : { sse_algorithm: "AES256" },
  },
});
const keyFor = (role: string, action = "kms:GenerateDataKey*") => ({
  policy: policy({ Effect: "Allow", Principal: { AWS: `\${aws_iam_role.${role}.arn}` }, Action: [action, "kms:Decrypt"], Resource: "*" }),
});

describe("aws-s3-bucket-named-writer", () => {
  const doc = {
    variable: { key_policy: {} },
    resource: {
      aws_s3_bucket: {
        good: { tags: { Purpose: "datasets" } },
        prefix: { tags: { Purpose: "models" } },
        nobody: { tags: { Purpose: "artifacts" } },
        key_refuses: { tags: { Purpose: "datasets" } },
        delegated: { tags: { Purpose: "datasets" } },
        sse_s3: { tags: { Purpose: "artifacts" } },
        managed: { tags: { Purpose: "models" } },
        key_unknown: { tags: { Purpose: "datasets" } },
        checkpoints: { tags: { Purpose: "checkpoints" } },
        untagged: {},
      },
      aws_kms_key: {
        good: keyFor("good"),
        prefix: keyFor("prefix", "kms:GenerateDataKey"),
        key_refuses: keyFor("key_refuses", "kms:Encrypt"),
        delegated: { policy: policy({ Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" }) },
        managed: keyFor("managed"),
        key_unknown: { policy: "${var.key_policy}" },
      },
      aws_s3_bucket_server_side_encryption_configuration: {
        good: sse("good", "${aws_kms_key.good.arn}"),
        prefix: sse("prefix", "${aws_kms_key.prefix.arn}"),
        nobody: sse("nobody", "${aws_kms_key.good.arn}"),
        key_refuses: sse("key_refuses", "${aws_kms_key.key_refuses.arn}"),
        delegated: sse("delegated", "${aws_kms_key.delegated.arn}"),
        sse_s3: sse("sse_s3"),
        managed: sse("managed", "${aws_kms_key.managed.arn}"),
        key_unknown: sse("key_unknown", "${aws_kms_key.key_unknown.arn}"),
      },
      aws_iam_role: Object.fromEntries(
        ["good", "prefix", "key_refuses", "delegated", "sse_s3", "managed", "key_unknown"].map((n) => [n, { assume_role_policy: trust }]),
      ),
      aws_iam_role_policy: {
        good: { role: "${aws_iam_role.good.name}", policy: policy(put("${aws_s3_bucket.good.arn}/*")) },
        prefix: { role: "${aws_iam_role.prefix.id}", policy: policy(put("${aws_s3_bucket.prefix.arn}/team-a/*")) },
        reader: {
          role: "${aws_iam_role.good.name}",
          policy: policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "${aws_s3_bucket.nobody.arn}/*" }),
        },
        key_refuses: { role: "${aws_iam_role.key_refuses.name}", policy: policy(put("${aws_s3_bucket.key_refuses.arn}/*")) },
        delegated: {
          role: "${aws_iam_role.delegated.name}",
          policy: policy(put("${aws_s3_bucket.delegated.arn}/*"), {
            Effect: "Allow",
            Action: "kms:GenerateDataKey",
            Resource: "${aws_kms_key.delegated.arn}",
          }),
        },
        sse_s3: {
          role: "${aws_iam_role.sse_s3.name}",
          policy: policy(put(["${aws_s3_bucket.sse_s3.arn}", "${aws_s3_bucket.sse_s3.arn}/*"])),
        },
        key_unknown: { role: "${aws_iam_role.key_unknown.name}", policy: policy(put("${aws_s3_bucket.key_unknown.arn}/*")) },
      },
      aws_iam_policy: { managed: { policy: policy(put("${aws_s3_bucket.managed.arn}/*")) } },
      aws_iam_role_policy_attachment: { managed: { role: "${aws_iam_role.managed.name}", policy_arn: "${aws_iam_policy.managed.arn}" } },
    },
  };

  it("passes a data store only when some role may put objects in it and make data keys with its key", () => {
    const findings = checkJson(s3BucketNamedWriter, doc);
    expect(statuses(findings)).toEqual({
      "aws_s3_bucket.good": "pass",
      "aws_s3_bucket.prefix": "pass",
      "aws_s3_bucket.nobody": "fail",
      "aws_s3_bucket.key_refuses": "fail",
      "aws_s3_bucket.delegated": "pass",
      "aws_s3_bucket.sse_s3": "pass",
      "aws_s3_bucket.managed": "pass",
      "aws_s3_bucket.key_unknown": "fail",
    });
    const message = (name: string) => findingFor(findings, `aws_s3_bucket.${name}`).message;
    expect(message("good")).toBe("written by aws_iam_role.good (kms:GenerateDataKey with aws_kms_key.good)");
    expect(message("prefix")).toBe("written by aws_iam_role.prefix (kms:GenerateDataKey with aws_kms_key.prefix)");
    expect(message("nobody")).toBe(
      "no role's policy allows s3:PutObject on the objects of this artifacts bucket, so nobody can publish to it",
    );
    expect(message("key_refuses")).toBe(
      "aws_iam_role.key_refuses may put objects but aws_kms_key.key_refuses does not let it kms:GenerateDataKey, so its SSE-KMS uploads are refused",
    );
    expect(message("delegated")).toBe("written by aws_iam_role.delegated (kms:GenerateDataKey with aws_kms_key.delegated)");
    expect(message("sse_s3")).toBe("written by aws_iam_role.sse_s3");
    expect(message("managed")).toMatch(/^written by aws_iam_role\.managed/);
    expect(message("key_unknown")).toBe(
      "unresolved: the policy of aws_kms_key.key_unknown cannot be read, so whether aws_iam_role.key_unknown can make data keys is not known",
    );
  });

  it("leaves a store without a known writer unresolved while some role's policy is not known before apply", () => {
    const findings = checkJson(s3BucketNamedWriter, {
      variable: { writer_policy: {}, resource: {} },
      resource: {
        aws_s3_bucket: { datasets: { tags: { Purpose: "datasets" } } },
        aws_iam_role: { a: { assume_role_policy: trust }, b: { assume_role_policy: trust } },
        aws_iam_role_policy: {
          a: { role: "${aws_iam_role.a.name}", policy: "${var.writer_policy}" },
          b: { role: "${aws_iam_role.b.name}", policy: policy(put("${var.resource}")) },
        },
      },
    });
    expect(findingFor(findings, "aws_s3_bucket.datasets").message).toBe(
      "unresolved: aws_iam_role_policy.a: policy is ${var.writer_policy} (unresolved); the policy cannot be read before apply; aws_iam_role_policy.b statement 1 has an Action or Resource that is not known before apply",
    );
  });

  it("does not count a writer an unconditional Deny stops, in its own policy or in the key's", () => {
    const verdict = (rolePolicy: string, keyPolicy: string) =>
      findingFor(
        checkJson(s3BucketNamedWriter, {
          resource: {
            aws_s3_bucket: { store: { tags: { Purpose: "datasets" } } },
            aws_kms_key: { k: { policy: keyPolicy } },
            aws_s3_bucket_server_side_encryption_configuration: { store: sse("store", "${aws_kms_key.k.arn}") },
            aws_iam_role: { pub: { assume_role_policy: trust } },
            aws_iam_role_policy: { pub: { role: "${aws_iam_role.pub.name}", policy: rolePolicy } },
          },
        }),
        "aws_s3_bucket.store",
      );
    const allowed = policy(put("${aws_s3_bucket.store.arn}/*"));
    const key = keyFor("pub").policy;
    expect(verdict(allowed, key).status).toBe("pass");
    const denyPut = policy(put("${aws_s3_bucket.store.arn}/*"), {
      Sid: "NoUploads",
      Effect: "Deny",
      Action: "s3:PutObject",
      Resource: "*",
    });
    expect(verdict(denyPut, key).message).toBe(
      'aws_iam_role.pub may put objects but aws_iam_role_policy.pub statement "NoUploads" denies it',
    );
    const denyKey = policy(JSON.parse(key).Statement[0], { Effect: "Deny", Principal: "*", Action: "kms:GenerateDataKey*", Resource: "*" });
    expect(verdict(allowed, denyKey).status).toBe("fail");
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      s3BucketNamedWriter,
      `variable "policy" {}
       resource "aws_s3_bucket" "models" {
         tags = { Purpose = "models" }
       }
       resource "aws_s3_bucket" "datasets" {
         tags = { Purpose = "datasets" }
       }
       resource "aws_s3_bucket" "artifacts" {
         tags = { Purpose = "artifacts" }
       }
       resource "aws_iam_role" "publisher" {
         assume_role_policy = "{}"
       }
       resource "aws_iam_role_policy" "publish" {
         role   = aws_iam_role.publisher.name
         policy = <<EOT
       {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "\${aws_s3_bucket.models.arn}/*"}]}
       EOT
       }
       resource "aws_iam_role_policy" "unknown" {
         role   = aws_iam_role.publisher.name
         policy = var.policy
       }`,
    );
    // The unknown policy could grant anything, so the buckets the known one leaves out stay unresolved.
    expect(statuses(findings)).toEqual({
      "aws_s3_bucket.models": "pass",
      "aws_s3_bucket.datasets": "fail",
      "aws_s3_bucket.artifacts": "fail",
    });
    expect(findingFor(findings, "aws_s3_bucket.models").message).toBe("written by aws_iam_role.publisher");
    expect(findingFor(findings, "aws_s3_bucket.datasets").message).toMatch(/^unresolved: aws_iam_role_policy\.unknown: policy is/);
  });

  it("fails a SecureBucket nobody was granted, and passes it once a publisher role has grantReadWrite", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const key = new PlatformKey(stack, "DatasetsKey", {
      purpose: "datasets",
      administrators: ["arn:aws:iam::111122223333:role/key-admin"],
    });
    const accessLogs = new AccessLogBucket(stack, "AccessLogs");
    const written = new SecureBucket(stack, "DatasetsBucket", { purpose: "datasets", key, accessLogs });
    new SecureBucket(stack, "ArtifactsBucket", { purpose: "artifacts", key, accessLogs });
    written.grantReadWrite(
      new AccessRole(stack, "DatasetsPublisher", { job: "Publishes datasets", principalArns: ["arn:aws:iam::111122223333:role/pipeline"] }),
    );
    const findings = checkJson(s3BucketNamedWriter, JSON.parse(Testing.synth(stack)));
    expect(statuses(findings)).toEqual({ "aws_s3_bucket.datasets_bucket": "pass", "aws_s3_bucket.artifacts_bucket": "fail" });
    expect(findingFor(findings, "aws_s3_bucket.datasets_bucket").message).toBe(
      "written by aws_iam_role.datasets_publisher (kms:GenerateDataKey with aws_kms_key.datasets_key)",
    );
  });
});
