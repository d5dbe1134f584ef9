import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { check } from "../../lib/compliance/engine";
import { fail, Rule } from "../../lib/compliance/rule";
import { buildEvidence } from "../../lib/evidence/build";
import { reportOf } from "../../lib/evidence/report-of";
import { readRecord, verifyRecord } from "../../lib/evidence/verify";
import { renderJunit } from "../../lib/report/junit";
import { renderMarkdown } from "../../lib/report/markdown";
import { addDocument } from "../../lib/terraform/load";
import { Json, TfModule } from "../../lib/terraform/model";

// What a landing zone brought in, as recordAssumption writes it into a stack's JSON; the subject tries to inject markup.
const HOSTILE = `<img src=x onerror="alert(1)">`;
const VPC = { subject: `existing VPC vpc-0abc ${HOSTILE}`, assumed: "flow logs, endpoints and routing", construct: "platform/Network" };
const TRAIL = {
  subject: "existing trail arn:aws:cloudtrail:eu-west-1:111122223333:trail/org",
  assumed: "multi-region, log file validation",
};

const rule: Rule = {
  id: "test-rotation",
  title: "keys rotate",
  requirements: ["AICP-DATA-02"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_kms_key"],
  remediation: "Set enable_key_rotation = true.",
  check: () => fail("enable_key_rotation is not true"),
};

function evidenceOf(assumptions?: Json[]) {
  const doc = {
    ...(assumptions ? { terraform: { "//": { saip_assumptions: assumptions } } } : {}),
    resource: { aws_kms_key: { k: {} } },
  };
  const module = new TfModule("platform");
  addDocument(module, doc, "platform.tf.json");
  const report = check([module], { rules: [rule], now: new Date("2026-06-01T00:00:00Z") });
  return buildEvidence(report, {
    rules: [rule],
    modules: [module],
    files: [{ module: "platform", file: "platform.tf.json", content: JSON.stringify(doc) }],
    version: "1.0.0",
    now: new Date("2026-06-01T00:00:00Z"),
    revision: null,
  });
}

const assumed = evidenceOf([VPC, TRAIL]);
const plain = evidenceOf();
const published = JSON.parse(readFileSync(path.join(__dirname, "../../docs/evidence.schema.json"), "utf8"));

describe("assumptions in the evidence record", () => {
  it("lists each with its subject, what is assumed, module and construct, and counts none of them as a finding", () => {
    expect(assumed.assumptions).toEqual([
      { ...VPC, module: "platform" },
      { ...TRAIL, module: "platform" },
    ]);
    expect(assumed.summary).toEqual({ pass: 0, fail: 1, waived: 0 });
    expect(assumed.findings).toHaveLength(1);
    expect(plain.assumptions).toEqual([]);
  });

  it("validates against the published JSON Schema, which rejects an assumption without its module", () => {
    const validate = addFormats(new Ajv2020({ allErrors: true, strict: false })).compile(published);
    const json = JSON.parse(JSON.stringify(assumed));
    expect(validate(json)).toBe(true);
    delete json.assumptions[0].module;
    expect(validate(json)).toBe(false);
  });

  it("is read back by saip verify, and so is a record written before assumptions were listed (read as none)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "saip-assumed-"));
    writeFileSync(path.join(dir, "platform.tf.json"), JSON.stringify({ resource: { aws_kms_key: { k: {} } } }));
    const file = path.join(dir, "evidence.json");
    writeFileSync(file, JSON.stringify(assumed));
    expect(readRecord(file).assumptions).toEqual(assumed.assumptions);
    const { assumptions: _dropped, ...older } = plain;
    writeFileSync(file, JSON.stringify(older));
    const read = readRecord(file);
    expect(read.assumptions).toEqual([]);
    expect(verifyRecord(read, dir).ok).toBe(true);
    writeFileSync(file, JSON.stringify({ ...plain, assumptions: [{ subject: "existing key" }] }));
    expect(() => readRecord(file)).toThrow(/not an evidence record: .*assumptions/);
  });

  it("reach the Markdown and JUnit rendered from the record, which lost them before", () => {
    expect(reportOf(assumed).assumptions).toEqual(assumed.assumptions);
    expect(reportOf(plain).assumptions).toBeUndefined();
    expect(renderMarkdown(reportOf(assumed))).toContain("## Assumed, not checked");
    expect(renderJunit(reportOf(assumed))).toContain('<property name="assumption.2" value="existing trail arn:aws:cloudtrail:');
  });
});
