import { TerraformStack, Testing } from "cdktf";
import { stackJson } from "../../lib/compliance/aspect";
import { recordAssumption } from "../../lib/compliance/construct-assumptions";
import { check } from "../../lib/compliance/engine";
import { renderJunit } from "../../lib/report/junit";
import { renderMarkdown } from "../../lib/report/markdown";
import { renderText } from "../../lib/report/text";
import { addDocument } from "../../lib/terraform/load";
import { Json, TfModule } from "../../lib/terraform/model";

const moduleOf = (json: Json, id = "platform") => {
  const module = new TfModule(id);
  addDocument(module, json, `${id}/cdk.tf.json`);
  return module;
};

describe("assumptions about brought-in resources", () => {
  const stack = new TerraformStack(Testing.app(), "platform");
  recordAssumption(stack, "existing VPC vpc-0abc", "flow logs, endpoints and routing assumed, not checked");
  recordAssumption(stack, "existing VPC vpc-0abc", "flow logs, endpoints and routing assumed, not checked");
  const json = stackJson(stack);
  const report = check([moduleOf(json)], { rules: [] });

  it("travel in the terraform block's comment key, once each, and every report lists them apart from the findings", () => {
    expect(report.assumptions).toEqual([
      {
        subject: "existing VPC vpc-0abc",
        assumed: "flow logs, endpoints and routing assumed, not checked",
        construct: "platform",
        module: "platform",
      },
    ]);
    expect(report.summary).toEqual({ pass: 0, fail: 0, waived: 0 });
    expect(renderText(report)).toContain(
      "Assumed, not checked:\n  existing VPC vpc-0abc: flow logs, endpoints and routing assumed, not checked (assumed, not checked; module platform, from platform)",
    );
    expect(renderMarkdown(report)).toContain("## Assumed, not checked");
    expect(renderJunit(report)).toContain('<property name="assumption.1" value="existing VPC vpc-0abc: flow logs');
  });

  it("are absent from a report of stacks that brought nothing in", () => {
    const plain = check([moduleOf({ resource: {} })], { rules: [] });
    expect(plain.assumptions).toBeUndefined();
    expect(renderMarkdown(plain)).not.toContain("Assumed, not checked");
  });

  it("fail closed when malformed, naming the module and entry", () => {
    expect(() => check([moduleOf({ terraform: { "//": { saip_assumptions: [{ subject: "x" }] } } })], { rules: [] })).toThrow(
      "platform: terraform '//.saip_assumptions[0]': assumed Invalid input: expected string, received undefined",
    );
    expect(() => check([moduleOf({ terraform: { "//": { saip_assumptions: "all fine" } } })], { rules: [] })).toThrow(
      "platform: terraform '//.saip_assumptions' must be a list.",
    );
  });

  it("must say what is assumed", () => {
    expect(() => recordAssumption(stack, "existing key", "ok")).toThrow(
      "platform: invalid assumption: assumed must say what is assumed in at least 10 characters",
    );
  });
});
