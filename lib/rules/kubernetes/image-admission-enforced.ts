import { fail, pass, Rule, unresolved } from "../../compliance/rule";
import { isObject, JsonObject } from "../../terraform/model";
import { stringList } from "../helpers";
import { at, manifests, objects, selects } from "./admission";
import { IMAGE_POLICY_LABEL_KEY, IMAGE_POLICY_LABEL_VALUE, IMAGE_VALIDATIONS } from "./image-policy";
import { normalizeCel } from "./placement-policy";
import { isTenantNamespace, labelsOf, NAMESPACE_TYPES } from "./util";

/** What keeps a policy from checking every pod's images, or undefined when it does. */
function policyProblem(policy: JsonObject): string | undefined {
  const spec = at(policy, "spec");
  const failure = at(spec, "failurePolicy");
  if (failure !== undefined && failure !== "Fail") return `failurePolicy is ${JSON.stringify(failure)}, so an evaluation error admits the pod unchecked`;
  const rules = objects(at(spec, "matchConstraints.resourceRules"));
  const has = (r: JsonObject, key: string, value: string) => stringList(r[key]).some((v) => v === value || v === "*");
  const covers = (resource: string) => rules.some((r) => has(r, "apiGroups", "") && has(r, "resources", resource) && has(r, "operations", "CREATE") && has(r, "operations", "UPDATE"));
  if (!covers("pods")) return "matchConstraints does not cover CREATE and UPDATE of pods";
  if (!covers("pods/ephemeralcontainers")) return "matchConstraints does not cover pods/ephemeralcontainers, through which a debug container with any image is added";
  const conditions = at(spec, "matchConditions");
  if (conditions !== undefined && !(Array.isArray(conditions) && conditions.length === 0)) return "matchConditions skip the policy for some requests";
  for (const narrowing of ["namespaceSelector", "objectSelector", "excludeResourceRules"]) {
    const value = at(spec, `matchConstraints.${narrowing}`);
    if (value !== undefined && !(isObject(value) && Object.keys(value).length === 0) && !(Array.isArray(value) && value.length === 0)) {
      return `matchConstraints.${narrowing} narrows the pods the policy sees`;
    }
  }
  const expressions = new Set(objects(at(spec, "validations")).map((v) => (typeof v.expression === "string" ? normalizeCel(v.expression) : "")));
  const missing = IMAGE_VALIDATIONS.filter((v) => !expressions.has(normalizeCel(v.expression)));
  if (missing.length > 0) return `it lacks the validation${missing.length > 1 ? "s" : ""} ${missing.map((v) => JSON.stringify(v.expression)).join(", ")}`;
  return undefined;
}

/** Tenant namespaces, and platform namespaces labelled for the policy; unknown labels are judged too. */
export function governed(ns: Parameters<typeof isTenantNamespace>[0]): boolean {
  if (isTenantNamespace(ns) !== false) return true;
  const found = labelsOf(ns);
  return "labels" in found && found.labels[IMAGE_POLICY_LABEL_KEY] === IMAGE_POLICY_LABEL_VALUE;
}

export const imageAdmissionEnforced: Rule = {
  id: "k8s-image-admission-enforced",
  title: "Admission refuses images that are not in the private registry by digest",
  requirements: ["AICP-INTEGRITY-08"],
  severity: "mandatory",
  waivable: true,
  appliesTo: NAMESPACE_TYPES,
  effect:
    "A ValidatingAdmissionPolicy bound with Deny to this namespace rejects every pod, whoever creates it, whose containers, init or ephemeral containers name an image outside the private ECR or by tag, in admission EKS runs.",
  remediation:
    "Create the ImageAdmissionPolicy (the platform's image validations, failurePolicy Fail, matching pods and pods/ephemeralcontainers, bound with validationActions [\"Deny\"] to namespaces labelled saip.io/tenant or saip.io/image-policy=enforced) in the module of the namespaces.",
  applies: governed,
  check(ns) {
    const found = labelsOf(ns);
    if ("unknown" in found) return unresolved(`${found.unknown}; cannot tell which admission policies select it`);
    const policies = manifests(ns, "ValidatingAdmissionPolicy");
    const bindings = manifests(ns, "ValidatingAdmissionPolicyBinding");
    const notes: string[] = [];
    const open: string[] = [...new Set([...policies.unknown, ...bindings.unknown])];
    for (const policy of policies.found) {
      const problem = policyProblem(policy.body);
      if (problem) {
        if (objects(at(policy.body, "spec.validations")).some((v) => typeof v.expression === "string" && v.expression.includes(".image.matches("))) notes.push(`${policy.resource.address}: ${problem}`);
        continue;
      }
      const name = at(policy.body, "metadata.name");
      const mine = bindings.found.filter((b) => at(b.body, "spec.policyName") === name);
      if (mine.length === 0) notes.push(`no binding puts ${policy.resource.address} in force`);
      for (const binding of mine) {
        if (!stringList(at(binding.body, "spec.validationActions")).includes("Deny")) {
          notes.push(`${binding.resource.address} binds ${JSON.stringify(name)} without the Deny action`);
          continue;
        }
        const selected = selects(binding.body, found.labels);
        if (selected === true) return pass(`${policy.resource.address} (bound with Deny by ${binding.resource.address}) admits only private ECR images by digest in this namespace`);
        if (selected === false) notes.push(`${binding.resource.address} does not select this namespace`);
        else open.push(`${binding.resource.address}: cannot tell whether it selects this namespace, ${selected}`);
      }
    }
    if (open.length > 0) return unresolved(`no admission policy is known to check this namespace's images: ${[...notes, ...open].join("; ")}`);
    return fail(notes.length > 0 ? `${notes.join("; ")}` : "no ValidatingAdmissionPolicy checks images in this namespace: a pod created by anyone with rights here may run any image, by tag or from any registry");
  },
};
