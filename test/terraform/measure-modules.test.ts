import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { exampleFolders, formatMeasurement, measureModules, reasonOf } from "../../scripts/measure-modules";

const NETWORK = path.join(__dirname, "../fixtures/terraform/module-idioms/network");

describe("npm run measure:modules", () => {
  let key: string;
  beforeAll(() => {
    // A module whose example leaves a required input unset, and an example with nothing to check (exit 2).
    key = mkdtempSync(path.join(tmpdir(), "saip-measure-"));
    writeFileSync(
      path.join(key, "main.tf"),
      'variable "rotate" {\n  type = bool\n}\nresource "aws_kms_key" "this" {\n  enable_key_rotation = var.rotate\n}\n',
    );
    for (const [name, text] of [
      ["unset", 'module "key" {\n  source = "../../"\n}\n'],
      ["empty", "locals {\n  a = 1\n}\n"],
    ]) {
      mkdirSync(path.join(key, "examples", name), { recursive: true });
      writeFileSync(path.join(key, "examples", name, "main.tf"), text);
    }
    mkdirSync(path.join(key, "examples", "notes"));
    writeFileSync(path.join(key, "examples", "notes", "README.md"), "no Terraform here\n");
  });
  afterAll(() => rmSync(key, { recursive: true, force: true }));

  it("finds the example folders that hold Terraform, or the folder itself when it has none", () => {
    expect(exampleFolders(NETWORK)).toEqual([path.join(NETWORK, "examples/flow-logs"), path.join(NETWORK, "examples/minimal")]);
    expect(exampleFolders(path.join(NETWORK, "examples/minimal"))).toEqual([path.join(NETWORK, "examples/minimal")]);
    expect(() => exampleFolders(path.join(NETWORK, "missing"))).toThrow(`${path.join(NETWORK, "missing")}: not a folder`);
  });

  it("gives the issue's figures: examples with findings in their module, unresolved share and reasons, exit 2", async () => {
    const m = await measureModules([NETWORK, key]);
    expect(m.examples.map((e) => [path.basename(e.folder), e.outcome, e.inModule > 0])).toEqual([
      ["flow-logs", "checked", true],
      ["minimal", "checked", true],
      ["empty", "bad-input", false],
      ["unset", "checked", true],
    ]);
    expect(m.withModuleFindings).toBe(3);
    expect(m.failures.map((f) => path.basename(f.folder))).toEqual(["empty"]);
    expect(m.unresolved).toBeGreaterThan(0);
    expect(m.topReasons[0].reason).toMatch(/^aws-kms-key-rotation: /);
    const text = formatMeasurement(m);
    expect(text).toContain("examples with findings inside their local module: 3 of 4 (75.0%; target at least 90%)");
    expect(text).toContain(`unresolved findings: ${m.unresolved} of ${m.findings} (`);
    expect(text).toContain("crashes or exit 2: 1\n");
    expect(text).toMatch(/top reasons for unresolved findings:\n {2}\d+\taws-kms-key-rotation: /);
  });

  it("counts one reason for the same cause on different resources", () => {
    const a = reasonOf("r", 'unresolved: module.a.aws_s3_bucket.this[0]: bucket is "${var.x}", which is not known before apply');
    const b = reasonOf("r", 'unresolved: module.b["k"].aws_s3_bucket.logs: bucket is "${local.y}", which is not known before apply');
    expect(a).toBe(b);
    expect(a).toBe('r: <resource>: bucket is "…", which is not known before apply');
  });
});
