import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Testing } from "cdktf";
import { Grantee } from "../../../constructs/aws/grantee";
import { NodeRole, NodeRoleProps } from "../../../constructs/aws/node-role";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { SecureStack } from "../../../lib/secure-stack";

const PARTITION = "${data.aws_partition.aws_context_partition.partition}";
const EXPECTED_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"].map(
  (p) => `arn:${PARTITION}:iam::aws:policy/${p}`,
);

function synthRole(props: NodeRoleProps = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  const role = new NodeRole(stack, "GpuNodeRole", props);
  const synth = Testing.synth(stack);
  return { role, synth, json: JSON.parse(synth) };
}

describe("NodeRole", () => {
  it("is trusted by EC2 only", () => {
    const { json } = synthRole();
    const role = json.resource.aws_iam_role.gpu_node_role;
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    expect(role.name_prefix).toBe("saip-node-");
  });

  it("has exactly the three node policies, with the partition from the context, and nothing else", () => {
    const { json } = synthRole();
    const attachments = Object.values(json.resource.aws_iam_role_policy_attachment) as Array<{ policy_arn: string; role: string }>;
    expect(attachments.map((a) => a.policy_arn).sort()).toEqual([...EXPECTED_POLICIES].sort());
    expect(new Set(attachments.map((a) => a.role))).toEqual(new Set(["${aws_iam_role.gpu_node_role.name}"]));
    // The exclusive set detaches any managed policy added outside this code.
    const exclusive = json.resource.aws_iam_role_policy_attachments_exclusive.gpu_node_role_exclusive_policy_attachments;
    expect(exclusive.policy_arns.sort()).toEqual([...EXPECTED_POLICIES].sort());
    expect(json.resource.aws_iam_role_policy).toBeUndefined();
    expect(json.resource.aws_iam_role.gpu_node_role.managed_policy_arns).toBeUndefined();
    expect(JSON.stringify(json)).not.toContain("arn:aws:");
  });

  it("names its attachments readably", () => {
    const { json } = synthRole();
    expect(Object.keys(json.resource.aws_iam_role_policy_attachment).sort()).toEqual([
      "gpu_node_role_cni_policy",
      "gpu_node_role_container_registry_read_only",
      "gpu_node_role_worker_node_policy",
    ]);
  });

  it("is a Grantee that keys and storage can name", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const grantee: Grantee = new NodeRole(stack, "GpuNodeRole");
    const key = new PlatformKey(stack, "CheckpointsKey", {
      purpose: "checkpoints",
      administrators: ["arn:aws:iam::111122223333:role/key-admin"],
    });
    key.grantDecrypt(grantee, "NodesDecrypt");
    new IamRolePolicy(stack, "ExtraAccess", { role: grantee.roleName, policy: "{}" });
    const json = JSON.parse(Testing.synth(stack));
    const policy = JSON.parse(json.resource.aws_kms_key.checkpoints_key.policy);
    expect(policy.Statement.find((s: { Sid: string }) => s.Sid === "NodesDecrypt").Principal).toEqual({
      AWS: "${aws_iam_role.gpu_node_role.arn}",
    });
    expect(json.resource.aws_iam_role_policy.extra_access.role).toBe("${aws_iam_role.gpu_node_role.name}");
  });

  it("takes a fixed name", () => {
    expect(synthRole({ name: "platform-gpu-nodes" }).synth).toHaveResourceWithProperties(IamRole, { name: "platform-gpu-nodes" });
  });

  it("rejects a name IAM would refuse", () => {
    expect(() => synthRole({ name: "gpu nodes" })).toThrow(/^test\/GpuNodeRole: name must be 1 to 64 letters.*got 'gpu nodes'/);
  });
});
