import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { writeAtomically } from "../../lib/cli/output";
import { Finding, Report } from "../../lib/compliance/finding";
import { jsonPieces, renderJson } from "../../lib/report/json";

function report(findings: Finding[], extra: Partial<Report> = {}): Report {
  return {
    version: 1,
    summary: { pass: 0, fail: findings.length, waived: 0 },
    findings,
    waivers: [],
    modules: [{ id: "m", sources: ["m/cdk.tf.json"], resources: findings.length }],
    rulesRun: 1,
    ...extra,
  };
}

const finding = (i: number, message: string): Finding => ({
  ruleId: "aws-kms-key-rotation",
  requirementIds: ["AICP-DATA-02"],
  severity: "mandatory",
  status: "fail",
  resource: `aws_kms_key.k${i}`,
  source: "m/cdk.tf.json",
  module: "m",
  message,
  references: ["CKV_AWS_7"],
  unresolved: false,
});

describe("the JSON report in pieces", () => {
  it("joins to exactly JSON.stringify of the report, over several pieces, with escapes and unicode", () => {
    // 3,000 findings of about 600 characters: more than one piece of a megabyte.
    const findings = Array.from({ length: 3000 }, (_, i) => finding(i, `rotation off "quoted" \\ → ${"x".repeat(560)} ${i}`));
    const r = report(findings, { unjudged: ["aws_sqs_queue"], notFollowed: [] });
    const pieces = [...jsonPieces(r)];
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe(JSON.stringify(r) + "\n");
    expect(renderJson(r)).toBe(JSON.stringify(r) + "\n");
  });

  it("writes an empty findings list and a report that holds the placeholder's own text unchanged", () => {
    expect(renderJson(report([]))).toBe(JSON.stringify(report([])) + "\n");
    for (const odd of [
      report([finding(0, "\u0000saip:findings\u0000")]),
      report([finding(0, "m")], { unjudged: ["\u0000saip:findings\u0000"] }),
    ])
      expect(renderJson(odd)).toBe(JSON.stringify(odd) + "\n");
  });
});

describe("writing a report in pieces", () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), "saip-pieces-"));

  it("writes every piece in order", () => {
    const d = dir();
    writeAtomically(`${d}/r.json`, ["{", '"a":1', "}\n"]);
    expect(readFileSync(`${d}/r.json`, "utf8")).toBe('{"a":1}\n');
  });

  it("writes each piece's UTF-8 whole, a short piece after a long one included (one buffer serves them all)", () => {
    const d = dir();
    const pieces = ["é→😀".repeat(1000), "a", "", "\ud800 lone", "x".repeat(3 << 20), "ü"];
    writeAtomically(`${d}/r.json`, pieces);
    expect(readFileSync(`${d}/r.json`).equals(Buffer.concat(pieces.map((p) => Buffer.from(p, "utf8"))))).toBe(true);
  });

  it("leaves the earlier file and no temporary one when a piece cannot be made", () => {
    const d = dir();
    writeFileSync(`${d}/r.json`, "before");
    function* failing() {
      yield "{";
      throw new Error("the renderer broke");
    }
    expect(() => writeAtomically(`${d}/r.json`, failing())).toThrow("the renderer broke");
    expect(readFileSync(`${d}/r.json`, "utf8")).toBe("before");
    expect(readdirSync(d)).toEqual(["r.json"]);
  });
});
