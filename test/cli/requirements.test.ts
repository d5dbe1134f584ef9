import { saip } from "./run";

describe("saip requirements", () => {
  it("prints one rule with its examples, unindented, as Markdown and as JSON", async () => {
    const md = await saip("requirements", "--rule", "aws-ecr-cmk");
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^## aws-ecr-cmk: ECR repositories encrypt images with a customer-managed KMS key\n/);
    expect(md.stdout).toContain("- cross-references: CKV_AWS_136, AVD-AWS-0033\n");
    expect(md.stdout).toContain('### Passes\n\n```hcl\nresource "aws_kms_key" "registry" {\n  enable_key_rotation = true\n}\n');
    expect(md.stdout).toContain('### Fails\n\n```hcl\nresource "aws_ecr_repository" "models" {\n');

    const json = await saip("requirements", "--rule", "aws-ecr-cmk", "--format", "json");
    const rule = JSON.parse(json.stdout);
    expect(rule).toMatchObject({ id: "aws-ecr-cmk", severity: "mandatory", requirements: ["AICP-DATA-01"], checkov: ["CKV_AWS_136"] });
    expect(rule.examples.good[0]).toMatch(/^resource "aws_kms_key" "registry" \{\n/);
    expect(rule.examples.bad).toHaveLength(1);
  });

  it("fences Terraform JSON examples as JSON", async () => {
    const md = await saip("requirements", "--rule", "k8s-image-admission-enforced");
    expect(md.stdout).toContain('### Passes\n\n```json\n{\n  "resource": {\n');
  });

  it("prints every rule after the table with --examples", async () => {
    const md = await saip("requirements", "--examples");
    expect(md.stdout).toContain("| requirement | severity |");
    expect(md.stdout).toContain("\n# Rules\n");
    expect(md.stdout).toContain("## aws-ecr-cmk: ");
    expect(md.stdout).toContain("## k8s-pod-no-host-path: ");
    const json = JSON.parse((await saip("requirements", "--examples", "--format", "json")).stdout);
    expect(Object.keys(json)).toEqual(["requirements", "rules"]);
    expect(json.rules.find((r: { id: string }) => r.id === "aws-ecr-cmk").examples.good).toHaveLength(1);
  });

  it("refuses an unknown rule id, naming the option", async () => {
    const out = await saip("requirements", "--rule", "aws-ecr-nope");
    expect(out).toEqual({
      code: 2,
      stdout: "",
      stderr: "saip: --rule: no rule has the id 'aws-ecr-nope'; saip requirements --examples lists every rule.\n",
    });
  });
});
