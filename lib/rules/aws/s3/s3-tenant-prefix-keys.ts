import { Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { attached, blocksOf, describe, rawAt, resolve } from "../../helpers";
import { keyAllows } from "../../policies/key-access";
import { judge } from "../../policies/statements";
import { objectNeed, requestsOf } from "../kms/key-consumers";
import { keyStatements } from "../kms/kms-key-usable-by-consumers";
import { BucketObjectGrant, bucketObjectGrants, PrefixPin, prefixPins, within } from "./prefix-keys";
import { bucketPolicySources } from "./util";

/** The top-level prefix (`tenant-a/`) a granted object pattern stays under, or undefined when it reaches the whole bucket. */
function topPrefix(pattern: string): string | undefined {
  const wildcard = pattern.search(/[*?]/);
  const fixed = wildcard < 0 ? pattern : pattern.slice(0, wildcard);
  const slash = fixed.indexOf("/");
  return slash > 0 ? fixed.slice(0, slash + 1) : undefined;
}

/** The roles granted objects under one top-level prefix only, with that prefix: the bucket's tenants. */
function prefixTenants(bucket: TfResource): Array<{ grant: BucketObjectGrant; prefix: string }> {
  return bucketObjectGrants(bucket).flatMap((grant) => {
    const prefixes = [...new Set(grant.patterns.map(topPrefix))];
    return prefixes.length === 1 && prefixes[0] !== undefined ? [{ grant, prefix: prefixes[0] }] : [];
  });
}

/** The key the bucket's default encryption names, as written. */
function defaultKey(bucket: TfResource): string | undefined {
  for (const config of attached(bucket, "aws_s3_bucket_server_side_encryption_configuration", "bucket", "bucket")) {
    for (const rule of blocksOf(config.body.rule)) {
      const key = rawAt(rule, "apply_server_side_encryption_by_default.kms_master_key_id");
      if (typeof key === "string") return key;
    }
  }
  return undefined;
}

const GOOD = `
      resource "aws_s3_bucket" "datasets" {
        bucket = "platform-datasets"
      }

      resource "aws_kms_key" "tenant_a" {
        enable_key_rotation = true
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect    = "Allow"
            Principal = { AWS = aws_iam_role.tenant_a.arn }
            Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
            Resource  = "*"
          }]
        })
      }

      resource "aws_kms_key" "tenant_b" {
        enable_key_rotation = true
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect    = "Allow"
            Principal = { AWS = aws_iam_role.tenant_b.arn }
            Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
            Resource  = "*"
          }]
        })
      }

      resource "aws_s3_bucket_policy" "datasets" {
        bucket = aws_s3_bucket.datasets.id
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [
            {
              Effect    = "Deny"
              Principal = "*"
              Action    = "s3:PutObject"
              Resource  = "\${aws_s3_bucket.datasets.arn}/tenant-a/*"
              Condition = {
                StringNotEquals = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = aws_kms_key.tenant_a.arn }
                Null            = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = "false" }
              }
            },
            {
              Effect    = "Deny"
              Principal = "*"
              Action    = "s3:PutObject"
              Resource  = "\${aws_s3_bucket.datasets.arn}/tenant-b/*"
              Condition = {
                StringNotEquals = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = aws_kms_key.tenant_b.arn }
                Null            = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = "false" }
              }
            }
          ]
        })
      }

      resource "aws_iam_role" "tenant_a" {
        assume_role_policy = "{}"
      }

      resource "aws_iam_role" "tenant_b" {
        assume_role_policy = "{}"
      }

      resource "aws_iam_role_policy" "tenant_a" {
        role = aws_iam_role.tenant_a.id
        policy = jsonencode({
          Version   = "2012-10-17"
          Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"], Resource = "\${aws_s3_bucket.datasets.arn}/tenant-a/*" }]
        })
      }

      resource "aws_iam_role_policy" "tenant_b" {
        role = aws_iam_role.tenant_b.id
        policy = jsonencode({
          Version   = "2012-10-17"
          Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"], Resource = "\${aws_s3_bucket.datasets.arn}/tenant-b/*" }]
        })
      }
`;

export const s3TenantPrefixKeys: Rule = {
  id: "aws-s3-tenant-prefix-keys",
  title: "Tenants that share a bucket by prefix each have their objects under a key of their own",
  requirements: ["AICP-TENANT-10"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_s3_bucket"],
  effect:
    "Where roles are granted objects under two or more prefixes of one bucket, the bucket policy holds each granted prefix to a key of its own (it denies s3:PutObject there naming any other key), no two prefixes and not the bucket's default share a key, and no role granted one prefix may decrypt with another prefix's key.",
  remediation:
    "Give each tenant a key and pin it to the tenant's prefix (SecureBucket.encryptPrefixWith does both sides): a bucket policy Deny of s3:PutObject on `<bucket ARN>/<tenant>/*` when `s3:x-amz-server-side-encryption-aws-kms-key-id` is present and not the tenant key's ARN, and grants that give each tenant's roles its own key only.",
  examples: {
    good: [GOOD],
    bad: [
      // The same tenants without the pins: an IAM prefix is all that keeps one tenant from the other's data.
      GOOD.replace(/resource "aws_s3_bucket_policy" "datasets" \{[\s\S]*?\n {6}\}\n/, ""),
      // Tenant b's role may decrypt with tenant a's key.
      GOOD.replace(
        "Principal = { AWS = aws_iam_role.tenant_a.arn }",
        "Principal = { AWS = [aws_iam_role.tenant_a.arn, aws_iam_role.tenant_b.arn] }",
      ),
    ],
  },
  applies: (bucket) => new Set(prefixTenants(bucket).map((t) => t.prefix)).size >= 2,
  check(bucket) {
    const tenants = prefixTenants(bucket);
    const pins = prefixPins(bucket);
    const policy = bucketPolicySources(bucket)[0];
    const problems: string[] = [];
    const unknowns: Outcome[] = [];
    const pinOf = new Map<BucketObjectGrant, PrefixPin>();
    for (const { grant, prefix } of tenants) {
      const pin = pins.find((p) => grant.patterns.every((pattern) => within(pattern, p.prefix)));
      if (pin) pinOf.set(grant, pin);
      else
        problems.push(
          `${grant.role.address} is granted objects under '${prefix}', which the bucket policy holds to no key of its own: its IAM prefix is all that separates it from the other tenants' objects`,
        );
    }
    const used = [...new Set(pinOf.values())];
    const byKey = new Map<string, string[]>();
    used.forEach((pin) => byKey.set(pin.key, [...(byKey.get(pin.key) ?? []), pin.prefix]));
    for (const [key, prefixes] of byKey)
      if (prefixes.length > 1) problems.push(`prefixes ${prefixes.map((p) => `'${p}'`).join(", ")} share the key ${key}`);
    const fallback = defaultKey(bucket);
    for (const pin of used)
      if (pin.key === fallback) problems.push(`'${pin.prefix}' is held to the bucket's default key ${pin.key}, which every writer uses`);

    // No tenant's role may decrypt with another tenant's key, whatever its IAM policy grants of the bucket.
    for (const [grant, own] of pinOf) {
      const decrypt = requestsOf(objectNeed(grant)).filter((r) => r.action === "kms:Decrypt");
      for (const other of used.filter((pin) => pin.key !== own.key)) {
        const target = resolve(policy ?? bucket, other.key);
        if (target.state !== "reference" || target.target.type !== "aws_kms_key") {
          unknowns.push(
            unresolved(`the key of '${other.prefix}' is ${describe(target)}, not a key of this module: who may decrypt with it is unknown`),
          );
          continue;
        }
        const statements = keyStatements(target.target);
        if ("status" in statements) {
          unknowns.push(unresolved(`the policy of ${target.target.address} cannot be read: ${statements.message}`));
          continue;
        }
        const verdicts = decrypt.map((request) => keyAllows(statements, request).verdict);
        if (verdicts.includes("yes"))
          problems.push(
            `${grant.role.address}, granted '${own.prefix}', may decrypt with ${target.target.address}, the key of '${other.prefix}'`,
          );
        else if (verdicts.includes("unknown"))
          unknowns.push(
            unresolved(
              `whether ${grant.role.address} may decrypt with ${target.target.address} (of '${other.prefix}') is known only at apply`,
            ),
          );
      }
    }
    if (problems.length === 0 && unknowns.length === 0 && used.length === 0) return pass("no role is granted a prefix of the bucket");
    return judge(
      problems,
      unknowns,
      `each tenant prefix has a key of its own (${used.map((p) => `'${p.prefix}' ${p.key}`).join(", ")}), and no tenant's role may decrypt with another's`,
    );
  },
};
