import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { blocksOf, describe, resolve, valueAt } from "../../helpers";
import { Accelerator, acceleratorOf, acceleratorOfAmiType, launchTemplateOf } from "./util";
import { nodeGroupExample } from "./node-group-examples";

const TAINT_KEY: Record<Accelerator, string> = { nvidia: "nvidia.com/gpu", neuron: "aws.amazon.com/neuron" };

type Kind = { kind: Accelerator; why: string } | { kind: "none" } | { kind: "unknown"; why: string };

/** Whether a node group runs accelerators, from its AMI type or instance types (its own or its launch template's). */
export function nodeGroupAccelerator(group: TfResource): Kind {
  const unknown: string[] = [];
  const ami = valueAt(group, "ami_type");
  if (ami.state === "known" && typeof ami.value === "string") {
    const kind = acceleratorOfAmiType(ami.value);
    if (kind) return { kind, why: `ami_type is "${ami.value}"` };
  } else if (ami.state !== "absent") unknown.push(`ami_type is ${describe(ami)}`);

  const types = [{ where: "instance_types", value: resolve(group, group.body.instance_types), raw: group.body.instance_types }];
  const link = launchTemplateOf(group);
  if (link.kind === "template")
    types.push({
      where: `${link.template.address} instance_type`,
      value: valueAt(link.template, "instance_type"),
      raw: link.template.body.instance_type,
    });
  else if (link.kind === "unknown" && types[0].value.state === "absent") unknown.push(link.message);
  for (const { where, value, raw } of types) {
    if (value.state === "absent") continue;
    const items = value.state === "known" && Array.isArray(value.value) ? value.value : [raw ?? null];
    for (const item of items) {
      const type = resolve(group, item);
      if (type.state === "known" && typeof type.value === "string") {
        const kind = acceleratorOf(type.value);
        if (kind) return { kind, why: `${where} includes "${type.value}"` };
      } else unknown.push(`${where} is ${describe(type)}`);
    }
  }
  return unknown.length > 0 ? { kind: "unknown", why: unknown.join(", ") } : { kind: "none" };
}

const GPU_TAINT = `
        taint {
          key    = "nvidia.com/gpu"
          value  = "true"
          effect = "NO_SCHEDULE"
        }`;

export const eksGpuNodeGroupTaint: Rule = {
  id: "aws-eks-gpu-node-group-taint",
  title: "GPU and Neuron node groups carry a NoSchedule accelerator taint",
  requirements: ["AICP-TENANT-05"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_eks_node_group"],
  remediation: 'Add taint { key = "nvidia.com/gpu" (or "aws.amazon.com/neuron"), effect = "NO_SCHEDULE" } to accelerator node groups.',
  // Unknown AMI or instance types are judged too, so they come out unresolved rather than skipped.
  examples: {
    good: [nodeGroupExample({ instanceType: "p5.48xlarge", amiType: "BOTTLEROCKET_x86_64_NVIDIA", blocks: GPU_TAINT })],
    bad: [nodeGroupExample({ instanceType: "p5.48xlarge", amiType: "BOTTLEROCKET_x86_64_NVIDIA" })],
  },
  applies: (group) => nodeGroupAccelerator(group).kind !== "none",
  check(group) {
    const accel = nodeGroupAccelerator(group);
    if (accel.kind === "none") return pass("not an accelerator node group");
    const expected = accel.kind === "unknown" ? Object.values(TAINT_KEY) : [TAINT_KEY[accel.kind]];
    const raw = group.body.taint;
    if (typeof raw === "string") return unresolved(`taint is ${describe(resolve(group, raw))}`);
    const seen: string[] = [];
    let open: string | undefined;
    for (const taint of blocksOf(raw)) {
      const key = resolve(group, taint.key);
      const effect = resolve(group, taint.effect);
      if (key.state !== "known" || effect.state !== "known") {
        open ??= `a taint has key ${describe(key)} and effect ${describe(effect)}`;
        continue;
      }
      if (expected.includes(String(key.value)) && effect.value === "NO_SCHEDULE")
        return pass(`taint ${key.value}:NO_SCHEDULE keeps other pods off the accelerators`);
      seen.push(`${key.value}:${effect.value}`);
    }
    if (open) return unresolved(open);
    if (accel.kind === "unknown")
      return unresolved(`${accel.why}; cannot tell whether this is an accelerator node group, and it has no accelerator taint`);
    const has = seen.length > 0 ? `its taints are ${seen.join(", ")}` : "it has no taints";
    return fail(`accelerator node group (${accel.why}) lacks the taint ${expected[0]} with effect NO_SCHEDULE; ${has}`);
  },
};
