import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { JsonObject, TfResource } from "../../../terraform/model";
import { blocksOf, describe, resolve } from "../../helpers";
import { setting } from "./bottlerocket-settings";
import { gpuNodeGroupExample } from "./eks-gpu-node-group-device-injection";
import { gpuImageOf, isNvidiaNodeGroup, withSettings } from "./gpu-node-settings";

const SHARING = "kubelet-device-plugins.nvidia.device-sharing-strategy";
const TENANT_TAINT = "saip.io/tenant";

/**
 * The tenant a node group is dedicated to (a NoSchedule or NoExecute `saip.io/tenant` taint with a value), none, or why it cannot be told.
 */
function dedicatedTo(group: TfResource): { tenant?: string } | { unknown: string } {
  const raw = group.body.taint;
  if (typeof raw === "string") return { unknown: `taint is ${describe(resolve(group, raw))}` };
  for (const taint of blocksOf(raw)) {
    const [key, value, effect] = ["key", "value", "effect"].map((k) => resolve(group, taint[k]));
    if (key.state !== "known") return { unknown: `a taint's key is ${describe(key)}` };
    if (key.value !== TENANT_TAINT) continue;
    if (value.state !== "known" || effect.state !== "known") return { unknown: `the ${TENANT_TAINT} taint's value or effect is not known` };
    if (typeof value.value === "string" && value.value !== "" && ["NO_SCHEDULE", "NO_EXECUTE"].includes(String(effect.value)))
      return { tenant: value.value };
  }
  return {};
}

/**
 * Time-slicing and MPS put several pods on one GPU with no memory or fault
 * isolation between them (NVIDIA's GPU sharing documentation; Bottlerocket's
 * security guidance, "Limit use of NVIDIA GPU time-slicing"): acceptable among
 * one tenant's pods, not where tenants share. MIG slices have their own memory.
 */
function judgeSharing(group: TfResource, settings: JsonObject): Outcome {
  const sharing = setting(settings, SHARING);
  if (sharing === undefined || sharing === "none") {
    const mig = setting(settings, "kubelet-device-plugins.nvidia.device-partitioning-strategy") === "mig";
    return pass(
      `settings.${SHARING} is ${sharing === undefined ? "not set (none)" : '"none"'}: each ${mig ? "MIG slice" : "GPU"} goes to one container`,
    );
  }
  if (typeof sharing !== "string") return unresolved(`settings.${SHARING} is ${JSON.stringify(sharing)}`);
  const owner = dedicatedTo(group);
  if ("unknown" in owner)
    return unresolved(
      `settings.${SHARING} is "${sharing}", and whether the pool is dedicated to one tenant cannot be told: ${owner.unknown}`,
    );
  if (owner.tenant)
    return pass(
      `settings.${SHARING} is "${sharing}" on a pool dedicated to tenant ${owner.tenant} (taint ${TENANT_TAINT}=${owner.tenant}), so only that tenant's pods share a GPU`,
    );
  return fail(
    `settings.${SHARING} is "${sharing}" on a pool more than one tenant may use (no NoSchedule ${TENANT_TAINT} taint): pods of different tenants share one GPU's memory with no isolation`,
  );
}

/** The NVIDIA settings nvidiaSettings writes for MIG slices of an A100 or for four pods per GPU. */
const RUNTIME = `
[settings.nvidia-container-runtime]
visible-devices-as-volume-mounts = true
visible-devices-envvar-when-unprivileged = false
`;
const MIG = `
[settings.kubelet-device-plugins.nvidia]
device-list-strategy = "volume-mounts"
pass-device-specs = true
device-partitioning-strategy = "mig"

[settings.kubelet-device-plugins.nvidia.mig.profile]
"a100.40gb" = "3g.20gb"
${RUNTIME}`;
const TIME_SLICED = `
[settings.kubelet-device-plugins.nvidia]
device-list-strategy = "volume-mounts"
pass-device-specs = true
device-sharing-strategy = "time-slicing"

[settings.kubelet-device-plugins.nvidia.time-slicing]
replicas = 4
rename-by-default = false
fail-requests-greater-than-one = true
${RUNTIME}`;

export const eksGpuNodeGroupNoSharedTimeSlicing: Rule = {
  id: "aws-eks-gpu-node-group-no-shared-time-slicing",
  title: "GPUs of pools that tenants share are not time-sliced",
  requirements: ["AICP-TENANT-09"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_eks_node_group"],
  effect:
    "The launch template gives the nodes of a pool that more than one tenant may use no time-slicing or MPS, so every GPU or MIG slice, with its memory, belongs to one container.",
  remediation:
    'Set device-sharing-strategy = "none" in [settings.kubelet-device-plugins.nvidia] of shared pools and partition them with MIG (device-partitioning-strategy = "mig"), or dedicate the pool to one tenant (taint saip.io/tenant=<tenant>:NoSchedule).',
  applies: isNvidiaNodeGroup,
  examples: {
    // MIG slices on a pool tenants share; time-slicing on a pool one tenant has to itself.
    good: [gpuNodeGroupExample(MIG, { instanceType: "p4d.24xlarge" }), gpuNodeGroupExample(TIME_SLICED, { tenant: "research" })],
    // Time-slicing where any tenant may schedule: their pods share one GPU's memory.
    bad: [gpuNodeGroupExample(TIME_SLICED)],
  },
  check(group) {
    const image = gpuImageOf(group);
    if (image.kind === "open") return image.outcome;
    if (image.kind === "cpu") return pass("not an NVIDIA node group");
    if (image.kind === "other") {
      return unresolved(
        `on ${image.amiType} nodes, time-slicing is set in the NVIDIA device plugin's own configuration, which this rule does not read`,
      );
    }
    return withSettings(
      group,
      (settings) => judgeSharing(group, settings),
      pass(
        "no launch template gives the nodes settings, and Bottlerocket does not share GPUs unless told to (device-sharing-strategy none)",
      ),
    );
  },
};
