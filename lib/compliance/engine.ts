import { requirementById } from "../catalogue/requirements";
import { TfModule, TfResource } from "../terraform/model";
import { moduleAssumptions } from "./assumptions";
import { Finding, Report, RuleSummary, summarize, WaiverRecord } from "./finding";
import { Rule } from "./rule";
import { assertWaiversValid } from "./waiver-problems";
import { embeddedWaiverConstructs, embeddedWaivers, isExpired, matchesResource, Waiver } from "./waivers";

export interface CheckOptions {
  /** The rules to run. */
  readonly rules: readonly Rule[];
  /** Waivers from files; waivers embedded in the JSON are always read too. */
  readonly waivers?: readonly Waiver[];
  /** The time waivers expire against. @default now */
  readonly now?: Date;
}

/**
 * The rules a waiver may name: the catalogue's and any the caller runs (a team's own). Built only when there
 * are waivers to validate: loading every rule costs a fifth of a second, which a check with none need not pay.
 */
function knownRules(rules: readonly Rule[]): () => ReadonlyMap<string, Rule> {
  let known: Map<string, Rule> | undefined;
  return () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
    known ??= new Map([...(require("../rules") as typeof import("../rules")).ALL_RULES, ...rules].map((r) => [r.id, r]));
    return known;
  };
}

/** The references a finding of `rule` carries: EN 304 223 provisions, then Checkov and Trivy ids. */
export function referencesOf(rule: Rule): string[] {
  const provisions = new Set<string>();
  for (const id of rule.requirements) {
    for (const p of requirementById(id)?.en304223 ?? []) provisions.add(`EN 304 223 ${p}`);
  }
  return [...provisions, ...(rule.checkov ?? []), ...(rule.trivy ?? [])];
}

/** What reports say about a rule that ran. */
export function ruleSummary(rule: Rule): RuleSummary {
  return {
    id: rule.id,
    title: rule.title,
    severity: rule.severity,
    waivable: rule.waivable,
    requirements: [...rule.requirements],
    checkov: [...(rule.checkov ?? [])],
    trivy: [...(rule.trivy ?? [])],
  };
}

interface RuleRun {
  readonly rule: Rule;
  readonly references: string[];
}

interface WaiverState {
  readonly waiver: Waiver;
  matched: number;
}

/**
 * Runs every rule on every resource it applies to, one finding per rule and
 * resource, then applies waivers. Unresolved values fail: what cannot be
 * known before apply is not evidence of compliance.
 */
export function check(modules: readonly TfModule[], options: CheckOptions): Report {
  const now = options.now ?? new Date();
  // Each rule with the references its findings carry, by the types it applies to: a finding costs a lookup
  // of its resource's type and nothing per rule that does not apply.
  const rulesByType = new Map<string, RuleRun[]>();
  for (const rule of options.rules) {
    const run = { rule, references: referencesOf(rule) };
    for (const type of rule.appliesTo) {
      const list = rulesByType.get(type);
      if (list) list.push(run);
      else rulesByType.set(type, [run]);
    }
  }
  // A waiver that can never take effect (a rule id that does not exist, an unwaivable rule) is bad input, not a quiet no-op.
  const known = knownRules(options.rules);
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArrayDeclaration: an empty list is valid anyway
  if ((options.waivers ?? []).length > 0)
    assertWaiversValid(
      (options.waivers ?? []).map((waiver) => ({ waiver })),
      known(),
    );
  const fileWaivers: WaiverState[] = (options.waivers ?? []).map((waiver) => ({ waiver, matched: 0 }));
  const codeWaiverSites: Array<{ waiver: Waiver; construct?: string }> = [];
  const codeWaivers: WaiverState[] = [];
  const findings: Finding[] = [];

  for (const module of modules) {
    for (const resource of module.resources) {
      let candidates = fileWaivers;
      // Stryker disable next-line ConditionalExpression: without metadata embeddedWaivers is empty; the guard only skips the read
      if (resource.body["//"] !== undefined) {
        const embedded = embeddedWaivers(resource).map((waiver) => ({ waiver, matched: 0 }));
        // Stryker disable next-line ConditionalExpression,EqualityOperator: with none embedded, the candidates are the same
        if (embedded.length > 0) {
          const constructs = embeddedWaiverConstructs(resource);
          embedded.forEach(({ waiver }, i) => codeWaiverSites.push({ waiver, construct: constructs[i] }));
          codeWaivers.push(...embedded);
          candidates = [...embedded, ...fileWaivers];
        }
      }
      const runs = rulesByType.get(resource.mode === "data" ? `data.${resource.type}` : resource.type);
      if (!runs) continue;
      for (const { rule, references } of runs) {
        if (rule.applies && !rule.applies(resource)) continue;
        findings.push(judge(rule, resource, references, candidates, now));
      }
    }
    // Rules about the module itself (its state backend) judge its terraform block, once per module with resources.
    const moduleRules = module.resources.length > 0 ? rulesByType.get("terraform") : undefined;
    for (const { rule, references } of moduleRules ?? []) {
      if (rule.applies && !rule.applies(module.settings)) continue;
      findings.push(judge(rule, module.settings, references, fileWaivers, now));
    }
  }

  // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty list is valid anyway; the guard keeps the rules unloaded
  if (codeWaiverSites.length > 0) assertWaiversValid(codeWaiverSites, known());

  const unjudged = new Set<string>();
  for (const module of modules) {
    for (const resource of module.resources) {
      const type = resource.mode === "data" ? `data.${resource.type}` : resource.type;
      if (!rulesByType.has(type)) unjudged.add(type);
    }
  }
  const summary = summarize(findings);
  const waivers: WaiverRecord[] = [...codeWaivers, ...fileWaivers].map(({ waiver, matched }) => ({
    ...waiver,
    matched,
    expired: isExpired(waiver, now),
  }));
  const assumptions = modules.flatMap(moduleAssumptions);
  return {
    version: 1,
    summary,
    findings,
    waivers,
    ...(assumptions.length > 0 ? { assumptions } : {}),
    modules: modules.map((m) => ({ id: m.id, sources: [...new Set(m.resources.map((r) => r.source))], resources: m.resources.length })),
    rulesRun: options.rules.length,
    notFollowed: modules.flatMap((m) => m.notFollowed.map((n) => ({ module: m.id, ...n }))),
    unjudged: [...unjudged].sort(),
    rules: options.rules.map(ruleSummary),
  };
}

/** One finding, built with the same shape every time (this runs once per rule and resource). */
function finding(
  rule: Rule,
  resource: TfResource,
  references: string[],
  status: Finding["status"],
  message: string,
  unresolved: boolean,
  waiver?: Waiver,
): Finding {
  return {
    ruleId: rule.id,
    requirementIds: rule.requirements,
    severity: rule.severity,
    status,
    resource: resource.address,
    source: resource.source,
    module: resource.module.id,
    message,
    references,
    unresolved,
    waiver,
  };
}

function judge(rule: Rule, resource: TfResource, references: string[], waivers: WaiverState[], now: Date): Finding {
  let outcome;
  try {
    outcome = rule.check(resource);
  } catch (error) {
    outcome = { status: "unresolved" as const, message: `the rule could not read this resource: ${(error as Error).message}` };
  }
  if (outcome.status === "pass") return finding(rule, resource, references, "pass", outcome.message, false);
  const unresolved = outcome.status === "unresolved";
  const message = unresolved ? `unresolved: ${outcome.message}` : outcome.message;
  const state =
    // Stryker disable next-line ConditionalExpression: find on an empty list is undefined too
    waivers.length === 0
      ? undefined
      : waivers.find((w) => w.waiver.rule === rule.id && matchesResource(w.waiver.resource, resource.address));
  if (!state) return finding(rule, resource, references, "fail", message, unresolved);
  state.matched += 1;
  const { waiver } = state;
  if (!rule.waivable) {
    return finding(
      rule,
      resource,
      references,
      "fail",
      `${message} (rule ${rule.id} cannot be waived; the waiver by ${waiver.owner} is ignored)`,
      unresolved,
      waiver,
    );
  }
  if (isExpired(waiver, now)) {
    return finding(
      rule,
      resource,
      references,
      "fail",
      `${message} (waiver by ${waiver.owner} expired on ${waiver.expires})`,
      unresolved,
      waiver,
    );
  }
  return finding(
    rule,
    resource,
    references,
    "waived",
    `${message} (waived by ${waiver.owner} until ${waiver.expires}: ${waiver.reason})`,
    unresolved,
    waiver,
  );
}
