import Ajv from "ajv-draft-04";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App } from "cdktf";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PlatformKey } from "../../constructs/aws/platform-key";
import { enforceCompliance } from "../../lib/compliance/aspect";
import { check } from "../../lib/compliance/engine";
import { fail, Rule } from "../../lib/compliance/rule";
import { buildEvidence } from "../../lib/evidence/build";
import { reportOf } from "../../lib/evidence/report-of";
import { readRecord, verifyRecord } from "../../lib/evidence/verify";
import { renderHtml } from "../../lib/report/html";
import { renderJunit } from "../../lib/report/junit";
import { renderMarkdown } from "../../lib/report/markdown";
import { renderSarif } from "../../lib/report/sarif";
import { kmsKeyRotation } from "../../lib/rules/aws/kms/kms-key-rotation";
import { SecureStack } from "../../lib/secure-stack";
import { addDocument } from "../../lib/terraform/load";
import { Json, TfModule } from "../../lib/terraform/model";
import sarifSchema from "../fixtures/sarif-schema-2.1.0.json";

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

describe("assumptions in the HTML report", () => {
  const html = renderHtml(assumed);
  const section = /<section id="assumptions"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";

  it("has an 'Assumed, not checked' section after the waivers, one escaped row each, linked from the contents", () => {
    expect(html.indexOf('id="waivers"')).toBeLessThan(html.indexOf('id="assumptions"'));
    expect(html.indexOf('id="assumptions"')).toBeLessThan(html.indexOf('id="remediation"'));
    expect(html).toContain('<li><a href="#assumptions">Assumed, not checked</a></li>');
    expect(section).toContain('<h2 id="h-assumptions">Assumed, not checked</h2>');
    expect(section).toContain(
      `<tr><th scope="row">existing VPC vpc-0abc &lt;img src=x onerror=&quot;alert(1)&quot;&gt;</th><td>flow logs, endpoints and routing</td><td>platform</td><td><code>platform/Network</code></td></tr>`,
    );
    expect(section).toContain(`<td>multi-region, log file validation</td><td>platform</td><td>-</td></tr>`);
    expect(html).not.toContain("<img");
  });

  it("counts no assumption among the findings", () => {
    expect(html).toContain('<strong data-count="fail">1</strong> failed');
    expect(html).toContain('Showing <span id="shown-count">1</span> of 1 findings.');
  });

  it("has no section and no link when nothing was brought in", () => {
    const page = renderHtml(plain);
    expect(page).not.toContain("Assumed, not checked");
    expect(page).not.toContain('id="assumptions"');
  });
});

describe("assumptions in SARIF", () => {
  const log = JSON.parse(renderSarif(assumed, [rule]));
  const run = log.runs[0];

  it("are notes of the invocation and run properties, never results, and the log validates against SARIF 2.1.0", () => {
    const validate = addFormats(new Ajv({ allErrors: true, strict: false, unicodeRegExp: false })).compile(sarifSchema);
    validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(run.results.map((r: { ruleId: string }) => r.ruleId)).toEqual(["test-rotation"]);
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: "note",
            message: {
              text: `existing VPC vpc-0abc ${HOSTILE}: flow logs, endpoints and routing (assumed, not checked; module platform, from platform/Network)`,
            },
            properties: { kind: "assumption", ...VPC, module: "platform" },
          },
          {
            level: "note",
            message: { text: `${TRAIL.subject}: multi-region, log file validation (assumed, not checked; module platform)` },
            properties: { kind: "assumption", ...TRAIL, module: "platform" },
          },
        ],
      },
    ]);
    expect(run.properties.assumptions).toEqual(assumed.assumptions);
    expect(run.properties.summary).toEqual({ pass: 0, fail: 1, waived: 0 });
  });

  it("leave no invocation and no property when nothing was brought in", () => {
    const bare = JSON.parse(renderSarif(plain, [rule])).runs[0];
    expect(bare.invocations).toBeUndefined();
    expect(bare.properties).not.toHaveProperty("assumptions");
  });
});

describe("the evidence folder of a team's app that imports a key", () => {
  it("lists what it assumed of the key in the record and in every report rendered from it", () => {
    const outdir = path.join(mkdtempSync(path.join(tmpdir(), "saip-assumed-app-")), "cdktf.out");
    const app = new App({ outdir });
    const stack = new SecureStack(app, "team");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const arn = "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9";
    PlatformKey.fromKeyArn(stack, "LandingZoneKey", arn);
    enforceCompliance(app, { rules: [kmsKeyRotation], evidence: {} });
    app.synth();
    const read = (name: string) => readFileSync(path.join(outdir, "compliance", name), "utf8");
    const subject = `existing KMS key ${arn}`;
    const record = JSON.parse(read("evidence.json"));
    expect(record.assumptions).toEqual([expect.objectContaining({ subject, module: "team", construct: "team/LandingZoneKey" })]);
    // No key of its own, so the rotation rule judged nothing: the imported key is not counted as passing.
    expect(record.summary).toEqual({ pass: 0, fail: 0, waived: 0 });
    expect(read("report.html")).toContain(`<th scope="row">${subject}</th>`);
    expect(JSON.parse(read("report.sarif")).runs[0].invocations[0].toolExecutionNotifications[0].message.text).toMatch(
      new RegExp(`^${subject}: rotation on`),
    );
    expect(read("report.md")).toContain("## Assumed, not checked");
    expect(read("report.junit.xml")).toContain(`<property name="assumption.1" value="${subject}: rotation on`);
  });
});
