import { stateBackendEncryptedLocked as rule } from "../../../../lib/rules/aws/state/state-backend-encrypted-locked";
import { checkHcl, checkJson, findingFor } from "../../harness";

const RESOURCE = { resource: { aws_s3_bucket: { data: {} } } };
const judge = (terraform: object | undefined) =>
  findingFor(checkJson(rule, { ...RESOURCE, ...(terraform ? { terraform } : {}) }), "terraform");
const s3 = (fields: object) => ({ backend: { s3: { bucket: "state", key: "platform.tfstate", region: "eu-west-1", ...fields } } });

describe("aws-state-backend-encrypted-locked", () => {
  it("passes an s3 backend with encrypt, a customer key and a lock file or a lock table", () => {
    expect(judge(s3({ encrypt: true, kms_key_id: "alias/ai/terraform-state", use_lockfile: true }))).toMatchObject({
      status: "pass",
      message:
        'state is kept in S3 bucket "state" encrypted with the key alias/ai/terraform-state and locked with use_lockfile (an S3 lock object)',
    });
    expect(
      judge(
        s3({
          encrypt: "true",
          kms_key_id: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          dynamodb_table: "locks",
        }),
      ).message,
    ).toMatch(/locked with the DynamoDB table "locks"$/);
  });

  it.each<[string, object | undefined, string]>([
    ["no backend", undefined, "no backend is configured, so Terraform keeps the state in a local terraform.tfstate file in plaintext"],
    [
      "a terraform block without a backend",
      { required_providers: {} },
      "no backend is configured, so Terraform keeps the state in a local terraform.tfstate file in plaintext",
    ],
    [
      "the local backend",
      { backend: { local: { path: "terraform.platform.tfstate" } } },
      "the local backend keeps the state in a plaintext file on disk (terraform.platform.tfstate)",
    ],
    [
      "another backend",
      { backend: { gcs: { bucket: "x" } } },
      "the gcs backend is not one this rule can show to encrypt with a customer-managed key and lock; use the s3 backend",
    ],
    [
      "HCP Terraform",
      { cloud: { organization: "acme" } },
      "the module uses HCP Terraform (a cloud block): its state encryption keys are not the platform's, so this rule cannot show the state is under a customer-managed key",
    ],
    [
      "s3 without encrypt, key or lock",
      s3({}),
      "the s3 backend encrypt is not set, so Terraform does not ask S3 to encrypt the state; kms_key_id is not set, so the state is not under a customer-managed key (anyone who can read the bucket reads the cluster's certificate, endpoint and every secret value in it); neither use_lockfile nor dynamodb_table is set, so two applies can write the state at once and corrupt it",
    ],
    [
      "s3 with the AWS-managed key",
      s3({ encrypt: true, kms_key_id: "alias/aws/s3", use_lockfile: true }),
      "the s3 backend kms_key_id is the AWS-managed key alias/aws/s3, not a customer-managed key",
    ],
    [
      "s3 with encrypt false",
      s3({ encrypt: false, kms_key_id: "alias/state", use_lockfile: true }),
      "the s3 backend encrypt is false, so the state object is stored without server-side encryption requested",
    ],
  ])("fails %s", (_, terraform, message) => {
    expect(judge(terraform)).toMatchObject({ status: "fail", unresolved: false, message });
  });

  it("is unresolved when a backend argument is an interpolation, which only -backend-config could supply", () => {
    expect(judge(s3({ encrypt: true, kms_key_id: "${var.state_key}", use_lockfile: true }))).toMatchObject({
      unresolved: true,
      message: "unresolved: kms_key_id is ${var.state_key}, which a backend block cannot interpolate (set at init with -backend-config?)",
    });
  });

  it("judges nothing in a module without resources", () => {
    expect(checkJson(rule, { terraform: { backend: { local: {} } } })).toEqual([]);
  });

  it("reads HCL the same way", async () => {
    const good = await checkHcl(
      rule,
      `terraform {
         backend "s3" {
           bucket       = "state"
           key          = "platform.tfstate"
           encrypt      = true
           kms_key_id   = "alias/ai/terraform-state"
           use_lockfile = true
         }
       }
       resource "aws_s3_bucket" "data" {}`,
    );
    expect(findingFor(good, "terraform")).toMatchObject({ status: "pass" });
    const local = await checkHcl(rule, `resource "aws_s3_bucket" "data" {}`);
    expect(findingFor(local, "terraform").message).toBe(
      "no backend is configured, so Terraform keeps the state in a local terraform.tfstate file in plaintext",
    );
    const unlocked = await checkHcl(
      rule,
      `terraform {
         backend "s3" {
           bucket     = "state"
           key        = "k"
           encrypt    = true
           kms_key_id = "alias/ai/terraform-state"
         }
       }
       resource "aws_s3_bucket" "data" {}`,
    );
    expect(findingFor(unlocked, "terraform").message).toBe(
      "the s3 backend neither use_lockfile nor dynamodb_table is set, so two applies can write the state at once and corrupt it",
    );
  });
});
