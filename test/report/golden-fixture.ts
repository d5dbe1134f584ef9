import { Finding, Report, WaiverRecord } from "../../lib/compliance/finding";
import { EvidenceRecord } from "../../lib/evidence/record";

// A small report and evidence record, written out by hand so that every branch of every renderer has a value to
// show: an unresolved failure with a construct, its source and line; a recommended failure with none; a second
// failure of one rule; a waived and a passed finding; an active, an expired, an unused and an ignored waiver; two
// assumptions; two readiness blockers. Cells hold the characters each format escapes (| < > & " ' ` and a newline).

const fp = (c: string) => c.repeat(64);

const activeWaiver = {
  rule: "test-rotation",
  resource: "aws_kms_key.legacy",
  reason: "HSM import | rotation <scheduled>",
  owner: "crypto-team",
  expires: "2030-07-01",
  origin: "waivers.yaml",
};

export const FINDINGS: Finding[] = [
  {
    ruleId: "test-rotation",
    requirementIds: ["AICP-DATA-02"],
    severity: "mandatory",
    status: "fail",
    resource: "aws_kms_key.models",
    source: "C:\\app\\main.tf.json",
    module: "app",
    message: "rotation is ${var.rotate}\nunknown before apply",
    references: ["CKV_AWS_7", "AVD-AWS-0065"],
    unresolved: true,
  },
  {
    ruleId: "test-rotation",
    requirementIds: ["AICP-DATA-02"],
    severity: "mandatory",
    status: "fail",
    resource: "aws_kms_key.`odd`",
    source: "app/main.tf.json",
    module: "app",
    message: "rotation is off",
    references: [],
  },
  {
    ruleId: "test-routed",
    requirementIds: ["AICP-AUDIT-01", "AICP-ACCESS-02"],
    severity: "recommended",
    status: "fail",
    resource: "aws_sns_topic.alerts",
    source: "net/main.tf",
    module: "net",
    message: "not routed & 'quiet'",
    references: ["CKV_AWS_26"],
  },
  {
    ruleId: "test-rotation",
    requirementIds: ["AICP-DATA-02"],
    severity: "mandatory",
    status: "waived",
    resource: "aws_kms_key.legacy",
    source: "app/main.tf.json",
    module: "app",
    message: 'rotation is off (waived by crypto-team until 2030-07-01: "HSM")',
    references: ["CKV_AWS_7"],
    waiver: activeWaiver,
  },
  {
    ruleId: "test-private",
    requirementIds: ["AICP-ACCESS-02"],
    severity: "mandatory",
    status: "pass",
    resource: "aws_eks_cluster.main",
    source: "net/main.tf",
    module: "net",
    message: "endpoint is private",
    references: [],
  },
];

export const WAIVERS: WaiverRecord[] = [
  { ...activeWaiver, expired: false, matched: 1 },
  { ...activeWaiver, resource: "aws_kms_key.old", owner: "old-team", expires: "2030-01-01", expired: true, matched: 0 },
  { ...activeWaiver, resource: "aws_kms_key.gone", owner: "gone-team", origin: "net/waivers.yaml", expired: false, matched: 0 },
  { ...activeWaiver, rule: "test-private", resource: "aws_eks_cluster.main", owner: "net-team", expired: false, matched: 1 },
];

const RULE_SUMMARIES = [
  {
    id: "test-private",
    title: "private | endpoint",
    severity: "mandatory" as const,
    waivable: false,
    requirements: ["AICP-ACCESS-02"],
    checkov: ["CKV_AWS_39"],
    trivy: [],
  },
  {
    id: "test-rotation",
    title: "keys rotate",
    severity: "mandatory" as const,
    waivable: true,
    requirements: ["AICP-DATA-02"],
    checkov: ["CKV_AWS_7"],
    trivy: ["AVD-AWS-0065"],
  },
  {
    id: "test-routed",
    title: "findings are routed",
    severity: "recommended" as const,
    waivable: true,
    requirements: ["AICP-AUDIT-01", "AICP-ACCESS-02"],
    checkov: [],
    trivy: [],
  },
];

export const REPORT: Report = {
  version: 1,
  summary: { pass: 1, fail: 3, waived: 1 },
  findings: FINDINGS,
  waivers: WAIVERS,
  assumptions: [
    { subject: "existing key arn:aws:kms:eu-west-1:111122223333:key/k", assumed: "rotation <on>", module: "app", construct: "app/Key" },
    { subject: "existing trail", assumed: "multi-region", module: "net" },
  ],
  modules: [
    { id: "app", sources: ["C:\\app\\main.tf.json", "app/main.tf.json"], resources: 3 },
    { id: "net", sources: ["net/main.tf", "net/waivers.yaml"], resources: 2 },
    { id: "empty", sources: [], resources: 0 },
  ],
  rulesRun: 3,
  notFollowed: [
    { module: "app", address: "module.vpc", source: "", reason: "no source" },
    { module: "net", address: "module.dns", source: "git::https://example.com/dns", reason: "remote" },
  ],
  unjudged: ["aws_iam_role", "aws_sqs_queue"],
  rules: RULE_SUMMARIES,
};

/** A report where nothing fails and nothing is waived, assumed or left unfollowed. */
export const CLEAN: Report = {
  version: 1,
  summary: { pass: 1, fail: 0, waived: 0 },
  findings: [FINDINGS[4]],
  waivers: [],
  modules: [{ id: "net", sources: ["net/main.tf"], resources: 1 }],
  rulesRun: 1,
  rules: [RULE_SUMMARIES[0]],
};

const byStatus = (over: Partial<Record<"met" | "not met" | "waived" | "not applicable" | "not checked", number>>) => ({
  met: 0,
  "not met": 0,
  waived: 0,
  "not applicable": 0,
  "not checked": 0,
  ...over,
});

export const RECORD: EvidenceRecord = {
  recordVersion: 1,
  tool: { name: "saip", version: "9.8.7" },
  revision: { commit: "ab".repeat(20), dirty: true },
  generatedAt: "2030-06-30T12:00:00.000Z",
  config: { source: "platform.json <prod>", file: "platform.json", sha256: fp("c") },
  stacks: [
    { module: "app", file: "C:\\app\\main.tf.json", sha256: fp("1"), resources: 3 },
    { module: "net", file: "net/main.tf", sha256: fp("2"), resources: 2 },
  ],
  verdict: { failOn: "mandatory", passed: false, text: "FAIL: 2 mandatory findings fail" },
  summary: { pass: 1, fail: 3, waived: 1 },
  rulesRun: 3,
  requirements: [
    {
      id: "AICP-DATA-02",
      title: "Keys <rotate>",
      theme: "data",
      severity: "mandatory",
      status: "not met",
      why: "2 findings fail",
      rules: ["test-rotation"],
      counts: { pass: 0, fail: 2, waived: 1 },
    },
    {
      id: "AICP-ACCESS-02",
      title: "Private control plane",
      theme: "access",
      severity: "mandatory",
      status: "met",
      why: "1 passed",
      rules: ["test-private"],
      counts: { pass: 1, fail: 0, waived: 0 },
    },
    {
      id: "AICP-AUDIT-01",
      title: "Trail",
      theme: "access",
      severity: "recommended",
      status: "waived",
      why: "every failure waived",
      rules: ["test-routed"],
      counts: { pass: 0, fail: 0, waived: 1 },
    },
    {
      id: "AICP-X-01",
      title: "Nothing to check",
      theme: "none",
      severity: "recommended",
      status: "not applicable",
      why: "nothing its rules judge",
      rules: [],
      counts: { pass: 0, fail: 0, waived: 0 },
    },
  ],
  themes: [
    {
      id: "data",
      name: "data protection",
      status: "not met",
      why: "1 not met",
      requirements: 1,
      byStatus: byStatus({ "not met": 1 }),
      shareMet: 0,
    },
    {
      id: "access",
      name: "access & identity",
      status: "met",
      why: "all met",
      requirements: 3,
      byStatus: byStatus({ met: 1, waived: 1, "not applicable": 1 }),
      shareMet: 0.5,
    },
    {
      id: "none",
      name: "nothing",
      status: "not applicable",
      why: "none apply",
      requirements: 1,
      byStatus: byStatus({ "not applicable": 1 }),
      shareMet: null,
    },
  ],
  rules: RULE_SUMMARIES.map((r) => ({ ...r, remediation: `Fix ${r.id} <now>.` })),
  findings: [
    {
      ...FINDINGS[0],
      constructPath: "app/Keys/Models",
      constructSource: { file: "C:\\src\\keys.ts", line: 41 },
      line: 7,
      fingerprint: fp("a"),
    },
    { ...FINDINGS[1], fingerprint: fp("b") },
    { ...FINDINGS[2], constructPath: "net/Alerts", line: 3, fingerprint: fp("d"), remediation: "Route <it>." },
    { ...FINDINGS[3], constructPath: "app/Keys/Legacy", constructSource: { file: "src/legacy.ts", line: 9 }, fingerprint: fp("e") },
    { ...FINDINGS[4], fingerprint: fp("f") },
  ].map((f) => ({ ...f, requirementIds: [...f.requirementIds], references: [...f.references] })),
  assumptions: [
    { subject: "existing key", assumed: "rotation <on>", module: "app", construct: "app/Key" },
    { subject: "existing trail", assumed: "multi-region", module: "net" },
  ],
  waivers: [
    { ...activeWaiver, expired: false, matched: 1, status: "active", daysLeft: 1 },
    { ...activeWaiver, resource: "aws_kms_key.old", expires: "2030-01-01", expired: true, matched: 0, status: "expired", daysLeft: -180 },
    { ...activeWaiver, resource: "aws_kms_key.gone", expired: false, matched: 0, status: "unused", daysLeft: 2 },
  ],
  readiness: {
    deployable: false,
    why: "2 placeholders block deployment",
    blockers: [
      {
        kind: "documentation account",
        value: "111122223333",
        why: "an account <nobody> owns",
        fields: ["account", "tenants[0].account"],
        resources: ["aws_iam_role.a", "aws_iam_role.b"],
      },
      { kind: "example address", value: "192.0.2.1", why: "documentation range", fields: [], resources: ["aws_lb.x"] },
      { kind: "placeholder release", value: "0.0.0", why: "not a release", fields: ["release"], resources: [] },
    ],
  },
};

/** The record of a run where nothing fails: no revision, config, waiver, assumption or blocker. */
export const CLEAN_RECORD: EvidenceRecord = {
  ...RECORD,
  revision: null,
  config: null,
  stacks: [RECORD.stacks[1]],
  verdict: { failOn: "recommended", passed: true, text: "PASS: no mandatory or recommended requirement fails" },
  summary: { pass: 1, fail: 0, waived: 0 },
  rulesRun: 1,
  findings: [RECORD.findings[4]],
  assumptions: [],
  waivers: [],
  readiness: { deployable: true, why: "no placeholder found", blockers: [] },
};

/** The same as RECORD with a clean revision and a config whose bytes were not read. */
export const COMMITTED_RECORD: EvidenceRecord = {
  ...RECORD,
  revision: { commit: "cd".repeat(20), dirty: false },
  config: { source: "env", file: null, sha256: null },
  stacks: [RECORD.stacks[0]],
  readiness: { ...RECORD.readiness, blockers: [RECORD.readiness.blockers[1]] },
};
