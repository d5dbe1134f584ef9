import { isObject, Json, TfResource } from "../../terraform/model";
import { attached, valueAt } from "../helpers";
import { isWholeInterpolation } from "../../terraform/values";
import { PolicyStatementJson, resolve, stringList } from "../helpers";

/**
 * Where a key's policy in force is written: a separate aws_kms_key_policy replaces the inline one, so
 * what grants access is read from it alone (rules that forbid something read both, to fail closed).
 * Empty when the key has neither: AWS's default policy applies.
 */
export function keyPolicySources(key: TfResource): TfResource[] {
  const separate = attached(key, "aws_kms_key_policy", "key_id");
  if (separate.length > 0) return separate;
  return valueAt(key, "policy").state === "absent" ? [] : [key];
}

/** Both policies a key may carry, inline and separate: what rules that forbid something read, to fail closed. */
export function everyKeyPolicySource(key: TfResource): TfResource[] {
  return [...(valueAt(key, "policy").state === "absent" ? [] : [key]), ...attached(key, "aws_kms_key_policy", "key_id")];
}
import { coversAction } from "./actions";
import { exactness } from "./public-access";
import { isEffect, LocatedStatement } from "./statements";

/*
 * Whether a key policy lets one request through, judged the way KMS does:
 * an Allow whose principal, action and every condition match, and no Deny
 * that matches. Values the module cannot know are written `⟨⟩` in a request
 * (this account, this region) and an interpolation in a policy stands for
 * whatever the module names there; the two match each other. A condition on
 * a key the request may or may not carry gives "unknown", never a pass.
 */

/** Stands for a part of a request the module names but cannot know before apply (region, account, partition). */
export const UNKNOWN_PART = "⟨⟩";

/** Who makes the request. */
export type Requester =
  /** The principal that creates the resource (the deploying identity), through the service. */
  | { readonly kind: "caller" }
  | { readonly kind: "service"; readonly service: string }
  /**
   * A role, by its ARN as the module writes it or as a pattern with `⟨⟩`.
   * `iamActions`: what the role's own IAM policies allow on customer keys, which count where the key
   * policy delegates to the account (a service-linked role's policy cannot be changed).
   */
  | { readonly kind: "role"; readonly arn: string; readonly iamActions: readonly string[] };

export interface KeyRequest {
  readonly requester: Requester;
  readonly action: string;
  /** Condition keys (lower case) the request carries, with their values; "any" for a value of this account the module names. */
  readonly present: Readonly<Record<string, string | "any">>;
  /** Condition keys (lower case, or a prefix ending in `*`) the request is known not to carry. */
  readonly absent: readonly string[];
}

export type Verdict = "yes" | "no" | "unknown";

const INTERPOLATION = /\$\{[^{}]*\}/g;
const escape = (text: string) => text.replace(/[.*?+^$()|[\]\\{}]/g, "\\$&");

const PATTERNS = new Map<string, RegExp>();

/** A regular expression for a policy or request value: interpolations and `⟨⟩` match anything, and so do `*` and `?` where `wildcards`. */
function pattern(text: string, wildcards: boolean): RegExp {
  const key = `${wildcards ? "w" : "l"}${text}`;
  let regex = PATTERNS.get(key);
  if (!regex) PATTERNS.set(key, (regex = compile(text, wildcards)));
  return regex;
}

function compile(text: string, wildcards: boolean): RegExp {
  const parts = text
    .replace(INTERPOLATION, UNKNOWN_PART)
    .split(UNKNOWN_PART)
    .map((part) => {
      const escaped = escape(part);
      return wildcards ? escaped.replace(/\\\*/g, ".*").replace(/\\\?/g, ".") : escaped;
    });
  return new RegExp(`^${parts.join(".*")}$`, "i");
}

function segmentMayEqual(policyValue: string, requestValue: string, wildcards: boolean): boolean {
  const request = requestValue.replace(INTERPOLATION, UNKNOWN_PART);
  const policy = policyValue.replace(INTERPOLATION, UNKNOWN_PART);
  return pattern(policyValue, wildcards).test(request) || pattern(requestValue, false).test(policy);
}

/**
 * Whether two values may be the same at apply: either matches the other, unknown parts matching anything.
 * ARNs are compared field by field, so an unknown account in one and a wildcard name in the other both hold.
 */
export function mayEqual(policyValue: string, requestValue: string, wildcards = false): boolean {
  if (policyValue === requestValue) return true;
  const policy = policyValue.replace(INTERPOLATION, UNKNOWN_PART).split(":");
  const request = requestValue.replace(INTERPOLATION, UNKNOWN_PART).split(":");
  if (policy.length > 1 && policy.length === request.length) return policy.every((part, i) => segmentMayEqual(part, request[i], wildcards));
  return segmentMayEqual(policyValue, requestValue, wildcards);
}

/**
 * Like mayEqual, but "unknown" where the two meet only because a part the
 * request knows only at apply (a name from a variable, written `⟨⟩`) faces a
 * literal of the policy: the names may differ, so that is no match to count on.
 */
export function matchVerdict(policyValue: string, requestValue: string, wildcards = false): Verdict {
  if (policyValue === requestValue) return "yes";
  if (!mayEqual(policyValue, requestValue, wildcards)) return "no";
  const policy = policyValue.replace(INTERPOLATION, UNKNOWN_PART).split(":");
  const request = requestValue.replace(INTERPOLATION, UNKNOWN_PART).split(":");
  const pairs =
    policy.length > 1 && policy.length === request.length
      ? policy.map((part, i) => [part, request[i]])
      : [[policyValue.replace(INTERPOLATION, UNKNOWN_PART), requestValue.replace(INTERPOLATION, UNKNOWN_PART)]];
  const literal = (part: string) => !part.includes(UNKNOWN_PART) && !(wildcards && /[*?]/.test(part));
  return pairs.some(([p, r]) => p !== r && r.includes(UNKNOWN_PART) && literal(p)) ? "unknown" : "yes";
}

/** Whether a condition value names this module's account (an interpolation of its account id): what a request's "any" stands for. */
const namesThisAccount = (value: string) => /\$\{[^{}]*account_id[^{}]*\}/.test(value);

const ACCOUNT_ROOT = /^(arn:[^:]*:iam::[^:]*:root|\d{12}|\$\{[^{}]*account_id[^{}]*\})$/i;
/** Whether a principal is an account (its root, its id, or the module's account id), which hands the decision to that account's IAM. */
export const isAccount = (text: string) => ACCOUNT_ROOT.test(text) || /^arn:.*:iam::.*:root$/.test(text);

/**
 * Whether a principal of a policy is the role: the same text, or the same ARN once unknown parts match; "unknown" for a value known only at
 * apply.
 */
function sameRole(source: TfResource, principal: string, arn: string): Verdict {
  if (principal === arn) return "yes";
  if (isWholeInterpolation(principal)) return resolve(source, principal).state === "unknown" ? "unknown" : "no";
  return isWholeInterpolation(arn) ? "no" : matchVerdict(principal, arn);
}

/** Whether a statement's principal covers the requester: "yes", "no", "unknown", or "delegated" when it names the account (IAM decides). */
function principalMatch(source: TfResource, statement: PolicyStatementJson, requester: Requester): Verdict | "delegated" {
  const principal = statement.Principal;
  if (principal === "*") return "yes";
  if (!isObject(principal)) return "no";
  const aws = stringList(principal.AWS);
  if (aws.includes("*")) return "yes";
  if (requester.kind === "service") {
    const services = stringList(principal.Service);
    if (services.some((s) => mayEqual(s, requester.service) && exactness(source, s) !== "unknown")) return "yes";
    return services.some((s) => exactness(source, s) === "unknown") ? "unknown" : "no";
  }
  if (requester.kind === "role") {
    const matches = aws.filter((p) => !isAccount(p)).map((p) => sameRole(source, p, requester.arn));
    if (matches.includes("yes")) return "yes";
    if (aws.some(isAccount)) return "delegated";
    return matches.includes("unknown") ? "unknown" : "no";
  }
  if (aws.some(isAccount)) return "delegated";
  // Callers are the deploying identity, unknown here: principals a statement lets use the key only through a
  // service (kms:ViaService) are taken to be its creators (EKS's clusterCreators); any other named role is not.
  // Only a condition that requires a service counts: kms:ViaService under Null or a negated operator does not.
  const condition = isObject(statement.Condition) ? statement.Condition : {};
  const viaService = Object.entries(condition).some(
    ([operator, entries]) =>
      /^(stringequals|stringequalsignorecase|stringlike)$/i.test(operator) &&
      isObject(entries) &&
      Object.keys(entries).some((k) => k.toLowerCase() === "kms:viaservice"),
  );
  return requester.kind === "caller" && aws.length > 0 && viaService ? "yes" : "no";
}

function conditionValues(raw: Json): string[] | undefined {
  const values = Array.isArray(raw) ? raw : [raw];
  if (values.some((v) => typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean")) return undefined;
  return values.map((v) => String(v));
}

function isAbsent(request: KeyRequest, key: string): boolean {
  return request.absent.some((a) => (a.endsWith("*") ? key.startsWith(a.slice(0, -1)) : key === a));
}

/** One condition operator and key against the request; a value the module cannot know (a variable) gives "unknown". */
function conditionHolds(source: TfResource, operator: string, key: string, raw: Json, request: KeyRequest): Verdict {
  let op = operator.toLowerCase();
  const forAll = op.startsWith("forallvalues:");
  const forAny = op.startsWith("foranyvalue:");
  op = op.replace(/^for(all|any)values?:/, "");
  const ifExists = op.endsWith("ifexists");
  op = op.replace(/ifexists$/, "");
  const values = conditionValues(raw);
  if (!values || values.some((v) => v.includes("${") && exactness(source, v) === "unknown")) return "unknown";
  const name = key.toLowerCase();
  const present = Object.prototype.hasOwnProperty.call(request.present, name);
  if (op === "null") {
    if (!present && !isAbsent(request, name)) return "unknown";
    return values.some((v) => (v.toLowerCase() === "true") === !present) ? "yes" : "no";
  }
  if (!present) {
    if (!isAbsent(request, name)) return "unknown";
    if (ifExists || forAll) return "yes";
    if (forAny) return "no";
    return op.includes("not") ? "yes" : "no";
  }
  const actual = request.present[name];
  const negated = op.includes("not");
  const base = op.replace("not", "");
  const stringOperator = ["stringequals", "stringequalsignorecase", "arnequals", "stringlike", "arnlike"].includes(base);
  let matches: boolean;
  if (actual === "any") {
    // The request carries this account's value (its id, an ARN in it): a policy names it only through the
    // module's account id; a literal may be this account or another, and other operators are not judged.
    if (!stringOperator) return "unknown";
    if (!values.some(namesThisAccount)) return "unknown";
    matches = true;
  } else if (base === "bool") {
    matches = values.some((v) => v.toLowerCase() === actual.toLowerCase());
  } else if (stringOperator) {
    const verdicts = values.map((v) => matchVerdict(v, actual, base.endsWith("like")));
    if (!verdicts.includes("yes") && verdicts.includes("unknown")) return "unknown";
    matches = verdicts.includes("yes");
  } else {
    return "unknown";
  }
  return matches !== negated ? "yes" : "no";
}

/** Whether every condition of a statement holds for the request. */
export function conditionsHold(source: TfResource, condition: Json | undefined, request: KeyRequest): Verdict {
  if (condition === undefined || condition === null) return "yes";
  if (!isObject(condition)) return "unknown";
  let verdict: Verdict = "yes";
  for (const [operator, entries] of Object.entries(condition)) {
    if (!isObject(entries)) return "unknown";
    for (const [key, raw] of Object.entries(entries)) {
      const holds = conditionHolds(source, operator, key, raw, request);
      if (holds === "no") return "no";
      if (holds === "unknown") verdict = "unknown";
    }
  }
  return verdict;
}

/** Whether one statement applies to the request (its effect aside). */
function applies(located: LocatedStatement, request: KeyRequest): Verdict {
  const { statement, source } = located;
  // The action first: most statements of a key policy are for other actions, and it is the cheapest test.
  const action = coversAction(source, statement, request.action);
  if (action === false) return "no";
  if (statement.NotPrincipal !== undefined) return "unknown";
  const who = principalMatch(source, statement, request.requester);
  if (who === "no" || who === "unknown") return who;
  if (who === "delegated") {
    // The account's IAM policies decide: a caller's are the deployer's to grant, a role's are known or not.
    if (request.requester.kind === "service") return "no";
    if (request.requester.kind === "role" && !request.requester.iamActions.some((a) => a.toLowerCase() === request.action.toLowerCase()))
      return "no";
  }
  if (action === "unknown") return "unknown";
  return conditionsHold(source, statement.Condition, request);
}

/** "yes" when an Allow applies and no Deny does; a Deny that applies is named. */
export function keyAllows(statements: readonly LocatedStatement[], request: KeyRequest): { verdict: Verdict; deniedBy?: string } {
  let allow: Verdict = "no";
  let deny: Verdict = "no";
  for (const located of statements) {
    const verdict = applies(located, request);
    if (isEffect(located.statement, "Deny")) {
      if (verdict === "yes") return { verdict: "no", deniedBy: located.label };
      if (verdict === "unknown") deny = "unknown";
    } else if (isEffect(located.statement, "Allow")) {
      if (verdict === "yes") allow = "yes";
      else if (verdict === "unknown" && allow === "no") allow = "unknown";
    }
  }
  if (allow === "yes" && deny === "no") return { verdict: "yes" };
  return { verdict: allow === "no" ? "no" : "unknown" };
}

/** The statement AWS gives a key created without a policy: the account, through IAM, may do everything. */
export function defaultKeyPolicy(key: TfResource): LocatedStatement[] {
  return [
    {
      statement: {
        Sid: "Enable IAM User Permissions",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:root" },
        Action: "kms:*",
        Resource: "*",
      },
      source: key,
      label: `${key.address} default key policy`,
    },
  ];
}
