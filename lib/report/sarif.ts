import type { Log, ReportingDescriptor, Result } from "sarif";
import { requirementById } from "../catalogue/requirements";
import { Report } from "../compliance/finding";
import { Rule } from "../compliance/rule";
import { lineOf } from "./locate";

const TOOL_URI = "https://www.npmjs.com/package/secure-ai-platform";

function descriptor(rule: Rule): ReportingDescriptor {
  const requirements = rule.requirements.map((id) => `${id} ${requirementById(id)?.title ?? ""}`.trim());
  const references = [...(rule.checkov ?? []), ...(rule.trivy ?? [])];
  const text = [rule.remediation, `Requirements: ${requirements.join("; ")}.`, references.length ? `Equivalent checks: ${references.join(", ")}.` : ""]
    .filter(Boolean)
    .join(" ");
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.title },
    help: { text, markdown: text },
    defaultConfiguration: { level: rule.severity === "mandatory" ? "error" : "warning" },
    properties: { tags: ["security", ...rule.requirements], severity: rule.severity, waivable: rule.waivable, requirements: rule.requirements },
  };
}

/** SARIF 2.1.0 for code-scanning upload: failures as results, waived findings as suppressed results. */
export function renderSarif(report: Report, rules: readonly Rule[], version: string): string {
  const used = rules.filter((r) => report.findings.some((f) => f.ruleId === r.id));
  const index = new Map(used.map((r, i) => [r.id, i]));
  const results: Result[] = report.findings
    .filter((f) => f.status !== "pass")
    .map((f) => {
      const line = lineOf(f.source, f.resource);
      return {
        ruleId: f.ruleId,
        ruleIndex: index.get(f.ruleId),
        level: f.severity === "mandatory" ? "error" : "warning",
        message: { text: `${f.resource}: ${f.message}` },
        locations: [
          {
            physicalLocation: { artifactLocation: { uri: f.source.split("\\").join("/") }, ...(line ? { region: { startLine: line } } : {}) },
            logicalLocations: [{ fullyQualifiedName: f.resource, kind: "resource" }],
          },
        ],
        ...(f.status === "waived" && f.waiver
          ? { suppressions: [{ kind: "external" as const, status: "accepted" as const, justification: `${f.waiver.reason} (owner ${f.waiver.owner}, expires ${f.waiver.expires})` }] }
          : {}),
        properties: { requirements: f.requirementIds, references: f.references, unresolved: f.unresolved ?? false },
      };
    });
  const log: Log = {
    version: "2.1.0",
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: [
      {
        tool: { driver: { name: "saip", semanticVersion: version, informationUri: TOOL_URI, rules: used.map(descriptor) } },
        results,
        properties: { summary: report.summary, waivers: report.waivers },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
