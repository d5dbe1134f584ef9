import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { App, TerraformVariable } from "cdktf";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { SecureStack } from "../../lib/secure-stack";
import { saip } from "./run";

const PLAIN = path.join(__dirname, "../fixtures/terraform/plain");
const tmp = () => mkdtempSync(path.join(tmpdir(), "saip-cli-"));

/** The resources of fixtures/terraform/plain, synthesized with cdktf into a cdktf.out folder. */
function synthEquivalent(): string {
  const app = new App({ outdir: path.join(tmp(), "cdktf.out") });
  const stack = new SecureStack(app, "platform");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new KmsKey(stack, "ModelsKey", { description: "models", enableKeyRotation: true });
  new KmsKey(stack, "LegacyKey", { enableKeyRotation: false });
  const datasets = new S3Bucket(stack, "Datasets", { bucketPrefix: "datasets" });
  new S3BucketVersioningA(stack, "DatasetsVersioning", { bucket: datasets.id, versioningConfiguration: { status: "Enabled" } });
  new S3Bucket(stack, "Scratch", { bucketPrefix: "scratch" });
  const role = new TerraformVariable(stack, "cluster_role_arn", {});
  const subnets = new TerraformVariable(stack, "subnet_ids", {});
  new EksCluster(stack, "Main", {
    name: "main",
    roleArn: role.stringValue,
    vpcConfig: { subnetIds: subnets.listValue, endpointPrivateAccess: true, endpointPublicAccess: true },
  });
  app.synth();
  return app.outdir;
}

type Json = { summary: Record<string, number>; findings: Array<{ ruleId: string; resource: string; status: string; source: string }> };
const key = (f: { ruleId: string; resource: string; status: string }) => `${f.ruleId} ${f.resource} ${f.status}`;

describe("saip check", () => {
  it("gives the same findings for plain .tf files and the equivalent cdktf.out folder", async () => {
    const fromHcl = await saip("check", PLAIN, "--format", "json");
    const fromCdktf = await saip("check", synthEquivalent(), "--format", "json");
    const hcl = JSON.parse(fromHcl.stdout) as Json;
    const cdktf = JSON.parse(fromCdktf.stdout) as Json;
    expect(hcl.findings.map(key).sort()).toEqual(cdktf.findings.map(key).sort());
    expect(hcl.findings.map(key)).toEqual(
      expect.arrayContaining(["aws-kms-key-rotation aws_kms_key.legacy_key fail", "aws-s3-bucket-versioning aws_s3_bucket.datasets pass"]),
    );
    expect(hcl.findings.find((f) => f.resource === "aws_eks_cluster.main")?.source).toBe(path.join(PLAIN, "cluster.tf"));
    expect(fromHcl.code).toBe(1);
    expect(fromCdktf.code).toBe(1);
  });

  it("prints the documented JSON shape", async () => {
    const { stdout } = await saip("check", PLAIN, "--format", "json");
    const report = JSON.parse(stdout);
    // The summary counts the findings (their number grows with the rules, so it is compared, not written down).
    const count = (status: string) => report.findings.filter((f: { status: string }) => f.status === status).length;
    expect(report).toMatchObject({ version: 1, summary: { pass: count("pass"), fail: count("fail"), waived: 0 } });
    expect(count("pass") * count("fail")).toBeGreaterThan(0);
    expect(report.findings).toContainEqual({
      ruleId: "aws-eks-private-endpoint",
      requirementIds: ["AICP-ACCESS-02"],
      severity: "mandatory",
      status: "fail",
      resource: "aws_eks_cluster.main",
      source: path.join(PLAIN, "cluster.tf"),
      module: PLAIN,
      message: expect.stringContaining("endpoint_public_access is true"),
      references: ["EN 304 223 5.2.2-1", "CKV_AWS_39", "CKV_AWS_38", "AVD-AWS-0040", "AVD-AWS-0041"],
      unresolved: false,
    });
  });

  it("exits 0 when nothing at or above --fail-on fails", async () => {
    expect((await saip("check", PLAIN, "--fail-on", "none")).code).toBe(0);
  });

  it("writes the report whole to --output", async () => {
    const out = path.join(tmp(), "reports", "check.sarif");
    const { code, stdout, stderr } = await saip("check", PLAIN, "--format", "sarif", "--output", out);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    // The verdict still reaches the terminal, on stderr.
    expect(stderr).toMatch(
      new RegExp(
        `^saip: \\d+ passed, [1-9]\\d* failed, 0 waived; sarif report written to ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\n$`,
      ),
    );
    expect(JSON.parse(readFileSync(out, "utf8")).version).toBe("2.1.0");
  });

  describe("waivers file", () => {
    const waiverFile = (content: string, name = "waivers.yaml") => {
      const file = path.join(tmp(), name);
      writeFileSync(file, content);
      return file;
    };

    it("waives by glob and lists every waiver in the report", async () => {
      const file = waiverFile(`
- rule: aws-kms-key-rotation
  resource: aws_kms_key.legacy*
  reason: Imported from the old HSM; rotation is scheduled by the crypto team
  owner: crypto-team
  expires: 2099-12-31
- rule: aws-s3-bucket-versioning
  resource: aws_s3_bucket.scratch
  reason: Scratch space for throwaway preprocessing output
  owner: data-team
  expires: 2020-01-01
`);
      const { stdout } = await saip("check", PLAIN, "--format", "json", "--waivers", file);
      const report = JSON.parse(stdout);
      const rotation = report.findings.find((f: { resource: string }) => f.resource === "aws_kms_key.legacy_key");
      expect(rotation.status).toBe("waived");
      const scratch = report.findings.find(
        (f: { ruleId: string; resource: string }) => f.ruleId === "aws-s3-bucket-versioning" && f.resource === "aws_s3_bucket.scratch",
      );
      expect(scratch.status).toBe("fail");
      expect(scratch.message).toMatch(/waiver by data-team expired on 2020-01-01/);
      expect(report.waivers).toHaveLength(2);
      expect(report.waivers[1]).toMatchObject({ owner: "data-team", expired: true, matched: 1 });
    });

    it("refuses a waiver for a rule the catalogue marks unwaivable, naming the waiver, exit 2", async () => {
      const file = waiverFile(
        JSON.stringify([
          {
            rule: "aws-eks-private-endpoint",
            resource: "aws_eks_cluster.main",
            reason: "Operators need it from their laptops",
            owner: "ops",
            expires: "2099-01-01",
          },
        ]),
        "waivers.json",
      );
      const { code, stdout, stderr } = await saip("check", PLAIN, "--format", "json", "--waivers", file);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toBe(
        `saip: ${file}: the waiver for aws-eks-private-endpoint on aws_eks_cluster.main: rule aws-eks-private-endpoint cannot be waived\n`,
      );
    });

    it("refuses a waiver for a rule that does not exist, suggesting the one meant, exit 2", async () => {
      const file = waiverFile(
        "- {rule: aws-kms-key-rotaton, resource: aws_kms_key.legacy_key, reason: Imported from the old HSM for now, owner: crypto-team, expires: 2099-01-01}\n",
      );
      const { code, stdout, stderr } = await saip("check", PLAIN, "--waivers", file);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toBe(
        `saip: ${file}: the waiver for aws-kms-key-rotaton on aws_kms_key.legacy_key: no rule has the id 'aws-kms-key-rotaton' (did you mean 'aws-kms-key-rotation'?)\n`,
      );
    });

    it("reports a waiver that matches nothing on stderr, and fails on it with --fail-on-unused-waivers", async () => {
      const file = waiverFile(
        "- {rule: aws-kms-key-rotation, resource: aws_kms_key.models_key, reason: This key rotates already so nothing fails, owner: crypto-team, expires: 2099-01-01}\n",
      );
      const unused = `${file}: the waiver for aws-kms-key-rotation on aws_kms_key.models_key (owner crypto-team) matched no failing finding; remove it or correct its resource`;
      const plain = await saip("check", PLAIN, "--format", "json", "--fail-on", "none", "--waivers", file);
      expect(plain.code).toBe(0);
      expect(plain.stderr).toBe(`saip: warning: ${unused}\n`);
      expect(JSON.parse(plain.stdout).waivers[0]).toMatchObject({ matched: 0 });
      const strict = await saip("check", PLAIN, "--fail-on", "none", "--fail-on-unused-waivers", "--waivers", file);
      expect(strict.code).toBe(1);
      expect(strict.stderr).toBe(`saip: error: ${unused}\n`);
    });

    it.each([
      [
        "a short reason",
        "- {rule: x, resource: y, reason: short, owner: me, expires: 2099-01-01}",
        /waivers\[0\]\.reason: must explain the waiver in at least 20 characters/,
      ],
      ["no owner", "- {rule: x, resource: y, reason: a long enough reason for this, expires: 2099-01-01}", /waivers\[0\]\.owner/],
      [
        "an unknown key",
        "- {rule: x, resource: y, reason: a long enough reason for this, owner: me, expires: 2099-01-01, scope: all}",
        /waivers\[0\]: Unrecognized key/,
      ],
      [
        "a bad date",
        "- {rule: x, resource: y, reason: a long enough reason for this, owner: me, expires: 2099-02-30}",
        /expires: is not a real date/,
      ],
      ["malformed YAML", "- {rule: x", /malformed waivers file/],
    ])("rejects %s with exit 2 and one line naming the file", async (_what, content, message) => {
      const file = waiverFile(content);
      const { code, stderr, stdout } = await saip("check", PLAIN, "--waivers", file);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr).toContain(file);
      expect(stderr).toMatch(message);
    });
  });

  describe("bad input", () => {
    it.each([
      ["a missing path", () => [path.join(tmp(), "nope")], /nope: cannot read: ENOENT/],
      ["malformed JSON", () => [Object.assign(path.join(tmp(), "x.tf.json"), {}).toString()], /x\.tf\.json: malformed JSON/],
      ["malformed HCL", () => [path.join(tmp(), "main.tf")], /main\.tf: malformed HCL/],
      ["a folder with no Terraform", () => [tmp()], /holds no \.tf or \.tf\.json files/],
    ])("rejects %s with exit 2", async (what, paths, message) => {
      const [target] = paths();
      if (what === "malformed JSON") writeFileSync(target, "{ not json");
      if (what === "malformed HCL") writeFileSync(target, 'resource "aws_s3_bucket" {');
      const { code, stderr } = await saip("check", target);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
    });

    it("rejects an unknown option with exit 2", async () => {
      const { code, stderr } = await saip("check", PLAIN, "--colour");
      expect(code).toBe(2);
      expect(stderr).toMatch(/unknown option '--colour'/);
    });

    it("rejects an unknown format with exit 2", async () => {
      const { code, stderr } = await saip("check", PLAIN, "--format", "pdf");
      expect(code).toBe(2);
      expect(stderr).toMatch(/pdf.*is invalid/);
    });

    it("leaves no report behind on bad input", async () => {
      const out = path.join(tmp(), "report.json");
      await saip("check", path.join(tmp(), "missing"), "--output", out);
      expect(existsSync(out)).toBe(false);
    });
  });
});

describe("saip check, more bad input", () => {
  it("rejects a file with no Terraform in it", async () => {
    const file = path.join(tmp(), "package.json");
    writeFileSync(file, JSON.stringify({ name: "x", version: "1.0.0" }));
    const { code, stderr } = await saip("check", file);
    expect(code).toBe(2);
    expect(stderr).toMatch(/package\.json: no Terraform resources, data sources or module calls to check/);
  });

  it("rejects an output path it cannot write, leaving nothing behind", async () => {
    const dir = tmp();
    const { code, stderr } = await saip("check", PLAIN, "--output", dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot write the report: EISDIR/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
