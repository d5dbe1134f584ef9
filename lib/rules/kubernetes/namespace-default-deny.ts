import { fail, Outcome, pass, Rule, unresolved } from "../../compliance/rule";
import { isObject, TfResource } from "../../terraform/model";
import { blocksOf, describe, firstBlock, rawAt, resolve } from "../helpers";
import { NAMESPACE_TYPES, NETWORK_POLICY_TYPES, objectsIn } from "./util";

/** Whether a policy denies all ingress and egress of every pod: pass, or why not. */
function deniesAll(policy: TfResource): Outcome {
  const spec = firstBlock(policy.body.spec);
  if (!spec) return unresolved(`${policy.address} spec is ${describe(resolve(policy, policy.body.spec))}`);
  const selector = spec.pod_selector;
  if (typeof selector === "string") return unresolved(`${policy.address} spec.pod_selector is ${describe(resolve(policy, selector))}`);
  const block = firstBlock(selector);
  const labels = block?.match_labels;
  if ((isObject(labels) && Object.keys(labels).length > 0) || typeof labels === "string" || blocksOf(block?.match_expressions).length > 0) {
    return fail(`${policy.address} selects only some pods (spec.pod_selector is not empty)`);
  }
  const types = resolve(policy, spec.policy_types);
  if (types.state !== "known" && types.state !== "absent") return unresolved(`${policy.address} spec.policy_types is ${describe(types)}`);
  const listed = types.state === "known" && Array.isArray(types.value) ? types.value : [];
  const missing = ["Ingress", "Egress"].filter((t) => !listed.includes(t));
  if (missing.length > 0) return fail(`${policy.address} spec.policy_types lacks ${missing.join(" and ")}`);
  // An empty rule block (`ingress {}`) allows everything; allowing rules belong in other policies.
  const rules = ["ingress", "egress"].filter((key) => typeof spec[key] === "string" || blocksOf(spec[key]).length > 0);
  if (rules.length > 0) return fail(`${policy.address} has ${rules.join(" and ")} rules, so it allows traffic`);
  return pass(`${policy.address} denies all ingress and egress of every pod`);
}

export const namespaceDefaultDeny: Rule = {
  id: "k8s-namespace-default-deny",
  title: "Every namespace has a default-deny NetworkPolicy for ingress and egress",
  requirements: ["AICP-TENANT-02"],
  severity: "mandatory",
  waivable: true,
  appliesTo: NAMESPACE_TYPES,
  remediation:
    'Add a network policy in the namespace with an empty pod_selector, policy_types = ["Ingress", "Egress"] and no rules; allow traffic in separate policies.',
  examples: {
    good: [
      `
      resource "kubernetes_namespace_v1" "team_a" {
        metadata {
          name   = "team-a"
          labels = { "saip.io/tenant" = "team-a", "pod-security.kubernetes.io/enforce" = "restricted" }
        }
      }

      resource "kubernetes_network_policy_v1" "deny" {
        metadata {
          name      = "default-deny"
          namespace = kubernetes_namespace_v1.team_a.metadata[0].name
        }
        spec {
          pod_selector {}
          policy_types = ["Ingress", "Egress"]
        }
      }
    `,
    ],
    bad: [
      `
      resource "kubernetes_namespace_v1" "team_a" {
        metadata {
          name   = "team-a"
          labels = { "saip.io/tenant" = "team-a", "pod-security.kubernetes.io/enforce" = "restricted" }
        }
      }

      resource "kubernetes_network_policy_v1" "deny" {
        metadata {
          name      = "default-deny"
          namespace = kubernetes_namespace_v1.team_a.metadata[0].name
        }
        spec {
          pod_selector {}
          policy_types = ["Ingress"]
        }
      }
    `,
    ],
  },
  check(ns) {
    const { found, unknown } = objectsIn(ns, NETWORK_POLICY_TYPES);
    const verdicts = found.map(deniesAll);
    const good = verdicts.find((v) => v.status === "pass");
    if (good) return good;
    const open = verdicts.find((v) => v.status === "unresolved");
    if (open) return open;
    if (unknown.length > 0) {
      return unresolved(
        `no default-deny policy names this namespace, and the namespace of ${unknown.map((p) => `${p.address} is ${describe(resolve(p, rawAt(p.body, "metadata.namespace")))}`).join(", ")}`,
      );
    }
    if (found.length === 0) return fail(`no network policy in the module is in ${ns.address}`);
    return fail(`no policy in the namespace denies all traffic: ${verdicts.map((v) => v.message).join("; ")}`);
  },
};
