import { Finding, Report } from "../compliance/finding";
import { InputError, parseJson, readText } from "../terraform/load";

/**
 * A baseline: the failures a team accepted when it adopted the checks on
 * existing code, by rule and resource address. A run with `--baseline`
 * reports them but fails only on failures not in it.
 */
export interface Baseline {
  readonly version: 1;
  readonly findings: ReadonlyArray<{ readonly ruleId: string; readonly resource: string }>;
}

/** The baseline of a report: every failure in it. */
export function baselineOf(report: Report): Baseline {
  const findings = report.findings.filter((f) => f.status === "fail").map((f) => ({ ruleId: f.ruleId, resource: f.resource }));
  return { version: 1, findings };
}

export async function readBaseline(file: string): Promise<Baseline> {
  const doc = parseJson(await readText(file), file);
  const findings = typeof doc === "object" && doc !== null && !Array.isArray(doc) ? doc.findings : undefined;
  if (!Array.isArray(findings))
    throw new InputError(`${file}: a baseline is {"version": 1, "findings": [{"ruleId", "resource"}]}; it has no findings list.`);
  findings.forEach((f, i) => {
    if (typeof f !== "object" || f === null || Array.isArray(f) || typeof f.ruleId !== "string" || typeof f.resource !== "string")
      throw new InputError(`${file}: findings[${i}] needs a string ruleId and resource.`);
  });
  return { version: 1, findings: findings as unknown as Baseline["findings"] };
}

/** The report with every failure in the baseline marked, so it no longer fails the run. */
export function applyBaseline(report: Report, baseline: Baseline): Report {
  const accepted = new Set(baseline.findings.map((f) => `${f.ruleId}\u0000${f.resource}`));
  const findings = report.findings.map((f): Finding =>
    f.status === "fail" && accepted.has(`${f.ruleId}\u0000${f.resource}`)
      ? { ...f, baselined: true, message: `${f.message} (accepted in the baseline)` }
      : f,
  );
  return { ...report, findings };
}
