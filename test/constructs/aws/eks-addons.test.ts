import { Testing } from "cdktf";
import { NETWORK_POLICY_GATE_CONDITION, networkPolicyGate, VPC_CNI_CONFIGURATION } from "../../../constructs/aws/eks-addons";
import { PlatformCluster } from "../../../constructs/aws/eks-cluster";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { addonEnforces } from "../../../lib/rules/kubernetes/network-policy-enforced";
import { SecureStack } from "../../../lib/secure-stack";
import { testNetwork } from "./cluster-fixture";
import { addDocument } from "../../../lib/terraform/load";
import { Json, TfModule } from "../../../lib/terraform/model";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, Record<string, Record<string, any>>>;

function cluster(): { stack: SecureStack; doc: Doc } {
  const stack = new SecureStack(Testing.app(), "test");
  const key = (id: string, purpose: string) =>
    new PlatformKey(stack, id, { purpose, administrators: ["arn:aws:iam::111122223333:role/key-admin"] });
  new PlatformCluster(stack, "Cluster", {
    name: "ai-platform",
    version: "1.35",
    network: testNetwork(),
    secretsKey: key("SecretsKey", "cluster-secrets"),
    logsKey: key("LogsKey", "logs"),
    volumeKey: key("VolumeKey", "checkpoints"),
    admins: ["arn:aws:iam::111122223333:role/platform-admin"],
  });
  return { stack, doc: JSON.parse(Testing.synth(stack)) };
}

describe("the cluster's vpc-cni add-on", () => {
  // Before, the add-on had no configuration_values: every NetworkPolicy was stored and ignored.
  it("turns the network policy agent on, so NetworkPolicies are enforced", () => {
    const { doc } = cluster();
    const addon = doc.resource.aws_eks_addon.cluster_vpc_cni_addon;
    expect(JSON.parse(addon.configuration_values)).toEqual({ enableNetworkPolicy: "true" });
    expect(VPC_CNI_CONFIGURATION).toEqual({ enableNetworkPolicy: "true" });
    const module = new TfModule("test");
    addDocument(module, doc as unknown as Json, "test.tf.json");
    expect(addonEnforces(module.get("aws_eks_addon.cluster_vpc_cni_addon")!)).toEqual({
      status: "pass",
      message: 'aws_eks_addon.cluster_vpc_cni_addon sets enableNetworkPolicy "true"',
    });
  });

  it("configures no other add-on", () => {
    const { doc } = cluster();
    const configured = Object.entries(doc.resource.aws_eks_addon)
      .filter(([, a]) => a.configuration_values !== undefined)
      .map(([name]) => name);
    expect(configured).toEqual(["cluster_vpc_cni_addon"]);
  });
});

describe("networkPolicyGate", () => {
  it('reads vpc-cni and fails the plan unless enableNetworkPolicy is "true"', () => {
    const stack = new SecureStack(Testing.app(), "test");
    networkPolicyGate(stack, "Gate", "ai-platform");
    const doc: Doc = JSON.parse(Testing.synth(stack));
    expect(doc.data.aws_eks_addon.gate).toEqual({
      cluster_name: "ai-platform",
      addon_name: "vpc-cni",
      lifecycle: {
        postcondition: [
          {
            condition: '${try(jsondecode(self.configuration_values).enableNetworkPolicy, "") == "true"}',
            error_message:
              'The cluster\'s vpc-cni add-on does not set enableNetworkPolicy to "true", so NetworkPolicies would be stored and ignored; configure the add-on first.',
          },
        ],
      },
    });
    expect(NETWORK_POLICY_GATE_CONDITION).toBe('try(jsondecode(self.configuration_values).enableNetworkPolicy, "") == "true"');
  });
});
