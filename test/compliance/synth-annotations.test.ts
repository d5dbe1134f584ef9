import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack, TerraformVariable } from "cdktf";
import { IConstruct } from "constructs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ComplianceAspect } from "../../lib/compliance/aspect";
import { Rule } from "../../lib/compliance/rule";
import { kmsKeyRotation } from "../../lib/rules/aws/kms/key-rotation";

// Inside synth, what fails a mandatory rule must stop the synth, unresolved values included: a value unknown
// before apply is not evidence. Recommended failures only warn. Checked on the annotations the aspect writes.

const recommendedRotation: Rule = { ...kmsKeyRotation, id: "test-recommended-rotation", severity: "recommended" };

function annotations(rules: Rule[], rotation: (stack: TerraformStack) => boolean | string, options: { failOnUnusedWaivers?: boolean } = {}) {
  const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "saip-annotations-")) });
  const stack = new TerraformStack(app, "platform");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new KmsKey(stack, "Key", { enableKeyRotation: rotation(stack) as boolean });
  new ComplianceAspect({ rules, ...options }).checkStack(stack);
  const all = (c: IConstruct): IConstruct[] => [c, ...c.node.children.flatMap(all)];
  return all(stack).flatMap((c) => c.node.metadata.filter((m) => m.type.startsWith("@cdktf/")).map((m) => ({ path: c.node.path, type: m.type, text: String(m.data) })));
}

const unknownRotation = (stack: TerraformStack) => new TerraformVariable(stack, "rotate", { type: "bool" }).stringValue;

describe("annotations the check writes inside synth", () => {
  it("makes a mandatory failure an error on the construct that made the resource", () => {
    expect(annotations([kmsKeyRotation], () => false)).toEqual([
      { path: "platform/Key", type: "@cdktf/error", text: expect.stringMatching(/^\[aws-kms-key-rotation\] aws_kms_key\.Key: automatic key rotation is off: enable_key_rotation is false \(AICP-DATA-02\)$/) },
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
