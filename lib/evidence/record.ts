import { z } from "zod";
import { FAIL_ON_LEVELS, FINDING_STATUSES } from "../compliance/finding";
import { SEVERITIES } from "../compliance/rule";

/**
 * The evidence record: one JSON file per run that says what was checked (every
 * file by SHA-256), by which tool and revision, when, and what was found. Every
 * report is rendered from it, and `saip verify` checks it against the files it
 * names. The zod schema is the single source of the published JSON Schema.
 */
export const RECORD_VERSION = 1;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const severity = z.enum(SEVERITIES);
export const REQUIREMENT_STATUSES = ["met", "not met", "waived", "not applicable", "not checked"] as const;
const requirementStatus = z.enum(REQUIREMENT_STATUSES);
const counts = z.strictObject({ pass: z.number().int().min(0), fail: z.number().int().min(0), waived: z.number().int().min(0) });

const waiver = z.strictObject({
  rule: z.string(),
  resource: z.string(),
  reason: z.string(),
  owner: z.string(),
  expires: z.string(),
  origin: z.string(),
});

/**
 * What a stack relies on but no rule saw: a resource brought in by ARN or id.
 * Listed apart from the findings and never counted in them.
 */
const assumption = z.strictObject({
  /** What was brought in, e.g. "existing VPC vpc-0abc". */
  subject: z.string(),
  /** What it is assumed to provide. */
  assumed: z.string(),
  /** The module (stack) that made the assumption. */
  module: z.string(),
  /** The construct path that brought it in, when known. */
  construct: z.string().optional(),
});

const finding = z.strictObject({
  ruleId: z.string(),
  requirementIds: z.array(z.string()),
  severity,
  status: z.enum(FINDING_STATUSES),
  resource: z.string(),
  source: z.string(),
  module: z.string(),
  message: z.string(),
  references: z.array(z.string()),
  unresolved: z.boolean().optional(),
  /** A failure accepted in the baseline file the run was given: reported, not failing the run. */
  baselined: z.boolean().optional(),
  waiver: waiver.optional(),
  /** The cdktf construct path that made the resource, when the JSON records it. */
  constructPath: z.string().optional(),
  /** The source file and line that created the construct, when the app recorded stack traces. */
  constructSource: z.strictObject({ file: z.string(), line: z.number().int().min(1) }).optional(),
  /** The 1-based line of the resource in its source file, when found. */
  line: z.number().int().min(1).optional(),
  /** Stable across runs: SHA-256 of rule, module and resource address. */
  fingerprint: sha256,
  /** How to fix it; on every finding that is not a pass. */
  remediation: z.string().optional(),
});

export const evidenceRecordSchema = z.strictObject({
  $schema: z.string().optional(),
  recordVersion: z.literal(RECORD_VERSION),
  tool: z.strictObject({ name: z.literal("saip"), version: z.string() }),
  /** The project's git revision, when the run was in a git work tree. */
  revision: z.strictObject({ commit: z.string().regex(/^[0-9a-f]{40,64}$/), dirty: z.boolean() }).nullable(),
  generatedAt: z.iso.datetime(),
  /** The platform config: a file with its digest, or the embedded reference platform (no file). */
  config: z.strictObject({ source: z.string(), file: z.string().nullable(), sha256: sha256.nullable() }).nullable(),
  /** Every Terraform file checked, as a path relative to the working directory of the run. */
  stacks: z.array(z.strictObject({ module: z.string(), file: z.string(), sha256, resources: z.number().int().min(0) })),
  verdict: z.strictObject({ failOn: z.enum(FAIL_ON_LEVELS), passed: z.boolean(), text: z.string() }),
  summary: counts,
  rulesRun: z.number().int().min(0),
  requirements: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      theme: z.string(),
      severity,
      status: requirementStatus,
      why: z.string(),
      rules: z.array(z.string()),
      counts,
    }),
  ),
  themes: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      status: requirementStatus,
      why: z.string(),
      requirements: z.number().int().min(0),
      /** Requirements of the theme by status. */
      byStatus: z.record(requirementStatus, z.number().int().min(0)),
      /** Share of the theme's applicable requirements that are met, 0 to 1; null when none applies. */
      shareMet: z.number().min(0).max(1).nullable(),
    }),
  ),
  rules: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      severity,
      waivable: z.boolean(),
      requirements: z.array(z.string()),
      checkov: z.array(z.string()),
      trivy: z.array(z.string()),
      remediation: z.string(),
      effect: z.string().optional(),
    }),
  ),
  findings: z.array(finding),
  /** Brought-in resources the check could not see; absent in records written before they were listed, read as none. */
  assumptions: z.array(assumption).default([]),
  waivers: z.array(
    waiver.extend({
      expired: z.boolean(),
      matched: z.number().int().min(0),
      status: z.enum(["active", "expired", "ignored", "unused"]),
      /**
       * Whole days from the run until the waiver lapses (it holds through its expiry date, UTC): 0 on its last day, negative once expired.
       */
      daysLeft: z.number().int(),
    }),
  ),
  readiness: z.strictObject({
    /** False while a placeholder stands in for a value only the deploying team knows. */
    deployable: z.boolean(),
    why: z.string(),
    blockers: z.array(
      z.strictObject({
        kind: z.enum([
          "documentation account",
          "example certificate",
          "example address",
          "placeholder measurement",
          "unverified digest",
          "placeholder release",
        ]),
        value: z.string(),
        why: z.string(),
        /** Config fields that hold it. */
        fields: z.array(z.string()),
        /** Resources (`module: address`) whose synthesized JSON holds it. */
        resources: z.array(z.string()),
      }),
    ),
  }),
});

export type EvidenceRecord = z.infer<typeof evidenceRecordSchema>;
export type EvidenceFinding = EvidenceRecord["findings"][number];
export type RequirementStatus = (typeof REQUIREMENT_STATUSES)[number];
export type EvidenceAssumption = EvidenceRecord["assumptions"][number];
export type ReadinessBlocker = EvidenceRecord["readiness"]["blockers"][number];

export const EVIDENCE_SCHEMA_FILE = "evidence.schema.json";

/** The published JSON Schema of the record. */
export function evidenceJsonSchema(): object {
  const schema = z.toJSONSchema(evidenceRecordSchema, { io: "input", unrepresentable: "any" });
  return { ...schema, title: "saip evidence record" };
}
