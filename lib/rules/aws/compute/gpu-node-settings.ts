import { Outcome, unresolved } from "../../../compliance/rule";
import { JsonObject, TfResource } from "../../../terraform/model";
import { bottlerocketSettings } from "./bottlerocket-settings";
import { nodeGroupAccelerator } from "./eks-gpu-node-group-taint";
import { nodeImageOf } from "./node-image";
import { launchTemplateOf } from "./util";

// What the GPU rules share: which node groups run NVIDIA GPUs, and on which image.

/** NVIDIA node groups, and those whose accelerator cannot be told (judged, so they come out unresolved). */
export const isNvidiaNodeGroup = (group: TfResource): boolean => ["nvidia", "unknown"].includes(nodeGroupAccelerator(group).kind);

export type GpuImage =
  | { readonly kind: "bottlerocket" | "other"; readonly amiType: string }
  | { readonly kind: "open"; readonly outcome: Outcome }
  | { readonly kind: "cpu" };

/** The image an NVIDIA node group boots, or the outcome when it cannot be told. */
export function gpuImageOf(group: TfResource): GpuImage {
  const accel = nodeGroupAccelerator(group);
  if (accel.kind === "unknown") return { kind: "open", outcome: unresolved(`${accel.why}; whether the nodes have NVIDIA GPUs is unknown`) };
  if (accel.kind !== "nvidia") return { kind: "cpu" };
  const image = nodeImageOf(group);
  if (image.kind === "unknown") return { kind: "open", outcome: unresolved(`${image.why}; which image the GPU nodes boot is unknown`) };
  if (image.kind === "custom")
    return { kind: "open", outcome: unresolved(`${image.why}: a custom AMI, whose GPU runtime configuration Terraform cannot show`) };
  return { kind: image.amiType.startsWith("BOTTLEROCKET") ? "bottlerocket" : "other", amiType: image.amiType };
}

/** Judges a Bottlerocket node group's settings from its launch template; `none` is the outcome without one. */
export function withSettings(group: TfResource, judge: (settings: JsonObject, template: TfResource) => Outcome, none: Outcome): Outcome {
  const link = launchTemplateOf(group);
  if (link.kind === "none") return none;
  if (link.kind === "unknown") return unresolved(link.message);
  const settings = bottlerocketSettings(link.template);
  if ("unreadable" in settings)
    return { status: settings.unreadable.status, message: `launch template ${link.template.address}: ${settings.unreadable.message}` };
  const outcome = judge(settings.settings, link.template);
  return { status: outcome.status, message: `launch template ${link.template.address}: ${outcome.message}` };
}
