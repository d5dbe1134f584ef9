import { SEVERITIES, Severity } from "./rule";
import { AssumptionRecord } from "./assumptions";
import { Waiver } from "./waivers";

export const FINDING_STATUSES = ["pass", "fail", "waived"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** The outcome of one rule on one resource. */
export interface Finding {
  readonly ruleId: string;
  readonly requirementIds: readonly string[];
  readonly severity: Severity;
  readonly status: FindingStatus;
  /** Terraform address `TYPE.NAME` as written. */
  readonly resource: string;
  /** The file the resource came from. */
  readonly source: string;
  /** The module (stack or folder) the resource belongs to. */
  readonly module: string;
  readonly message: string;
  /** EN 304 223 provisions, Checkov ids, Trivy ids. */
  readonly references: readonly string[];
  /** True when the rule could not know a value before apply. */
  readonly unresolved?: boolean;
  /** True for a failure the team accepted in a baseline file: reported, but it does not fail the run. */
  readonly baselined?: boolean;
  /** The waiver that waived this finding, or that expired. */
  readonly waiver?: Waiver;
}

/** A waiver as reports list it: every waiver, with what it waived. */
export interface WaiverRecord extends Waiver {
  readonly expired: boolean;
  /** Findings it waived (or would have, had it not expired). */
  readonly matched: number;
}

export interface Summary {
  readonly pass: number;
  readonly fail: number;
  readonly waived: number;
}

/** A rule that ran, as reports list it: what it checks and what it maps to. */
export interface RuleSummary {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly waivable: boolean;
  readonly requirements: readonly string[];
  readonly checkov: readonly string[];
  readonly trivy: readonly string[];
}

export interface Report {
  readonly version: 1;
  readonly summary: Summary;
  readonly findings: readonly Finding[];
  readonly waivers: readonly WaiverRecord[];
  /** What the checked stacks rely on but no rule could see (resources brought in by ARN or id); never counted as passing. */
  readonly assumptions?: readonly AssumptionRecord[];
  /** What was checked: each module with its source files and resource count. */
  readonly modules: ReadonlyArray<{ readonly id: string; readonly sources: readonly string[]; readonly resources: number }>;
  readonly rulesRun: number;
  /** Module calls whose source was not read (registry, git, missing folders), by module. */
  readonly notFollowed?: ReadonlyArray<{
    readonly module: string;
    readonly address: string;
    readonly source: string;
    readonly reason: string;
  }>;
  /** Resource types in the checked modules that no rule that ran applies to, sorted. */
  readonly unjudged?: readonly string[];
  /** The rules that ran (added after version 1 was published; absent from older reports). */
  readonly rules?: readonly RuleSummary[];
}

/** The lowest severity whose failures fail a run, or "none" to report only. */
export const FAIL_ON_LEVELS = [...SEVERITIES, "none"] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

/** Counts findings by status. */
export function summarize(findings: readonly Finding[]): Summary {
  const summary = { pass: 0, fail: 0, waived: 0 };
  for (const f of findings) summary[f.status] += 1;
  return summary;
}

/** Whether a report fails at the given threshold. */
export function failsAt(report: Report, failOn: FailOn): boolean {
  if (failOn === "none") return false;
  return report.findings.some((f) => f.status === "fail" && !f.baselined && (failOn === "recommended" || f.severity === "mandatory"));
}
