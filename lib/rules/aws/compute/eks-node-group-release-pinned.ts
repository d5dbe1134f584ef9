import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { describe, valueAt } from "../../helpers";
import { nodeImageOf } from "./node-image";
import { nodeGroupExample } from "./node-group-examples";

export const eksNodeGroupReleasePinned: Rule = {
  id: "aws-eks-node-group-release-pinned",
  title: "Node groups pin the release of their node image",
  requirements: ["AICP-INTEGRITY-05"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_eks_node_group"],
  remediation:
    'Set release_version to a literal release ("1.34.0-18d04e52" for Bottlerocket, "1.35.0-20260110" for AL2023) and roll it forward by changing it in review.',
  // A custom AMI is pinned by its id; release_version applies to EKS's own images only.
  examples: { good: [nodeGroupExample()], bad: [nodeGroupExample({ releaseVersion: null })] },
  applies: (group) => nodeImageOf(group).kind !== "custom",
  check(group) {
    const release = valueAt(group, "release_version");
    if (release.state === "absent")
      return fail(
        "release_version is not set: EKS takes the newest image at create and at every version update, so what the nodes run is decided outside review",
      );
    if (release.state !== "known")
      return unresolved(`release_version is ${describe(release)}; whether it names a fixed release is unknown until apply`);
    if (typeof release.value !== "string" || release.value.trim() === "")
      return fail(`release_version is ${describe(release)}, which names no release`);
    return pass(`release_version is pinned to "${release.value}"`);
  },
};
