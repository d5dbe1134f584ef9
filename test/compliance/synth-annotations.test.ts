import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack, TerraformVariable } from "cdktf";
import { IConstruct } from "constructs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ComplianceAspect, checkStackJson, enforceCompliance, stackSource } from "../../lib/compliance/aspect";
import { Waivers } from "../../lib/compliance/construct-waivers";
import { Rule } from "../../lib/compliance/rule";
import { kmsKeyRotation } from "../../lib/rules/aws/kms/kms-key-rotation";

// Inside synth, what fails a mandatory rule must stop the synth, unresolved values included: a value unknown
// before apply is not evidence. Recommended failures only warn. Checked on the annotations the aspect writes.

const recommendedRotation: Rule = { ...kmsKeyRotation, id: "test-recommended-rotation", severity: "recommended" };

const WAIVER = {
  rule: "aws-kms-key-rotation",
  reason: "imported key whose rotation the HSM team schedules",
  owner: "crypto-team",
  expires: "2099-01-01",
};

function stackWithKey(rotation: (stack: TerraformStack) => boolean | string) {
  const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "saip-annotations-")) });
  const stack = new TerraformStack(app, "platform");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const key = new KmsKey(stack, "Key", { enableKeyRotation: rotation(stack) as boolean });
  return { app, stack, key };
}

function annotations(
  rules: Rule[],
  rotation: (stack: TerraformStack) => boolean | string,
  options: { failOnUnusedWaivers?: boolean; waive?: boolean } = {},
) {
  const { stack, key } = stackWithKey(rotation);
  if (options.waive) Waivers.of(key).add(WAIVER);
  new ComplianceAspect({ rules, ...options }).checkStack(stack);
  const all = (c: IConstruct): IConstruct[] => [c, ...c.node.children.flatMap(all)];
  return all(stack).flatMap((c) =>
    c.node.metadata.filter((m) => m.type.startsWith("@cdktf/")).map((m) => ({ path: c.node.path, type: m.type, text: String(m.data) })),
  );
}

const unknownRotation = (stack: TerraformStack) => new TerraformVariable(stack, "rotate", { type: "bool" }).stringValue;

describe("annotations the check writes inside synth", () => {
  it("makes a mandatory failure an error on the construct that made the resource", () => {
    expect(annotations([kmsKeyRotation], () => false)).toEqual([
      {
        path: "platform/Key",
        type: "@cdktf/error",
        text: expect.stringMatching(
          /^\[aws-kms-key-rotation\] aws_kms_key\.Key: automatic key rotation is off: enable_key_rotation is false \(AICP-DATA-02\)$/,
        ),
      },
    ]);
  });

  it("makes an unresolved mandatory finding an error too, never only a warning", () => {
    const [annotation] = annotations([kmsKeyRotation], unknownRotation);
    expect(annotation).toMatchObject({ path: "platform/Key", type: "@cdktf/error" });
    expect(annotation.text).toMatch(/^\[aws-kms-key-rotation\] aws_kms_key\.Key: unresolved: /);
  });

  it("makes a recommended failure, resolved or not, a warning", () => {
    expect(annotations([recommendedRotation], () => false).map((a) => a.type)).toEqual(["@cdktf/warn"]);
    expect(annotations([recommendedRotation], unknownRotation).map((a) => a.type)).toEqual(["@cdktf/warn"]);
  });

  it("writes nothing for a pass", () => {
    expect(annotations([kmsKeyRotation, recommendedRotation], () => true)).toEqual([]);
  });
});

describe("waivers given in code, inside synth", () => {
  it("warn of a waiver that waived nothing, or fail synth when asked to", () => {
    // The aspect stamping the waiver runs at synth; checkStack alone sees the key unwaived, and rotation on.
    const { app, key } = stackWithKey(() => true);
    Waivers.of(key).add(WAIVER);
    const reports: Array<{ waivers: readonly { matched: number }[] }> = [];
    enforceCompliance(app, { rules: [kmsKeyRotation], onReport: (_s, r) => reports.push(r) });
    app.synth();
    expect(reports[0].waivers.map((w) => w.matched)).toEqual([0]);

    const strict = stackWithKey(() => true);
    Waivers.of(strict.key).add(WAIVER);
    enforceCompliance(strict.app, { rules: [kmsKeyRotation], failOnUnusedWaivers: true });
    expect(() => strict.app.synth()).toThrow("matched no failing finding; remove it or correct its resource");
  });

  it("are stamped once per rule and construct, however often the aspect visits", () => {
    const { app, key, stack } = stackWithKey(() => false);
    Waivers.of(key).add(WAIVER).add(WAIVER);
    Waivers.of(stack).add({ ...WAIVER, owner: "platform-team" });
    const reports: Array<{ summary: object; waivers: readonly { owner: string; matched: number }[] }> = [];
    enforceCompliance(app, { rules: [kmsKeyRotation], onReport: (_s, r) => reports.push(r) });
    app.synth();
    app.synth();
    expect(reports[1].summary).toEqual({ pass: 0, fail: 0, waived: 1 });
    // The stack's waiver is stamped first (aspects visit from the top), so it is the one that waives.
    expect(reports[1].waivers.map((w) => [w.owner, w.matched])).toEqual([
      ["platform-team", 1],
      ["crypto-team", 0],
    ]);
  });

  it("are refused when their fields are wrong, naming the construct and each field", () => {
    const { key } = stackWithKey(() => true);
    expect(() => Waivers.of(key).add({ ...WAIVER, reason: "too short", expires: "2099-02-30" })).toThrow(
      new Error(
        "platform/Key: invalid waiver for aws-kms-key-rotation: reason: must explain the waiver in at least 20 characters; expires: is not a real date",
      ),
    );
  });
});

describe("where the check says a stack is", () => {
  it("names the stack's cdk.tf.json relative to the working directory, or the caller's source", () => {
    const { stack } = stackWithKey(() => false);
    expect(stackSource(stack)).toBe(path.relative(process.cwd(), path.join(App.of(stack).outdir, "stacks", "platform", "cdk.tf.json")));
    expect(checkStackJson(stack, { rules: [kmsKeyRotation], sourceOf: () => "given.tf.json" }).findings[0].source).toBe("given.tf.json");
  });

  it("refuses an app with no stacks yet", () => {
    expect(() => enforceCompliance(new App({ outdir: mkdtempSync(path.join(tmpdir(), "saip-empty-")) }))).toThrow(
      "enforceCompliance: the app has no stacks yet; create them first.",
    );
  });
});
