import { fail, Outcome, pass, Rule, unresolved } from "../../compliance/rule";
import { isObject, Json, TfModule, TfResource } from "../../terraform/model";
import { describe, resolve, valueAt } from "../helpers";
import { postconditions } from "../postconditions";
import { NETWORK_POLICY_TYPES } from "./util";

/** The condition of the gate `networkPolicyGate()` writes (constructs/aws/eks-addons.ts), whitespace removed. */
export const GATE_CONDITION = 'try(jsondecode(self.configuration_values).enableNetworkPolicy,"")=="true"';

/** Whether a vpc-cni add-on's configuration_values turn the network policy agent on: pass, fail or unresolved. */
export function addonEnforces(addon: TfResource): Outcome {
  const config = valueAt(addon, "configuration_values");
  if (config.state === "absent")
    return fail(`${addon.address} sets no configuration_values, so enableNetworkPolicy is off and NetworkPolicies are ignored`);
  if (config.state !== "known") return unresolved(`${addon.address} configuration_values is ${describe(config)}`);
  let parsed: Json;
  try {
    parsed = typeof config.value === "string" ? (JSON.parse(config.value) as Json) : config.value;
  } catch {
    return unresolved(
      `${addon.address} configuration_values is not JSON the engine can read (a function call such as jsonencode, or malformed)`,
    );
  }
  const flag = isObject(parsed) ? parsed.enableNetworkPolicy : undefined;
  // The add-on's schema takes the string "true"; anything else leaves the agent off or is rejected.
  if (flag === "true") return pass(`${addon.address} sets enableNetworkPolicy "true"`);
  return fail(
    `${addon.address} configuration_values sets enableNetworkPolicy to ${flag === undefined ? "nothing" : JSON.stringify(flag)}, so NetworkPolicies are ignored`,
  );
}

/** vpc-cni add-ons of the module (`addon_name` literal "vpc-cni"), and those whose name is unknown. */
export function vpcCniAddons(module: TfModule): { addons: TfResource[]; unknown: TfResource[] } {
  return module.cached("vpc-cni-addons", (m) => {
    const addons: TfResource[] = [];
    const unknown: TfResource[] = [];
    for (const addon of m.ofType("aws_eks_addon").filter((a) => a.mode === "managed")) {
      const name = valueAt(addon, "addon_name");
      if (name.state === "known" && name.value === "vpc-cni") addons.push(addon);
      else if (name.state !== "known") unknown.push(addon);
    }
    return { addons, unknown };
  });
}

/** The `data.aws_eks_addon` of vpc-cni a policy depends on, with the gate's postcondition; or why not. */
function gateOf(policy: TfResource): { gate: TfResource } | { problem: string } | undefined {
  const deps = resolve(policy, policy.body.depends_on);
  if (deps.state !== "known" || !Array.isArray(deps.value)) return undefined;
  for (const dep of deps.value) {
    if (typeof dep !== "string") continue;
    // cdktf writes "data.aws_eks_addon.x", HCL read through hcl2json "${data.aws_eks_addon.x}".
    const address = dep.replace(/^\$\{\s*/, "").replace(/\s*\}$/, "");
    const target = /^data\.aws_eks_addon\.[\w-]+$/.test(address) ? policy.module.get(address) : undefined;
    if (!target) continue;
    const name = valueAt(target, "addon_name");
    if (!(name.state === "known" && name.value === "vpc-cni"))
      return { problem: `${target.address} reads add-on ${describe(name)}, not vpc-cni` };
    if (postconditions(target).includes(GATE_CONDITION)) return { gate: target };
    return { problem: `${target.address} has no postcondition requiring enableNetworkPolicy "true"` };
  }
  return undefined;
}

export const networkPolicyEnforced: Rule = {
  id: "k8s-network-policy-enforced",
  title: "Network policies are enforced by the cluster's CNI",
  requirements: ["AICP-TENANT-02"],
  severity: "mandatory",
  waivable: true,
  appliesTo: NETWORK_POLICY_TYPES,
  effect:
    "The cluster's VPC CNI runs its network policy agent (enableNetworkPolicy), so this NetworkPolicy is enforced and not stored and ignored.",
  remediation:
    'Configure the cluster\'s vpc-cni add-on with configuration_values = "{\\"enableNetworkPolicy\\":\\"true\\"}" (a literal the check can read; jsonencode() stays unresolved). When the cluster is in another stack, make the policy depend on a data "aws_eks_addon" of vpc-cni ' +
    'whose lifecycle postcondition is try(jsondecode(self.configuration_values).enableNetworkPolicy, "") == "true" (networkPolicyGate()), so the plan stops on a cluster that would ignore it.',
  examples: {
    good: [
      `
      resource "aws_eks_addon" "vpc_cni" {
        cluster_name         = "platform"
        addon_name           = "vpc-cni"
        configuration_values = jsonencode({ enableNetworkPolicy = "true" })
      }

      resource "kubernetes_network_policy_v1" "deny" {
        metadata {
          name      = "default-deny"
          namespace = "team-a"
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
      resource "aws_eks_addon" "vpc_cni" {
        cluster_name = "platform"
        addon_name   = "vpc-cni" # enableNetworkPolicy is off by default
      }

      resource "kubernetes_network_policy_v1" "deny" {
        metadata {
          name      = "default-deny"
          namespace = "team-a"
        }
        spec {
          pod_selector {}
          policy_types = ["Ingress", "Egress"]
        }
      }
    `,
    ],
  },
  check(policy) {
    const { addons, unknown } = vpcCniAddons(policy.module);
    if (addons.length > 0) {
      const verdicts = addons.map(addonEnforces);
      const failed = verdicts.filter((v) => v.status === "fail");
      if (failed.length > 0) return fail(failed.map((v) => v.message).join("; "));
      const open = verdicts.filter((v) => v.status === "unresolved");
      if (open.length > 0) return unresolved(open.map((v) => v.message).join("; "));
      return pass(`the cluster's CNI enforces NetworkPolicies: ${verdicts.map((v) => v.message).join("; ")}`);
    }
    const gate = gateOf(policy);
    if (gate && "gate" in gate)
      return pass(`applied only after ${gate.gate.address} has checked that the cluster's vpc-cni add-on sets enableNetworkPolicy "true"`);
    if (unknown.length > 0)
      return unresolved(
        `the add-on name of ${unknown.map((a) => `${a.address} is ${describe(valueAt(a, "addon_name"))}`).join(", ")}; cannot tell which is vpc-cni`,
      );
    if (gate) return fail(`nothing shows the cluster enforces NetworkPolicies: ${gate.problem}`);
    return fail(
      "nothing shows the cluster enforces NetworkPolicies: the module has no vpc-cni add-on, and the policy depends on no data.aws_eks_addon that checks enableNetworkPolicy; a CNI without it stores the policy and ignores it",
    );
  },
};
