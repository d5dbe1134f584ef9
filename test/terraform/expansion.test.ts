import * as path from "node:path";
import { check } from "../../lib/compliance/engine";
import { kmsKeyRotation as keyRotation } from "../../lib/rules/aws/kms/kms-key-rotation";
import { s3BucketPolicyNoPublicAllow } from "../../lib/rules/aws/s3/s3-bucket-policy-no-public-allow";
import { s3BucketCmkEncryption } from "../../lib/rules/aws/s3/s3-bucket-cmk-encryption";
import { s3BucketVersioning } from "../../lib/rules/aws/s3/s3-bucket-versioning";
import { loadTerraform } from "../../lib/terraform/load";
import { securityGroupNoOpenIngress } from "../../lib/rules/aws/network/security-group-no-open-ingress";
import { s3BucketTlsOnly } from "../../lib/rules/aws/s3/s3-bucket-tls-only";
import { iamRoleTrustNoWildcard } from "../../lib/rules/aws/iam/iam-role-trust-no-wildcard";
import { checkHcl, statuses } from "../rules/harness";

const FIXTURES = path.join(__dirname, "../fixtures/terraform");

describe("expanding Terraform as it plans", () => {
  it("follows local modules to any depth, with for_each, count and outputs, under Terraform's addresses", async () => {
    const [module] = await loadTerraform([path.join(FIXTURES, "modules/root")]);
    expect(module.resources.map((r) => r.address).sort()).toEqual([
      'module.bucket["logs"].aws_s3_bucket.this[0]',
      'module.bucket["logs"].aws_s3_bucket_server_side_encryption_configuration.this',
      'module.bucket["logs"].module.key.aws_kms_alias.this',
      'module.bucket["logs"].module.key.aws_kms_key.this[0]',
      'module.bucket["models"].aws_s3_bucket.this[0]',
      'module.bucket["models"].aws_s3_bucket_server_side_encryption_configuration.this',
      'module.bucket["models"].aws_s3_bucket_versioning.this[0]',
      'module.bucket["models"].module.key.aws_kms_alias.this',
      'module.bucket["models"].module.key.aws_kms_key.this[0]',
    ]);
    expect(module.get('module.bucket["models"].aws_s3_bucket.this[0]')?.body).toMatchObject({
      bucket: "saip-models",
      tags: { team: "ml", env: "test" },
    });
    expect(module.notFollowed).toEqual([
      {
        address: "module.vpc",
        source: "terraform-aws-modules/vpc/aws",
        reason: "only local sources (./, ../) are read; registry and git modules are not fetched",
      },
    ]);
    const findings = check([module], { rules: [s3BucketVersioning, s3BucketCmkEncryption, keyRotation] }).findings;
    expect(statuses(findings.filter((f) => f.ruleId === "aws-s3-bucket-versioning"))).toEqual({
      'module.bucket["logs"].aws_s3_bucket.this[0]': "fail",
      'module.bucket["models"].aws_s3_bucket.this[0]': "pass",
    });
    // The key reaches the bucket through two module outputs and a count.
    const cmk = findings.find(
      (f) => f.ruleId === "aws-s3-bucket-cmk-encryption" && f.resource === 'module.bucket["models"].aws_s3_bucket.this[0]',
    );
    expect(cmk?.status).toBe("pass");
    expect(cmk?.message).toBe(
      'module.bucket["models"].aws_s3_bucket_server_side_encryption_configuration.this: encrypted with the customer-managed key module.bucket["models"].module.key.aws_kms_key.this[0]',
    );
  });

  it("applies tfvars in Terraform's order, then --var-file and --var in command-line order", async () => {
    const dir = path.join(FIXTURES, "tfvars");
    const auto = check(await loadTerraform([dir]), { rules: [keyRotation] }).findings;
    // terraform.tfvars < terraform.tfvars.json < *.auto.tfvars
    expect(statuses(auto)).toMatchObject({
      "aws_kms_key.a": "pass",
      "aws_kms_key.b": "fail",
      "aws_kms_key.c": "fail",
      "aws_kms_key.d": "pass",
    });
    const given = check(
      await loadTerraform([dir], {
        assignments: [{ var: "rotate_b=true" }, { file: path.join(dir, "override.tfvars.json") }, { var: "rotate_c=true" }],
      }),
      { rules: [keyRotation] },
    ).findings;
    expect(statuses(given)).toMatchObject({ "aws_kms_key.b": "pass", "aws_kms_key.c": "pass", "aws_kms_key.d": "fail" });
  });

  it("reads TF_VAR_ environment variables below every variables file, as Terraform does", async () => {
    const dir = path.join(FIXTURES, "tfvars");
    const environment = { TF_VAR_rotate_a: "false", TF_VAR_rotate_e: "true", TF_VAR_undeclared: "[" };
    // TF_VAR_ beats a default (e, a bool given as text), loses to terraform.tfvars (a); an undeclared name is ignored.
    expect(statuses(check(await loadTerraform([dir], { environment }), { rules: [keyRotation] }).findings)).toMatchObject({
      "aws_kms_key.a": "pass",
      "aws_kms_key.e": "pass",
    });
    expect(
      statuses(
        check(await loadTerraform([dir], { environment, assignments: [{ var: "rotate_e=false" }] }), { rules: [keyRotation] }).findings,
      ),
    ).toMatchObject({ "aws_kms_key.e": "fail" });
    // Without an environment given, a library call reads none.
    expect(statuses(check(await loadTerraform([dir]), { rules: [keyRotation] }).findings)).toMatchObject({ "aws_kms_key.e": "fail" });
    await expect(loadTerraform([dir], { environment: { TF_VAR_keys: '["rotated",' } })).rejects.toThrow(/^TF_VAR_keys: /);
  });

  it("expands for_each over a set with each.key, and count 0 to nothing (HCL)", async () => {
    const findings = statuses(
      await checkHcl(
        keyRotation,
        `
      resource "aws_kms_key" "set" {
        for_each            = toset(["rotated", "plain"])
        enable_key_rotation = each.key == "rotated"
      }
      resource "aws_kms_key" "map" {
        for_each            = { blue = true, green = false }
        enable_key_rotation = each.value
      }
      resource "aws_kms_key" "none" {
        count = 0
      }
      resource "aws_kms_key" "two" {
        count               = 2
        enable_key_rotation = count.index > 0
      }`,
      ),
    );
    expect(findings).toEqual({
      'aws_kms_key.set["plain"]': "fail",
      'aws_kms_key.set["rotated"]': "pass",
      'aws_kms_key.map["blue"]': "pass",
      'aws_kms_key.map["green"]': "fail",
      "aws_kms_key.two[0]": "fail",
      "aws_kms_key.two[1]": "pass",
    });
  });

  it("keeps a policy readable when a local it embeds stays unknown and its expression has quotes", async () => {
    // cdktf writes an IRSA trust's condition keys as "${local.issuer}:sub", the local being replace(..., "https://", "").
    const findings = await checkHcl(
      iamRoleTrustNoWildcard,
      `
      resource "aws_eks_cluster" "c" {
        name = "c"
      }
      locals {
        issuer = replace(aws_eks_cluster.c.identity[0].oidc[0].issuer, "https://", "")
      }
      resource "aws_iam_role" "irsa" {
        assume_role_policy = <<EOT
{"Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/x"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"\${local.issuer}:sub":"system:serviceaccount:a:b"}}}]}
EOT
      }`,
    );
    expect(statuses(findings)).toEqual({ "aws_iam_role.irsa": "pass" });
  });

  it("expands for_each over a map and a set in Terraform JSON", async () => {
    const dir = await hclDir("", {
      variable: { keys: { default: { blue: { rotate: true }, green: { rotate: false } } } },
      resource: {
        aws_kms_key: {
          map: { for_each: "${var.keys}", enable_key_rotation: "${each.value.rotate}", description: "${each.key}" },
          set: { for_each: '${toset(["a"])}', enable_key_rotation: '${each.value == "a"}' },
        },
      },
    });
    const findings = check(await loadTerraform([dir]), { rules: [keyRotation] }).findings;
    expect(statuses(findings)).toEqual({
      'aws_kms_key.map["blue"]': "pass",
      'aws_kms_key.map["green"]': "fail",
      'aws_kms_key.set["a"]': "pass",
    });
  });

  it("keeps a template of plain references as written, with the reason its first reference gives, and evaluates any other", async () => {
    const policy = '{"Resource":["${aws_s3_bucket.b.arn}","${aws_s3_bucket.b.arn}/*"]}';
    const [module] = await loadTerraform([
      await hclDir(`
      variable "suffix" { default = "logs" }
      resource "aws_s3_bucket" "b" {}
      resource "aws_s3_bucket" "counted" { count = 1 }
      resource "aws_s3_bucket_policy" "p" {
        bucket = aws_s3_bucket.b.id
        policy = ${JSON.stringify(policy)}
      }
      resource "aws_s3_bucket_policy" "q" {
        bucket = "\${aws_s3_bucket.b.id}-\${var.suffix}"
        policy = "\${aws_s3_bucket.counted[0].arn}/*"
      }
    `),
    ]);
    expect(module.get("aws_s3_bucket_policy.p")?.body.policy).toBe(policy);
    expect(module.reasons.get(policy)).toBe("aws_s3_bucket.b is known only after apply");
    // A variable, or a resource with count (its graph key differs from its address), is evaluated.
    expect(module.get("aws_s3_bucket_policy.q")?.body.bucket).toBe("${aws_s3_bucket.b.id}-logs");
    expect(module.get("aws_s3_bucket_policy.q")?.body.policy).toMatch(/^\$\{aws_s3_bucket\.counted--\d+\.arn\}\/\*$/);
  });

  it("says why a value stays unknown in a module checked on its own", async () => {
    const [module] = await loadTerraform([path.join(FIXTURES, "modules/root/modules/bucket/modules/key/main.tf.json")]);
    expect(module.resources.map((r) => r.address)).toEqual(["aws_kms_key.this[0]", "aws_kms_alias.this"]);
    // var.alias has no value in a module checked on its own: the alias name says so.
    expect(module.get("aws_kms_alias.this")?.body.name).toBe("alias/${var.alias}");
    expect(module.reasons.get("alias/${var.alias}")).toMatch(/var\.alias has no default and no value was given/);
  });

  it("reads a plan from terraform show -json with its addresses, following after_unknown to the resource it references", async () => {
    const [module] = await loadTerraform([path.join(FIXTURES, "plan/plan.json")]);
    expect(module.resources.map((r) => r.address)).toEqual([
      "aws_kms_key.main",
      "module.s3[0].aws_s3_bucket.this[0]",
      "module.s3[0].aws_s3_bucket_policy.this[0]",
    ]);
    const findings = check([module], { rules: [keyRotation, s3BucketPolicyNoPublicAllow, s3BucketTlsOnly] }).findings;
    expect(findings.map((f) => [f.ruleId, f.resource, f.status])).toEqual([
      ["aws-kms-key-rotation", "aws_kms_key.main", "fail"],
      ["aws-s3-bucket-tls-only", "module.s3[0].aws_s3_bucket.this[0]", "fail"],
      ["aws-s3-bucket-policy-no-public-allow", "module.s3[0].aws_s3_bucket_policy.this[0]", "fail"],
    ]);
    expect(findings[2].message).toMatch(/module\.s3\[0\]\.aws_s3_bucket_policy\.this\[0\] statement 1 allows Principal "\*"/);
    // The bucket's ARN is known only after apply: the policy still finds its bucket through the reference.
    expect(findings[1].message).toMatch(/^no statement of module\.s3\[0\]\.aws_s3_bucket_policy\.this\[0\] denies/);
  });

  it("reads the idioms of real module examples without error, judging each instance", async () => {
    const [module] = await loadTerraform([path.join(FIXTURES, "idioms")]);
    expect(module.resources.map((r) => r.address)).toEqual(
      expect.arrayContaining(["aws_s3_bucket.this[0]", "aws_subnet.private[2]", 'module.sg["ssh"].aws_security_group.this']),
    );
    expect(module.get("aws_subnet.private[1]")?.body).toMatchObject({ cidr_block: "10.0.16.0/20", availability_zone: "eu-west-1b" });
    expect(module.get("aws_s3_bucket.this[0]")?.body.bucket).toMatch(/^ex-/);
    expect(module.notFollowed.map((n) => n.address)).toEqual(["module.remote"]);
    const findings = check([module], { rules: [securityGroupNoOpenIngress, s3BucketTlsOnly] }).findings;
    expect(statuses(findings)).toEqual({
      'module.sg["https"].aws_security_group.this': "pass",
      'module.sg["ssh"].aws_security_group.this': "fail",
      "aws_s3_bucket.this[0]": "pass",
    });
  });

  it("evaluates dynamic blocks per element of a known for_each", async () => {
    const [module] = await loadTerraform([
      await hclDir(`
      variable "ports" { default = [443, 8443] }
      resource "aws_security_group" "web" {
        dynamic "ingress" {
          for_each = var.ports
          content {
            from_port = ingress.value
            to_port   = ingress.value
          }
        }
      }`),
    ]);
    expect(module.get("aws_security_group.web")?.body.ingress).toEqual([
      { from_port: 443, to_port: 443 },
      { from_port: 8443, to_port: 8443 },
    ]);
  });
});

async function hclDir(text: string, json?: object): Promise<string> {
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(path.join(tmpdir(), "saip-expand-"));
  if (json) writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(json));
  else writeFileSync(path.join(dir, "main.tf"), text);
  return dir;
}
