import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { check, referencesOf, ruleSummary } from "../../lib/compliance/engine";
import { summarize } from "../../lib/compliance/finding";
import { pass, Rule } from "../../lib/compliance/rule";
import { describeUnusedWaiver, unusedWaivers } from "../../lib/compliance/waiver-problems";
import { embeddedWaiverConstructs, embeddedWaivers, loadWaiverFile } from "../../lib/compliance/waivers";
import { kmsKeyRotation } from "../../lib/rules/aws/kms/kms-key-rotation";
import { moduleOf, rule, waiver } from "./tiny-rules";

// The engine's report by value: what each finding carries, which resources and modules are judged, and the
// waivers' own input errors word for word.

describe("what a finding carries", () => {
  it("references the rule's EN 304 223 provisions, then its Checkov and Trivy ids", () => {
    expect(referencesOf(kmsKeyRotation)).toEqual(["EN 304 223 5.2.1-2", "EN 304 223 5.2.1-4.2", "CKV_AWS_7", "AVD-AWS-0065"]);
    expect(referencesOf(rule("bare"))).toEqual([]);
    const [finding] = check([moduleOf({ resource: { aws_kms_key: { k: { enable_key_rotation: false } } } })], {
      rules: [kmsKeyRotation],
    }).findings;
    expect(finding).toEqual({
      ruleId: "aws-kms-key-rotation",
      requirementIds: ["AICP-DATA-02"],
      severity: "mandatory",
      status: "fail",
      resource: "aws_kms_key.k",
      source: "m.tf.json",
      module: "m",
      message: "automatic key rotation is off: enable_key_rotation is false",
      references: ["EN 304 223 5.2.1-2", "EN 304 223 5.2.1-4.2", "CKV_AWS_7", "AVD-AWS-0065"],
      unresolved: false,
      waiver: undefined,
    });
  });

  it("summarizes a rule with copies of its lists", () => {
    const summary = ruleSummary(kmsKeyRotation);
    expect(summary).toEqual({
      id: "aws-kms-key-rotation",
      title: kmsKeyRotation.title,
      severity: "mandatory",
      waivable: kmsKeyRotation.waivable,
      requirements: ["AICP-DATA-02"],
      checkov: ["CKV_AWS_7"],
      trivy: ["AVD-AWS-0065"],
    });
    expect(summary.requirements).not.toBe(kmsKeyRotation.requirements);
    expect(ruleSummary(rule("bare"))).toMatchObject({ checkov: [], trivy: [] });
  });

  it("counts findings by status", () => {
    const f = (status: "pass" | "fail" | "waived") => ({ status }) as never;
    expect(summarize([f("pass"), f("fail"), f("fail"), f("waived")])).toEqual({ pass: 1, fail: 2, waived: 1 });
  });
});

describe("what the engine judges", () => {
  const settingsRule: Rule = {
    ...rule("test-settings"),
    appliesTo: ["terraform"],
    check: (r) => pass(`judged ${r.address} of ${r.module.id}`),
  };
  const dataRule: Rule = { ...rule("test-data"), appliesTo: ["data.test_thing"], check: () => pass("data judged") };
  const someRule: Rule = { ...rule("test-some"), applies: (r) => r.name !== "skip" };

  it("judges a data source only by its data. type, and skips what applies() refuses", () => {
    const module = moduleOf({ resource: { test_thing: { a: { ok: true }, skip: { ok: false } } }, data: { test_thing: { d: {} } } });
    const report = check([module], { rules: [dataRule, someRule] });
    expect(report.findings.map((f) => `${f.ruleId} ${f.resource}`)).toEqual(["test-some test_thing.a", "test-data data.test_thing.d"]);
  });

  it("judges each module's terraform block once, only in modules with resources", () => {
    const withResources = moduleOf({ resource: { test_thing: { a: { ok: true } } }, terraform: { backend: { s3: {} } } }, "app");
    const empty = moduleOf({ terraform: { backend: { s3: {} } } }, "empty");
    const report = check([withResources, empty], { rules: [settingsRule] });
    expect(report.findings.map((f) => [f.resource, f.module, f.message])).toEqual([["terraform", "app", "judged terraform of app"]]);
    const skipped = check([withResources], { rules: [{ ...settingsRule, applies: () => false }] });
    expect(skipped.findings).toEqual([]);
  });

  it("lists each module's distinct sources and resource count", () => {
    const module = moduleOf({ resource: { test_thing: { a: { ok: true }, b: { ok: true } } } }, "app");
    const report = check([module, moduleOf({}, "none")], { rules: [rule("test-rule")] });
    expect(report.modules).toEqual([
      { id: "app", sources: ["app.tf.json"], resources: 2 },
      { id: "none", sources: [], resources: 0 },
    ]);
    expect(report.notFollowed).toEqual([]);
    expect(report.version).toBe(1);
  });

  it("applies a file's waiver to a module's terraform block", () => {
    const failing: Rule = { ...settingsRule, check: () => ({ status: "fail", message: "no backend" }) };
    const module = moduleOf({ resource: { test_thing: { a: { ok: true } } } }, "app");
    const report = check([module], {
      rules: [failing],
      waivers: [waiver({ rule: "test-settings", resource: "terraform" })],
      now: new Date("2030-01-01T00:00:00Z"),
    });
    expect(report.findings.map((f) => f.status)).toEqual(["waived"]);
  });
});

describe("unused waivers", () => {
  it("list a construct's waiver once however many resources carry it, and a file's waiver per resource pattern", () => {
    const embedded = {
      rule: "test-rule",
      reason: "the construct's waiver, given in code",
      owner: "code-owner",
      expires: "2099-01-01",
      construct: "p/C",
    };
    const module = moduleOf({
      resource: {
        test_thing: { a: { ok: true, "//": { saip_waivers: [embedded] } }, b: { ok: true, "//": { saip_waivers: [embedded] } } },
      },
    });
    const report = check([module], {
      rules: [rule("test-rule")],
      waivers: [waiver({ resource: "test_thing.a" }), waiver({ resource: "test_thing.b" })],
    });
    const unused = unusedWaivers(report);
    expect(unused.map((w) => [w.origin, w.resource])).toEqual([
      ["m.tf.json", "test_thing.a"],
      ["waivers.yaml", "test_thing.a"],
      ["waivers.yaml", "test_thing.b"],
    ]);
    expect(describeUnusedWaiver(unused[1])).toBe(
      "waivers.yaml: the waiver for test-rule on test_thing.a (owner platform-team) matched no failing finding; remove it or correct its resource",
    );
  });

  it("do not list a construct's waiver that one of its resources used", () => {
    const embedded = { rule: "test-rule", reason: "the construct's waiver, given in code", owner: "code-owner", expires: "2099-01-01" };
    const module = moduleOf({
      resource: {
        test_thing: { a: { ok: true, "//": { saip_waivers: [embedded] } }, b: { ok: false, "//": { saip_waivers: [embedded] } } },
      },
    });
    expect(unusedWaivers(check([module], { rules: [rule("test-rule")], now: new Date("2030-01-01T00:00:00Z") }))).toEqual([]);
  });
});

describe("waivers as input", () => {
  const write = (name: string, text: string) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "saip-waivers-")), name);
    writeFileSync(file, text);
    return file;
  };
  const entry =
    "rule: test-rule\n  resource: test_thing.a\n  reason: accepted until the vendor ships a fix\n  owner: platform-team\n  expires: 2030-06-30";

  it("reads a list, or an object with a waivers list, naming the file as origin", async () => {
    const list = write("w.yaml", `- ${entry}\n`);
    expect(await loadWaiverFile(list)).toEqual([waiver({ origin: list })]);
    const object = write("w.yaml", `waivers:\n  - ${entry.replace(/\n {2}/g, "\n    ")}\n`);
    expect(await loadWaiverFile(object)).toEqual([waiver({ origin: object })]);
  });

  it("refuses a file it cannot read, malformed YAML, the wrong shape, and bad entries, word for word", async () => {
    const missing = path.join(tmpdir(), "saip-no-such-waivers.yaml");
    await expect(loadWaiverFile(missing)).rejects.toThrow(`${missing}: cannot read waivers: ENOENT`);
    const malformed = write("w.yaml", "- [unclosed\n");
    await expect(loadWaiverFile(malformed)).rejects.toThrow(
      new RegExp(`^${malformed.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: malformed waivers file: `),
    );
    const shape = write("w.yaml", "rule: x\n");
    await expect(loadWaiverFile(shape)).rejects.toThrow(
      `${shape}: a waivers file must be a list of waivers or an object with a 'waivers' list.`,
    );
    const bad = write("w.yaml", `- ${entry}\n- rule: ""\n  resource: a\n  reason: short\n  owner: o\n  expires: 2030-06-30\n`);
    await expect(loadWaiverFile(bad)).rejects.toThrow(
      `${bad}: waivers[1].rule: must name a rule id; waivers[1].reason: must explain the waiver in at least 20 characters`,
    );
  });

  it("reads embedded waivers and the constructs beside them, and refuses a malformed list", () => {
    const w = { rule: "test-rule", reason: "accepted until the vendor ships a fix", owner: "platform-team", expires: "2030-06-30" };
    const module = moduleOf({
      resource: {
        test_thing: {
          a: { "//": { saip_waivers: [{ ...w, construct: "p/A" }, w] } },
          b: {},
          c: { "//": { saip_waivers: "x" } },
          d: { "//": { saip_waivers: [{ ...w, reason: "" }] } },
        },
      },
    });
    const [a, b, c, d] = module.resources;
    expect(embeddedWaivers(a)).toEqual([waiver({ origin: "m.tf.json" }), waiver({ origin: "m.tf.json" })]);
    expect(embeddedWaiverConstructs(a)).toEqual(["p/A", undefined]);
    expect(embeddedWaivers(b)).toEqual([]);
    expect(embeddedWaiverConstructs(b)).toEqual([]);
    expect(() => embeddedWaivers(c)).toThrow("m.tf.json: test_thing.c: '//.saip_waivers' must be a list.");
    expect(() => embeddedWaivers(d)).toThrow(
      "m.tf.json: test_thing.d saip_waivers[0].reason: must explain the waiver in at least 20 characters",
    );
  });
});
