import { fail, pass, Rule, unresolved } from "../../compliance/rule";
import { isObject, JsonObject } from "../../terraform/model";
import { stringList } from "../helpers";
import { at, manifests, objects, selects } from "./admission";
import {
  imageBindingManifests,
  IMAGE_POLICY_LABEL_KEY,
  IMAGE_POLICY_LABEL_VALUE,
  imagePolicyManifest,
  imageValidations,
} from "./image-policy";
import { normalizeCel } from "./placement-policy";
import { isTenantNamespace, labelsOf, NAMESPACE_TYPES } from "./util";

type Judgement = { readonly fail: string } | { readonly unresolved: string } | { readonly registry: string };

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The platform's validations with the account and region left open, as patterns that capture them. */
const TEMPLATES = imageValidations({ account: "@@account@@", region: "@@region@@" }).map((v) => ({
  expression: v.expression,
  pattern: new RegExp(`^${escape(normalizeCel(v.expression)).replace("@@account@@", "(.*?)").replace("@@region@@", "(.*?)")}$`),
}));
// A reference Terraform fills with one value at apply: the caller's account or region, or another stack's output.
const ACCOUNT_REFERENCE = /^\$\{data\.(aws_caller_identity\.[\w-]+\.account_id|terraform_remote_state\.[\w-]+\.outputs\.[\w-]+)\}$/;
const REGION_REFERENCE = /^\$\{data\.(aws_region\.[\w-]+\.(region|name)|terraform_remote_state\.[\w-]+\.outputs\.[\w-]+)\}$/;

/** Whether the validations admit one account's registry in one region, and which. */
function registryOf(expressions: string[]): Judgement {
  const found: Array<{ account: string; region: string }> = [];
  const missing: string[] = [];
  for (const template of TEMPLATES) {
    const match = expressions.map((e) => template.pattern.exec(e)).find((m) => m !== null);
    if (match) found.push({ account: match[1], region: match[2] });
    else missing.push(JSON.stringify(template.expression.replace("@@account@@", "<account>").replace("@@region@@", "<region>")));
  }
  if (missing.length > 0) return { fail: `it lacks the validation${missing.length > 1 ? "s" : ""} ${missing.join(", ")}` };
  const accounts = [...new Set(found.map((f) => f.account))];
  const regions = [...new Set(found.map((f) => f.region))];
  if (accounts.length > 1 || regions.length > 1)
    return { fail: `its validations admit different registries (accounts ${accounts.join(", ")}; regions ${regions.join(", ")})` };
  const [account, region] = [accounts[0], regions[0]];
  for (const [what, value, literal, reference] of [
    ["account", account, /^[0-9]{12}$/, ACCOUNT_REFERENCE],
    ["region", region, /^[a-z]{2}(-[a-z]+)+-[0-9]+$/, REGION_REFERENCE],
  ] as const) {
    if (literal.test(value) || reference.test(value)) continue;
    if (value.includes("${")) return { unresolved: `its ${what} is ${value}, which cannot be told to name one ${what}` };
    return {
      fail: `its ${what} is the pattern ${JSON.stringify(value)}, so it admits images from ${what === "account" ? "other accounts'" : "other regions'"} registries, whose repository policies may let anyone pull`,
    };
  }
  return { registry: `account ${account} in ${region}` };
}

/** What keeps a policy from checking every pod's images, or the registry it admits. */
function judgePolicy(policy: JsonObject): Judgement {
  const spec = at(policy, "spec");
  const failure = at(spec, "failurePolicy");
  if (failure !== undefined && failure !== "Fail")
    return { fail: `failurePolicy is ${JSON.stringify(failure)}, so an evaluation error admits the pod unchecked` };
  const rules = objects(at(spec, "matchConstraints.resourceRules"));
  const has = (r: JsonObject, key: string, value: string) => stringList(r[key]).some((v) => v === value || v === "*");
  const covers = (resource: string) =>
    rules.some(
      (r) => has(r, "apiGroups", "") && has(r, "resources", resource) && has(r, "operations", "CREATE") && has(r, "operations", "UPDATE"),
    );
  if (!covers("pods")) return { fail: "matchConstraints does not cover CREATE and UPDATE of pods" };
  if (!covers("pods/ephemeralcontainers"))
    return { fail: "matchConstraints does not cover pods/ephemeralcontainers, through which a debug container with any image is added" };
  const conditions = at(spec, "matchConditions");
  if (conditions !== undefined && !(Array.isArray(conditions) && conditions.length === 0))
    return { fail: "matchConditions skip the policy for some requests" };
  for (const narrowing of ["namespaceSelector", "objectSelector", "excludeResourceRules"]) {
    const value = at(spec, `matchConstraints.${narrowing}`);
    if (value !== undefined && !(isObject(value) && Object.keys(value).length === 0) && !(Array.isArray(value) && value.length === 0)) {
      return { fail: `matchConstraints.${narrowing} narrows the pods the policy sees` };
    }
  }
  return registryOf(objects(at(spec, "validations")).map((v) => (typeof v.expression === "string" ? normalizeCel(v.expression) : "")));
}

/** Tenant namespaces, and platform namespaces labelled for the policy; unknown labels are judged too. */
export function governed(ns: Parameters<typeof isTenantNamespace>[0]): boolean {
  if (isTenantNamespace(ns) !== false) return true;
  const found = labelsOf(ns);
  return "labels" in found && found.labels[IMAGE_POLICY_LABEL_KEY] === IMAGE_POLICY_LABEL_VALUE;
}

/** A tenant namespace, under the image policy and its Deny bindings when `admitted`. */
function admissionExample(admitted: boolean): string {
  const [tenants, platform] = imageBindingManifests();
  const policy = imagePolicyManifest({ account: "111122223333", region: "eu-west-1" });
  const namespace = { metadata: { name: "team-a", labels: { "saip.io/tenant": "team-a" } } };
  const manifest = admitted
    ? { kubernetes_manifest: { policy: { manifest: policy }, tenants: { manifest: tenants }, platform: { manifest: platform } } }
    : {};
  return JSON.stringify({ resource: { kubernetes_namespace_v1: { team_a: namespace }, ...manifest } }, null, 2);
}

export const imageAdmissionEnforced: Rule = {
  id: "k8s-image-admission-enforced",
  title: "Admission refuses images that are not in the platform's private registry by digest",
  requirements: ["AICP-INTEGRITY-08"],
  severity: "mandatory",
  waivable: true,
  appliesTo: NAMESPACE_TYPES,
  effect:
    "A ValidatingAdmissionPolicy bound with Deny to this namespace rejects every pod, whoever creates it, whose containers, init or ephemeral containers name an image by tag or outside the private ECR of the one account and region the policy names, in admission EKS runs.",
  remediation:
    "Create the ImageAdmissionPolicy with the platform's account and region (the platform's image validations, failurePolicy Fail, matching pods and pods/ephemeralcontainers, bound with validationActions [\"Deny\"] to namespaces labelled saip.io/tenant or saip.io/image-policy=enforced) in the module of the namespaces.",
  applies: governed,
  // Terraform JSON: the policy is the manifest ImageAdmission writes, long in HCL.
  examples: {
    good: [admissionExample(true)],
    bad: [admissionExample(false)],
  },
  check(ns) {
    const found = labelsOf(ns);
    if ("unknown" in found) return unresolved(`${found.unknown}; cannot tell which admission policies select it`);
    const policies = manifests(ns, "ValidatingAdmissionPolicy");
    const bindings = manifests(ns, "ValidatingAdmissionPolicyBinding");
    const notes: string[] = [];
    const open: string[] = [...new Set([...policies.unknown, ...bindings.unknown])];
    for (const policy of policies.found) {
      const judged = judgePolicy(policy.body);
      if (!("registry" in judged)) {
        const imagePolicy = objects(at(policy.body, "spec.validations")).some(
          (v) => typeof v.expression === "string" && v.expression.includes(".image.matches("),
        );
        if (imagePolicy && "unresolved" in judged) open.push(`${policy.where}: ${judged.unresolved}`);
        else if (imagePolicy && "fail" in judged) notes.push(`${policy.where}: ${judged.fail}`);
        continue;
      }
      const name = at(policy.body, "metadata.name");
      const mine = bindings.found.filter((b) => at(b.body, "spec.policyName") === name);
      if (mine.length === 0) notes.push(`no binding puts ${policy.where} in force`);
      for (const binding of mine) {
        if (!stringList(at(binding.body, "spec.validationActions")).includes("Deny")) {
          notes.push(`${binding.where} binds ${JSON.stringify(name)} without the Deny action`);
          continue;
        }
        const selected = selects(binding.body, found.labels);
        if (selected === true)
          return pass(
            `${policy.where} (bound with Deny by ${binding.where}) admits only private ECR images by digest, from ${judged.registry}, in this namespace`,
          );
        if (selected === false) notes.push(`${binding.where} does not select this namespace`);
        else open.push(`${binding.where}: cannot tell whether it selects this namespace, ${selected}`);
      }
    }
    if (open.length > 0)
      return unresolved(`no admission policy is known to check this namespace's images: ${[...notes, ...open].join("; ")}`);
    return fail(
      notes.length > 0
        ? `${notes.join("; ")}`
        : "no ValidatingAdmissionPolicy checks images in this namespace: a pod created by anyone with rights here may run any image, by tag or from any registry",
    );
  },
};
