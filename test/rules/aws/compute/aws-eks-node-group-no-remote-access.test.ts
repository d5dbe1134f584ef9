import { eksNodeGroupNoRemoteAccess } from "../../../../lib/rules/aws/compute/eks-node-group-no-remote-access";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-eks-node-group-no-remote-access", () => {
  it("fails any remote_access block and SSH keys in the launch template", () => {
    const findings = checkJson(eksNodeGroupNoRemoteAccess, {
      resource: {
        aws_launch_template: { keyless: {}, keyed: { key_name: "ops" }, unknown: { key_name: "${var.key}" } },
        aws_eks_node_group: {
          plain: { instance_types: ["m5.large"] },
          open: { remote_access: { ec2_ssh_key: "ops" } },
          scoped: { remote_access: [{ ec2_ssh_key: "ops", source_security_group_ids: ["${aws_security_group.bastion.id}"] }] },
          empty: { remote_access: [] },
          keyless: { launch_template: { id: "${aws_launch_template.keyless.id}" } },
          keyed: { launch_template: { id: "${aws_launch_template.keyed.id}" } },
          unknown: { launch_template: { id: "${aws_launch_template.unknown.id}" } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_eks_node_group.plain": "pass",
      "aws_eks_node_group.open": "fail",
      "aws_eks_node_group.scoped": "fail",
      "aws_eks_node_group.empty": "pass",
      "aws_eks_node_group.keyless": "pass",
      "aws_eks_node_group.keyed": "fail",
      "aws_eks_node_group.unknown": "fail",
    });
    expect(findingFor(findings, "aws_eks_node_group.open").message).toMatch(
      /ec2_ssh_key is "ops", source_security_group_ids is not set, so SSH is open to 0\.0\.0\.0\/0/,
    );
    expect(findingFor(findings, "aws_eks_node_group.scoped").message).toMatch(/source_security_group_ids is .*aws_security_group\.bastion/);
    expect(findingFor(findings, "aws_eks_node_group.keyed").message).toMatch(/aws_launch_template\.keyed sets key_name "ops"/);
    expect(findingFor(findings, "aws_eks_node_group.unknown").message).toMatch(/^unresolved: .*var\.key/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      eksNodeGroupNoRemoteAccess,
      `resource "aws_eks_node_group" "closed" { instance_types = ["m5.large"] }
       resource "aws_eks_node_group" "ssh" {
         remote_access {
           ec2_ssh_key = "ops"
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_eks_node_group.closed": "pass", "aws_eks_node_group.ssh": "fail" });
  });
});
