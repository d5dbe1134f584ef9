import { defaultSecurityGroupClosed } from "../../lib/rules/aws/network/default-security-group-closed";
import { securityGroupNoOpenIngress } from "../../lib/rules/aws/network/security-group-no-open-ingress";
import { s3BucketTlsOnly } from "../../lib/rules/aws/s3/s3-bucket-tls-only";
import { addDocument } from "../../lib/terraform/load";
import { TfModule } from "../../lib/terraform/model";
import { checkHcl, checkJson, findingFor } from "../rules/harness";

const OPEN_POLICY = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }] });

describe("loading Terraform as it is written", () => {
  it("judges what a dynamic block creates (JSON)", () => {
    const doc = {
      resource: {
        aws_security_group: {
          open: {
            dynamic: {
              ingress: {
                for_each: "${var.ports}",
                content: { from_port: "${ingress.value}", to_port: "${ingress.value}", protocol: "tcp", cidr_blocks: ["0.0.0.0/0"] },
              },
            },
          },
        },
        aws_default_security_group: {
          default: {
            vpc_id: "vpc-1",
            dynamic: { egress: [{ for_each: "${var.rules}", content: [{ protocol: "-1", cidr_blocks: ["10.0.0.0/8"] }] }] },
          },
        },
      },
    };
    const before = JSON.stringify(doc);
    expect(findingFor(checkJson(securityGroupNoOpenIngress, doc), "aws_security_group.open").status).toBe("fail");
    expect(findingFor(checkJson(defaultSecurityGroupClosed, doc), "aws_default_security_group.default").status).toBe("fail");
    // The document the caller gave is left as it was.
    expect(JSON.stringify(doc)).toBe(before);
  });

  it("judges what a dynamic block creates (HCL)", async () => {
    const findings = await checkHcl(
      securityGroupNoOpenIngress,
      `resource "aws_security_group" "open" {
         dynamic "ingress" {
           for_each = var.ports
           content {
             from_port   = ingress.value
             to_port     = ingress.value
             protocol    = "tcp"
             cidr_blocks = ["0.0.0.0/0"]
           }
         }
       }`,
    );
    expect(findingFor(findings, "aws_security_group.open").status).toBe("fail");
  });

  it("follows locals to what a configuration resource attaches to", () => {
    const findings = checkJson(s3BucketTlsOnly, {
      locals: { data_bucket: "${aws_s3_bucket.data.id}" },
      resource: { aws_s3_bucket: { data: {} }, aws_s3_bucket_policy: { data: { bucket: "${local.data_bucket}", policy: OPEN_POLICY } } },
    });
    // The bucket's finding reads the policy the local points at.
    expect(findingFor(findings, "aws_s3_bucket.data").message).toMatch(/^no statement of aws_s3_bucket_policy\.data denies/);
  });

  it("keeps the terraform blocks of every file, and refuses a second backend", () => {
    const module = new TfModule("m");
    addDocument(module, { terraform: { required_providers: { aws: { source: "hashicorp/aws" } } } }, "versions.tf.json");
    addDocument(module, { terraform: [{ backend: { s3: { bucket: "state" } } }] }, "backend.tf.json");
    expect(module.terraform).toEqual({ required_providers: { aws: { source: "hashicorp/aws" } }, backend: { s3: { bucket: "state" } } });
    expect(module.settings).toMatchObject({ address: "terraform", type: "terraform", body: module.terraform });
    expect(module.resources).toEqual([]);
    expect(() => addDocument(module, { terraform: { backend: { local: {} } } }, "other.tf.json")).toThrow(
      "other.tf.json: a module has one backend; another terraform block of module 'm' declares one already.",
    );
  });
});
