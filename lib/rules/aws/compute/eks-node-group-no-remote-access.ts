import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { blocksOf, describe, resolve, valueAt } from "../../helpers";
import { launchTemplateOf } from "./util";
import { nodeGroupExample } from "./node-group-examples";

export const eksNodeGroupNoRemoteAccess: Rule = {
  id: "aws-eks-node-group-no-remote-access",
  title: "EKS node groups allow no SSH access",
  requirements: ["AICP-ACCESS-03"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_eks_node_group"],
  checkov: ["CKV_AWS_100"],
  relations: {
    CKV_AWS_100: {
      relation: "stricter",
      reason:
        "CKV_AWS_100 fails remote_access with ec2_ssh_key and no source_security_group_ids; this rule fails any remote_access block and a launch template's key_name, since an SSH key on GPU nodes is a path around the cluster's controls",
    },
  },
  remediation:
    "Remove the remote_access block and key_name from the node group's launch template; reach nodes through SSM Session Manager.",
  examples: {
    good: [nodeGroupExample()],
    bad: [
      nodeGroupExample({
        blocks: `
        remote_access {
          ec2_ssh_key = "ops"
        }`,
      }),
    ],
  },
  check(group) {
    const raw = group.body.remote_access;
    if (typeof raw === "string") return unresolved(`remote_access is ${describe(resolve(group, raw))}`);
    const remote = blocksOf(raw)[0];
    if (remote) {
      const sources = resolve(group, remote.source_security_group_ids);
      // Without source groups EKS opens port 22 to 0.0.0.0/0.
      const from =
        sources.state === "absent" || (sources.state === "known" && Array.isArray(sources.value) && sources.value.length === 0)
          ? "not set, so SSH is open to 0.0.0.0/0"
          : describe(sources);
      return fail(
        `remote_access allows SSH to the nodes: ec2_ssh_key is ${describe(resolve(group, remote.ec2_ssh_key))}, source_security_group_ids is ${from}`,
      );
    }
    const link = launchTemplateOf(group);
    if (link.kind === "none") return pass("no remote_access block and no launch template");
    if (link.kind === "unknown") return unresolved(`${link.message}; key_name cannot be checked`);
    const key = valueAt(link.template, "key_name");
    if (key.state === "absent" || (key.state === "known" && key.value === ""))
      return pass(`no remote_access block, and launch template ${link.template.address} sets no key_name`);
    if (key.state === "known")
      return fail(`launch template ${link.template.address} sets key_name ${describe(key)}, an SSH key on every node`);
    return unresolved(`launch template ${link.template.address} sets key_name to ${describe(key)}`);
  },
};
