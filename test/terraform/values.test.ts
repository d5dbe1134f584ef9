import { eksPrivateEndpoint } from "../../lib/rules/aws/eks/eks-private-endpoint";
import { addDocument } from "../../lib/terraform/load";
import { Json, TfModule } from "../../lib/terraform/model";
import { documentAt, valueAt } from "../../lib/terraform/values";
import { checkJson, findingFor } from "../rules/harness";

function resource(body: object) {
  const module = new TfModule("t");
  addDocument(module, { resource: { aws_x: { r: body }, aws_kms_key: { k: {} } }, locals: { on: true } } as unknown as Json, "t.tf.json");
  const r = module.get("aws_x.r");
  if (!r) throw new Error("missing");
  return r;
}

describe("value resolution", () => {
  it.each([
    ["two interpolations", "${var.a}${var.b}"],
    ["text and an interpolation", "arn:${var.partition}:iam::aws:policy/X"],
    ["a template directive", "%{ if var.x }true%{ else }false%{ endif }"],
    ["a function call", "${jsonencode(var.x)}"],
  ])("treats %s as unknown before apply", (_what, text) => {
    expect(valueAt(resource({ v: text }), "v").state).toBe("unknown");
  });

  it("follows locals and labels references", () => {
    const r = resource({ a: "${local.on}", b: "${aws_kms_key.k.arn}", c: "${var.x}" });
    expect(valueAt(r, "a")).toEqual({ state: "known", value: true });
    expect(valueAt(r, "b")).toMatchObject({ state: "reference", attribute: "arn" });
    expect(valueAt(r, "c").state).toBe("unknown");
  });

  it("reads JSON documents whose values are interpolations", () => {
    const policy = JSON.stringify({ Statement: [{ Resource: "${aws_kms_key.k.arn}" }] });
    expect(documentAt(resource({ policy }), "policy")).toEqual({ state: "known", value: policy });
    expect(documentAt(resource({ policy: "${var.policy}" }), "policy").state).toBe("unknown");
  });

  it("does not let a template pass a rule no waiver can excuse", () => {
    const findings = checkJson(eksPrivateEndpoint, {
      resource: { aws_eks_cluster: { c: { vpc_config: { endpoint_private_access: true, endpoint_public_access: "${var.a}${var.b}" } } } },
    });
    expect(findingFor(findings, "aws_eks_cluster.c")).toMatchObject({ status: "fail", unresolved: true });
  });
});
