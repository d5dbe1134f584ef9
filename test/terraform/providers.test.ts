import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { addDocument, loadTerraform } from "../../lib/terraform/load";
import { providerKey, TfModule } from "../../lib/terraform/model";
import { planModule } from "../../lib/terraform/plan";

const ARCHIVE_ROLE = "arn:aws:iam::222222222222:role/log-archive-writer";

describe("provider configurations", () => {
  it("keeps cdktf's provider lists keyed as Terraform addresses them, and each resource's provider", () => {
    const module = new TfModule("m");
    addDocument(
      module,
      {
        provider: { aws: [{ region: "eu-west-1" }, { alias: "archive", region: "eu-west-1", assume_role: [{ role_arn: ARCHIVE_ROLE }] }] },
        resource: { aws_s3_bucket: { trail: { provider: "aws.archive" }, data: {} } },
      },
      "cdk.tf.json",
    );
    expect([...module.providers.keys()]).toEqual(["aws", "aws.archive"]);
    expect(module.providers.get("aws.archive")).toMatchObject({ assume_role: [{ role_arn: ARCHIVE_ROLE }] });
    expect(module.resources.map(providerKey)).toEqual(["aws.archive", "aws"]);
  });

  it("refuses two configurations with one address, naming the file", () => {
    const module = new TfModule("m");
    addDocument(module, { provider: { aws: { region: "eu-west-1" } } }, "a.tf.json");
    expect(() => addDocument(module, { provider: { aws: [{ region: "us-east-1" }] } }, "b.tf.json")).toThrow(
      "b.tf.json: provider configuration aws is declared twice.",
    );
    expect(() => addDocument(module, { provider: { aws: [{ alias: 3 }] } }, "c.tf.json")).toThrow(
      "c.tf.json: provider.aws.alias must be a string.",
    );
  });

  it("reads HCL provider blocks and `provider = aws.archive`", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "providers-"));
    writeFileSync(
      path.join(dir, "main.tf"),
      `provider "aws" { region = "eu-west-1" }
       provider "aws" {
         alias = "archive"
         assume_role { role_arn = "${ARCHIVE_ROLE}" }
       }
       resource "aws_s3_bucket" "trail" { provider = aws.archive }`,
    );
    const [module] = await loadTerraform([dir]);
    expect(module.providers.get("aws.archive")).toEqual({ alias: "archive", assume_role: [{ role_arn: ARCHIVE_ROLE }] });
    expect(providerKey(module.get("aws_s3_bucket.trail")!)).toBe("aws.archive");
  });

  it("reads a plan's provider_config and each root resource's provider_config_key", () => {
    const module = planModule(
      "plan",
      {
        format_version: "1.2",
        planned_values: {
          root_module: {
            resources: [{ address: "aws_s3_bucket.trail", mode: "managed", type: "aws_s3_bucket", name: "trail", values: {} }],
          },
        },
        configuration: {
          provider_config: {
            aws: { name: "aws", expressions: { region: { constant_value: "eu-west-1" } } },
            "aws.archive": {
              name: "aws",
              alias: "archive",
              expressions: { assume_role: [{ role_arn: { constant_value: ARCHIVE_ROLE } }], region: { references: ["var.region"] } },
            },
            "module.eks:aws": { name: "aws" },
          },
          root_module: { resources: [{ address: "aws_s3_bucket.trail", provider_config_key: "aws.archive", expressions: {} }] },
        },
      },
      "plan.json",
    );
    expect([...module.providers.keys()]).toEqual(["aws", "aws.archive"]);
    expect(module.providers.get("aws.archive")).toEqual({
      alias: "archive",
      assume_role: [{ role_arn: ARCHIVE_ROLE }],
      region: "${var.region}",
    });
    expect(providerKey(module.get("aws_s3_bucket.trail")!)).toBe("aws.archive");
  });
});
