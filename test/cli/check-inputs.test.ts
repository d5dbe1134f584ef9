import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { saip } from "./run";

const FIXTURES = path.join(__dirname, "../fixtures/terraform");
const TFVARS = path.join(FIXTURES, "tfvars");

describe("saip check: inputs, selection and adoption", () => {
  it("checks a folder of only registry module calls without error, and lists them as not followed", async () => {
    const { code, stdout, stderr } = await saip("check", path.join(FIXTURES, "modules/only-calls"));
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain(
      "module.eks (terraform-aws-modules/eks/aws): only local sources (./, ../) are read; registry and git modules are not fetched",
    );
  });

  it("runs the rules --check names by rule id or Checkov id, leaves out --skip-check, and refuses an id no rule has", async () => {
    const byCheckov = JSON.parse((await saip("check", TFVARS, "--check", "CKV_AWS_7", "--format", "json")).stdout);
    expect(byCheckov.rules.map((r: { id: string }) => r.id)).toEqual(["aws-kms-key-rotation"]);
    const skipped = JSON.parse((await saip("check", TFVARS, "--skip-check", "aws-kms-key-rotation", "--format", "json")).stdout);
    expect(skipped.findings.some((f: { ruleId: string }) => f.ruleId === "aws-kms-key-rotation")).toBe(false);
    expect(await saip("check", TFVARS, "--check", "CKV_AWS_9999")).toEqual({
      code: 2,
      stdout: "",
      stderr: "saip: --check CKV_AWS_9999: no rule has this id or cross-references this check\n",
    });
  });

  it("takes --var and --var-file in command-line order", async () => {
    const run = async (...args: string[]) =>
      JSON.parse((await saip("check", TFVARS, "--check", "aws-kms-key-rotation", "--format", "json", ...args)).stdout).findings.find(
        (f: { resource: string }) => f.resource === "aws_kms_key.b",
      ).status;
    expect(await run()).toBe("fail");
    expect(await run("--var", "rotate_b=true")).toBe("pass");
    expect(await run("--var", "rotate_b=true", "--var-file", path.join(TFVARS, "terraform.tfvars.json"))).toBe("fail");
  });

  it("writes a baseline of today's failures, and with it fails only on new ones", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "saip-baseline-")), "baseline.json");
    expect((await saip("baseline", TFVARS, "--check", "aws-kms-key-rotation", "-o", file)).code).toBe(0);
    expect(JSON.parse(readFileSync(file, "utf8")).findings).toContainEqual({ ruleId: "aws-kms-key-rotation", resource: "aws_kms_key.b" });
    const adopted = await saip("check", TFVARS, "--check", "aws-kms-key-rotation", "--baseline", file);
    expect(adopted.code).toBe(0);
    expect(adopted.stdout).toContain("(accepted in the baseline)");
    // A new failure (rotate_a turned off) is not in the baseline.
    expect((await saip("check", TFVARS, "--check", "aws-kms-key-rotation", "--baseline", file, "--var", "rotate_a=false")).code).toBe(1);
  });
});
