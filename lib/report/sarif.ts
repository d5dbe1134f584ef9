import type { Invocation, Log, ReportingDescriptor, Result } from "sarif";
import { requirementById } from "../catalogue/requirements";
import { describeAssumption } from "../compliance/assumptions";
import { EvidenceRecord } from "../evidence/record";
import { Rule } from "../compliance/rule";

/** The partialFingerprints key: versioned, so a change of what identifies a finding gets a new key. */
export const FINGERPRINT = "saipFinding/v1";
const TOOL_URI = "https://www.npmjs.com/package/secure-ai-platform";

function descriptor(rule: Rule): ReportingDescriptor {
  const requirements = rule.requirements.map((id) => `${id} ${requirementById(id)?.title ?? ""}`.trim());
  const references = [...(rule.checkov ?? []), ...(rule.trivy ?? [])];
  const text = [
    rule.remediation,
    `Requirements: ${requirements.join("; ")}.`,
    references.length ? `Equivalent checks: ${references.join(", ")}.` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.title },
    help: { text, markdown: text },
    defaultConfiguration: { level: rule.severity === "mandatory" ? "error" : "warning" },
    properties: {
      tags: ["security", ...rule.requirements],
      severity: rule.severity,
      waivable: rule.waivable,
      requirements: rule.requirements,
    },
  };
}

/**
 * SARIF 2.1.0 for code-scanning upload, from the evidence record. Failures are
 * errors (mandatory) or warnings; a waived finding is a note with an accepted
 * suppression carrying its justification, so a view that ignores suppressions
 * still does not show it as an open error. Every result carries a fingerprint
 * stable across runs (rule, module, resource) and points at the file, line and
 * construct path that made it.
 *
 * What a stack assumed of a brought-in resource is no result: a result is an
 * alert in code scanning, and an assumption is no finding. It goes, one
 * note each, into the invocation's tool execution notifications, which SARIF
 * viewers list beside the results (GitHub opens no alert for them), and, with
 * its fields, into the run's properties beside the waivers for other readers.
 */
export function renderSarif(record: EvidenceRecord, rules: readonly Rule[]): string {
  const used = rules.filter((r) => record.findings.some((f) => f.ruleId === r.id));
  const index = new Map(used.map((r, i) => [r.id, i]));
  const results: Result[] = record.findings
    .filter((f) => f.status !== "pass")
    .map((f) => {
      const waived = f.status === "waived";
      const where = f.constructPath ? ` (construct ${f.constructPath})` : "";
      return {
        ruleId: f.ruleId,
        ruleIndex: index.get(f.ruleId),
        kind: "fail" as const,
        level: waived ? ("note" as const) : f.severity === "mandatory" ? ("error" as const) : ("warning" as const),
        message: { text: `${f.resource}${where}: ${f.message}` },
        partialFingerprints: { [FINGERPRINT]: f.fingerprint },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: f.source.split("\\").join("/") },
              ...(f.line ? { region: { startLine: f.line } } : {}),
            },
            logicalLocations: [
              { name: f.resource, fullyQualifiedName: `${f.module}/${f.resource}`, kind: "resource" },
              ...(f.constructPath
                ? [{ name: f.constructPath.split("/").at(-1), fullyQualifiedName: f.constructPath, kind: "object" }]
                : []),
            ],
          },
        ],
        ...(f.constructSource
          ? {
              relatedLocations: [
                {
                  id: 1,
                  physicalLocation: {
                    artifactLocation: { uri: f.constructSource.file.split("\\").join("/") },
                    region: { startLine: f.constructSource.line },
                  },
                  message: { text: f.constructPath ? `construct ${f.constructPath} created here` : "construct created here" },
                },
              ],
            }
          : {}),
        ...(waived && f.waiver
          ? {
              suppressions: [
                {
                  kind: "external" as const,
                  status: "accepted" as const,
                  justification: `${f.waiver.reason} (owner ${f.waiver.owner}, expires ${f.waiver.expires}, from ${f.waiver.origin})`,
                },
              ],
            }
          : {}),
        properties: {
          requirements: f.requirementIds,
          references: f.references,
          unresolved: f.unresolved ?? false,
          status: f.status,
          ...(f.remediation ? { remediation: f.remediation } : {}),
          ...(f.constructPath ? { constructPath: f.constructPath } : {}),
        },
      };
    });
  const assumptions = record.assumptions;
  const invocations: Invocation[] =
    assumptions.length === 0
      ? []
      : [
          {
            executionSuccessful: true,
            toolExecutionNotifications: assumptions.map((a) => ({
              level: "note" as const,
              message: { text: describeAssumption(a) },
              properties: { kind: "assumption", ...a },
            })),
          },
        ];
  const log: Log = {
    version: "2.1.0",
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: [
      {
        tool: { driver: { name: "saip", semanticVersion: record.tool.version, informationUri: TOOL_URI, rules: used.map(descriptor) } },
        ...(invocations.length > 0 ? { invocations } : {}),
        results,
        properties: {
          summary: record.summary,
          waivers: record.waivers,
          ...(assumptions.length > 0 ? { assumptions } : {}),
          verdict: record.verdict,
          readiness: record.readiness,
          revision: record.revision,
          generatedAt: record.generatedAt,
        },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
