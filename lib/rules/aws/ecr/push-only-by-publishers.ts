import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, Json, TfResource } from "../../../terraform/model";
import { attached, stringList } from "../../helpers";
import { coversAction } from "../../policies/actions";
import { exactness } from "../../policies/public-access";
import { isEffect, LocatedStatement, principalScope, readPolicies } from "../../policies/statements";

/** Putting a manifest is what publishes an image (or replaces what a tag named): the push a repository must refuse. */
const PUBLISH = "ecr:PutImage";
/** Condition operators and keys by which a deny spares named principals only. */
const SPARING_OPERATORS = ["arnnotequals", "arnnotlike", "stringnotequals", "stringnotlike"];

/**
 * Whether a Deny of everyone spares only named principals: no condition (it
 * spares no one), or a single negated match on aws:PrincipalArn whose values
 * are exact ARNs.
 */
function spares(located: LocatedStatement): { kind: "nobody" | "named" | "open" | "unknown"; why: string } {
  const { statement, source } = located;
  const condition: Json | undefined = statement.Condition;
  if (condition === undefined) return { kind: "nobody", why: "denies every push" };
  if (!isObject(condition)) return { kind: "unknown", why: "its Condition is not an object the engine can read" };
  const entries = Object.entries(condition);
  if (entries.length !== 1 || !SPARING_OPERATORS.includes(entries[0][0].toLowerCase())) {
    return { kind: "open", why: `its Condition (${Object.keys(condition).join(", ")}) is not a single negated match on aws:PrincipalArn` };
  }
  const keys = entries[0][1];
  if (!isObject(keys) || Object.keys(keys).length !== 1 || Object.keys(keys)[0].toLowerCase() !== "aws:principalarn") {
    return { kind: "open", why: `its ${entries[0][0]} condition tests ${isObject(keys) ? Object.keys(keys).join(", ") : "something"} rather than aws:PrincipalArn alone` };
  }
  const values = stringList(Object.values(keys)[0]);
  if (values.length === 0) return { kind: "open", why: "its aws:PrincipalArn condition names no principal" };
  for (const value of values) {
    const exact = exactness(source, value);
    if (exact === "wildcard") return { kind: "open", why: `it spares aws:PrincipalArn ${value}, a pattern that matches more than one principal` };
    if (exact === "unknown") return { kind: "unknown", why: `it spares aws:PrincipalArn ${value}, which is not known before apply` };
  }
  return { kind: "named", why: `denies pushes by everyone but ${values.join(", ")}` };
}

/** A repository's own policies, found by reference or by its literal name. */
function repositoryPolicies(repository: TfResource): TfResource[] {
  return attached(repository, "aws_ecr_repository_policy", "repository", "name");
}

export const ecrPushOnlyByPublishers: Rule = {
  id: "aws-ecr-push-only-by-publishers",
  title: "Only named publishers may push to ECR repositories",
  requirements: ["AICP-INTEGRITY-06"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_ecr_repository"],
  remediation: 'Give each repository an aws_ecr_repository_policy with a Deny of ecr:PutImage (and the layer uploads) for Principal "*" under ArnNotEquals aws:PrincipalArn = the CI publisher role (ModelRegistry.grantPush and ImagePublisher do this).',
  effect: "a push by any principal but the named publisher is refused, whatever its IAM permissions (an account administrator's included)",
  check(repository): Outcome {
    const policies = repositoryPolicies(repository);
    if (policies.length === 0) return fail("no aws_ecr_repository_policy: any principal of the account whose IAM policy allows ecr:PutImage can publish or replace images here");
    const { statements, unreadable } = readPolicies(policies);
    let open: string | undefined;
    let unknown: string | undefined;
    for (const located of statements) {
      if (!isEffect(located.statement, "Deny")) continue;
      const covers = coversAction(located.source, located.statement, PUBLISH);
      if (covers === "unknown") {
        unknown ??= `${located.label}: its actions are not known before apply`;
        continue;
      }
      if (!covers) continue;
      const scope = principalScope(located.source, located.statement.Principal);
      if (scope !== "wildcard") {
        if (scope === "unknown") unknown ??= `${located.label}: its principal is not known before apply`;
        continue;
      }
      const spared = spares(located);
      if (spared.kind === "nobody" || spared.kind === "named") return pass(`${located.label} ${spared.why}`);
      if (spared.kind === "unknown") unknown ??= `${located.label}: ${spared.why}`;
      else open ??= `${located.label} does not confine pushes: ${spared.why}`;
    }
    if (unreadable.length > 0) return unreadable[0];
    if (unknown) return unresolved(unknown);
    if (open) return fail(open);
    return fail(`no statement of ${policies.map((p) => p.address).join(", ")} denies ${PUBLISH} to everyone but named publishers: any principal of the account with IAM push rights can publish here`);
  },
};
