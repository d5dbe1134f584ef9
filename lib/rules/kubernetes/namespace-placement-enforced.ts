import { fail, pass, Rule, unresolved } from "../../compliance/rule";
import { isObject, JsonObject } from "../../terraform/model";
import { rawAt, resolve, stringList } from "../helpers";
import { at, manifests, objects, selects } from "./admission";
import {
  normalizeCel,
  PLACEMENT_LABEL_KEY,
  PLACEMENT_VALIDATIONS,
  PLACEMENT_VARIABLES,
  placementBindingManifest,
  placementPolicyManifest,
  TENANT_LABEL_KEY,
} from "./placement-policy";
import { isTenantNamespace, labelsOf, NAMESPACE_TYPES } from "./util";

const ANNOTATIONS = ["scheduler.alpha.kubernetes.io/node-selector", "scheduler.alpha.kubernetes.io/defaultTolerations"];
/** What keeps a policy from enforcing the placement, or undefined when it does. */
function policyProblem(policy: JsonObject): string | undefined {
  const spec = at(policy, "spec");
  const failure = at(spec, "failurePolicy");
  if (failure !== undefined && failure !== "Fail")
    return `failurePolicy is ${JSON.stringify(failure)}, so an evaluation error lets pods through`;
  const rules = objects(at(spec, "matchConstraints.resourceRules"));
  const coversPods = rules.some((r) => {
    const has = (key: string, value: string) => stringList(r[key]).some((v) => v === value || v === "*");
    return has("apiGroups", "") && has("resources", "pods") && has("operations", "CREATE") && has("operations", "UPDATE");
  });
  if (!coversPods) return "matchConstraints does not cover CREATE and UPDATE of pods";
  // Anything that narrows which pods the policy sees could let some through: it must see them all.
  if (
    objects(at(spec, "matchConditions")).length > 0 ||
    (at(spec, "matchConditions") !== undefined && !Array.isArray(at(spec, "matchConditions")))
  ) {
    return "matchConditions skip the policy for some requests";
  }
  for (const narrowing of ["namespaceSelector", "objectSelector", "excludeResourceRules"]) {
    const value = at(spec, `matchConstraints.${narrowing}`);
    if (value !== undefined && !(isObject(value) && Object.keys(value).length === 0) && !(Array.isArray(value) && value.length === 0)) {
      return `matchConstraints.${narrowing} narrows the pods the policy sees`;
    }
  }
  const variables = new Map(
    objects(at(spec, "variables")).map((v) => [v.name, typeof v.expression === "string" ? normalizeCel(v.expression) : undefined]),
  );
  const wrongVariable = PLACEMENT_VARIABLES.find((v) => variables.get(v.name) !== normalizeCel(v.expression));
  if (wrongVariable) return `variable ${wrongVariable.name} is not the platform's definition`;
  const expressions = new Set(
    objects(at(spec, "validations")).map((v) => (typeof v.expression === "string" ? normalizeCel(v.expression) : "")),
  );
  const missing = PLACEMENT_VALIDATIONS.filter((v) => !expressions.has(normalizeCel(v.expression)));
  if (missing.length > 0)
    return `it lacks the validation${missing.length > 1 ? "s" : ""} ${missing.map((v) => JSON.stringify(v.expression)).join(", ")}`;
  return undefined;
}

/** A dedicated tenant namespace with the placement policy, and its Deny binding when `bound`. */
function placementExample(bound: boolean): string {
  const manifest = {
    policy: { manifest: placementPolicyManifest() },
    ...(bound ? { binding: { manifest: placementBindingManifest() } } : {}),
  };
  const namespace = { metadata: { name: "team-a", labels: { [TENANT_LABEL_KEY]: "team-a", [PLACEMENT_LABEL_KEY]: "dedicated" } } };
  return JSON.stringify({ resource: { kubernetes_namespace_v1: { team_a: namespace }, kubernetes_manifest: manifest } }, null, 2);
}

export const namespacePlacementEnforced: Rule = {
  id: "k8s-namespace-placement-enforced",
  title: "Tenant placement is enforced by a ValidatingAdmissionPolicy, not namespace annotations",
  requirements: ["AICP-TENANT-07"],
  severity: "mandatory",
  waivable: true,
  appliesTo: NAMESPACE_TYPES,
  effect:
    "A ValidatingAdmissionPolicy bound with Deny to this tenant namespace rejects pods that set nodeName, tolerate another tenant's taint or leave the tenant's dedicated pool, in admission EKS runs.",
  remediation:
    'Create the TenantPlacementPolicy (a ValidatingAdmissionPolicy with the platform\'s placement validations, failurePolicy Fail, and a binding with validationActions ["Deny"] selecting namespaces labelled saip.io/tenant) in the same module as the tenant namespaces; ' +
    "the scheduler.alpha.kubernetes.io annotations need admission plugins EKS does not enable.",
  applies: (ns) => isTenantNamespace(ns) !== false,
  // Terraform JSON: the policy is the manifest TenantPlacement writes, long in HCL.
  examples: {
    good: [placementExample(true)],
    bad: [placementExample(false)],
  },
  check(ns) {
    const found = labelsOf(ns);
    if ("unknown" in found) return unresolved(`${found.unknown}; cannot tell whether it carries ${TENANT_LABEL_KEY}`);
    const annotations = resolve(ns, rawAt(ns.body, "metadata.annotations"));
    const relied =
      annotations.state === "known" && isObject(annotations.value) ? ANNOTATIONS.filter((a) => a in (annotations.value as JsonObject)) : [];
    const policies = manifests(ns, "ValidatingAdmissionPolicy");
    const bindings = manifests(ns, "ValidatingAdmissionPolicyBinding");
    const notes: string[] = [];
    const open: string[] = [...new Set([...policies.unknown, ...bindings.unknown])];
    for (const policy of policies.found) {
      const problem = policyProblem(policy.body);
      if (problem) {
        notes.push(`${policy.resource.address}: ${problem}`);
        continue;
      }
      const name = at(policy.body, "metadata.name");
      for (const binding of bindings.found.filter((b) => at(b.body, "spec.policyName") === name)) {
        if (!stringList(at(binding.body, "spec.validationActions")).includes("Deny")) {
          notes.push(`${binding.resource.address} binds ${JSON.stringify(name)} without the Deny action`);
          continue;
        }
        const selected = selects(binding.body, found.labels);
        if (selected === true)
          return pass(
            `${policy.resource.address} (bound with Deny by ${binding.resource.address}) enforces placement of the namespace's pods at admission`,
          );
        if (selected === false) notes.push(`${binding.resource.address} does not select this namespace`);
        else open.push(`${binding.resource.address}: cannot tell whether it selects this namespace, ${selected}`);
      }
      if (!bindings.found.some((b) => at(b.body, "spec.policyName") === name))
        notes.push(`no binding puts ${policy.resource.address} in force`);
    }
    if (open.length > 0) return unresolved(`no ValidatingAdmissionPolicy is known to enforce placement: ${[...notes, ...open].join("; ")}`);
    const why = notes.length > 0 ? notes.join("; ") : "the module has no ValidatingAdmissionPolicy that enforces tenant placement";
    if (relied.length > 0) {
      return fail(
        `relies on ${relied.join(" and ")}, which only the PodNodeSelector and PodTolerationRestriction admission plugins read, and EKS enables neither; ${why}`,
      );
    }
    return fail(why);
  },
};
