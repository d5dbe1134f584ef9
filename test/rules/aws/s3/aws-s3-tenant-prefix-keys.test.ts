import { s3TenantPrefixKeys } from "../../../../lib/rules/aws/s3/s3-tenant-prefix-keys";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const KEY_ID = "s3:x-amz-server-side-encryption-aws-kms-key-id";
/** The bucket policy's hold of `prefix` to `key`, as SecureBucket.encryptPrefixWith writes it. */
const pin = (bucket: string, prefix: string, key: string, extra: object = {}) => ({
  Effect: "Deny",
  Principal: "*",
  Action: "s3:PutObject",
  Resource: `\${aws_s3_bucket.${bucket}.arn}/${prefix}*`,
  Condition: { StringNotEquals: { [KEY_ID]: key }, Null: { [KEY_ID]: "false" }, ...extra },
});
const keyFor = (...roles: string[]) => ({
  enable_key_rotation: true,
  policy: policy({
    Effect: "Allow",
    Principal: { AWS: roles.map((r) => `\${aws_iam_role.${r}.arn}`) },
    Action: ["kms:Decrypt"],
    Resource: "*",
  }),
});
const grant = (role: string, bucket: string, prefix: string) => ({
  role: `\${aws_iam_role.${role}.id}`,
  policy: policy({ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `\${aws_s3_bucket.${bucket}.arn}/${prefix}*` }),
});

/** Bucket `name` shared by roles `<name>_a` (prefix a/) and `<name>_b` (prefix b/). */
function shared(name: string, keys: Record<string, object>, pins: object[] | undefined) {
  return {
    aws_s3_bucket: { [name]: { bucket_prefix: `${name}-` } },
    aws_iam_role: { [`${name}_a`]: { assume_role_policy: "{}" }, [`${name}_b`]: { assume_role_policy: "{}" } },
    aws_iam_role_policy: { [`${name}_a`]: grant(`${name}_a`, name, "a/"), [`${name}_b`]: grant(`${name}_b`, name, "b/") },
    aws_kms_key: keys,
    ...(pins ? { aws_s3_bucket_policy: { [name]: { bucket: `\${aws_s3_bucket.${name}.id}`, policy: policy(...pins) } } } : {}),
  };
}

function merge(...parts: Array<Record<string, Record<string, object>>>) {
  const out: Record<string, Record<string, object>> = {};
  for (const part of parts) for (const [type, byName] of Object.entries(part)) out[type] = { ...out[type], ...byName };
  return out;
}

describe("aws-s3-tenant-prefix-keys", () => {
  const findings = checkJson(s3TenantPrefixKeys, {
    resource: merge(
      shared("good", { good_a: keyFor("good_a"), good_b: keyFor("good_b") }, [
        pin("good", "a/", "${aws_kms_key.good_a.arn}"),
        pin("good", "b/", "${aws_kms_key.good_b.arn}"),
      ]),
      shared("unpinned", {}, undefined),
      shared("half", { half_a: keyFor("half_a") }, [pin("half", "a/", "${aws_kms_key.half_a.arn}")]),
      shared("one_key", { one_key: keyFor("one_key_a", "one_key_b") }, [
        pin("one_key", "a/", "${aws_kms_key.one_key.arn}"),
        pin("one_key", "b/", "${aws_kms_key.one_key.arn}"),
      ]),
      shared("crossed", { crossed_a: keyFor("crossed_a", "crossed_b"), crossed_b: keyFor("crossed_b") }, [
        pin("crossed", "a/", "${aws_kms_key.crossed_a.arn}"),
        pin("crossed", "b/", "${aws_kms_key.crossed_b.arn}"),
      ]),
      // A condition beyond the key's makes the deny apply to fewer requests: it pins nothing.
      shared("conditional", { conditional_a: keyFor("conditional_a"), conditional_b: keyFor("conditional_b") }, [
        pin("conditional", "a/", "${aws_kms_key.conditional_a.arn}", { StringEquals: { "aws:PrincipalTag/team": "x" } }),
        pin("conditional", "b/", "${aws_kms_key.conditional_b.arn}"),
      ]),
      shared("outside", { outside_a: keyFor("outside_a") }, [
        pin("outside", "a/", "${aws_kms_key.outside_a.arn}"),
        pin("outside", "b/", "${var.tenant_b_key}"),
      ]),
      // One tenant: nothing to keep apart.
      {
        aws_s3_bucket: { single: { bucket_prefix: "single-" } },
        aws_iam_role: { single_a: { assume_role_policy: "{}" } },
        aws_iam_role_policy: { single_a: grant("single_a", "single", "a/") },
      },
    ),
  });

  it("passes tenants held to keys of their own and fails shared, missing and crossed keys", () => {
    expect(statuses(findings)).toEqual({
      "aws_s3_bucket.good": "pass",
      "aws_s3_bucket.unpinned": "fail",
      "aws_s3_bucket.half": "fail",
      "aws_s3_bucket.one_key": "fail",
      "aws_s3_bucket.crossed": "fail",
      "aws_s3_bucket.conditional": "fail",
      // Mandatory and unknown: it fails, saying what is unknown.
      "aws_s3_bucket.outside": "fail",
    });
  });

  it("says which prefix, key or role breaks the separation", () => {
    expect(findingFor(findings, "aws_s3_bucket.good").message).toBe(
      "each tenant prefix has a key of its own ('a/' ${aws_kms_key.good_a.arn}, 'b/' ${aws_kms_key.good_b.arn}), and no tenant's role may decrypt with another's",
    );
    expect(findingFor(findings, "aws_s3_bucket.half").message).toBe(
      "aws_iam_role.half_b is granted objects under 'b/', which the bucket policy holds to no key of its own: its IAM prefix is all that separates it from the other tenants' objects",
    );
    expect(findingFor(findings, "aws_s3_bucket.one_key").message).toBe("prefixes 'a/', 'b/' share the key ${aws_kms_key.one_key.arn}");
    expect(findingFor(findings, "aws_s3_bucket.crossed").message).toBe(
      "aws_iam_role.crossed_b, granted 'b/', may decrypt with aws_kms_key.crossed_a, the key of 'a/'",
    );
    expect(findingFor(findings, "aws_s3_bucket.conditional").message).toMatch(
      /^aws_iam_role\.conditional_a is granted objects under 'a\/'/,
    );
    expect(findingFor(findings, "aws_s3_bucket.outside").message).toMatch(/^unresolved: the key of 'b\/' is .*var\.tenant_b_key/);
  });

  it("reads HCL the same way", async () => {
    const [good, ...bad] = [...s3TenantPrefixKeys.examples!.good, ...s3TenantPrefixKeys.examples!.bad];
    expect(statuses(await checkHcl(s3TenantPrefixKeys, good))).toEqual({ "aws_s3_bucket.datasets": "pass" });
    for (const example of bad) expect(statuses(await checkHcl(s3TenantPrefixKeys, example))).toEqual({ "aws_s3_bucket.datasets": "fail" });
  });
});
