import { check } from "../../lib/compliance/engine";
import { failsAt, Report } from "../../lib/compliance/finding";
import { Rule } from "../../lib/compliance/rule";
import { assertWaiversValid, unusedWaivers, waiverRuleProblem } from "../../lib/compliance/waiver-problems";
import { isExpired, matchesResource, waiverSchemas } from "../../lib/compliance/waivers";
import { moduleOf, rule, waiver } from "./tiny-rules";

const NOW = new Date("2030-06-30T12:00:00Z");
const { embeddedWaiver, waiverFileEntry } = waiverSchemas();

describe("waiver globs", () => {
  it("match the whole address, not a prefix or a suffix of it", () => {
    expect(matchesResource("aws_s3_bucket.*", "aws_s3_bucket.models")).toBe(true);
    expect(matchesResource("aws_s3_bucket.m*", "aws_s3_bucket.models")).toBe(true);
    expect(matchesResource("aws_s3_bucket.m*", "x.aws_s3_bucket.models")).toBe(false);
    expect(matchesResource("*.models", "aws_s3_bucket.models_old")).toBe(false);
    expect(matchesResource("aws_s3_bucket.models", "aws_s3_bucket.models_old")).toBe(false);
    expect(matchesResource("aws_s3_bucket.models", "aws_s3_bucket.models")).toBe(true);
  });

  it("read ? as one character and every other character literally", () => {
    expect(matchesResource("aws_s3_bucket.log?", "aws_s3_bucket.logs")).toBe(true);
    expect(matchesResource("aws_s3_bucket.log?", "aws_s3_bucket.log")).toBe(false);
    expect(matchesResource("aws_s3_bucket.log?", "aws_s3_bucket.logss")).toBe(false);
    // A dot in the pattern is a dot, not any character; brackets and pluses are literal too.
    expect(matchesResource("aws_s3_bucket.*", "aws_s3_bucketXmodels")).toBe(false);
    expect(matchesResource("module.a[0].*", "module.a[0].aws_s3_bucket.x")).toBe(true);
    expect(matchesResource("module.a[0].*", "module.a0.aws_s3_bucket.x")).toBe(false);
    expect(matchesResource("a+b.*", "a+b.x")).toBe(true);
    expect(matchesResource("a+b.*", "aab.x")).toBe(false);
  });

  it("give the same answer from the cache as the first time", () => {
    expect(matchesResource("cache_*.x", "cache_a.x")).toBe(true);
    expect(matchesResource("cache_*.x", "cache_a.y")).toBe(false);
    expect(matchesResource("cache_*.x", "cache_b.x")).toBe(true);
  });
});

describe("waiver fields", () => {
  const entry = { rule: "r", resource: "a.b", reason: "x".repeat(20), owner: "o", expires: "2030-01-31" };

  it("need a reason of 20 characters after trimming: whitespace explains nothing", () => {
    expect(waiverFileEntry.safeParse(entry).success).toBe(true);
    expect(waiverFileEntry.safeParse({ ...entry, reason: "x".repeat(19) }).success).toBe(false);
    expect(waiverFileEntry.safeParse({ ...entry, reason: ` ${"x".repeat(19)}   ` }).success).toBe(false);
    expect(waiverFileEntry.safeParse({ ...entry, reason: " ".repeat(30) }).success).toBe(false);
    expect(waiverFileEntry.safeParse({ ...entry, owner: "   " }).success).toBe(false);
    expect(waiverFileEntry.safeParse({ ...entry, rule: "" }).success).toBe(false);
    expect(waiverFileEntry.safeParse({ ...entry, resource: "" }).success).toBe(false);
  });

  it("need a real calendar date as YYYY-MM-DD", () => {
    for (const expires of ["2030-02-30", "2030-13-01", "2030-1-01", "2030-01-01T00:00:00Z", " 2030-01-01", "30-01-01"]) {
      expect(waiverFileEntry.safeParse({ ...entry, expires }).success).toBe(false);
    }
    expect(waiverFileEntry.safeParse({ ...entry, expires: "2032-02-29" }).success).toBe(true);
  });

  it("are strict: an unknown key is refused, in files and in the JSON", () => {
    expect(waiverFileEntry.safeParse({ ...entry, note: "x" }).success).toBe(false);
    const { resource: _resource, ...embedded } = entry;
    expect(embeddedWaiver.safeParse({ ...embedded, construct: "a/b" }).success).toBe(true);
    expect(embeddedWaiver.safeParse({ ...embedded, resource: "a.b" }).success).toBe(false);
  });

  it("hold through the whole expiry day in UTC and lapse at the next midnight", () => {
    const w = { expires: "2030-06-30" };
    expect(isExpired(w, new Date("2030-06-30T00:00:00Z"))).toBe(false);
    expect(isExpired(w, new Date("2030-06-30T23:59:59.999Z"))).toBe(false);
    expect(isExpired(w, new Date("2030-07-01T00:00:00Z"))).toBe(true);
  });
});

describe("the engine with waivers", () => {
  const doc = { resource: { test_thing: { a: { ok: false }, b: { ok: false }, c: { ok: true }, d: { ok: "${var.x}" } } } };

  it("waives only what the glob names, and counts what each waiver matched", () => {
    const report = check([moduleOf(doc)], { rules: [rule("test-rule")], waivers: [waiver({ resource: "test_thing.a" })], now: NOW });
    expect(report.findings.map((f) => [f.resource, f.status])).toEqual([
      ["test_thing.a", "waived"],
      ["test_thing.b", "fail"],
      ["test_thing.c", "pass"],
      ["test_thing.d", "fail"],
    ]);
    expect(report.summary).toEqual({ pass: 1, fail: 2, waived: 1 });
    expect(report.waivers.map((w) => [w.resource, w.matched, w.expired])).toEqual([["test_thing.a", 1, false]]);
    expect(report.findings[0].message).toBe("not ok (waived by platform-team until 2030-06-30: accepted until the vendor ships a fix)");
    expect(report.findings[3]).toMatchObject({ unresolved: true, message: "unresolved: ok is unknown" });
    expect(report.findings[2]).toMatchObject({ unresolved: false, waiver: undefined });
  });

  it("does not waive a pass, nor a failure of another rule", () => {
    const report = check([moduleOf(doc)], {
      rules: [rule("test-rule"), rule("other-rule")],
      waivers: [waiver({ resource: "test_thing.*" })],
      now: NOW,
    });
    const other = report.findings.filter((f) => f.ruleId === "other-rule");
    expect(other.map((f) => f.status)).toEqual(["fail", "fail", "pass", "fail"]);
    // a, b and d failed; c passed and needs no waiver.
    expect(report.waivers[0].matched).toBe(3);
  });

  it("keeps an expired waiver's finding failing, names the waiver, and marks it expired", () => {
    const report = check([moduleOf(doc)], { rules: [rule("test-rule")], waivers: [waiver({ expires: "2030-06-29" })], now: NOW });
    expect(report.findings[0]).toMatchObject({
      status: "fail",
      message: "not ok (waiver by platform-team expired on 2030-06-29)",
      waiver: { owner: "platform-team" },
    });
    expect(report.waivers[0]).toMatchObject({ expired: true, matched: 1 });
    expect(failsAt(report, "mandatory")).toBe(true);
  });

  it("ignores a waiver of an unwaivable rule that a caller's own rule list makes reach the engine", () => {
    // The engine refuses such a waiver as input; a judged finding still says why it stays failed.
    const unwaivable = rule("test-rule", { waivable: false });
    expect(() => check([moduleOf(doc)], { rules: [unwaivable], waivers: [waiver()], now: NOW })).toThrow(
      "waivers.yaml: the waiver for test-rule on test_thing.a: rule test-rule cannot be waived",
    );
  });

  it("says of an embedded waiver on an unwaivable rule that it is ignored, and the finding fails", () => {
    const embedded = { rule: "test-rule", reason: "accepted until the vendor ships a fix", owner: "platform-team", expires: "2030-06-30" };
    const module = moduleOf({ resource: { test_thing: { a: { ok: false, "//": { saip_waivers: [embedded] } } } } });
    const unwaivable = rule("test-rule", { waivable: false });
    expect(() => check([module], { rules: [unwaivable], now: NOW })).toThrow(
      "m.tf.json: the waiver for test-rule on test_thing.a: rule test-rule cannot be waived",
    );
  });

  it("applies a waiver embedded in the resource before the file's, and only to its own resource", () => {
    const embedded = { rule: "test-rule", reason: "the construct's waiver, given in code", owner: "code-owner", expires: "2030-06-30" };
    const module = moduleOf({ resource: { test_thing: { a: { ok: false, "//": { saip_waivers: [embedded] } }, b: { ok: false } } } });
    const report = check([module], { rules: [rule("test-rule")], waivers: [waiver({ resource: "test_thing.*" })], now: NOW });
    expect(report.findings.map((f) => [f.resource, f.status, f.waiver?.owner])).toEqual([
      ["test_thing.a", "waived", "code-owner"],
      ["test_thing.b", "waived", "platform-team"],
    ]);
    expect(report.waivers.map((w) => [w.owner, w.matched])).toEqual([
      ["code-owner", 1],
      ["platform-team", 1],
    ]);
  });

  it("turns a rule that throws into an unresolved failure that names the error", () => {
    const throwing: Rule = {
      ...rule("test-rule"),
      check: () => {
        throw new Error("boom");
      },
    };
    const [finding] = check([moduleOf({ resource: { test_thing: { a: {} } } })], { rules: [throwing] }).findings;
    expect(finding).toMatchObject({ status: "fail", unresolved: true, message: "unresolved: the rule could not read this resource: boom" });
  });

  it("lists the resource types no rule judged, sorted, data sources by their data. type", () => {
    const module = moduleOf({
      resource: { zz_thing: { a: {} }, test_thing: { a: { ok: true } }, aa_thing: { b: {} } },
      data: { test_thing: { d: {} } },
    });
    const report = check([module], { rules: [rule("test-rule")] });
    expect(report.unjudged).toEqual(["aa_thing", "data.test_thing", "zz_thing"]);
    expect(report.findings.map((f) => f.resource)).toEqual(["test_thing.a"]);
    expect(report.rulesRun).toBe(1);
    expect(report.modules).toEqual([{ id: "m", sources: ["m.tf.json"], resources: 4 }]);
  });
});

describe("fail-on", () => {
  const findingsOf = (rules: Rule[]) => check([moduleOf({ resource: { test_thing: { a: { ok: false } } } })], { rules });
  const mandatoryFails = findingsOf([rule("m-rule")]);
  const recommendedFails = findingsOf([rule("r-rule", { severity: "recommended" })]);
  const nothingFails: Report = check([moduleOf({ resource: { test_thing: { a: { ok: true } } } })], { rules: [rule("m-rule")] });

  const reports = { "a mandatory failure": mandatoryFails, "a recommended failure only": recommendedFails, "no failure": nothingFails };
  it.each([
    ["mandatory", "a mandatory failure", true],
    ["mandatory", "a recommended failure only", false],
    ["mandatory", "no failure", false],
    ["recommended", "a mandatory failure", true],
    ["recommended", "a recommended failure only", true],
    ["recommended", "no failure", false],
    ["none", "a mandatory failure", false],
    ["none", "a recommended failure only", false],
  ] as const)("at %s, with %s: fails is %s", (failOn, which, fails) => {
    expect(failsAt(reports[which], failOn)).toBe(fails);
  });

  it("does not fail on a baselined failure, at any level", () => {
    const baselined: Report = { ...mandatoryFails, findings: mandatoryFails.findings.map((f) => ({ ...f, baselined: true })) };
    expect(failsAt(baselined, "mandatory")).toBe(false);
    expect(failsAt(baselined, "recommended")).toBe(false);
  });
});

describe("waivers that can never take effect", () => {
  const rules = new Map([rule("aws-kms-key-rotation"), rule("aws-eks-private-endpoint", { waivable: false })].map((r) => [r.id, r]));

  it("names a typo's nearest rule id, and no hint when nothing is near", () => {
    expect(waiverRuleProblem("aws-kms-key-rotation", rules)).toBeUndefined();
    expect(waiverRuleProblem("aws-kms-key-rotaton", rules)).toBe(
      "no rule has the id 'aws-kms-key-rotaton' (did you mean 'aws-kms-key-rotation'?)",
    );
    // Three edits is near for a short id; a wholly different id is not.
    expect(waiverRuleProblem("aws-kms-key-rotatixyz", rules)).toBe(
      "no rule has the id 'aws-kms-key-rotatixyz' (did you mean 'aws-kms-key-rotation'?)",
    );
    expect(waiverRuleProblem("gcp-bucket", rules)).toBe("no rule has the id 'gcp-bucket'");
    expect(waiverRuleProblem("aws-eks-private-endpoint", rules)).toBe("rule aws-eks-private-endpoint cannot be waived");
  });

  it("are refused together, each once", () => {
    const bad = waiver({ rule: "nope" });
    expect(() =>
      assertWaiversValid(
        [{ waiver: bad }, { waiver: bad }, { waiver: waiver({ rule: "aws-eks-private-endpoint" }), construct: "platform/Cluster" }],
        rules,
      ),
    ).toThrow(
      new Error(
        "waivers.yaml: the waiver for nope on test_thing.a: no rule has the id 'nope'\nwaivers.yaml: the waiver for aws-eks-private-endpoint on construct platform/Cluster: rule aws-eks-private-endpoint cannot be waived",
      ),
    );
    expect(() => assertWaiversValid([{ waiver: waiver({ rule: "aws-kms-key-rotation" }) }], rules)).not.toThrow();
  });

  it("lists a waiver that matched nothing once, and not one that matched", () => {
    const report = check([moduleOf({ resource: { test_thing: { a: { ok: false }, c: { ok: true } } } })], {
      rules: [rule("test-rule")],
      waivers: [waiver({ resource: "test_thing.a" }), waiver({ resource: "test_thing.c" })],
      now: NOW,
    });
    expect(unusedWaivers(report).map((w) => w.resource)).toEqual(["test_thing.c"]);
  });
});
