import { check } from "../../lib/compliance/engine";
import { fail, Rule } from "../../lib/compliance/rule";
import { renderMarkdown } from "../../lib/report/markdown";
import { renderText } from "../../lib/report/text";
import { moduleOf, rule, waiver } from "../compliance/tiny-rules";

// Counts of one read in the singular, and a value with a line break stays on its finding's or waiver's line.

const NOW = new Date("2030-06-30T12:00:00Z");
const OK = rule("test-ok");

describe("the Markdown report's counts", () => {
  const one = check([moduleOf({ resource: { test_thing: { c: { ok: true } } } })], { rules: [OK], now: NOW });
  const md = renderMarkdown(one, { version: "0.0.0" });

  it("says one rule, one resource, one module and one finding in the singular", () => {
    expect(md).toContain("\n- Checked: 1 rule ran over 1 resource in 1 module: 1 finding passed, 0 failed, 0 waived.\n");
    expect(md).toContain("\n<details><summary>1 finding passed</summary>\n");
  });

  it("says two of each in the plural, and none as zero findings", () => {
    const two = check([moduleOf({ resource: { test_thing: { c: { ok: true }, d: { ok: true } } } }), moduleOf({}, "n")], {
      rules: [OK, rule("test-other")],
      now: NOW,
    });
    const text = renderMarkdown(two, { version: "0.0.0" });
    expect(text).toContain("\n- Checked: 2 rules ran over 2 resources in 2 modules: 4 findings passed, 0 failed, 0 waived.\n");
    expect(text).toContain("\n<details><summary>4 findings passed</summary>\n");
    const none = check([moduleOf({ resource: { test_thing: { c: { ok: false } } } })], { rules: [OK], now: NOW });
    expect(renderMarkdown(none, { version: "0.0.0" })).toContain("\n<details><summary>0 findings passed</summary>\n");
  });
});

describe("the text report with line breaks in values", () => {
  const multiLine: Rule = { ...rule("test-multi-line"), check: () => fail("first line\nsecond line\r\nthird line\rfourth") };
  const report = check([moduleOf({ resource: { test_thing: { a: { ok: false } } } })], {
    rules: [multiLine],
    waivers: [waiver({ rule: "test-multi-line", resource: "test_thing.b", reason: "accepted for now:\nthe vendor ships a fix\n" })],
    now: NOW,
  });
  const text = renderText(report);

  it("keeps each finding on one row, its line breaks shown as spaces, as the Markdown report shows them", () => {
    expect(text.split("\n").slice(0, 3)).toEqual([
      "STATUS  SEVERITY   RULE             RESOURCE      MESSAGE",
      "FAIL    mandatory  test-multi-line  test_thing.a  first line second line third line fourth",
      "",
    ]);
  });

  it("keeps each waiver on one line", () => {
    expect(text).toContain(
      "\nWaivers:\n  test-multi-line on test_thing.b, until 2030-06-30, owner platform-team, matched 0: accepted for now: the vendor ships a fix  (from waivers.yaml)\n\n",
    );
  });
});
