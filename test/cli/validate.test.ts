import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { saip } from "./run";

const PLAIN = path.join(__dirname, "../fixtures/terraform/plain");
const tmp = () => mkdtempSync(path.join(tmpdir(), "saip-validate-"));

/** A cdktf.out folder with one stack whose JSON is `doc`. */
function cdktfOut(doc: unknown): string {
  const out = path.join(tmp(), "cdktf.out");
  mkdirSync(path.join(out, "stacks", "platform"), { recursive: true });
  writeFileSync(
    path.join(out, "manifest.json"),
    JSON.stringify({ stacks: { platform: { synthesizedStackPath: "stacks/platform/cdk.tf.json" } } }),
  );
  writeFileSync(path.join(out, "stacks", "platform", "cdk.tf.json"), JSON.stringify(doc));
  return out;
}

const VALID = { resource: { aws_s3_bucket_versioning: { v: { bucket: "b", versioning_configuration: { status: "Enabled" } } } } };

describe("saip validate", () => {
  it("exits 0 on a valid cdktf.out and says what it checked against", async () => {
    const { code, stdout, stderr } = await saip("validate", cdktfOut(VALID));
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: "valid: checked 1 resource, data source or provider against hashicorp/aws 6.25.0\n",
      stderr: "",
    });
  });

  it("exits 1 and names file, address, attribute path and problem", async () => {
    const out = cdktfOut({
      resource: {
        aws_s3_bucket_versioning: { v: { bucket: "b", versioning_configuration: { status: "Enabled", mfa_delet: "Disabled" } } },
      },
    });
    const { code, stdout } = await saip("validate", out);
    expect(code).toBe(1);
    expect(stdout.split("\n")).toEqual([
      `${path.join(out, "stacks/platform/cdk.tf.json")}: aws_s3_bucket_versioning.v: versioning_configuration.mfa_delet: is not an argument or block of the versioning_configuration block. Did you mean "mfa_delete"?`,
      "1 schema error: checked 1 resource, data source or provider against hashicorp/aws 6.25.0",
      "",
    ]);
  });

  it("reads a folder of .tf files as one module, and says what it could not check", async () => {
    const { code, stdout } = await saip("validate", PLAIN);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^valid: checked \d+ resources, data sources and providers against hashicorp\/aws 6\.25\.0\n$/);
    const dir = tmp();
    writeFileSync(
      path.join(dir, "main.tf"),
      'resource "random_id" "suffix" {\n  byte_length = 4\n}\nresource "aws_s3_bucket" "b" {\n  bucket_prefix = "x"\n}\n',
    );
    const mixed = await saip("validate", dir);
    expect(mixed.stdout).toBe(
      "valid: checked 1 resource, data source or provider against hashicorp/aws 6.25.0; 1 not checked, their providers have no schema here (registry.terraform.io/hashicorp/random)\n",
    );
  });

  it("writes JSON to --output", async () => {
    const file = path.join(tmp(), "validate.json");
    const { code, stdout } = await saip(
      "validate",
      cdktfOut({ resource: { aws_s3_bucket: { b: { bucket: { name: "x" } } } } }),
      "--format",
      "json",
      "--output",
      file,
    );
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    const report = JSON.parse(readFileSync(file, "utf8"));
    expect(report).toMatchObject({ version: 1, valid: false, schemas: ["hashicorp/aws 6.25.0"], validated: 1, notValidated: [] });
    expect(report.issues).toEqual([
      {
        file: expect.stringContaining("cdk.tf.json"),
        address: "aws_s3_bucket.b",
        path: "bucket",
        message: "is an attribute of type string, but is given an object.",
      },
    ]);
  });

  it("exits 2 on bad input, naming the path", async () => {
    const missing = path.join(tmp(), "nope");
    expect(await saip("validate", missing)).toEqual({ code: 2, stdout: "", stderr: `saip: ${missing}: cannot read: ENOENT\n` });
    const broken = path.join(tmp(), "broken.tf.json");
    writeFileSync(broken, "{ not json");
    const malformed = await saip("validate", broken);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(new RegExp(`^saip: ${broken.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: malformed JSON: `));
    const empty = path.join(tmp(), "empty.json");
    writeFileSync(empty, "{}");
    expect(await saip("validate", empty)).toEqual({
      code: 2,
      stdout: "",
      stderr: `saip: ${empty}: no resources, data sources or providers to validate.\n`,
    });
  });
});
