import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App } from "cdktf";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PlatformKey } from "../../constructs/aws/platform-key";
import { enforceCompliance, EnforceComplianceOptions } from "../../lib/compliance/aspect";
import { Waivers } from "../../lib/compliance/construct-waivers";
import { kmsKeyRotation } from "../../lib/rules/aws/kms/kms-key-rotation";
import { SecureStack } from "../../lib/secure-stack";

/** A team's own app: one stack with a key, checked with the key-rotation rule. */
function teamApp(options: EnforceComplianceOptions = {}) {
  const outdir = path.join(mkdtempSync(path.join(tmpdir(), "saip-team-")), "cdktf.out");
  const app = new App({ outdir });
  const stack = new SecureStack(app, "team");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const key = new PlatformKey(stack, "FeaturesKey", { purpose: "features", administrators: ["arn:aws:iam::111122223333:role/admin"] });
  const aspect = enforceCompliance(app, { rules: [kmsKeyRotation], ...options });
  return { app, outdir, key, aspect };
}

describe("enforceCompliance in a team's app", () => {
  it("writes the same evidence folder as npm run synth, replacing an earlier run's", () => {
    const { app, outdir, aspect } = teamApp({ evidence: { title: "Team evidence" } });
    mkdirSync(path.join(outdir, "compliance"), { recursive: true });
    writeFileSync(path.join(outdir, "compliance", "stale.txt"), "an earlier run");
    app.synth();
    expect(readdirSync(path.join(outdir, "compliance")).sort()).toEqual([
      "evidence.json",
      "evidence.schema.json",
      "report.html",
      "report.json",
      "report.junit.xml",
      "report.md",
      "report.sarif",
    ]);
    const record = JSON.parse(readFileSync(path.join(outdir, "compliance", "evidence.json"), "utf8"));
    expect(record.stacks.map((s: { module: string }) => s.module)).toEqual(["team"]);
    expect(readFileSync(path.join(outdir, "compliance", "report.md"), "utf8")).toMatch(/^# Team evidence/);
    expect(aspect.evidence?.report.summary).toEqual({ pass: 1, fail: 0, waived: 0 });
  });

  it("writes no evidence unless asked", () => {
    const { app, outdir } = teamApp();
    app.synth();
    expect(existsSync(path.join(outdir, "compliance"))).toBe(false);
  });

  it("fails synth on a waiver that matched nothing when failOnUnusedWaivers is set", () => {
    const { app, key } = teamApp({ failOnUnusedWaivers: true });
    Waivers.of(key).add({
      rule: "aws-kms-key-rotation",
      reason: "The key rotates, so this waiver is stale",
      owner: "data-team",
      expires: "2099-01-01",
    });
    expect(() => app.synth()).toThrow(/the waiver for aws-kms-key-rotation on .* \(owner data-team\) matched no failing finding/);
  });
});
