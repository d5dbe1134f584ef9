/** What a node group rule's example sets; the rest is one ordinary managed node group. */
export interface NodeGroupExample {
  /** @default "m6i.large" */
  readonly instanceType?: string;
  /** @default "BOTTLEROCKET_x86_64" */
  readonly amiType?: string;
  /** Null leaves release_version out. @default "1.33.0-20250101" */
  readonly releaseVersion?: string | null;
  /** HCL blocks written after release_version (a taint, remote_access). */
  readonly blocks?: string;
}

/** A managed node group in HCL, for the node group rules' good and bad examples. */
export function nodeGroupExample(example: NodeGroupExample = {}): string {
  const release = example.releaseVersion === undefined ? "1.33.0-20250101" : example.releaseVersion;
  const lines = [
    `        cluster_name    = "platform"`,
    `        node_group_name = "gpu"`,
    `        node_role_arn   = "arn:aws:iam::111122223333:role/eks-node"`,
    `        subnet_ids      = ["subnet-0a1b2c3d"]`,
    `        instance_types  = ["${example.instanceType ?? "m6i.large"}"]`,
    `        ami_type        = "${example.amiType ?? "BOTTLEROCKET_x86_64"}"`,
    ...(release === null ? [] : [`        release_version = "${release}"`]),
    ...(example.blocks ? [example.blocks.replace(/^\n+|\s+$/g, "")] : []),
  ];
  return `
      resource "aws_eks_node_group" "gpu" {
${lines.join("\n")}
        scaling_config {
          min_size     = 0
          desired_size = 0
          max_size     = 2
        }
      }
    `;
}
