import { Report } from "../compliance/finding";
import { EvidenceRecord } from "./record";

/** The engine's report inside a record, for the renderers that take one. */
export function reportOf(record: EvidenceRecord): Report {
  const modules = new Map<string, { id: string; sources: string[]; resources: number }>();
  for (const s of record.stacks) {
    const m = modules.get(s.module) ?? { id: s.module, sources: [], resources: s.resources };
    m.sources.push(s.file);
    modules.set(s.module, m);
  }
  return {
    version: 1,
    summary: record.summary,
    findings: record.findings.map((f) => ({ ...f, unresolved: f.unresolved ?? false })),
    waivers: record.waivers.map(({ status: _status, daysLeft: _days, ...w }) => w),
    // The Markdown and JUnit of the evidence folder are rendered from here; without this they lost what was assumed.
    ...(record.assumptions.length > 0 ? { assumptions: record.assumptions.map((a) => ({ ...a })) } : {}),
    modules: [...modules.values()],
    rulesRun: record.rulesRun,
    rules: record.rules.map(({ remediation: _r, effect: _e, ...r }) => r),
  };
}
