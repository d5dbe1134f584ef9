import { TfResource } from "../terraform/model";

/** A rule's weight: a mandatory failure fails the check (and synth); a recommended one is reported. */
export const SEVERITIES = ["mandatory", "recommended"] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * `stricter`: the rule fails every resource the check fails, and more, because
 * the requirement demands it. `partial`: the rule judges only some of the
 * resources the check does (the reason says which).
 */
export interface CrossReferenceRelation {
  readonly relation: "equivalent" | "stricter" | "partial";
  readonly reason?: string;
}

/** The verdicts a rule can reach; every rule's tests show all three. */
export const OUTCOME_STATUSES = ["pass", "fail", "unresolved"] as const;

/** What a rule concludes about one resource. `unresolved` means a value is unknown before apply. */
export interface Outcome {
  readonly status: (typeof OUTCOME_STATUSES)[number];
  readonly message: string;
}

export const pass = (message: string): Outcome => ({ status: "pass", message });
export const fail = (message: string): Outcome => ({ status: "fail", message });
export const unresolved = (message: string): Outcome => ({ status: "unresolved", message });

/**
 * Small Terraform examples of what a rule passes and fails, kept beside the
 * rule as Trivy's check metadata keeps its `good_examples` and `bad_examples`.
 * Each is a whole module: the resources the rule judges and what they reference,
 * in HCL, or in Terraform JSON (`.tf.json`) where HCL would be long (admission
 * manifests built by the same functions the constructs use).
 * A test runs every example (good passes, bad fails) and `saip requirements
 * --rule <id>` prints them.
 */
/** Whether an example is Terraform JSON rather than HCL. */
export const isJsonExample = (text: string): boolean => text.trimStart().startsWith("{");

export interface RuleExamples {
  /** Modules every resource of which the rule passes. */
  readonly good: readonly string[];
  /** Modules in which the rule fails at least one resource, for a reason it knows (not an unknown value). */
  readonly bad: readonly string[];
}

/**
 * One check over synthesized Terraform. Rules are pure: they read the
 * resource and its module and return an outcome, nothing else.
 */
export interface Rule {
  /** Stable id, kebab-case, provider first: `aws-s3-bucket-cmk-encryption`. */
  readonly id: string;
  /** One line: what must hold. */
  readonly title: string;
  /** Requirement ids from the catalogue this rule gives evidence for. */
  readonly requirements: readonly string[];
  readonly severity: Severity;
  /** False for rules no reason can excuse (public endpoints, unencrypted secrets). */
  readonly waivable: boolean;
  /** Resource types the rule applies to (`aws_s3_bucket`); data sources as `data.TYPE`. */
  readonly appliesTo: readonly string[];
  /** Equivalent Checkov check ids in Checkov's spelling (`CKV_AWS_58`). */
  readonly checkov?: readonly string[];
  /** Equivalent Trivy (AVD) ids (`AVD-AWS-0040`). */
  readonly trivy?: readonly string[];
  /**
   * How a cross-referenced Checkov or Trivy check relates to this rule, for
   * those that are not simply `equivalent` (the same resources pass and fail).
   * @default equivalent, for every id in checkov and trivy
   */
  readonly relations?: Readonly<Record<string, CrossReferenceRelation>>;
  /** How to fix a failure. */
  readonly remediation: string;
  /**
   * Set when the rule judges whether a control works once deployed, not only
   * that a setting is present (a key its consumers can use, a network policy
   * some CNI enforces, an alert topic someone receives). No other Terraform
   * scanner makes these checks; the catalogue says so. The sentence says what
   * the rule proves works.
   */
  readonly effect?: string;
  /** What the rule passes and fails, as small modules. */
  readonly examples?: RuleExamples;
  /** Judges one resource the rule applies to. */
  check(resource: TfResource): Outcome;
  /**
   * Optional: whether the rule applies to this resource at all, for rules that
   * concern only some resources of a type (tenant namespaces, GPU node groups).
   * @default every resource of the listed types
   */
  applies?(resource: TfResource): boolean;
}
