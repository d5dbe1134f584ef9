import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { check } from "../../lib/compliance/engine";
import { Rule } from "../../lib/compliance/rule";
import { unusedWaivers, waiverRuleProblem } from "../../lib/compliance/waiver-problems";
import { embeddedWaiverConstructs, embeddedWaivers, loadWaiverFile, matchesResource } from "../../lib/compliance/waivers";
import { moduleOf, rule, waiver } from "./tiny-rules";

// The edges of waiver matching and of the waivers' input errors, each asserted by value: the cases between
// the ones waiver-matching.test.ts pins, where a plausible one-line bug would otherwise go unnoticed.

const NOW = new Date("2030-06-30T12:00:00Z");

describe("waiver globs, every special character literal", () => {
  it.each(["^", "$", "{", "}", "(", ")", "|", "\\"])("reads %s in a glob as itself", (c) => {
    expect(matchesResource(`x${c}y.*`, `x${c}y.a`)).toBe(true);
    // Were it a regular-expression character, one of these would match too.
    expect(matchesResource(`x${c}y.*`, "xy.a")).toBe(false);
    expect(matchesResource(`x${c}y.*`, "xxy.a")).toBe(false);
  });

  it("treats a pattern with only ? as a glob, and one with neither as an exact address", () => {
    expect(matchesResource("a.b?", "a.bc")).toBe(true);
    expect(matchesResource("a.b", "a.bc")).toBe(false);
    expect(matchesResource("a.*", "a.")).toBe(true);
  });
});

describe("the nearest rule id a typo meant", () => {
  const ids = (...list: string[]) => new Map(list.map((id) => [id, rule(id)]));

  it("is the nearest of several, wherever it is listed", () => {
    const rules = ids("aws-s3-bucket-versioning", "aws-kms-key-rotation");
    expect(waiverRuleProblem("aws-kms-key-rotaton", rules)).toBe(
      "no rule has the id 'aws-kms-key-rotaton' (did you mean 'aws-kms-key-rotation'?)",
    );
  });

  it("is offered up to a quarter of a long id's length in edits, and not one edit more", () => {
    // 24 characters: up to 6 edits.
    const rules = ids("aws-s3-bucket-versioning");
    expect(waiverRuleProblem("aws-s3-bucket-versionXXXXXX", rules)).toBe(
      "no rule has the id 'aws-s3-bucket-versionXXXXXX' (did you mean 'aws-s3-bucket-versioning'?)",
    );
    expect(waiverRuleProblem("aws-s3-bucket-versiXXXXXXX", rules)).toBe("no rule has the id 'aws-s3-bucket-versiXXXXXXX'");
  });

  it("is offered up to 3 edits for a short id, and not 4", () => {
    const rules = ids("k8s-abc");
    expect(waiverRuleProblem("k8s-xyz", rules)).toBe("no rule has the id 'k8s-xyz' (did you mean 'k8s-abc'?)");
    expect(waiverRuleProblem("k8-wxyz", rules)).toBe("no rule has the id 'k8-wxyz'");
  });

  it("counts insertions, deletions and substitutions alike", () => {
    const rules = ids("abcdefgh");
    expect(waiverRuleProblem("abcdefghijk", rules)).toBe("no rule has the id 'abcdefghijk' (did you mean 'abcdefgh'?)");
    expect(waiverRuleProblem("abcdefghijkl", rules)).toBe("no rule has the id 'abcdefghijkl'");
    expect(waiverRuleProblem("abcde", rules)).toBe("no rule has the id 'abcde' (did you mean 'abcdefgh'?)");
    expect(waiverRuleProblem("abcd", rules)).toBe("no rule has the id 'abcd'");
    expect(waiverRuleProblem("xbcdefgy", rules)).toBe("no rule has the id 'xbcdefgy' (did you mean 'abcdefgh'?)");
    expect(waiverRuleProblem("bacdefhg", rules)).toBe("no rule has the id 'bacdefhg'");
  });

  it("is not offered when no rule is known", () => {
    expect(waiverRuleProblem("anything", new Map())).toBe("no rule has the id 'anything'");
  });
});

describe("a waiver of an unwaivable rule that reaches judging", () => {
  // Two rules with one id, the later waivable: the waiver is valid for the id, yet the unwaivable rule ignores it.
  const unwaivable = rule("test-rule", { waivable: false });
  const waivable = rule("test-rule");
  const doc = { resource: { test_thing: { a: { ok: false }, c: { ok: true } } } };

  it("leaves the unwaivable rule's finding failing, saying why, and counts the match", () => {
    const report = check([moduleOf(doc)], { rules: [unwaivable, waivable], waivers: [waiver()], now: NOW });
    expect(report.findings.map((f) => [f.status, f.message])).toEqual([
      ["fail", "not ok (rule test-rule cannot be waived; the waiver by platform-team is ignored)"],
      ["waived", "not ok (waived by platform-team until 2030-06-30: accepted until the vendor ships a fix)"],
      ["pass", "ok"],
      ["pass", "ok"],
    ]);
    expect(report.findings[0].waiver).toEqual(waiver());
    expect(report.waivers.map((w) => w.matched)).toEqual([2]);
  });

  it("says the same of an expired waiver: unwaivable comes first", () => {
    const report = check([moduleOf(doc)], { rules: [unwaivable, waivable], waivers: [waiver({ expires: "2030-01-01" })], now: NOW });
    expect(report.findings.map((f) => f.message).slice(0, 2)).toEqual([
      "not ok (rule test-rule cannot be waived; the waiver by platform-team is ignored)",
      "not ok (waiver by platform-team expired on 2030-01-01)",
    ]);
  });
});

describe("the engine's report of modules and waivers", () => {
  it("lists each module call not followed with its module", () => {
    const module = moduleOf({ resource: { test_thing: { a: { ok: true } } } }, "app");
    module.notFollowed.push({ address: "module.eks", source: "terraform-aws-modules/eks/aws", reason: "registry modules are not fetched" });
    expect(check([module], { rules: [rule("test-rule")] }).notFollowed).toEqual([
      { module: "app", address: "module.eks", source: "terraform-aws-modules/eks/aws", reason: "registry modules are not fetched" },
    ]);
  });

  it("lists waivers from code before the file's, each with its match count and whether it expired", () => {
    const embedded = { rule: "test-rule", reason: "the construct's waiver, given in code", owner: "code-owner", expires: "2030-01-01" };
    const module = moduleOf({ resource: { test_thing: { a: { ok: false, "//": { saip_waivers: [embedded] } } } } });
    const report = check([module], { rules: [rule("test-rule")], waivers: [waiver({ resource: "test_thing.z" })], now: NOW });
    expect(report.waivers).toEqual([
      { ...embedded, resource: "test_thing.a", origin: "m.tf.json", matched: 1, expired: true },
      { ...waiver({ resource: "test_thing.z" }), matched: 0, expired: false },
    ]);
  });

  it("adds a construct's waiver's matches over its resources before deciding it is unused", () => {
    const embedded = { rule: "test-rule", reason: "the construct's waiver, given in code", owner: "code-owner", expires: "2099-01-01" };
    const module = moduleOf({
      resource: {
        test_thing: { a: { ok: false, "//": { saip_waivers: [embedded] } }, b: { ok: false, "//": { saip_waivers: [embedded] } } },
      },
    });
    const report = check([module], { rules: [rule("test-rule")], now: NOW });
    expect(report.waivers.map((w) => w.matched)).toEqual([1, 1]);
    expect(unusedWaivers(report)).toEqual([]);
  });

  it("keys a construct's waiver by everything but its resource", () => {
    const base = { rule: "test-rule", reason: "the construct's waiver, given in code", owner: "code-owner", expires: "2099-01-01" };
    const module = moduleOf({
      resource: {
        test_thing: {
          a: { ok: true, "//": { saip_waivers: [base] } },
          b: { ok: true, "//": { saip_waivers: [{ ...base, owner: "other-owner" }] } },
          c: { ok: true, "//": { saip_waivers: [{ ...base, expires: "2098-01-01" }] } },
          d: { ok: true, "//": { saip_waivers: [{ ...base, reason: "another reason, just as long" }] } },
          e: { ok: true, "//": { saip_waivers: [{ ...base, rule: "other-rule" }] } },
        },
      },
    });
    const report = check([module], { rules: [rule("test-rule"), rule("other-rule")], now: NOW });
    expect(unusedWaivers(report).map((w) => w.resource)).toEqual([
      "test_thing.a",
      "test_thing.b",
      "test_thing.c",
      "test_thing.d",
      "test_thing.e",
    ]);
  });
});

describe("waivers files, word for word", () => {
  const write = (name: string, text: string) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "saip-waivers-")), name);
    writeFileSync(file, text);
    return file;
  };

  it("names the system's error code when a file cannot be read", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "saip-waivers-"));
    await expect(loadWaiverFile(folder)).rejects.toThrow(new Error(`${folder}: cannot read waivers: EISDIR`));
  });

  it("gives the first line of the YAML parser's error", async () => {
    const file = write("w.yaml", "- [unclosed\n");
    await expect(loadWaiverFile(file)).rejects.toThrow(
      new Error(`${file}: malformed waivers file: Flow sequence in block collection must be sufficiently indented and end with a ]`),
    );
  });

  it.each([
    ["an empty file", ""],
    ["a waivers key that is not a list", "waivers: test-rule\n"],
    ["a scalar", "just words\n"],
  ])("refuses %s", async (_what, text) => {
    const file = write("w.yaml", text);
    await expect(loadWaiverFile(file)).rejects.toThrow(
      new Error(`${file}: a waivers file must be a list of waivers or an object with a 'waivers' list.`),
    );
  });

  it("names an entry that is not an object, and an unknown key, at the entry itself", async () => {
    const file = write("w.json", JSON.stringify(["test-rule", { ...waiver(), origin: undefined, note: "x" }]));
    await expect(loadWaiverFile(file)).rejects.toThrow(
      new Error(`${file}: waivers[0]: Invalid input: expected object, received string; waivers[1]: Unrecognized key: "note"`),
    );
  });

  it("reads an empty list as no waivers", async () => {
    expect(await loadWaiverFile(write("w.yaml", "[]\n"))).toEqual([]);
  });
});

describe("waivers embedded in the JSON, on odd metadata", () => {
  const resourceWith = (meta: unknown) => moduleOf({ resource: { test_thing: { a: { "//": meta } } } }).resources[0];

  it("finds none under a comment that is not an object, or an object with no waivers", () => {
    for (const meta of [null, "a comment", 7, { metadata: { path: "p/A" } }]) {
      expect(embeddedWaivers(resourceWith(meta))).toEqual([]);
      expect(embeddedWaiverConstructs(resourceWith(meta))).toEqual([]);
    }
  });

  it("gives a construct only where one is written as text", () => {
    expect(embeddedWaiverConstructs(resourceWith({ saip_waivers: [{ construct: 5 }, null, { construct: "p/A" }] }))).toEqual([
      undefined,
      undefined,
      "p/A",
    ]);
  });

  it("names each bad entry and field, with the resource and its file", () => {
    const w = { rule: "test-rule", reason: "accepted until the vendor ships a fix", owner: "platform-team", expires: "2030-06-30" };
    expect(() => embeddedWaivers(resourceWith({ saip_waivers: [w, { ...w, owner: " ", expires: "2030-6-30" }] }))).toThrow(
      new Error(
        "m.tf.json: test_thing.a saip_waivers[1].owner: must name who owns the waiver; test_thing.a saip_waivers[1].expires: must be a date as YYYY-MM-DD; test_thing.a saip_waivers[1].expires: is not a real date",
      ),
    );
  });
});

describe("waivers for the module's terraform block", () => {
  const settingsRule: Rule = {
    ...rule("test-settings"),
    appliesTo: ["terraform"],
    check: () => ({ status: "fail", message: "no backend" }),
  };

  it("are matched by address like any other, and a waiver embedded in a resource does not reach them", () => {
    const embedded = { rule: "test-settings", reason: "the construct's waiver, given in code", owner: "code-owner", expires: "2099-01-01" };
    const module = moduleOf({ resource: { test_thing: { a: { ok: true, "//": { saip_waivers: [embedded] } } } } }, "app");
    const report = check([module], { rules: [settingsRule], waivers: [waiver({ rule: "test-settings", resource: "other" })], now: NOW });
    expect(report.findings.map((f) => [f.resource, f.status])).toEqual([["terraform", "fail"]]);
    expect(report.waivers.map((w) => w.matched)).toEqual([0, 0]);
  });
});
