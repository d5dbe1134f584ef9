import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { check } from "../../lib/compliance/engine";
import { fail, pass, Rule } from "../../lib/compliance/rule";
import { buildEvidence, fingerprintOf } from "../../lib/evidence/build";
import { COMMON_PLACEHOLDERS, readiness } from "../../lib/evidence/readiness";
import { evidenceJsonSchema, evidenceRecordSchema } from "../../lib/evidence/record";
import { renderMarkdown } from "../../lib/report/markdown";
import { ALL_RULES } from "../../lib/rules";
import { addDocument } from "../../lib/terraform/load";
import { Json, TfModule, TfResource } from "../../lib/terraform/model";

const NOW = new Date("2026-06-01T12:00:00Z");

const flag = (id: string, requirement: string, type: string, attribute: string): Rule => ({
  id,
  title: `${attribute} is set`,
  requirements: [requirement],
  severity: "mandatory",
  waivable: true,
  appliesTo: [type],
  remediation: `Set ${attribute} = true.`,
  check: (r: TfResource) => (r.body[attribute] === true ? pass(`${attribute} is true`) : fail(`${attribute} is not true`)),
});

const RULES = [
  flag("test-key-rotation", "AICP-DATA-02", "aws_kms_key", "enable_key_rotation"),
  flag("test-versioning", "AICP-DATA-05", "aws_s3_bucket", "versioned"),
];

function moduleOf(doc: Json, id = "platform"): TfModule {
  const module = new TfModule(id);
  addDocument(module, doc, `${id}.tf.json`);
  return module;
}

function record(doc: Json, rules: readonly Rule[] = RULES, waivers = [] as Parameters<typeof check>[1]["waivers"]) {
  const modules = [moduleOf(doc)];
  const report = check(modules, { rules, waivers, now: NOW });
  return buildEvidence(report, {
    rules,
    modules,
    files: [{ module: "platform", file: "platform.tf.json", content: JSON.stringify(doc) }],
    version: "9.9.9",
    now: NOW,
    revision: null,
  });
}

const waiver = (rule: string, resource: string, expires = "2026-06-11") => ({
  rule,
  resource,
  reason: "Imported from the old HSM; rotation is planned",
  owner: "crypto-team",
  expires,
  origin: "waivers.yaml",
});

describe("requirement statuses", () => {
  it("is waived, not met, when nothing passed and every failure was waived", () => {
    const r = record({ resource: { aws_kms_key: { legacy: { enable_key_rotation: false } } } }, RULES, [
      waiver("test-key-rotation", "aws_kms_key.legacy"),
    ]);
    const row = r.requirements.find((q) => q.id === "AICP-DATA-02");
    expect(row).toMatchObject({
      status: "waived",
      why: "nothing passed; 1 failing finding waived by crypto-team",
      counts: { pass: 0, fail: 0, waived: 1 },
    });
    // The Markdown said "met with waivers" (and the rule "passed with waivers") with zero passes.
    const md = renderMarkdown(
      check([moduleOf({ resource: { aws_kms_key: { legacy: { enable_key_rotation: false } } } })], {
        rules: RULES,
        waivers: [waiver("test-key-rotation", "aws_kms_key.legacy")],
        now: NOW,
      }),
    );
    expect(md).toMatch(/\| `test-key-rotation` \| 0 \| 0 \| 1 \| waived \|/);
    expect(md).toMatch(/\| 0 \| 0 \| 1 \| waived \|\n/);
    expect(md).not.toMatch(/passed with waivers|\| met with waivers \|/);
  });

  it("is met when something passed, saying how many findings were waived", () => {
    const doc = { resource: { aws_kms_key: { legacy: { enable_key_rotation: false }, models: { enable_key_rotation: true } } } };
    const row = record(doc, RULES, [waiver("test-key-rotation", "aws_kms_key.legacy")]).requirements.find((q) => q.id === "AICP-DATA-02");
    expect(row).toMatchObject({ status: "met", why: "1 finding pass; 1 finding waived" });
  });

  it("is not met when a finding fails, naming it; not applicable when nothing its rules judge exists; not checked when no rule of it ran", () => {
    const r = record({ resource: { aws_s3_bucket: { data: { versioned: false } } } });
    expect(r.requirements.find((q) => q.id === "AICP-DATA-05")).toMatchObject({
      status: "not met",
      why: "1 finding fail: test-versioning on aws_s3_bucket.data",
    });
    expect(r.requirements.find((q) => q.id === "AICP-DATA-02")).toMatchObject({
      status: "not applicable",
      why: "its rules (test-key-rotation) found nothing they judge in what was checked",
    });
    expect(r.requirements.find((q) => q.id === "AICP-ACCESS-02")).toMatchObject({
      status: "not checked",
      why: "no rule that ran gives evidence for it",
    });
  });

  const tenants = {
    resource: {
      kubernetes_namespace_v1: {
        fraud: { metadata: { name: "fraud", labels: { "saip.io/tenant": "fraud" } } },
        research: { metadata: { name: "research", labels: { "saip.io/tenant": "research" } } },
      },
    },
  };

  it("AICP-TENANT-06 is met while tenants exist and no cluster role binding exists (it read 'not applicable')", () => {
    const rules = ALL_RULES.filter((r) => r.requirements.includes("AICP-TENANT-06"));
    const row = record(tenants, rules).requirements.find((q) => q.id === "AICP-TENANT-06");
    expect(row?.status).toBe("met");
    expect(row?.why).toBe(
      "no cluster role binding exists, so none grants cluster-wide rights to a tenant's groups (tenant namespaces: kubernetes_namespace_v1.fraud, kubernetes_namespace_v1.research)",
    );
  });

  it("AICP-TENANT-06 is not applicable with no tenant and no cluster role binding", () => {
    const rules = ALL_RULES.filter((r) => r.requirements.includes("AICP-TENANT-06"));
    const row = record(
      { resource: { kubernetes_namespace_v1: { tools: { metadata: { name: "tools", labels: { team: "ops" } } } } } },
      rules,
    ).requirements.find((q) => q.id === "AICP-TENANT-06");
    expect(row?.status).toBe("not applicable");
  });

  it("gives each theme a status and its share of applicable requirements met", () => {
    const r = record({ resource: { aws_s3_bucket: { data: { versioned: false } }, aws_kms_key: { k: { enable_key_rotation: true } } } });
    const data = r.themes.find((t) => t.id === "data");
    expect(data).toMatchObject({ status: "not met", byStatus: { met: 1, "not met": 1 } });
    expect(data?.shareMet).toBeCloseTo(1 / data!.requirements);
    expect(r.themes.find((t) => t.id === "access")).toMatchObject({ status: "not checked", shareMet: 0 });
  });
});

describe("the evidence record", () => {
  const doc = {
    resource: { aws_kms_key: { legacy: { enable_key_rotation: false, "//": { metadata: { path: "platform/Keys/Legacy/Resource" } } } } },
  };
  const r = record(doc, RULES, [waiver("test-key-rotation", "aws_kms_key.legacy")]);

  it("names the tool, time, files with SHA-256, and each finding's construct path, fingerprint and remediation", () => {
    expect(r).toMatchObject({
      recordVersion: 1,
      tool: { name: "saip", version: "9.9.9" },
      generatedAt: "2026-06-01T12:00:00.000Z",
      revision: null,
      config: null,
    });
    expect(r.stacks).toEqual([
      { module: "platform", file: "platform.tf.json", sha256: expect.stringMatching(/^[0-9a-f]{64}$/), resources: 1 },
    ]);
    expect(r.findings[0]).toMatchObject({
      constructPath: "platform/Keys/Legacy/Resource",
      remediation: "Set enable_key_rotation = true.",
      fingerprint: fingerprintOf(r.findings[0]),
    });
  });

  it("gives each waiver its days left: it holds through its expiry date, in UTC", () => {
    expect(r.waivers[0]).toMatchObject({ owner: "crypto-team", status: "active", daysLeft: 10, matched: 1 });
  });

  it("keeps a finding's fingerprint when its message changes, and changes it with the resource", () => {
    const base = { ruleId: "r", module: "m", resource: "aws_kms_key.a" };
    expect(fingerprintOf({ ...base })).toBe(fingerprintOf({ ...base, message: "other" } as typeof base));
    expect(fingerprintOf({ ...base, resource: "aws_kms_key.b" })).not.toBe(fingerprintOf(base));
  });

  it("validates against the published JSON Schema, which rejects a record with a status it does not know", () => {
    // Regenerate with `npm run schema:evidence`.
    const published = JSON.parse(readFileSync(path.join(__dirname, "../../docs/evidence.schema.json"), "utf8"));
    expect(published).toEqual(JSON.parse(JSON.stringify(evidenceJsonSchema())));
    const validate = addFormats(new Ajv2020({ allErrors: true, strict: false })).compile(published);
    const json = JSON.parse(JSON.stringify(r));
    expect(validate(json)).toBe(true);
    json.requirements[0].status = "passed with waivers";
    expect(validate(json)).toBe(false);
    expect(evidenceRecordSchema.safeParse(json).success).toBe(false);
  });
});

describe("deployment readiness", () => {
  it("blocks deployment on each placeholder, naming the config fields and resources that hold it", () => {
    const config = {
      cluster: { admins: ["arn:aws:iam::111122223333:role/admin"] },
      inference: { certificateArn: "arn:aws:acm:eu-west-1:444455556666:certificate/00000000-0000-4000-8000-000000000000" },
      detection: { alertEmails: ["soc@example.com"] },
    };
    const stack = { resource: { aws_sns_topic_subscription: { mail: { endpoint: "soc@example.com" } } } };
    const result = readiness(COMMON_PLACEHOLDERS, config, [{ module: "platform", doc: stack }]);
    expect(result.deployable).toBe(false);
    expect(result.why).toBe(
      "4 placeholder values must be replaced before deploying: documentation account, example certificate, example address",
    );
    expect(result.blockers.map((b) => [b.kind, b.value, b.fields, b.resources])).toEqual([
      ["documentation account", "111122223333", ["cluster.admins[0]"], []],
      ["documentation account", "444455556666", ["inference.certificateArn"], []],
      [
        "example certificate",
        "arn:aws:acm:eu-west-1:444455556666:certificate/00000000-0000-4000-8000-000000000000",
        ["inference.certificateArn"],
        [],
      ],
      ["example address", "soc@example.com", ["detection.alertEmails[0]"], ["platform: aws_sns_topic_subscription.mail"]],
    ]);
  });

  it("is deployable when no placeholder is found, and does not take a longer account id for a documentation one", () => {
    const result = readiness(COMMON_PLACEHOLDERS, { cluster: { admins: ["arn:aws:iam::211122223333:role/admin"] } }, []);
    expect(result).toEqual({ deployable: true, why: "no placeholder found in the config or the stacks", blockers: [] });
  });
});
