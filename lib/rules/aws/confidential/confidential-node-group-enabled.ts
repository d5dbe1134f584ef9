import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { describe, firstBlock, isTrue, resolve, valueAt } from "../../helpers";
import { viaLaunchTemplate } from "../compute/util";

/** The node label that declares a pool confidential (NodePool sets it). */
export const CONFIDENTIAL_LABEL = "saip.io/confidential";

/** The label's value as resolved, or undefined when the group has no such label (or its labels are not a literal map). */
function confidentialLabel(group: TfResource) {
  const labels = firstBlock(group.body.labels);
  if (!labels || !(CONFIDENTIAL_LABEL in labels)) return undefined;
  return resolve(group, labels[CONFIDENTIAL_LABEL]);
}

function sevSnp(template: TfResource): Outcome {
  const value = valueAt(template, "cpu_options.amd_sev_snp");
  if (value.state === "known" && String(value.value).toLowerCase() === "enabled") return pass('cpu_options.amd_sev_snp is "enabled"');
  if (value.state === "unknown" || value.state === "reference") return unresolved(`cpu_options.amd_sev_snp is ${describe(value)}`);
  return fail(`AMD SEV-SNP is off: cpu_options.amd_sev_snp is ${describe(value)}`);
}

function enclaves(template: TfResource): Outcome {
  const value = valueAt(template, "enclave_options.enabled");
  if (isTrue(value)) return pass("enclave_options.enabled is true");
  if (value.state === "unknown" || value.state === "reference") return unresolved(`enclave_options.enabled is ${describe(value)}`);
  return fail(`Nitro Enclaves are off: enclave_options.enabled is ${describe(value)}`);
}

export const confidentialNodeGroupEnabled: Rule = {
  id: "aws-confidential-node-group-enabled",
  title: "Node groups labelled confidential run with AMD SEV-SNP or Nitro Enclaves turned on",
  requirements: ["AICP-ASSET-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_eks_node_group"],
  remediation:
    'Give the node group a launch template with cpu_options.amd_sev_snp = "enabled" (label sev-snp) or enclave_options.enabled = true (label nitro-enclaves); NodePool with confidential set does both.',
  // Only the label declares a pool confidential; a node group without it is not judged.
  examples: {
    good: [
      `
      resource "aws_launch_template" "enclave" {
        name = "enclave"
        enclave_options {
          enabled = true
        }
      }

      resource "aws_eks_node_group" "enclave" {
        cluster_name    = "platform"
        node_group_name = "enclave"
        node_role_arn   = "arn:aws:iam::111122223333:role/eks-node"
        subnet_ids      = ["subnet-0a1b2c3d"]
        labels          = { "saip.io/confidential" = "nitro-enclaves" }
        launch_template {
          id      = aws_launch_template.enclave.id
          version = aws_launch_template.enclave.latest_version
        }
        scaling_config {
          min_size     = 0
          desired_size = 1
          max_size     = 2
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_launch_template" "enclave" {
        name = "enclave"
        enclave_options {
          enabled = false
        }
      }

      resource "aws_eks_node_group" "enclave" {
        cluster_name    = "platform"
        node_group_name = "enclave"
        node_role_arn   = "arn:aws:iam::111122223333:role/eks-node"
        subnet_ids      = ["subnet-0a1b2c3d"]
        labels          = { "saip.io/confidential" = "nitro-enclaves" }
        launch_template {
          id      = aws_launch_template.enclave.id
          version = aws_launch_template.enclave.latest_version
        }
        scaling_config {
          min_size     = 0
          desired_size = 1
          max_size     = 2
        }
      }
    `,
    ],
  },
  applies: (group) => confidentialLabel(group) !== undefined,
  check(group) {
    const label = confidentialLabel(group);
    if (!label) return pass(`no ${CONFIDENTIAL_LABEL} label`);
    if (label.state !== "known") return unresolved(`label ${CONFIDENTIAL_LABEL} is ${describe(label)}`);
    const mode = String(label.value);
    const judge = mode === "sev-snp" ? sevSnp : mode === "nitro-enclaves" ? enclaves : undefined;
    if (!judge) return fail(`label ${CONFIDENTIAL_LABEL} is "${mode}", which is neither "sev-snp" nor "nitro-enclaves"`);
    const none = () => fail("the node group has no launch_template, and EKS's own template turns on neither SEV-SNP nor enclaves");
    const outcome = viaLaunchTemplate(group, judge, none);
    return outcome.status === "fail" ? { ...outcome, message: `label ${CONFIDENTIAL_LABEL} is "${mode}" but ${outcome.message}` } : outcome;
  },
};
