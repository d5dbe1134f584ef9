import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { JsonObject, TfResource } from "../../../terraform/model";
import { describe, valueAt } from "../../helpers";
import { setting } from "./bottlerocket-settings";
import { gpuImageOf, isNvidiaNodeGroup, withSettings } from "./gpu-node-settings";
import { viaLaunchTemplate } from "./util";

const LIST = "kubelet-device-plugins.nvidia.device-list-strategy";
const ENVVAR = "nvidia-container-runtime.visible-devices-envvar-when-unprivileged";
const TOOLKIT = /accept-nvidia-visible-devices-envvar-when-unprivileged\s*=\s*false/;

/**
 * Bottlerocket NVIDIA nodes: the device plugin on the host passes devices as
 * volume mounts, and the runtime ignores NVIDIA_VISIBLE_DEVICES in
 * unprivileged containers. Both must be written: their defaults are the
 * release's (before bottlerocket#3718 the plugin used the variable), and a
 * default the template does not state is not evidence.
 */
function bottlerocketInjection(settings: JsonObject): Outcome {
  const list = setting(settings, LIST);
  const strategies = (Array.isArray(list) ? list : [list]).map((s) => (s === undefined ? undefined : String(s)));
  if (list === undefined)
    return fail(
      `settings.${LIST} is not set, so the release's default decides whether devices are passed as NVIDIA_VISIBLE_DEVICES, which a CUDA image sets to "all"`,
    );
  if (strategies.includes("envvar"))
    return fail(
      `settings.${LIST} includes "envvar": the plugin passes devices as NVIDIA_VISIBLE_DEVICES, so a container that sets it to "all" sees every GPU of the node`,
    );
  if (!(strategies.length === 1 && strategies[0] === "volume-mounts"))
    return unresolved(
      `settings.${LIST} is ${JSON.stringify(list)}; only "volume-mounts" is known to keep containers to their allocated GPUs`,
    );
  const envvar = setting(settings, ENVVAR);
  if (envvar !== false) {
    return fail(
      `settings.${ENVVAR} is ${envvar === undefined ? "not set" : JSON.stringify(envvar)}: the runtime may honour NVIDIA_VISIBLE_DEVICES in unprivileged containers, so a container that sets it to "all" sees every GPU of the node`,
    );
  }
  return pass(
    `the device plugin passes GPUs as volume mounts and the runtime ignores NVIDIA_VISIBLE_DEVICES in unprivileged containers (settings.${LIST} "volume-mounts", settings.${ENVVAR} false)`,
  );
}

/** AL2023 and other NVIDIA images: the container toolkit's own switch, set by the launch template's user data. */
function toolkitInjection(template: TfResource): Outcome {
  const userData = valueAt(template, "user_data");
  if (userData.state === "absent")
    return fail(
      "no user data sets the NVIDIA container toolkit's accept-nvidia-visible-devices-envvar-when-unprivileged to false, whose default (true) lets a container that sets NVIDIA_VISIBLE_DEVICES=all see every GPU of the node",
    );
  if (userData.state !== "known" || typeof userData.value !== "string") return unresolved(`user_data is ${describe(userData)}`);
  const text = Buffer.from(userData.value, "base64").toString("utf8");
  if (!TOOLKIT.test(text))
    return fail(
      "the user data does not set the NVIDIA container toolkit's accept-nvidia-visible-devices-envvar-when-unprivileged to false, whose default (true) lets a container that sets NVIDIA_VISIBLE_DEVICES=all see every GPU of the node",
    );
  return pass(
    "the user data sets accept-nvidia-visible-devices-envvar-when-unprivileged = false, so the toolkit reads only the devices the plugin passes (the device plugin's DEVICE_LIST_STRATEGY is judged by k8s-gpu-device-plugin-volume-mounts)",
  );
}

/**
 * An NVIDIA node group as NodePool writes one, for the GPU rules' examples:
 * its launch template's user data is `userData` (a heredoc the example
 * base64-encodes), and it carries the nvidia.com/gpu taint and, when
 * dedicated, the `saip.io/tenant` taint. The settings in the examples are
 * those nvidiaSettings (constructs/aws/node-pool-user-data.ts) writes.
 */
export function gpuNodeGroupExample(
  userData: string,
  {
    amiType = "BOTTLEROCKET_x86_64_NVIDIA",
    instanceType = "g6e.xlarge",
    tenant,
  }: { amiType?: string; instanceType?: string; tenant?: string } = {},
): string {
  const taint = (key: string, value: string) => `
        taint {
          key    = "${key}"
          value  = "${value}"
          effect = "NO_SCHEDULE"
        }`;
  return `
      resource "aws_launch_template" "gpu" {
        name      = "gpu"
        user_data = base64encode(<<-EOT
${userData
  .trim()
  .split("\n")
  .map((line) => (line === "" ? "" : `          ${line}`))
  .join("\n")}
        EOT
        )
      }

      resource "aws_eks_node_group" "gpu" {
        cluster_name    = "platform"
        node_group_name = "gpu"
        node_role_arn   = "arn:aws:iam::111122223333:role/eks-node"
        subnet_ids      = ["subnet-0a1b2c3d"]
        instance_types  = ["${instanceType}"]
        ami_type        = "${amiType}"
        launch_template {
          id      = aws_launch_template.gpu.id
          version = aws_launch_template.gpu.latest_version
        }
        scaling_config {
          min_size     = 0
          desired_size = 0
          max_size     = 2
        }${taint("nvidia.com/gpu", "true")}${tenant ? taint("saip.io/tenant", tenant) : ""}
      }
    `;
}

/** The Bottlerocket NVIDIA settings, with the device plugin's device list strategy `strategy`. */
const bottlerocketNvidia = (strategy: string) => `
[settings.kubelet-device-plugins.nvidia]
device-list-strategy = "${strategy}"
pass-device-specs = true

[settings.nvidia-container-runtime]
visible-devices-as-volume-mounts = true
visible-devices-envvar-when-unprivileged = false
`;

/** AL2023: the toolkit switch as a shell part of MIME multi-part user data, the format EKS merges with its own (al2023NvidiaUserData). */
const al2023Toolkit = `
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="==SAIP=="

--==SAIP==
Content-Type: text/x-shellscript; charset="us-ascii"

#!/bin/bash
set -euo pipefail
nvidia-ctk config --in-place --set accept-nvidia-visible-devices-as-volume-mounts=true --set accept-nvidia-visible-devices-envvar-when-unprivileged=false

--==SAIP==--
`;

export const eksGpuNodeGroupDeviceInjection: Rule = {
  id: "aws-eks-gpu-node-group-device-injection",
  title: "GPU nodes give a container only the GPUs the device plugin allocated to it",
  requirements: ["AICP-TENANT-08"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_eks_node_group"],
  effect:
    "On the node group's launch template, the NVIDIA device plugin passes each container's GPUs (or MIG slices) as volume mounts and the runtime ignores NVIDIA_VISIBLE_DEVICES in unprivileged containers, so a CUDA image that sets it to \"all\" still sees only what its pod was allocated.",
  remediation:
    'Bottlerocket NVIDIA: give the launch template user data with [settings.kubelet-device-plugins.nvidia] device-list-strategy = "volume-mounts" and [settings.nvidia-container-runtime] visible-devices-envvar-when-unprivileged = false. ' +
    "AL2023 NVIDIA: run nvidia-ctk config --in-place --set accept-nvidia-visible-devices-as-volume-mounts=true --set accept-nvidia-visible-devices-envvar-when-unprivileged=false in the user data, and DEVICE_LIST_STRATEGY=volume-mounts on the device plugin.",
  applies: isNvidiaNodeGroup,
  examples: {
    good: [
      gpuNodeGroupExample(bottlerocketNvidia("volume-mounts")),
      gpuNodeGroupExample(al2023Toolkit, { amiType: "AL2023_x86_64_NVIDIA" }),
    ],
    // The plugin passes each container's GPUs as NVIDIA_VISIBLE_DEVICES, which a CUDA image sets to "all".
    bad: [gpuNodeGroupExample(bottlerocketNvidia("envvar"))],
  },
  check(group) {
    const image = gpuImageOf(group);
    if (image.kind === "open") return image.outcome;
    if (image.kind === "cpu") return pass("not an NVIDIA node group");
    if (image.kind === "bottlerocket") {
      return withSettings(
        group,
        (settings) => bottlerocketInjection(settings),
        fail(
          `no launch template states the NVIDIA settings, so ${image.amiType} nodes run the release's defaults for the device list, which have passed devices as NVIDIA_VISIBLE_DEVICES`,
        ),
      );
    }
    return viaLaunchTemplate(group, toolkitInjection, () =>
      fail(
        `no launch template configures the NVIDIA container toolkit of the ${image.amiType} nodes, whose default honours NVIDIA_VISIBLE_DEVICES in unprivileged containers`,
      ),
    );
  },
};
