import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { parse } from "@cdktf/hcl2json";
import { Testing } from "cdktf";
import { Json } from "../../lib/terraform/model";
import { formatIssue, loadProviderSchemas, validateModules } from "../../lib/schema/validate";

const schemas = loadProviderSchemas();

/** The issues of one JSON document, as `saip validate` prints them. */
const json = (doc: Json) => validateModules([[{ file: "main.tf.json", doc, hcl: false }]], schemas).issues.map(formatIssue);

/** The issues of one HCL file, converted the way `saip validate` reads .tf files. */
async function hcl(text: string): Promise<string[]> {
  const doc = (await parse("main.tf", text)) as Json;
  return validateModules([[{ file: "main.tf", doc, hcl: true }]], schemas).issues.map(formatIssue);
}

const versioning = (body: Record<string, Json>) => ({ resource: { aws_s3_bucket_versioning: { models: body } } });

describe("validating against the provider schemas", () => {
  it("names an addOverride typo on a construct with the file, address, attribute path and the right name", () => {
    const synthesized = Testing.synthScope((scope) => {
      const bucket = new S3Bucket(scope, "Models", { bucketPrefix: "models" });
      const versioningResource = new S3BucketVersioningA(scope, "Versioning", {
        bucket: bucket.id,
        versioningConfiguration: { status: "Enabled" },
      });
      versioningResource.addOverride("versioning_configuration.stauts", "Enabled");
      bucket.addOverride("forceDestroy", false);
    });
    expect(json(JSON.parse(synthesized))).toEqual([
      'main.tf.json: aws_s3_bucket.Models: forceDestroy: is not an argument or block of aws_s3_bucket. Did you mean "force_destroy"? Terraform names are snake_case.',
      'main.tf.json: aws_s3_bucket_versioning.Versioning: versioning_configuration.stauts: is not an argument or block of the versioning_configuration block. Did you mean "status"?',
    ]);
  });

  it("names a missing required argument and a missing required block, in JSON and HCL", async () => {
    const expected = [
      "main.tf: aws_s3_bucket_versioning.models: bucket: is a required argument, but is not set.",
      'main.tf: aws_s3_bucket_versioning.models: versioning_configuration: is a required block: at least one "versioning_configuration" block must be given.',
    ];
    expect(json(versioning({ region: "eu-west-1" }))).toEqual(expected.map((e) => e.replace("main.tf:", "main.tf.json:")));
    expect(await hcl('resource "aws_s3_bucket_versioning" "models" {\n  region = "eu-west-1"\n}\n')).toEqual(expected);
    expect(json(versioning({ bucket: "b", versioning_configuration: {} }))).toEqual([
      "main.tf.json: aws_s3_bucket_versioning.models: versioning_configuration.status: is a required argument, but is not set.",
    ]);
  });

  it("names a block given as an attribute", async () => {
    expect(
      await hcl('resource "aws_s3_bucket_versioning" "models" {\n  bucket = "b"\n  versioning_configuration = { status = "Enabled" }\n}\n'),
    ).toEqual([
      'main.tf: aws_s3_bucket_versioning.models: versioning_configuration: is a nested block, not an attribute: write versioning_configuration { ... } without "=".',
    ]);
    expect(json(versioning({ bucket: "b", versioning_configuration: "Enabled" }))).toEqual([
      'main.tf.json: aws_s3_bucket_versioning.models: versioning_configuration: is a nested block, but is given the string "Enabled"; a block is an object or a list of objects.',
    ]);
    // Terraform JSON has no expressions for blocks: cdktf writes a token given for a block this way, and terraform rejects it.
    expect(json(versioning({ bucket: "b", versioning_configuration: "${var.versioning}" }))).toEqual([
      'main.tf.json: aws_s3_bucket_versioning.models: versioning_configuration: is a nested block, which cannot be set from an expression; generate the blocks with a dynamic "versioning_configuration" block.',
    ]);
    expect(json(versioning({ bucket: "b", versioning_configuration: [{ status: "Enabled" }, { status: "Suspended" }] }))).toEqual([
      "main.tf.json: aws_s3_bucket_versioning.models: versioning_configuration: allows at most one block, but 2 are given.",
    ]);
  });

  it("names an attribute given as a block", async () => {
    expect(await hcl('resource "aws_s3_bucket" "models" {\n  tags {\n    team = "ml"\n  }\n}\n')).toEqual([
      "main.tf: aws_s3_bucket.models: tags: is an attribute of type map(string), but is given a list; write tags = { ... }, not a block.",
    ]);
    expect(json({ resource: { aws_s3_bucket: { models: { bucket: { name: "models" } } } } })).toEqual([
      "main.tf.json: aws_s3_bucket.models: bucket: is an attribute of type string, but is given an object.",
    ]);
    expect(json({ resource: { aws_security_group: { sg: { ingress: { from_port: 443, to_port: 443, protocol: "tcp" } } } } })).toEqual([
      "main.tf.json: aws_security_group.sg: ingress: expects a set(object), but is given an object.",
    ]);
  });

  it("names values no conversion makes fit, and keys an object attribute would drop", () => {
    expect(json({ resource: { aws_kms_key: { k: { enable_key_rotation: "yes", deletion_window_in_days: "thirty" } } } })).toEqual([
      'main.tf.json: aws_kms_key.k: enable_key_rotation: expects a bool, but is given the string "yes".',
      'main.tf.json: aws_kms_key.k: deletion_window_in_days: expects a number, but is given the string "thirty".',
    ]);
    expect(
      json({
        resource: {
          aws_security_group: { sg: { ingress: [{ from_port: 443, to_port: 443, protocol: "tcp", cidr_block: ["10.0.0.0/8"] }] } },
        },
      }),
    ).toEqual([
      'main.tf.json: aws_security_group.sg: ingress[0].cidr_block: is not an attribute of this object, and Terraform would drop it without a word. Did you mean "cidr_blocks"?',
    ]);
  });

  it("names unknown resource types and data sources with the closest one", () => {
    expect(
      json({ resource: { aws_s3_bucket_versionning: { x: { bucket: "b" } } }, data: { aws_iam_policy_documents: { p: {} } } }),
    ).toEqual([
      'main.tf.json: aws_s3_bucket_versionning.x: hashicorp/aws 6.25.0 has no resource type "aws_s3_bucket_versionning". Did you mean "aws_s3_bucket_versioning"?',
      'main.tf.json: data.aws_iam_policy_documents.p: hashicorp/aws 6.25.0 has no data source "aws_iam_policy_documents". Did you mean "aws_iam_policy_document"?',
    ]);
  });

  it("checks provider blocks, lifecycle, dynamic blocks and outputs", () => {
    expect(
      json({
        provider: {
          aws: [
            { region: "eu-west-1", assume_role: [{ role_arn: "arn" }], regoin: "x" },
            { alias: "us", region: "us-east-1" },
          ],
        },
        resource: {
          aws_s3_bucket: { b: { lifecycle: { ignore_change: ["tags"] }, dynamic: { tags: { for_each: "${var.x}", content: {} } } } },
          aws_security_group: { sg: { dynamic: { ingress: { content: { from_port: 1 } } } } },
        },
        output: { o: { description: "x" } },
        terraform: { required_provider: { aws: { source: "hashicorp/aws" } } },
      }),
    ).toEqual([
      'main.tf.json: aws_s3_bucket.b: lifecycle.ignore_change: is not a lifecycle argument. Did you mean "ignore_changes"?',
      'main.tf.json: aws_s3_bucket.b: dynamic.tags: generates "tags" blocks, but "tags" is an attribute, not a block.',
      "main.tf.json: aws_security_group.sg: dynamic.ingress.for_each: is required in a dynamic block, but is not set.",
      'main.tf.json: provider.aws[0]: regoin: is not an argument or block of provider aws. Did you mean "region"?',
      "main.tf.json: output.o: value: is required in an output, but is not set.",
      'main.tf.json: terraform: required_provider: is not an argument or block of the terraform block. Did you mean "required_providers"?',
    ]);
  });

  it("accepts what Terraform accepts: meta-arguments, expressions, conversions, dynamic and HCL block syntax for object lists", async () => {
    expect(
      json({
        "//": { metadata: { version: "0.21.0" } },
        terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" } } },
        provider: { aws: [{ region: "eu-west-1", default_tags: [{ tags: { team: "ml" } }] }] },
        resource: {
          aws_s3_bucket_versioning: {
            v: {
              "//": { metadata: { path: "stack/v" } },
              count: 2,
              provider: "aws.us",
              depends_on: ["aws_s3_bucket.b"],
              lifecycle: { prevent_destroy: true, ignore_changes: ["tags"] },
              bucket: "${aws_s3_bucket.b[count.index].id}",
              dynamic: { versioning_configuration: { for_each: "${var.v}", content: { status: "${versioning_configuration.value}" } } },
            },
          },
          aws_s3_bucket: { b: { count: 2, bucket_prefix: "b" } },
          aws_kms_key: { k: { enable_key_rotation: "true", deletion_window_in_days: "30", policy: 7 } },
          aws_security_group: {
            sg: {
              ingress: [
                {
                  from_port: 443,
                  to_port: 443,
                  protocol: "tcp",
                  cidr_blocks: ["10.0.0.0/8"],
                  description: null,
                  ipv6_cidr_blocks: null,
                  prefix_list_ids: null,
                  security_groups: null,
                  self: null,
                },
              ],
            },
          },
        },
        data: { aws_iam_policy_document: { p: { statement: [{ actions: ["s3:GetObject"], resources: ["*"] }] } } },
        output: { o: { value: "${aws_kms_key.k.arn}", sensitive: true } },
      }),
    ).toEqual([]);
    expect(
      await hcl(
        'resource "aws_security_group" "sg" {\n  ingress {\n    from_port = 443\n    to_port = 443\n    protocol = "tcp"\n  }\n  tags = { team = "ml" }\n}\n' +
          'resource "aws_s3_bucket" "b" {}\nresource "aws_s3_bucket_versioning" "v" {\n  bucket = aws_s3_bucket.b.id\n  versioning_configuration {\n    status = "Enabled"\n  }\n}\n',
      ),
    ).toEqual([]);
  });

  it("names references to resources and data sources the module does not declare, and attributes they do not have", () => {
    const doc = {
      data: { aws_region: { current: {} } },
      resource: {
        aws_s3_bucket: {
          models: {
            bucket_prefix: "models-${data.aws_region.current.region}",
            tags: { a: "${aws_s3_bucket.models.arnn}", b: "${aws_s3_bucket.models[0].arn}", c: '${join(",", aws_s3_bucket.models.*.id)}' },
          },
        },
        aws_s3_bucket_versioning: {
          v: {
            bucket: "${aws_s3_bucket.modles.id}",
            depends_on: ["aws_s3_bucket.models", "data.aws_caller_identity.me"],
            versioning_configuration: { status: "Enabled" },
          },
        },
        aws_security_group: {
          sg: {
            // An iterator, a function, a variable and a string literal that only look like references are not references.
            name: '${replace(var.name, "aws_s3_bucket.gone", "")}',
            description: "literal $${aws_s3_bucket.gone.id}",
            dynamic: {
              ingress: {
                for_each: "${var.rules}",
                iterator: "my_rule",
                content: { from_port: "${my_rule.value.port}", description: "${each.key}" },
              },
            },
          },
        },
      },
    };
    expect(json(doc)).toEqual([
      'main.tf.json: aws_s3_bucket.models: tags.a: reads aws_s3_bucket.models.arnn, but aws_s3_bucket has no attribute "arnn". Did you mean "arn"?',
      "main.tf.json: aws_s3_bucket_versioning.v: bucket: refers to aws_s3_bucket.modles, which this module does not declare.",
      "main.tf.json: aws_s3_bucket_versioning.v: depends_on[1]: refers to data.aws_caller_identity.me, which this module does not declare.",
    ]);
  });

  it("reports blocks of providers without a schema as not validated, not as errors", () => {
    const doc = {
      resource: { random_id: { x: { byte_length: 8 } } },
      ephemeral: { aws_secretsmanager_secret_version: { db: { secret_id: "s" } } },
    };
    const result = validateModules([[{ file: "main.tf.json", doc, hcl: false }]], schemas);
    expect(result.issues).toEqual([]);
    expect(result.notValidated).toEqual([
      { file: "main.tf.json", address: "random_id.x", source: "registry.terraform.io/hashicorp/random" },
      { file: "main.tf.json", address: "ephemeral.aws_secretsmanager_secret_version.db", source: "registry.terraform.io/hashicorp/aws" },
    ]);
  });
});
