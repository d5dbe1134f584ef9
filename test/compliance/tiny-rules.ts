import { fail, pass, Rule, unresolved } from "../../lib/compliance/rule";
import { Waiver } from "../../lib/compliance/waivers";
import { addDocument } from "../../lib/terraform/load";
import { Json, TfModule } from "../../lib/terraform/model";

// Small rules, waivers and modules for tests of the engine and the reports: each value is the point of some assertion.

/** A rule over `test_thing` that fails a resource whose `ok` is false and cannot read one whose `ok` is a string. */
export function rule(id: string, options: Partial<Pick<Rule, "severity" | "waivable">> = {}): Rule {
  return {
    id,
    title: `${id} holds`,
    requirements: [],
    severity: options.severity ?? "mandatory",
    waivable: options.waivable ?? true,
    appliesTo: ["test_thing"],
    remediation: "set ok",
    check: (r) => (r.body.ok === true ? pass("ok") : typeof r.body.ok === "string" ? unresolved("ok is unknown") : fail("not ok")),
  };
}

export const waiver = (over: Partial<Waiver> = {}): Waiver => ({
  rule: "test-rule",
  resource: "test_thing.a",
  reason: "accepted until the vendor ships a fix",
  owner: "platform-team",
  expires: "2030-06-30",
  origin: "waivers.yaml",
  ...over,
});

export function moduleOf(doc: object, id = "m"): TfModule {
  const module = new TfModule(id);
  addDocument(module, doc as Json, `${id}.tf.json`);
  return module;
}
