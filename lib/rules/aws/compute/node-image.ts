import { TfResource } from "../../../terraform/model";
import { describe, isTrue, valueAt } from "../../helpers";
import { launchTemplateOf } from "./util";

/** What a node group boots: an EKS-managed image by AMI type, a custom AMI, or something not known at plan. */
export type NodeImage =
  | { readonly kind: "managed"; readonly amiType: string; readonly defaulted: boolean }
  | { readonly kind: "custom"; readonly why: string }
  | { readonly kind: "unknown"; readonly why: string };

/**
 * The image a managed node group runs. Without ami_type EKS picks an Amazon
 * Linux image (AL2023 from Kubernetes 1.33, AL2 before); a launch template
 * with image_id, or ami_type CUSTOM, runs a custom AMI.
 */
export function nodeImageOf(group: TfResource): NodeImage {
  const link = launchTemplateOf(group);
  if (link.kind === "template") {
    const image = valueAt(link.template, "image_id");
    if (image.state !== "absent")
      return { kind: "custom", why: `launch template ${link.template.address} sets image_id to ${describe(image)}` };
  }
  const ami = valueAt(group, "ami_type");
  if (ami.state === "absent")
    return link.kind === "unknown"
      ? { kind: "unknown", why: link.message }
      : { kind: "managed", amiType: "AL2023_x86_64_STANDARD", defaulted: true };
  if (ami.state !== "known" || typeof ami.value !== "string") return { kind: "unknown", why: `ami_type is ${describe(ami)}` };
  if (ami.value === "CUSTOM") return { kind: "custom", why: 'ami_type is "CUSTOM"' };
  return { kind: "managed", amiType: ami.value, defaulted: false };
}

/**
 * Confidential pools (SEV-SNP or Nitro Enclaves turned on in the launch
 * template) run AL2023: AWS supports SEV-SNP on AL2023 guests, not on
 * Bottlerocket, and the Nitro Enclaves allocator is installed with dnf. The
 * confidential rules judge them instead.
 */
export function confidentialTemplate(group: TfResource): string | undefined {
  const link = launchTemplateOf(group);
  if (link.kind !== "template") return undefined;
  const snp = valueAt(link.template, "cpu_options.amd_sev_snp");
  if (snp.state === "known" && snp.value === "enabled") return `launch template ${link.template.address} turns on AMD SEV-SNP`;
  if (isTrue(valueAt(link.template, "enclave_options.enabled"))) return `launch template ${link.template.address} turns on Nitro Enclaves`;
  return undefined;
}
