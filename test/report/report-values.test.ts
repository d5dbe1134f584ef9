import { XMLParser } from "fast-xml-parser";
import { check } from "../../lib/compliance/engine";
import { Report } from "../../lib/compliance/finding";
import { buildEvidence } from "../../lib/evidence/build";
import { renderJunit } from "../../lib/report/junit";
import { renderSarif } from "../../lib/report/sarif";
import { renderText } from "../../lib/report/text";
import { verdictText } from "../../lib/report/verdict";
import { describeWaiver } from "../../lib/report/waiver-lines";
import { moduleOf, rule, waiver } from "../compliance/tiny-rules";

const NOW = new Date("2030-06-30T12:00:00Z");
const MANDATORY = rule("test-mandatory");
const RECOMMENDED = rule("test-recommended", { severity: "recommended" });
const RULES = [MANDATORY, RECOMMENDED];

/**
 * Two modules: `app` has a, waived for the mandatory rule; b, whose waiver expired; c, passing; `net` has one
 * failing resource. Each rule judges each resource, so the counts below are the point.
 */
function report(): Report {
  const app = moduleOf({ resource: { test_thing: { a: { ok: false }, b: { ok: false }, c: { ok: true } } } }, "app");
  const net = moduleOf({ resource: { test_thing: { n: { ok: false } } } }, "net");
  return check([app, net], {
    rules: RULES,
    waivers: [
      waiver({ rule: "test-mandatory", resource: "test_thing.a" }),
      waiver({ rule: "test-mandatory", resource: "test_thing.b", expires: "2030-06-01", owner: "old-owner" }),
      waiver({ rule: "test-recommended", resource: "test_thing.nothing", owner: "unused-owner" }),
    ],
    now: NOW,
  });
}

const sarifOf = (r: Report) =>
  JSON.parse(renderSarif(buildEvidence(r, { rules: RULES, modules: [], files: [], version: "0.0.0", now: NOW, revision: null }), RULES))
    .runs[0];

describe("SARIF levels and suppressions", () => {
  const run = sarifOf(report());
  const result = (ruleId: string, resource: string) =>
    run.results.find(
      (r: { ruleId: string; message: { text: string } }) => r.ruleId === ruleId && r.message.text.startsWith(`${resource}:`),
    );

  it("gives mandatory failures error, recommended failures warning, and waived findings note; passes are not results", () => {
    expect(result("test-mandatory", "test_thing.n").level).toBe("error");
    expect(result("test-recommended", "test_thing.n").level).toBe("warning");
    expect(result("test-mandatory", "test_thing.a").level).toBe("note");
    expect(result("test-mandatory", "test_thing.c")).toBeUndefined();
    // 2 rules x 4 resources, less the two passes of c.
    expect(run.results).toHaveLength(6);
    expect(
      run.tool.driver.rules.map((r: { id: string; defaultConfiguration: { level: string } }) => [r.id, r.defaultConfiguration.level]),
    ).toEqual([
      ["test-mandatory", "error"],
      ["test-recommended", "warning"],
    ]);
  });

  it("suppresses only the finding an active waiver waived: an expired waiver hides nothing from code scanning", () => {
    expect(result("test-mandatory", "test_thing.a").suppressions).toEqual([
      {
        kind: "external",
        status: "accepted",
        justification: "accepted until the vendor ships a fix (owner platform-team, expires 2030-06-30, from waivers.yaml)",
      },
    ]);
    const expired = result("test-mandatory", "test_thing.b");
    expect(expired).toMatchObject({ level: "error", properties: { status: "fail" } });
    expect(expired.suppressions).toBeUndefined();
    expect(run.results.filter((r: { suppressions?: unknown }) => r.suppressions).length).toBe(1);
  });

  it("does not suppress a failure that carries a waiver of a rule that cannot be waived", () => {
    const r = report();
    const unwaivable: Report = {
      ...r,
      findings: r.findings.map((f) => (f.waiver && f.status === "waived" ? { ...f, status: "fail" as const } : f)),
    };
    expect(sarifOf(unwaivable).results.filter((x: { suppressions?: unknown }) => x.suppressions)).toEqual([]);
  });
});

describe("JUnit", () => {
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(renderJunit(report()));
  const suites = xml.testsuites.testsuite as Array<Record<string, string>>;

  it("counts failures and skips per module, and in total", () => {
    expect(suites.map((s) => [s.name, s.tests, s.failures, s.skipped])).toEqual([
      // app: a (waived, fail), b (fail, fail), c (pass, pass)
      ["app", "6", "3", "1"],
      // net: n fails both rules
      ["net", "2", "2", "0"],
    ]);
    expect([xml.testsuites.tests, xml.testsuites.failures, xml.testsuites.skipped]).toEqual(["8", "5", "1"]);
  });

  it("gives a failure its severity and a waived finding its reason", () => {
    const cases = suites[1].testcase as unknown as Array<{ classname: string; failure: { type: string } }>;
    expect(cases.map((c) => [c.classname, c.failure.type])).toEqual([
      ["test-mandatory", "mandatory"],
      ["test-recommended", "recommended"],
    ]);
    const waived = (suites[0].testcase as unknown as Array<{ name: string; skipped?: { message: string } }>).find((c) => c.skipped);
    expect(waived).toMatchObject({
      name: "test_thing.a",
      skipped: { message: expect.stringMatching(/^not ok \(waived by platform-team until 2030-06-30: /) },
    });
  });

  it("lists every waiver as a property, the unused one included", () => {
    const properties = xml.testsuites.properties.property as Array<{ name: string; value: string }>;
    expect(properties.map((p) => p.name)).toEqual(["waiver.1", "waiver.2", "waiver.3"]);
    expect(properties[2].value).toBe(
      "test-recommended on test_thing.nothing, until 2030-06-30, owner unused-owner, matched 0: accepted until the vendor ships a fix (from waivers.yaml)",
    );
  });
});

describe("the text report", () => {
  const text = renderText(report());

  it("lists failures first, mandatory before recommended, then waived; passes only when verbose", () => {
    const rows = text
      .split("\n")
      .filter((l) => /^(FAIL|WAIVED|PASS) /.test(l))
      .map((l) =>
        l
          .split(/\s{2,}/)
          .slice(0, 4)
          .join(" "),
      );
    expect(rows).toEqual([
      "FAIL mandatory test-mandatory test_thing.b",
      "FAIL mandatory test-mandatory test_thing.n",
      "FAIL recommended test-recommended test_thing.a",
      "FAIL recommended test-recommended test_thing.b",
      "FAIL recommended test-recommended test_thing.n",
      "WAIVED mandatory test-mandatory test_thing.a",
    ]);
    expect(
      renderText(report(), { verbose: true })
        .split("\n")
        .filter((l) => l.startsWith("PASS ")).length,
    ).toBe(2);
  });

  it("names every waiver with its state, the expired and the unmatched ones included", () => {
    expect(text).toContain("Waivers:\n  test-mandatory on test_thing.a, until 2030-06-30, owner platform-team, matched 1: ");
    expect(text).toContain("\n  test-mandatory on test_thing.b, EXPIRED on 2030-06-01, owner old-owner, matched 1: ");
    expect(text).toContain("\n  test-recommended on test_thing.nothing, until 2030-06-30, owner unused-owner, matched 0: ");
  });

  it("ends with the totals", () => {
    expect(text.endsWith("2 rules over 4 resources in 2 modules: 2 passed, 5 failed, 1 waived\n")).toBe(true);
  });

  it("says nothing of waivers, modules not followed or unjudged types when there are none", () => {
    const clean = check([moduleOf({ resource: { test_thing: { c: { ok: true } } } })], { rules: [MANDATORY] });
    expect(renderText(clean)).toBe("1 rule over 1 resource in 1 module: 1 passed, 0 failed, 0 waived\n");
  });
});

describe("the verdict", () => {
  const only = (severity: "mandatory" | "recommended", count: number): Report => {
    const doc = { resource: { test_thing: Object.fromEntries(Array.from({ length: count }, (_, i) => [`r${i}`, { ok: false }])) } };
    return check([moduleOf(doc)], { rules: [severity === "mandatory" ? MANDATORY : RECOMMENDED] });
  };

  it.each([
    ["mandatory", "mandatory", 1, "FAIL: 1 mandatory finding fails"],
    ["mandatory", "mandatory", 2, "FAIL: 2 mandatory findings fail"],
    ["mandatory", "recommended", 1, "PASS: no mandatory requirement fails"],
    ["recommended", "recommended", 1, "FAIL: 1 mandatory or recommended finding fails"],
    ["recommended", "recommended", 2, "FAIL: 2 mandatory or recommended findings fail"],
    ["recommended", "mandatory", 1, "FAIL: 1 mandatory or recommended finding fails"],
    ["recommended", "recommended", 0, "PASS: no mandatory or recommended requirement fails"],
    ["none", "mandatory", 1, "PASS: nothing fails the check at fail-on none"],
  ] as const)("at fail-on %s, with %s failures only (%s): %s", (failOn, severity, count, text) => {
    expect(verdictText(only(severity, count), failOn)).toBe(text);
  });

  it("is given at mandatory by default", () => {
    expect(verdictText(only("recommended", 1))).toBe("PASS: no mandatory requirement fails");
  });
});

describe("a waiver's line", () => {
  it("says until or EXPIRED on, and what it matched", () => {
    const w = { ...waiver(), expired: false, matched: 0 };
    expect(describeWaiver(w)).toBe(
      "test-rule on test_thing.a, until 2030-06-30, owner platform-team, matched 0: accepted until the vendor ships a fix (from waivers.yaml)",
    );
    expect(describeWaiver({ ...w, expired: true, matched: 2 })).toBe(
      "test-rule on test_thing.a, EXPIRED on 2030-06-30, owner platform-team, matched 2: accepted until the vendor ships a fix (from waivers.yaml)",
    );
  });
});
