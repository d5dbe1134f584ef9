import { fail, pass, Rule, unresolved } from "../../compliance/rule";
import { isObject, JsonObject } from "../../terraform/model";
import { stringList } from "../helpers";
import { at, manifests, objects, selects } from "./admission";
import { GPU_DEVICE_VALIDATIONS, gpuDeviceBindingManifest, gpuDevicePolicyManifest } from "./gpu-device-policy";
import { normalizeCel, TENANT_LABEL_KEY } from "./placement-policy";
import { isTenantNamespace, labelsOf, NAMESPACE_TYPES } from "./util";

/** What keeps a policy from denying the device routes in every pod, or undefined when it does. */
function policyProblem(policy: JsonObject): string | undefined {
  const spec = at(policy, "spec");
  const failure = at(spec, "failurePolicy");
  if (failure !== undefined && failure !== "Fail")
    return `failurePolicy is ${JSON.stringify(failure)}, so an evaluation error lets pods through`;
  const rules = objects(at(spec, "matchConstraints.resourceRules"));
  const has = (r: JsonObject, key: string, value: string) => stringList(r[key]).some((v) => v === value || v === "*");
  const covers = (resource: string) =>
    rules.some(
      (r) => has(r, "apiGroups", "") && has(r, "resources", resource) && has(r, "operations", "CREATE") && has(r, "operations", "UPDATE"),
    );
  if (!covers("pods")) return "matchConstraints does not cover CREATE and UPDATE of pods";
  if (!covers("pods/ephemeralcontainers"))
    return "matchConstraints does not cover pods/ephemeralcontainers, through which a debug container with any environment is added";
  const conditions = at(spec, "matchConditions");
  if (conditions !== undefined && !(Array.isArray(conditions) && conditions.length === 0))
    return "matchConditions skip the policy for some requests";
  for (const narrowing of ["namespaceSelector", "objectSelector", "excludeResourceRules"]) {
    const value = at(spec, `matchConstraints.${narrowing}`);
    if (value !== undefined && !(isObject(value) && Object.keys(value).length === 0) && !(Array.isArray(value) && value.length === 0)) {
      return `matchConstraints.${narrowing} narrows the pods the policy sees`;
    }
  }
  const expressions = new Set(
    objects(at(spec, "validations")).map((v) => (typeof v.expression === "string" ? normalizeCel(v.expression) : "")),
  );
  const missing = GPU_DEVICE_VALIDATIONS.filter((v) => !expressions.has(normalizeCel(v.expression)));
  if (missing.length > 0)
    return `it lacks the validation${missing.length > 1 ? "s" : ""} ${missing.map((v) => JSON.stringify(v.expression)).join(", ")}`;
  return undefined;
}

/** Whether a policy is meant to be the GPU device policy (names the NVIDIA variables), so its problems are reported. */
const aboutGpus = (policy: JsonObject) =>
  objects(at(policy, "spec.validations")).some((v) => typeof v.expression === "string" && v.expression.includes("NVIDIA_VISIBLE_DEVICES"));

/** A tenant namespace with the GPU device policy GpuDeviceAdmissionPolicy writes, bound with `actions`. */
function gpuDeviceExample(actions: string[]): string {
  const binding = gpuDeviceBindingManifest();
  const manifest = {
    policy: { manifest: gpuDevicePolicyManifest() },
    binding: { manifest: { ...binding, spec: { ...binding.spec, validationActions: actions } } },
  };
  const namespace = { metadata: { name: "team-a", labels: { [TENANT_LABEL_KEY]: "team-a" } } };
  return JSON.stringify({ resource: { kubernetes_namespace_v1: { team_a: namespace }, kubernetes_manifest: manifest } }, null, 2);
}

export const namespaceGpuBypassDenied: Rule = {
  id: "k8s-namespace-gpu-bypass-denied",
  title: "Admission refuses tenant pods that reach GPUs around the device plugin",
  requirements: ["AICP-TENANT-08"],
  severity: "mandatory",
  waivable: true,
  appliesTo: NAMESPACE_TYPES,
  effect:
    "A ValidatingAdmissionPolicy bound with Deny to this tenant namespace rejects pods whose containers, init or ephemeral containers set NVIDIA_VISIBLE_DEVICES or NVIDIA_DRIVER_CAPABILITIES, mount the host's /dev or NVIDIA devices, or request CDI devices, in admission EKS runs.",
  remediation:
    'Create the GpuDeviceAdmissionPolicy (a ValidatingAdmissionPolicy with the platform\'s GPU device validations, failurePolicy Fail, matching pods and pods/ephemeralcontainers, and a binding with validationActions ["Deny"] selecting namespaces labelled saip.io/tenant) in the module of the tenant namespaces.',
  applies: (ns) => isTenantNamespace(ns) !== false,
  // Terraform JSON: the policy is the manifest GpuDeviceAdmissionPolicy writes, long in HCL.
  examples: {
    good: [gpuDeviceExample(["Deny"])],
    // Bound to warn and audit only: a pod that sets NVIDIA_VISIBLE_DEVICES=all is admitted, with a warning.
    bad: [gpuDeviceExample(["Warn", "Audit"])],
  },
  check(ns) {
    const found = labelsOf(ns);
    if ("unknown" in found) return unresolved(`${found.unknown}; cannot tell whether it carries ${TENANT_LABEL_KEY}`);
    const policies = manifests(ns, "ValidatingAdmissionPolicy");
    const bindings = manifests(ns, "ValidatingAdmissionPolicyBinding");
    const notes: string[] = [];
    const open: string[] = [...new Set([...policies.unknown, ...bindings.unknown])];
    for (const policy of policies.found) {
      const problem = policyProblem(policy.body);
      if (problem) {
        if (aboutGpus(policy.body)) notes.push(`${policy.where}: ${problem}`);
        continue;
      }
      const name = at(policy.body, "metadata.name");
      const mine = bindings.found.filter((b) => at(b.body, "spec.policyName") === name);
      if (mine.length === 0) notes.push(`no binding puts ${policy.where} in force`);
      for (const binding of mine) {
        if (!stringList(at(binding.body, "spec.validationActions")).includes("Deny")) {
          notes.push(`${binding.where} binds ${JSON.stringify(name)} without the Deny action (Warn or Audit admit the pod)`);
          continue;
        }
        const selected = selects(binding.body, found.labels);
        if (selected === true)
          return pass(
            `${policy.where} (bound with Deny by ${binding.where}) refuses pods here that set the NVIDIA device variables, mount host devices or request CDI devices`,
          );
        if (selected === false) notes.push(`${binding.where} does not select this namespace`);
        else open.push(`${binding.where}: cannot tell whether it selects this namespace, ${selected}`);
      }
    }
    if (open.length > 0)
      return unresolved(
        `no admission policy is known to refuse GPU access around the device plugin here: ${[...notes, ...open].join("; ")}`,
      );
    return fail(
      notes.length > 0
        ? notes.join("; ")
        : "no ValidatingAdmissionPolicy refuses pods here that set NVIDIA_VISIBLE_DEVICES, mount /dev/nvidia* or request CDI devices: only the nodes' configuration keeps a pod to the GPUs it was given",
    );
  },
};
