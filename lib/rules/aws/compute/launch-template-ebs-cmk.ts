import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { blocksOf, describe, firstBlock, isTrue, resolve, valueAt } from "../../helpers";
import { accountDefaultCmk, encryptedWithCmk, viaLaunchTemplate } from "./util";

export const launchTemplateEbsCmk: Rule = {
  id: "aws-launch-template-ebs-cmk",
  title: "Instance volumes are encrypted with customer-managed keys",
  requirements: ["AICP-DATA-01"],
  severity: "mandatory",
  waivable: true,
  // aws_ebs_volume as Checkov's CKV_AWS_189 and CKV_AWS_3 judge it (EBSVolumeEncryptedWithCMK, EBSEncryption).
  appliesTo: ["aws_launch_template", "aws_instance", "aws_eks_node_group", "aws_ebs_volume"],
  checkov: ["CKV_AWS_189", "CKV_AWS_3"],
  trivy: ["AVD-AWS-0026"],
  relations: {
    CKV_AWS_3: {
      relation: "stricter",
      reason:
        "AICP-DATA-01 demands a customer-managed key: CKV_AWS_3 passes a volume encrypted with the AWS-managed aws/ebs key, this rule fails it",
    },
    CKV_AWS_189: {
      relation: "stricter",
      reason:
        "also requires encrypted = true and judges the volumes of launch templates, instances and EKS node groups, which CKV_AWS_189 (aws_ebs_volume only) does not",
    },
  },
  remediation:
    "Declare every volume (the root one too) with encrypted = true and a customer-managed kms_key_id, and give EKS node groups such a launch template.",
  examples: {
    good: [
      `
      resource "aws_kms_key" "data" {
        enable_key_rotation = true
      }

      resource "aws_launch_template" "gpu" {
        name = "gpu"
        metadata_options {
          http_endpoint               = "enabled"
          http_tokens                 = "required"
          http_put_response_hop_limit = 1
        }
        block_device_mappings {
          device_name = "/dev/xvda"
          ebs {
            encrypted  = true
            kms_key_id = aws_kms_key.data.arn
          }
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_launch_template" "gpu" {
        name = "gpu"
        block_device_mappings {
          device_name = "/dev/xvda"
          ebs {
            encrypted = false
          }
        }
      }
    `,
    ],
  },
  check(resource) {
    if (resource.type === "aws_launch_template") return templateVolumes(resource);
    if (resource.type === "aws_instance") return instanceVolumes(resource);
    if (resource.type === "aws_ebs_volume") return volume(resource);
    return viaLaunchTemplate(resource, templateVolumes, () =>
      orAccountDefault(resource, "no launch_template: EKS's default node volume is not encrypted with a customer-managed key"),
    );
  },
};

/** Volumes the resource leaves undeclared are covered only by an account-wide default CMK. */
function orAccountDefault(resource: TfResource, why: string): Outcome {
  const fallback = accountDefaultCmk(resource.module);
  if (fallback.status === "pass") return fallback;
  return { status: fallback.status, message: `${why} (${fallback.message})` };
}

function allOf(outcomes: Outcome[], passMessage: string): Outcome {
  const failed = outcomes.filter((o) => o.status === "fail");
  if (failed.length > 0) return fail(failed.map((o) => o.message).join("; "));
  const open = outcomes.filter((o) => o.status === "unresolved");
  if (open.length > 0) return unresolved(open.map((o) => o.message).join("; "));
  return pass(passMessage);
}

function templateVolumes(template: TfResource): Outcome {
  const raw = template.body.block_device_mappings;
  if (typeof raw === "string") return unresolved(`block_device_mappings is ${describe(resolve(template, raw))}`);
  const outcomes: Outcome[] = [];
  for (const mapping of blocksOf(raw)) {
    const ebs = firstBlock(mapping.ebs);
    if (!ebs) continue; // instance-store or no_device mappings hold no EBS volume
    const device = resolve(template, mapping.device_name);
    outcomes.push(encryptedWithCmk(template, ebs, `block_device_mappings ${device.state === "known" ? device.value : describe(device)}`));
  }
  if (outcomes.length === 0) {
    return orAccountDefault(
      template,
      "no block_device_mappings with ebs: the root volume falls back to the AMI's unencrypted default; declare it",
    );
  }
  return allOf(outcomes, `every EBS volume is encrypted with a customer-managed key (${outcomes.map((o) => o.message).join("; ")})`);
}

/** A volume that sets neither flag nor key is encrypted only where the account encrypts new volumes with a CMK by default. */
function volume(ebs: TfResource): Outcome {
  if (ebs.body.encrypted === undefined && ebs.body.kms_key_id === undefined)
    return orAccountDefault(ebs, "encrypted is not set, so the volume is encrypted only if the account encrypts new volumes by default");
  if (isTrue(valueAt(ebs, "encrypted")) && ebs.body.kms_key_id === undefined)
    return orAccountDefault(ebs, "encrypted is true with no kms_key_id, so the account's default EBS key encrypts it");
  return encryptedWithCmk(ebs, ebs.body, "the volume");
}

function instanceVolumes(instance: TfResource): Outcome {
  const outcomes: Outcome[] = [];
  const root = firstBlock(instance.body.root_block_device);
  outcomes.push(
    root
      ? encryptedWithCmk(instance, root, "root_block_device")
      : orAccountDefault(instance, "no root_block_device: the root volume takes the AMI's default encryption"),
  );
  for (const volume of blocksOf(instance.body.ebs_block_device)) {
    const device = resolve(instance, volume.device_name);
    outcomes.push(encryptedWithCmk(instance, volume, `ebs_block_device ${device.state === "known" ? device.value : describe(device)}`));
  }
  return allOf(outcomes, `every EBS volume is encrypted with a customer-managed key (${outcomes.map((o) => o.message).join("; ")})`);
}
