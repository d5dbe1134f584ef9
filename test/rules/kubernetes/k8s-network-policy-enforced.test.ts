import { NETWORK_POLICY_GATE_CONDITION } from "../../../constructs/aws/eks-addons";
import { networkPolicyEnforced } from "../../../lib/rules/kubernetes/network-policy-enforced";
import { checkHcl, checkJson, findingFor, statuses } from "../harness";

const POLICY = { metadata: { name: "default-deny", namespace: "team" }, spec: { pod_selector: {}, policy_types: ["Ingress", "Egress"] } };
const addon = (configuration_values?: string) => ({
  cluster_name: "c",
  addon_name: "vpc-cni",
  ...(configuration_values === undefined ? {} : { configuration_values }),
});
const gate = (condition: string, addon_name = "vpc-cni") => ({
  cluster_name: "c",
  addon_name,
  lifecycle: { postcondition: [{ condition, error_message: "off" }] },
});

describe("k8s-network-policy-enforced", () => {
  it("passes policies when the module's vpc-cni add-on enables network policy", () => {
    const findings = checkJson(networkPolicyEnforced, {
      resource: {
        aws_eks_addon: { cni: addon('{"enableNetworkPolicy":"true"}'), dns: { addon_name: "coredns" } },
        kubernetes_network_policy_v1: { deny: POLICY },
      },
    });
    expect(findingFor(findings, "kubernetes_network_policy_v1.deny")).toMatchObject({
      status: "pass",
      message: 'the cluster\'s CNI enforces NetworkPolicies: aws_eks_addon.cni sets enableNetworkPolicy "true"',
    });
  });

  it.each([
    [undefined, "aws_eks_addon.cni sets no configuration_values, so enableNetworkPolicy is off and NetworkPolicies are ignored"],
    [
      '{"enableNetworkPolicy":"false"}',
      'aws_eks_addon.cni configuration_values sets enableNetworkPolicy to "false", so NetworkPolicies are ignored',
    ],
    [
      '{"enableNetworkPolicy":true}',
      "aws_eks_addon.cni configuration_values sets enableNetworkPolicy to true, so NetworkPolicies are ignored",
    ],
    [
      '{"env":{"WARM_IP_TARGET":"5"}}',
      "aws_eks_addon.cni configuration_values sets enableNetworkPolicy to nothing, so NetworkPolicies are ignored",
    ],
  ])("fails policies when the add-on's configuration_values is %p", (values, message) => {
    const findings = checkJson(networkPolicyEnforced, {
      resource: { aws_eks_addon: { cni: addon(values) }, kubernetes_network_policy: { deny: POLICY } },
    });
    expect(findingFor(findings, "kubernetes_network_policy.deny")).toMatchObject({ status: "fail", message });
  });

  it("passes policies that wait for the gate on a cluster in another stack, and fails the rest", () => {
    const findings = checkJson(networkPolicyEnforced, {
      data: {
        aws_eks_addon: {
          gate: gate(`\${${NETWORK_POLICY_GATE_CONDITION}}`),
          loose: gate('${self.configuration_values != ""}'),
          dns: gate(`\${${NETWORK_POLICY_GATE_CONDITION}}`, "coredns"),
        },
      },
      resource: {
        kubernetes_network_policy_v1: {
          gated: { ...POLICY, depends_on: ["data.aws_eks_addon.gate"] },
          loose: { ...POLICY, depends_on: ["data.aws_eks_addon.loose"] },
          dns: { ...POLICY, depends_on: ["data.aws_eks_addon.dns"] },
          bare: POLICY,
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_network_policy_v1.gated": "pass",
      "kubernetes_network_policy_v1.loose": "fail",
      "kubernetes_network_policy_v1.dns": "fail",
      "kubernetes_network_policy_v1.bare": "fail",
    });
    expect(findingFor(findings, "kubernetes_network_policy_v1.gated").message).toBe(
      'applied only after data.aws_eks_addon.gate has checked that the cluster\'s vpc-cni add-on sets enableNetworkPolicy "true"',
    );
    expect(findingFor(findings, "kubernetes_network_policy_v1.loose").message).toBe(
      'nothing shows the cluster enforces NetworkPolicies: data.aws_eks_addon.loose has no postcondition requiring enableNetworkPolicy "true"',
    );
    expect(findingFor(findings, "kubernetes_network_policy_v1.dns").message).toMatch(
      /data\.aws_eks_addon\.dns reads add-on "coredns", not vpc-cni/,
    );
    expect(findingFor(findings, "kubernetes_network_policy_v1.bare").message).toMatch(
      /^nothing shows the cluster enforces NetworkPolicies: the module has no vpc-cni add-on/,
    );
  });

  it("is unresolved when the add-on's configuration or name is not known before apply, and fails malformed JSON closed", () => {
    const unknown = checkJson(networkPolicyEnforced, {
      resource: { aws_eks_addon: { cni: addon("${var.cni_config}") }, kubernetes_network_policy_v1: { deny: POLICY } },
    });
    expect(findingFor(unknown, "kubernetes_network_policy_v1.deny").message).toBe(
      "unresolved: aws_eks_addon.cni configuration_values is ${var.cni_config} (unresolved)",
    );
    const named = checkJson(networkPolicyEnforced, {
      resource: { aws_eks_addon: { any: { addon_name: "${var.addon}" } }, kubernetes_network_policy_v1: { deny: POLICY } },
    });
    expect(findingFor(named, "kubernetes_network_policy_v1.deny").message).toMatch(
      /^unresolved: the add-on name of aws_eks_addon\.any is \$\{var\.addon\} \(unresolved\)/,
    );
    const malformed = checkJson(networkPolicyEnforced, {
      resource: { aws_eks_addon: { cni: addon("{not json") }, kubernetes_network_policy_v1: { deny: POLICY } },
    });
    expect(findingFor(malformed, "kubernetes_network_policy_v1.deny")).toMatchObject({
      status: "fail",
      message: expect.stringMatching(/^unresolved: .*not JSON the engine can read/),
    });
  });

  it("reads HCL the same way, the gate included", async () => {
    const findings = await checkHcl(
      networkPolicyEnforced,
      `data "aws_eks_addon" "vpc_cni" {
         cluster_name = var.cluster
         addon_name   = "vpc-cni"
         lifecycle {
           postcondition {
             condition     = ${NETWORK_POLICY_GATE_CONDITION}
             error_message = "network policy is off"
           }
         }
       }
       resource "kubernetes_network_policy_v1" "gated" {
         metadata {
           name      = "deny"
           namespace = "team"
         }
         spec {
           pod_selector {}
           policy_types = ["Ingress", "Egress"]
         }
         depends_on = [data.aws_eks_addon.vpc_cni]
       }
       resource "kubernetes_network_policy_v1" "ungated" {
         metadata {
           name      = "deny"
           namespace = "other"
         }
         spec {
           pod_selector {}
           policy_types = ["Ingress"]
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "kubernetes_network_policy_v1.gated": "pass", "kubernetes_network_policy_v1.ungated": "fail" });
    const same = await checkHcl(
      networkPolicyEnforced,
      `resource "aws_eks_addon" "cni" {
         cluster_name         = "c"
         addon_name           = "vpc-cni"
         configuration_values = jsonencode({ enableNetworkPolicy = "true" })
       }
       resource "kubernetes_network_policy_v1" "deny" {
         metadata {
           name = "deny"
         }
         spec {
           pod_selector {}
           policy_types = ["Ingress"]
         }
       }`,
    );
    // jsonencode() of known values is evaluated, as Terraform does at plan time.
    expect(findingFor(same, "kubernetes_network_policy_v1.deny").status).toBe("pass");
  });
});
