import { check } from "../../lib/compliance/engine";
import { Finding, FindingStatus } from "../../lib/compliance/finding";
import { Rule } from "../../lib/compliance/rule";
import { ALL_RULES } from "../../lib/rules";
import { Mutation, MUTATIONS, TfDoc } from "./mutations";
import {
  checkPlatform,
  FAILS_ON_REFERENCE,
  PROVED_ON_VARIANT,
  moduleOf,
  Platform,
  SynthesizedStack,
  synthesizeReference,
  VARIANT_PLATFORMS,
  VariantName,
  VARIANTS,
} from "./platforms";

/** What a rule's mutation did: the stack it edited, the resource it broke, and the rule's verdict on it before and after. */
export interface MutationResult {
  readonly breaks: string;
  readonly stack?: string;
  readonly address?: string;
  /** The rule's status for `address` on the compliant JSON, or "none" when it gave no finding there. */
  readonly before?: FindingStatus | "none";
  /** The rule's status for `address` on the mutated JSON. */
  readonly after?: FindingStatus | "none";
  readonly afterMessage?: string;
  /** Why the mutation could not be applied. */
  readonly error?: string;
  /** The rule passed the resource before and fails it after. */
  readonly caught: boolean;
}

/** The evidence for one rule. */
export interface RuleEvidence {
  readonly rule: Rule;
  /** Where the rule is proved: the reference platform, else its variant; undefined when neither gives it a finding. */
  readonly site?: "reference" | VariantName;
  readonly platform?: Platform;
  /** The rule's findings at the site. */
  readonly findings: readonly Finding[];
  /** Findings of the rule a waiver excuses, on the reference platform and at the site. */
  readonly waived: readonly Finding[];
  /** `stack/Construct` (the first construct below the stack) of each resource the rule passes at the site, sorted. */
  readonly constructs: readonly string[];
  /** Undefined when MUTATIONS has no entry for the rule. */
  readonly mutation?: MutationResult;
}

export interface Matrix {
  readonly reference: Platform;
  readonly variants: ReadonlyMap<VariantName, Platform>;
  readonly evidence: readonly RuleEvidence[];
}

const statusOf = (findings: readonly Finding[], ruleId: string, stack: string, address: string) =>
  findings.find((f) => f.ruleId === ruleId && f.module === stack && f.resource === address);

/** The construct path cdktf recorded for a resource (`//`.metadata.path), as `stack/FirstConstruct`. */
export function constructOf(stack: SynthesizedStack, address: string): string {
  // The module's own terraform block (its backend) belongs to the stack, not to a construct.
  if (address === "terraform") return `${stack.name} (its terraform block)`;
  const parts = address.split(".");
  const [section, type, name] = parts[0] === "data" ? ["data", parts[1], parts[2]] : ["resource", parts[0], parts[1]];
  const group = (stack.doc[section] as Record<string, Record<string, { "//"?: { metadata?: { path?: string } } }>> | undefined)?.[type];
  const metaPath = group?.[name]?.["//"]?.metadata?.path;
  const segments = typeof metaPath === "string" ? metaPath.split("/") : [];
  return segments.length > 1 ? `${stack.name}/${segments[1]}` : `${stack.name}/(no construct path: ${address})`;
}

/**
 * Applies a rule's mutation to a clone of the first stack where the rule passes and the mutation finds its target
 * (a stack such as bootstrap may pass the rule without holding what the mutation breaks), and re-checks that stack alone.
 */
export function runMutation(
  rule: Rule,
  mutation: Mutation,
  platform: Platform,
  findings: readonly Finding[],
  rules: readonly Rule[],
): MutationResult {
  const candidates = platform.stacks.filter((s) =>
    findings.some((f) => f.ruleId === rule.id && f.module === s.name && f.status === "pass"),
  );
  if (candidates.length === 0)
    return { breaks: mutation.breaks, error: "the rule passes on no stack, so there is nothing compliant to break", caught: false };
  let stack = candidates[0];
  let doc: TfDoc | undefined;
  let address = "";
  let firstError: string | undefined;
  for (const candidate of candidates) {
    const clone = structuredClone(candidate.doc) as TfDoc;
    const passing = new Set(
      findings.filter((f) => f.ruleId === rule.id && f.module === candidate.name && f.status === "pass").map((f) => f.resource),
    );
    try {
      address = mutation.apply(clone, passing);
      stack = candidate;
      doc = clone;
      break;
    } catch (error) {
      firstError ??= (error as Error).message;
    }
  }
  if (!doc) return { breaks: mutation.breaks, stack: stack.name, error: firstError, caught: false };
  const before = statusOf(findings, rule.id, stack.name, address);
  const after = statusOf(
    check([moduleOf(platform, stack.name, { name: stack.name, doc })], { rules }).findings,
    rule.id,
    stack.name,
    address,
  );
  return {
    breaks: mutation.breaks,
    stack: stack.name,
    address,
    before: before?.status ?? "none",
    after: after?.status ?? "none",
    afterMessage: after?.message,
    caught: before?.status === "pass" && after?.status === "fail",
  };
}

/**
 * Synthesizes the reference platform and the variants it needs, once each,
 * and gathers for every rule its findings where it is proved, the
 * constructs it passes and what its mutation did.
 */
export function buildMatrix(rules: readonly Rule[] = ALL_RULES, mutations: Readonly<Record<string, Mutation>> = MUTATIONS): Matrix {
  const reference = synthesizeReference();
  const findingsAt = new Map<Platform, readonly Finding[]>([[reference, checkPlatform(reference, rules)]]);
  const variants = new Map<VariantName, Platform>();
  const platformFor = (name: VariantName): Platform => {
    let platform = variants.get(name);
    if (!platform) {
      platform = VARIANT_PLATFORMS[name]();
      variants.set(name, platform);
      findingsAt.set(platform, checkPlatform(platform, rules));
    }
    return platform;
  };

  // A rule is proved where it judges something itself: a finding that passes or fails, not one a waiver excuses.
  const judges = (platform: Platform, id: string) => findingsAt.get(platform)!.some((f) => f.ruleId === id && f.status !== "waived");
  const evidence = rules.map((rule): RuleEvidence => {
    let platform: Platform | undefined = reference;
    let site: RuleEvidence["site"] = "reference";
    if (!judges(reference, rule.id) || PROVED_ON_VARIANT[rule.id]) {
      const variant = VARIANTS[rule.id] ?? PROVED_ON_VARIANT[rule.id];
      platform = variant && variant in VARIANT_PLATFORMS ? platformFor(variant) : undefined;
      site = platform && judges(platform, rule.id) ? variant : undefined;
      if (!site) platform = undefined;
    }
    const waived = [...new Set([reference, ...(platform ? [platform] : [])])].flatMap((p) =>
      findingsAt.get(p)!.filter((f) => f.ruleId === rule.id && f.status === "waived"),
    );
    if (!platform) {
      const mutation = mutations[rule.id] && {
        breaks: mutations[rule.id].breaks,
        error: "no platform gives the rule a finding it judges",
        caught: false,
      };
      return { rule, findings: [], waived, constructs: [], mutation };
    }
    const all = findingsAt.get(platform)!;
    const findings = all.filter((f) => f.ruleId === rule.id);
    const stacks = new Map(platform.stacks.map((s) => [s.name, s]));
    const constructs = [
      ...new Set(findings.filter((f) => f.status === "pass").map((f) => constructOf(stacks.get(f.module)!, f.resource))),
    ].sort();
    const mutation = mutations[rule.id] ? runMutation(rule, mutations[rule.id], platform, all, rules) : undefined;
    return { rule, site, platform, findings, waived, constructs, mutation };
  });
  return { reference, variants, evidence };
}

/** The matrix test's names, which docs/requirements.md cites. */
export const MATRIX_TEST_FILE = "test/evidence/requirement-matrix.test.ts";
export const MATRIX_SUITE = "requirement matrix";

export function holdsTitle(e: RuleEvidence): string {
  if (FAILS_ON_REFERENCE[e.rule.id]) return "fails on the reference platform by design (FAILS_ON_REFERENCE says why)";
  if (e.site === "reference") return "holds on the reference platform";
  if (e.site && PROVED_ON_VARIANT[e.rule.id]) return `holds on variant ${e.site} (the single-account reference fails it by design)`;
  if (e.site) return `holds on variant ${e.site}`;
  return `holds on the reference platform or variant ${VARIANTS[e.rule.id] ?? "(none in VARIANTS)"}`;
}

export function catchesTitle(e: RuleEvidence): string {
  if (FAILS_ON_REFERENCE[e.rule.id]) return `has no compliant case to break yet: ${e.mutation?.breaks ?? "(no mutation in MUTATIONS)"}`;
  return `catches its own breakage: ${e.mutation?.breaks ?? "(no mutation in MUTATIONS)"}`;
}

export function shareTitle(matrix: Matrix): string {
  const caught = matrix.evidence.filter((e) => e.mutation?.caught).length;
  return `${caught} of ${matrix.evidence.length} rules catch their mutation`;
}
