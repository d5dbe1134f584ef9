import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { confidentialTemplate, nodeImageOf } from "./node-image";
import { nodeGroupExample } from "./node-group-examples";

export const eksNodeGroupVerifiedBoot: Rule = {
  id: "aws-eks-node-group-verified-boot",
  title: "Node groups boot a verified, read-only node image (Bottlerocket)",
  requirements: ["AICP-INTEGRITY-04"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_eks_node_group"],
  remediation:
    "Set ami_type to a Bottlerocket type (BOTTLEROCKET_x86_64, BOTTLEROCKET_ARM_64 or their _NVIDIA variants for GPUs); pools that need AL2023 (SEV-SNP, Nitro Enclaves) turn their confidential mode on in the launch template.",
  // SEV-SNP and Nitro Enclaves pools cannot run Bottlerocket; the confidential rules judge them.
  examples: { good: [nodeGroupExample()], bad: [nodeGroupExample({ amiType: "AL2023_x86_64_STANDARD" })] },
  applies: (group) => confidentialTemplate(group) === undefined,
  check(group) {
    const image = nodeImageOf(group);
    if (image.kind === "unknown") return unresolved(`${image.why}; which image the nodes boot is unknown`);
    if (image.kind === "custom") return unresolved(`${image.why}: a custom AMI, whose boot verification Terraform cannot show`);
    if (image.amiType.startsWith("BOTTLEROCKET")) {
      return pass(`ami_type is "${image.amiType}": dm-verity checks the read-only root file system at boot, and SELinux enforces`);
    }
    const what = image.defaulted ? "no ami_type, so EKS picks an Amazon Linux image," : `ami_type is "${image.amiType}",`;
    return fail(
      `${what} whose root file system is writable and not verified at boot: a process that gains root on the node can change what every later pod runs on it`,
    );
  },
};
