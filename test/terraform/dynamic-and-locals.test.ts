import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { check } from "../../lib/compliance/engine";
import { Finding } from "../../lib/compliance/finding";
import { Rule } from "../../lib/compliance/rule";
import { securityGroupNoOpenIngress } from "../../lib/rules/aws/network/security-group-no-open-ingress";
import { s3BucketPolicyNoPublicAllow } from "../../lib/rules/aws/s3/s3-bucket-policy-no-public-allow";
import { containerNotPrivileged } from "../../lib/rules/kubernetes/container-not-privileged";
import { loadTerraform } from "../../lib/terraform/load";
import { checkJson } from "../rules/harness";

// What a regression in loading would let through: a privileged container, SSH open to the world, a public bucket
// policy. Each case is read three ways, as `saip check` reads them: HCL, a .tf.json file, and JSON given in code.

/** Findings of `rule` over one file written to a fresh folder and loaded as `saip check` loads it. */
async function checkFile(rule: Rule, name: string, text: string): Promise<readonly Finding[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "saip-load-"));
  writeFileSync(path.join(dir, name), text);
  return check(await loadTerraform([dir]), { rules: [rule] }).findings;
}

const summary = (findings: readonly Finding[]) => findings.map((f) => `${f.resource} ${f.status}${f.unresolved ? " (unresolved)" : ""}`);

describe("a dynamic block nested in a list-form block", () => {
  const HCL = `
    resource "kubernetes_pod" "p" {
      metadata { name = "p" }
      spec {
        container {
          name  = "app"
          image = "registry.example/app@sha256:${"a".repeat(64)}"
        }
        dynamic "container" {
          for_each = var.sidecars
          content {
            name  = container.value
            image = "registry.example/side@sha256:${"b".repeat(64)}"
            security_context { privileged = true }
          }
        }
      }
    }`;
  const JSON_DOC = {
    resource: {
      kubernetes_pod: {
        p: {
          metadata: [{ name: "p" }],
          spec: [
            {
              container: [{ name: "app", image: `registry.example/app@sha256:${"a".repeat(64)}` }],
              dynamic: {
                container: [
                  {
                    for_each: "${var.sidecars}",
                    content: [{ name: "${container.value}", image: "x", security_context: [{ privileged: true }] }],
                  },
                ],
              },
            },
          ],
        },
      },
    },
  };

  it("makes the container it creates judged, beside the written one (HCL)", async () => {
    const findings = await checkFile(containerNotPrivileged, "main.tf", HCL);
    expect(summary(findings)).toEqual(["kubernetes_pod.p fail"]);
    expect(findings[0].message).toContain("security_context.privileged is true");
  });

  it("makes the container it creates judged, beside the written one (.tf.json)", async () => {
    const findings = await checkFile(containerNotPrivileged, "main.tf.json", JSON.stringify(JSON_DOC));
    expect(summary(findings)).toEqual(["kubernetes_pod.p fail"]);
    expect(findings[0].message).toContain("security_context.privileged is true");
  });

  it("makes the container it creates judged, beside the written one (JSON in code)", () => {
    const findings = checkJson(containerNotPrivileged, JSON_DOC);
    expect(summary(findings)).toEqual(["kubernetes_pod.p fail"]);
    expect(findings[0].message).toContain("security_context.privileged is true");
  });

  it("passes when neither the written nor the dynamic container is privileged", async () => {
    expect(summary(await checkFile(containerNotPrivileged, "main.tf", HCL.replace("privileged = true", "privileged = false")))).toEqual([
      "kubernetes_pod.p pass",
    ]);
    const safe = structuredClone(JSON_DOC);
    safe.resource.kubernetes_pod.p.spec[0].dynamic.container[0].content[0].security_context[0].privileged = false;
    expect(summary(checkJson(containerNotPrivileged, safe))).toEqual(["kubernetes_pod.p pass"]);
  });
});

describe("a dynamic block beside written blocks of the same name", () => {
  const HCL = (dynamicCidr: string) => `
    resource "aws_security_group" "sg" {
      name   = "sg"
      vpc_id = "vpc-1"
      ingress {
        from_port   = 443
        to_port     = 443
        protocol    = "tcp"
        cidr_blocks = ["10.0.0.0/8"]
      }
      dynamic "ingress" {
        for_each = [22]
        content {
          from_port   = ingress.value
          to_port     = ingress.value
          protocol    = "tcp"
          cidr_blocks = ["${dynamicCidr}"]
        }
      }
    }`;
  const JSON_DOC = (dynamicCidr: string) => ({
    resource: {
      aws_security_group: {
        sg: {
          name: "sg",
          vpc_id: "vpc-1",
          ingress: [{ from_port: 443, to_port: 443, protocol: "tcp", cidr_blocks: ["10.0.0.0/8"] }],
          dynamic: {
            ingress: {
              for_each: "${var.ports}",
              content: { from_port: "${ingress.value}", to_port: "${ingress.value}", protocol: "tcp", cidr_blocks: [dynamicCidr] },
            },
          },
        },
      },
    },
  });

  it("judges the written and the dynamic rules together: SSH open to the world fails (HCL, known for_each)", async () => {
    const findings = await checkFile(securityGroupNoOpenIngress, "main.tf", HCL("0.0.0.0/0"));
    expect(summary(findings)).toEqual(["aws_security_group.sg fail"]);
    expect(findings[0].message).toMatch(/0\.0\.0\.0\/0/);
    expect(summary(await checkFile(securityGroupNoOpenIngress, "main.tf", HCL("10.1.0.0/16")))).toEqual(["aws_security_group.sg pass"]);
  });

  it("judges the written and the dynamic rules together (.tf.json and JSON in code)", async () => {
    const open = JSON_DOC("0.0.0.0/0");
    expect(summary(await checkFile(securityGroupNoOpenIngress, "main.tf.json", JSON.stringify(open)))).toEqual([
      "aws_security_group.sg fail",
    ]);
    expect(summary(checkJson(securityGroupNoOpenIngress, open))).toEqual(["aws_security_group.sg fail"]);
    // The written rule alone is closed: it is the dynamic one that opens the group.
    const closed = JSON_DOC("10.1.0.0/16");
    expect(summary(checkJson(securityGroupNoOpenIngress, closed)).map((s) => s.replace(" (unresolved)", ""))).toEqual([
      "aws_security_group.sg pass",
    ]);
  });

  it("keeps the written block when the dynamic one is added (the open written rule still fails)", () => {
    const doc = JSON_DOC("10.1.0.0/16");
    doc.resource.aws_security_group.sg.ingress[0] = { from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: ["0.0.0.0/0"] };
    expect(summary(checkJson(securityGroupNoOpenIngress, doc))).toEqual(["aws_security_group.sg fail"]);
  });
});

describe("HCL locals blocks", () => {
  const OPEN = `jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*" }] })`;
  const HCL = (policy: string) => `
    locals {
      bucket = aws_s3_bucket.data.id
    }
    locals {
      policy = ${policy}
    }
    resource "aws_s3_bucket" "data" {
      bucket = "data"
    }
    resource "aws_s3_bucket_policy" "data" {
      bucket = local.bucket
      policy = local.policy
    }`;

  it("are read, every one of them: a public policy given through a local fails as public, not as unknown", async () => {
    const findings = await checkFile(s3BucketPolicyNoPublicAllow, "main.tf", HCL(OPEN));
    expect(summary(findings)).toEqual(["aws_s3_bucket_policy.data fail"]);
    expect(findings[0].message).toMatch(/every principal|\*/);
  });

  it("are read from a .tf.json file, as a list of blocks too", async () => {
    const doc = {
      locals: [
        { bucket: "${aws_s3_bucket.data.id}" },
        { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }] }) },
      ],
      resource: {
        aws_s3_bucket: { data: { bucket: "data" } },
        aws_s3_bucket_policy: { data: { bucket: "${local.bucket}", policy: "${local.policy}" } },
      },
    };
    expect(summary(await checkFile(s3BucketPolicyNoPublicAllow, "main.tf.json", JSON.stringify(doc)))).toEqual([
      "aws_s3_bucket_policy.data fail",
    ]);
    expect(summary(checkJson(s3BucketPolicyNoPublicAllow, doc))).toEqual(["aws_s3_bucket_policy.data fail"]);
  });

  it("pass a policy a local names only the account's principals", async () => {
    const named = `jsonencode({ Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "s3:GetObject", Resource = "*" }] })`;
    expect(summary(await checkFile(s3BucketPolicyNoPublicAllow, "main.tf", HCL(named)))).toEqual(["aws_s3_bucket_policy.data pass"]);
  });
});
