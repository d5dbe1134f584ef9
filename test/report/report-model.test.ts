import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { check } from "../../lib/compliance/engine";
import { Finding } from "../../lib/compliance/finding";
import { constructPathOf, constructSourceOf, lineOf } from "../../lib/report/locate";
import {
  byRequirement,
  bySeverity,
  compare,
  countFindings,
  failing,
  outcomeStatus,
  rulesThatRan,
  waiverModules,
  waiverStatus,
} from "../../lib/report/markdown-model";
import { moduleOf, rule, waiver } from "../compliance/tiny-rules";

// The pure parts every report shares: orderings, statuses and where a finding points. Values, not presence.

const finding = (over: Partial<Finding>): Finding => ({
  ruleId: "r",
  requirementIds: ["AICP-A-01"],
  severity: "mandatory",
  status: "fail",
  resource: "t.a",
  source: "s.tf",
  module: "m",
  message: "",
  references: [],
  ...over,
});

describe("orderings", () => {
  it("compare bytes, not locale", () => {
    expect(compare("B", "a")).toBe(-1);
    expect(compare("a", "B")).toBe(1);
    expect(compare("a", "a")).toBe(0);
  });

  it("order by requirement, rule, resource, then module; and mandatory first", () => {
    const list = [
      finding({ module: "z" }),
      finding({ module: "a" }),
      finding({ resource: "t.0" }),
      finding({ ruleId: "q" }),
      finding({ requirementIds: ["AICP-A-00"], severity: "recommended" }),
    ];
    expect([...list].sort(byRequirement).map((f) => `${f.requirementIds}/${f.ruleId}/${f.resource}/${f.module}`)).toEqual([
      "AICP-A-00/r/t.a/m",
      "AICP-A-01/q/t.a/m",
      "AICP-A-01/r/t.0/m",
      "AICP-A-01/r/t.a/a",
      "AICP-A-01/r/t.a/z",
    ]);
    expect([...list].sort(bySeverity).map((f) => f.severity)).toEqual(["mandatory", "mandatory", "mandatory", "mandatory", "recommended"]);
    expect(bySeverity(finding({ severity: "recommended" }), finding({}))).toBe(1);
    expect(bySeverity(finding({}), finding({ severity: "recommended" }))).toBe(-1);
  });
});

describe("statuses", () => {
  it.each([
    [{ pass: 1, fail: 1, waived: 1 }, "failed"],
    [{ pass: 1, fail: 0, waived: 1 }, "met with waivers"],
    [{ pass: 0, fail: 0, waived: 1 }, "waived"],
    [{ pass: 1, fail: 0, waived: 0 }, "met"],
    [{ pass: 0, fail: 0, waived: 0 }, "not applicable"],
  ])("%j is %s", (counts, status) => {
    expect(outcomeStatus(counts, "met")).toBe(status);
  });

  it("give a waiver ignored before expired, expired before unused", () => {
    const w = { ...waiver(), expired: false, matched: 2 };
    const row = { id: "test-rule", title: "", severity: "mandatory" as const, requirements: [], checkov: [], trivy: [] };
    expect(waiverStatus(w, { ...row, waivable: true })).toBe("active");
    expect(waiverStatus({ ...w, expired: true, matched: 0 }, { ...row, waivable: false })).toBe("ignored (rule not waivable)");
    expect(waiverStatus({ ...w, expired: true, matched: 0 }, { ...row, waivable: true })).toBe("expired");
    expect(waiverStatus({ ...w, matched: 0 }, row)).toBe("unused (matched 0)");
    expect(waiverStatus({ ...w, matched: 0 }, undefined)).toBe("unused (matched 0; the rule did not run)");
    // A rule only findings name has no waivable flag: it is not taken as unwaivable.
    expect(waiverStatus(w, row)).toBe("active");
  });

  it("count findings and failures of one severity, with how many were unresolved", () => {
    const list = [
      finding({}),
      finding({ unresolved: true }),
      finding({ status: "pass" }),
      finding({ status: "waived" }),
      finding({ severity: "recommended" }),
    ];
    expect(countFindings(list)).toEqual({ pass: 1, fail: 3, waived: 1 });
    const report = check([moduleOf({ resource: { test_thing: { a: { ok: false }, b: { ok: "${var.x}" }, c: { ok: true } } } })], {
      rules: [rule("m-rule"), rule("r-rule", { severity: "recommended" })],
    });
    expect(failing(report, "mandatory")).toEqual({ count: 2, unresolved: 1 });
    expect(failing(report, "recommended")).toEqual({ count: 2, unresolved: 1 });
  });
});

describe("rules and waivers by module", () => {
  it("list the rules that ran, and a rule only a finding names, sorted by id", () => {
    const report = check([moduleOf({ resource: { test_thing: { a: { ok: false } } } })], { rules: [rule("b-rule"), rule("a-rule")] });
    expect(rulesThatRan(report).map((r) => r.id)).toEqual(["a-rule", "b-rule"]);
    const orphan = {
      ...report,
      rules: undefined,
      findings: [...report.findings, finding({ ruleId: "c-rule", severity: "recommended", requirementIds: ["X"] })],
    };
    expect(rulesThatRan(orphan, [])).toEqual([
      { id: "a-rule", title: "", severity: "mandatory", requirements: [], checkov: [], trivy: [] },
      { id: "b-rule", title: "", severity: "mandatory", requirements: [], checkov: [], trivy: [] },
      { id: "c-rule", title: "", severity: "recommended", requirements: ["X"], checkov: [], trivy: [] },
    ]);
  });

  it("place a waiver in the modules of the findings it matched, else where its file is", () => {
    const app = moduleOf({ resource: { test_thing: { a: { ok: false } } } }, "app");
    const net = moduleOf({ resource: { test_thing: { a: { ok: false } } } }, "net");
    const report = check([net, app], {
      rules: [rule("test-rule")],
      waivers: [waiver(), waiver({ resource: "test_thing.none", origin: "app.tf.json" })],
    });
    const modules = waiverModules(report);
    expect(modules(report.waivers[0])).toEqual(["app", "net"]);
    expect(modules(report.waivers[1])).toEqual(["app"]);
    expect(modules({ ...report.waivers[1], origin: "elsewhere.yaml" })).toEqual([]);
  });
});

describe("where a finding points", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "saip-locate-"));
  const hcl = path.join(dir, "main.tf");
  writeFileSync(
    hcl,
    ['resource "aws_s3_bucket" "a" {', "}", "", '  resource "aws_s3_bucket" "b" {', "}", 'data "aws_iam_policy_document" "a" {', "}"].join(
      "\n",
    ),
  );
  const json = path.join(dir, "cdk.tf.json");
  writeFileSync(json, JSON.stringify({ resource: { aws_kms_key: { b: {}, a: {} }, aws_s3_bucket: { a: {} } } }, null, 2));

  it("finds the line of an HCL block, of a module's instance, and nothing for a missing one", () => {
    expect(lineOf(hcl, "aws_s3_bucket.a")).toBe(1);
    expect(lineOf(hcl, "aws_s3_bucket.b")).toBe(4);
    expect(lineOf(hcl, "module.x.aws_s3_bucket.b[0]")).toBe(4);
    expect(lineOf(hcl, "data.aws_iam_policy_document.a")).toBe(6);
    expect(lineOf(hcl, "aws_s3_bucket.c")).toBeUndefined();
    expect(lineOf(path.join(dir, "missing.tf"), "aws_s3_bucket.a")).toBeUndefined();
  });

  it("finds a JSON resource's name after its type's key, not an earlier one of the same name", () => {
    // Lines: 1 {, 2 "resource", 3 "aws_kms_key", 4 "b", 5 "a", 6 }, 7 "aws_s3_bucket", 8 "a".
    expect(lineOf(json, "aws_kms_key.b")).toBe(4);
    expect(lineOf(json, "aws_kms_key.a")).toBe(5);
    expect(lineOf(json, "aws_s3_bucket.a")).toBe(8);
    expect(lineOf(json, "aws_eks_cluster.a")).toBeUndefined();
    expect(lineOf(json, "aws_s3_bucket.zz")).toBeUndefined();
  });

  it("reads the construct path and the first stack frame outside node_modules", () => {
    const doc = {
      resource: {
        aws_kms_key: {
          k: {
            "//": {
              metadata: {
                path: "p/K",
                stackTrace: [
                  "at new KmsKey (/app/node_modules/x/index.js:1:2)",
                  "at new Key (/app/lib/key.ts:41:19)",
                  "at main (/app/main.ts:3:1)",
                ],
              },
            },
          },
          bare: {},
        },
      },
      data: { aws_iam_policy_document: { d: { "//": { metadata: { path: "p/D" } } } } },
    };
    expect(constructPathOf(doc, "aws_kms_key.k")).toBe("p/K");
    expect(constructPathOf(doc, "data.aws_iam_policy_document.d")).toBe("p/D");
    expect(constructPathOf(doc, "aws_kms_key.bare")).toBeUndefined();
    expect(constructSourceOf(doc, "aws_kms_key.k")).toEqual({ file: "/app/lib/key.ts", line: 41 });
    expect(constructSourceOf(doc, "data.aws_iam_policy_document.d")).toBeUndefined();
    expect(constructSourceOf([], "aws_kms_key.k")).toBeUndefined();
  });
});
