import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack } from "cdktf";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PlatformKey } from "../../constructs/aws/platform-key";
import { enforceCompliance } from "../../lib/compliance/aspect";
import { Waivers } from "../../lib/compliance/construct-waivers";
import { Report } from "../../lib/compliance/finding";
import { kmsKeyRotation } from "../../lib/rules/aws/kms/kms-key-rotation";
import { SecureStack } from "../../lib/secure-stack";

function appWithKey(configure: (stack: TerraformStack, key: PlatformKey) => void = () => undefined) {
  const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "saip-aspect-")) });
  const stack = new SecureStack(app, "platform");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const key = new PlatformKey(stack, "ModelsKey", { purpose: "models", administrators: ["arn:aws:iam::111122223333:role/admin"] });
  configure(stack, key);
  const reports: Report[] = [];
  enforceCompliance(app, { rules: [kmsKeyRotation], onReport: (_s, r) => reports.push(r) });
  return { app, reports };
}

describe("ComplianceAspect", () => {
  it("lets a compliant stack synthesize and reports what passed", () => {
    const { app, reports } = appWithKey();
    app.synth();
    expect(reports[0].summary).toEqual({ pass: 1, fail: 0, waived: 0 });
  });

  it("fails synth on a mandatory violation, naming the rule, resource and construct", () => {
    const { app } = appWithKey((stack) => new KmsKey(stack, "RawKey", { enableKeyRotation: false }));
    expect(() => app.synth()).toThrow(/\[platform\/RawKey\] \[aws-kms-key-rotation\] aws_kms_key\.raw_key: automatic key rotation is off/);
  });

  it("ends each annotation with the requirements the finding breaks", () => {
    const { app } = appWithKey((stack) => new KmsKey(stack, "RawKey", { enableKeyRotation: false }));
    expect(() => app.synth()).toThrow(/aws_kms_key\.raw_key: [^\n]* \(AICP-DATA-02\)\n/);
  });

  it("writes the evidence folder after synth when asked, replacing an earlier run's, and still calls onReport", () => {
    const outdir = mkdtempSync(path.join(tmpdir(), "saip-aspect-evidence-"));
    const app = new App({ outdir });
    const stack = new SecureStack(app, "platform");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new PlatformKey(stack, "ModelsKey", { purpose: "models", administrators: ["arn:aws:iam::111122223333:role/admin"] });
    mkdirSync(path.join(outdir, "compliance"));
    writeFileSync(path.join(outdir, "compliance", "stale.txt"), "from an earlier run");
    const seen: string[] = [];
    const aspect = enforceCompliance(app, {
      rules: [kmsKeyRotation],
      now: new Date("2030-01-01T00:00:00Z"),
      evidence: { title: "Key evidence" },
      onReport: (s) => seen.push(s.node.id),
    });
    app.synth();
    expect(seen).toEqual(["platform"]);
    expect(existsSync(path.join(outdir, "compliance", "stale.txt"))).toBe(false);
    const evidence = JSON.parse(readFileSync(path.join(outdir, "compliance", "evidence.json"), "utf8"));
    expect(evidence.generatedAt).toBe("2030-01-01T00:00:00.000Z");
    expect(evidence.summary).toEqual(expect.objectContaining({ pass: 1, fail: 0 }));
    expect(readFileSync(path.join(outdir, "compliance", "report.md"), "utf8")).toMatch(/^# Key evidence/);
    expect(aspect.evidence?.report.findings.map((f) => f.resource)).toEqual(["aws_kms_key.models_key"]);
  });

  it("writes no evidence unless asked", () => {
    const { app } = appWithKey();
    app.synth();
    expect(existsSync(path.join(app.outdir, "compliance"))).toBe(false);
  });

  it("sees through addOverride, because it checks the JSON as written", () => {
    const { app } = appWithKey((_stack, key) => (key.node.defaultChild as KmsKey | undefined)?.addOverride("enable_key_rotation", false));
    expect(() => app.synth()).toThrow(/aws-kms-key-rotation\] aws_kms_key\.models_key/);
  });

  it("honours a waiver made in code, which travels inside the synthesized JSON", () => {
    const { app, reports } = appWithKey((stack) => {
      const legacy = new KmsKey(stack, "LegacyKey", { enableKeyRotation: false });
      Waivers.of(legacy).add({
        rule: "aws-kms-key-rotation",
        reason: "Imported key whose rotation the HSM team schedules by hand",
        owner: "crypto-team",
        expires: "2099-01-01",
      });
    });
    app.synth();
    expect(reports[0].summary).toEqual({ pass: 1, fail: 0, waived: 1 });
    expect(reports[0].waivers).toEqual([
      expect.objectContaining({ rule: "aws-kms-key-rotation", owner: "crypto-team", matched: 1, expired: false }),
    ]);
    const written = JSON.parse(readFileSync(path.join(app.outdir, "stacks/platform/cdk.tf.json"), "utf8"));
    expect(written.resource.aws_kms_key.legacy_key["//"].saip_waivers).toEqual([
      expect.objectContaining({ rule: "aws-kms-key-rotation", owner: "crypto-team", construct: "platform/LegacyKey" }),
    ]);
  });

  it("refuses to run for stacks it never saw", () => {
    const { app } = appWithKey();
    new SecureStack(app, "late");
    expect(() => app.synth()).toThrow(/stack 'late' was created after enforceCompliance\(\) and was not checked/);
  });

  it("rejects a waiver without a real reason at construction", () => {
    const stack = new SecureStack(new App(), "s");
    expect(() => Waivers.of(stack).add({ rule: "aws-kms-key-rotation", reason: "because", owner: "me", expires: "2099-01-01" })).toThrow(
      /reason: must explain the waiver in at least 20 characters/,
    );
  });
});
