import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { check } from "../../lib/compliance/engine";
import { s3BucketTlsOnly } from "../../lib/rules/aws/s3/s3-bucket-tls-only";
import { loadTerraform } from "../../lib/terraform/load";
import { statuses } from "../rules/harness";

const DENY_PLAIN_HTTP = (bucket: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });

/** A root module in root/, with a local module in root/mod and a file beside root/ that it must not read. */
function tree(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "saip-files-"));
  const root = path.join(dir, "root");
  mkdirSync(path.join(root, "mod"), { recursive: true });
  writeFileSync(path.join(dir, "outside.json"), DENY_PLAIN_HTTP("c"));
  writeFileSync(path.join(root, "deny-tls.json"), DENY_PLAIN_HTTP("data"));
  writeFileSync(
    path.join(root, "main.tf"),
    `
    resource "aws_s3_bucket" "b" { bucket = "data" }
    resource "aws_s3_bucket_policy" "from_file" {
      bucket = aws_s3_bucket.b.id
      policy = file("\${path.module}/deny-tls.json")
    }
    resource "aws_s3_bucket" "c" { bucket = "c" }
    resource "aws_s3_bucket_policy" "outside" {
      bucket = aws_s3_bucket.c.id
      policy = file("../outside.json")
    }
    resource "aws_s3_bucket" "d" { bucket = "d" }
    resource "aws_s3_bucket_policy" "missing" {
      bucket = aws_s3_bucket.d.id
      policy = file("missing.json")
    }
    module "m" {
      source = "./mod"
      name   = "models"
    }`,
  );
  writeFileSync(path.join(root, "mod", "policy.tftpl"), DENY_PLAIN_HTTP("${bucket}"));
  writeFileSync(
    path.join(root, "mod", "main.tf"),
    `
    variable "name" {}
    resource "aws_s3_bucket" "this" { bucket = var.name }
    resource "aws_s3_bucket_policy" "this" {
      bucket = aws_s3_bucket.this.id
      policy = templatefile("\${path.module}/policy.tftpl", { bucket = var.name })
    }`,
  );
  return root;
}

describe("file() and templatefile()", () => {
  it("read files of the checked modules relative to the root module, render templates with their variables, and stay unknown outside them", async () => {
    const [module] = await loadTerraform([tree()]);
    expect(module.get("aws_s3_bucket_policy.from_file")?.body.policy).toBe(DENY_PLAIN_HTTP("data"));
    expect(module.get("module.m.aws_s3_bucket_policy.this")?.body.policy).toBe(DENY_PLAIN_HTTP("models"));
    const outside = module.get("aws_s3_bucket_policy.outside")?.body.policy as string;
    expect(module.reasons.get(outside)).toBe("../outside.json lies outside the folders being checked, so it is not read");
    const missing = module.get("aws_s3_bucket_policy.missing")?.body.policy as string;
    expect(module.reasons.get(missing)).toMatch(/^missing\.json cannot be read \(ENOENT\); Terraform would stop at plan$/);
    // What cannot be read fails closed: the buckets whose policy it is are unresolved, never passed.
    const findings = check([module], { rules: [s3BucketTlsOnly] }).findings;
    expect(statuses(findings)).toEqual({
      "aws_s3_bucket.b": "pass",
      "aws_s3_bucket.c": "fail",
      "aws_s3_bucket.d": "fail",
      "module.m.aws_s3_bucket.this": "pass",
    });
    expect(findings.filter((f) => f.unresolved).map((f) => f.resource)).toEqual(["aws_s3_bucket.c", "aws_s3_bucket.d"]);
  });

  it("refuses what Terraform refuses: a template naming what it was not given, templatefile inside a template", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "saip-files-"));
    writeFileSync(path.join(root, "uses-var.tftpl"), "${var.secret}");
    writeFileSync(path.join(root, "nested.tftpl"), '${templatefile("uses-var.tftpl", {})}');
    writeFileSync(
      path.join(root, "main.tf"),
      `
      variable "secret" { default = "x" }
      resource "aws_s3_bucket" "a" { bucket = templatefile("uses-var.tftpl", {}) }
      resource "aws_s3_bucket" "b" { bucket = templatefile("nested.tftpl", {}) }`,
    );
    const [module] = await loadTerraform([root]);
    const reason = (address: string) => module.reasons.get(module.get(address)?.body.bucket as string);
    expect(reason("aws_s3_bucket.a")).toMatch(
      /the template uses-var\.tftpl refers to var, which is not among the variables templatefile gives it/,
    );
    expect(reason("aws_s3_bucket.b")).toMatch(/templatefile cannot be called from inside a template templatefile renders/);
  });
});
