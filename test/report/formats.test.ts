import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import schema from "../fixtures/sarif-schema-2.1.0.json";
import { saip } from "../cli/run";

const PLAIN = path.join(__dirname, "../fixtures/terraform/plain");
const WAIVERS = path.join(__dirname, "../fixtures/waivers/plain.yaml");

// The published schema has a language-tag pattern that is not valid as a Unicode regular expression.
const sarifValidator = () => addFormats(new Ajv({ allErrors: true, strict: false, unicodeRegExp: false })).compile(schema);

describe("report formats", () => {
  it("writes SARIF that validates against the SARIF 2.1.0 schema, with rules, locations and suppressions", async () => {
    const { stdout } = await saip("check", PLAIN, "--format", "sarif", "--waivers", WAIVERS);
    const log = JSON.parse(stdout);
    const validate = sarifValidator();
    validate(log);
    expect(validate.errors ?? []).toEqual([]);
    const run = log.runs[0];
    const rotation = run.tool.driver.rules.find((r: { id: string }) => r.id === "aws-kms-key-rotation");
    expect(rotation.help.text).toMatch(/enable_key_rotation/);
    const failure = run.results.find((r: { ruleId: string }) => r.ruleId === "aws-eks-private-endpoint");
    expect(failure.level).toBe("error");
    expect(failure.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: `${PLAIN}/cluster.tf` }, region: { startLine: 1 } });
    const waived = run.results.find((r: { ruleId: string }) => r.ruleId === "aws-kms-key-rotation");
    expect(waived.suppressions[0]).toMatchObject({
      kind: "external",
      status: "accepted",
      justification: expect.stringContaining("crypto-team"),
    });
  });

  it("shows a waived finding as a suppressed note, never an error, so a view that ignores suppressions shows no open error", async () => {
    const run = JSON.parse((await saip("check", PLAIN, "--format", "sarif", "--waivers", WAIVERS)).stdout).runs[0];
    const waived = run.results.find((r: { ruleId: string }) => r.ruleId === "aws-kms-key-rotation");
    // It was level "error" with a suppression only.
    expect(waived).toMatchObject({ kind: "fail", level: "note", properties: { status: "waived" } });
    expect(waived.suppressions[0].justification).toBe(
      `Imported from the old HSM; rotation is scheduled by the crypto team (owner crypto-team, expires 2099-12-31, from ${WAIVERS})`,
    );
    expect(run.results.filter((r: { level: string; suppressions?: unknown[] }) => r.level === "error" && r.suppressions)).toEqual([]);
  });

  it("gives every result a fingerprint that stays the same across runs and edits, and one per rule and resource", async () => {
    const results = async () =>
      JSON.parse((await saip("check", PLAIN, "--format", "sarif")).stdout).runs[0].results as Array<{
        ruleId: string;
        partialFingerprints: Record<string, string>;
      }>;
    const first = await results();
    expect(first.every((r) => /^[0-9a-f]{64}$/.test(r.partialFingerprints["saipFinding/v1"]))).toBe(true);
    expect(new Set(first.map((r) => r.partialFingerprints["saipFinding/v1"])).size).toBe(first.length);
    expect((await results()).map((r) => r.partialFingerprints)).toEqual(first.map((r) => r.partialFingerprints));
  });

  it("points a result at the source file that created the construct, where the app recorded stack traces", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "saip-sarif-"));
    const file = path.join(dir, "cdk.tf.json");
    const stackTrace = [
      "new KmsKey (/app/node_modules/@cdktf/provider-aws/lib/kms-key/index.js:200:9)",
      "new PlatformKey (/app/constructs/aws/keys/platform-key.ts:41:19)",
      "new PlatformStack (/app/stacks/platform-stack.ts:88:5)",
    ];
    const doc = {
      resource: {
        aws_kms_key: { models: { enable_key_rotation: false, "//": { metadata: { path: "platform/Keys/Models/Resource", stackTrace } } } },
      },
    };
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const log = JSON.parse((await saip("check", file, "--format", "sarif")).stdout);
    const validate = sarifValidator();
    validate(log);
    expect(validate.errors ?? []).toEqual([]);
    const result = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === "aws-kms-key-rotation");
    expect(result.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: "/app/constructs/aws/keys/platform-key.ts" }, region: { startLine: 41 } },
        message: { text: "construct platform/Keys/Models/Resource created here" },
      },
    ]);
  });

  it("points a result at the file, line and construct path that made the resource", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "saip-sarif-"));
    const file = path.join(dir, "cdk.tf.json");
    const doc = {
      resource: { aws_kms_key: { models: { enable_key_rotation: false, "//": { metadata: { path: "platform/Keys/Models/Resource" } } } } },
    };
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const result = JSON.parse((await saip("check", file, "--format", "sarif")).stdout).runs[0].results.find(
      (r: { ruleId: string }) => r.ruleId === "aws-kms-key-rotation",
    );
    expect(result.message.text).toMatch(/^aws_kms_key\.models \(construct platform\/Keys\/Models\/Resource\): /);
    expect(result.locations[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: file }, region: { startLine: 4 } },
      logicalLocations: [
        { name: "aws_kms_key.models", fullyQualifiedName: `${file}/aws_kms_key.models`, kind: "resource" },
        { name: "Resource", fullyQualifiedName: "platform/Keys/Models/Resource", kind: "object" },
      ],
    });
  });

  it("detects an invalid SARIF log (the schema check can fail)", () => {
    const validate = sarifValidator();
    expect(validate({ version: "2.1.0", runs: [{ tool: {} }] })).toBe(false);
  });

  it("writes JUnit XML with one test case per finding and waived findings skipped", async () => {
    const { stdout } = await saip("check", PLAIN, "--format", "junit", "--waivers", WAIVERS);
    expect(XMLValidator.validate(stdout)).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(stdout);
    const json = JSON.parse((await saip("check", PLAIN, "--format", "json", "--waivers", WAIVERS)).stdout);
    const suites = [xml.testsuites.testsuite].flat();
    type Case = { name: string; classname: string; skipped?: unknown };
    const cases: Case[] = suites.flatMap((s: { testcase: Case | Case[] }) => [s.testcase].flat());
    expect(cases).toHaveLength(json.findings.length);
    expect(Number(xml.testsuites.failures)).toBe(json.summary.fail);
    expect(cases.find((c) => c.classname === "aws-kms-key-rotation" && c.name === "aws_kms_key.legacy_key")?.skipped).toEqual({
      message:
        "automatic key rotation is off: enable_key_rotation is false (waived by crypto-team until 2099-12-31: Imported from the old HSM; rotation is scheduled by the crypto team)",
    });
    expect(xml.testsuites.properties.property.value).toMatch(/crypto-team/);
  });

  it.each(["text", "markdown", "json", "sarif", "junit"])("lists every waiver with reason, owner and expiry in %s", async (format) => {
    const { stdout } = await saip("check", PLAIN, "--format", format, "--waivers", WAIVERS);
    expect(stdout).toContain("Imported from the old HSM");
    expect(stdout).toContain("crypto-team");
    expect(stdout).toContain("2099-12-31");
  });

  it("prints a readable text summary", async () => {
    const { stdout } = await saip("check", PLAIN);
    expect(stdout).toMatch(/^STATUS\s+SEVERITY\s+RULE\s+RESOURCE\s+MESSAGE/);
    expect(stdout).toMatch(/FAIL\s+mandatory\s+aws-eks-private-endpoint\s+aws_eks_cluster\.main/);
    expect(stdout).toMatch(/\d+ rules over 6 resources in 1 module: \d+ passed, \d+ failed, 0 waived\n$/);
  });
});

describe("saip requirements", () => {
  it("prints the catalogue as a Markdown traceability table", async () => {
    const { code, stdout } = await saip("requirements");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\| requirement \| severity \| TS 104 033 theme \| EN 304 223 \| rules \| Checkov \| Trivy \|/);
    expect(stdout).toMatch(
      /\*\*AICP-ACCESS-02\*\* Private control plane \| mandatory \| identity and access control \| 5\.2\.2-1 \| `aws-eks-private-endpoint` \(not waivable\)/,
    );
  });

  it("prints JSON with rules and references per requirement", async () => {
    const rows = JSON.parse((await saip("requirements", "--format", "json")).stdout);
    const row = rows.find((r: { id: string }) => r.id === "AICP-DATA-02");
    expect(row).toMatchObject({
      themeReference: "TS 104 033: data protection",
      checkov: expect.arrayContaining([
        {
          id: "CKV_AWS_7",
          relation: "equivalent",
          reason: "except HMAC keys, which KMS cannot rotate: CKV_AWS_7 still judges them, this rule does not",
        },
      ]),
      trivy: expect.arrayContaining([{ id: "AVD-AWS-0065", relation: "equivalent" }]),
    });
    expect(row.rules.map((r: { id: string }) => r.id)).toContain("aws-kms-key-rotation");
  });

  it("states each cross-reference's relation: equivalent, stricter with a reason, or partial with a reason", async () => {
    const rows: Array<{ checkov: Array<{ id: string; relation: string; reason?: string }> }> = JSON.parse(
      (await saip("requirements", "--format", "json")).stdout,
    );
    const refs = rows.flatMap((r) => r.checkov);
    expect(refs.find((c) => c.id === "CKV_AWS_3")).toMatchObject({
      relation: "stricter",
      reason: expect.stringMatching(/customer-managed key/),
    });
    for (const ref of refs) {
      expect(["equivalent", "stricter", "partial"]).toContain(ref.relation);
      if (ref.relation !== "equivalent") expect(ref.reason).toBeTruthy();
    }
    // Each Checkov relation was compared against the check's source and says how (README, "Checkov cross-references").
    // The image-admission rules are being reworked in a separate change, which records CKV_K8S_43's.
    const unstated = refs.filter((c) => !c.reason && c.id !== "CKV_K8S_43").map((c) => c.id);
    expect(unstated).toEqual([]);
    expect(refs.find((c) => c.id === "CKV_AWS_70")).toMatchObject({ relation: "partial" });
  });
});
