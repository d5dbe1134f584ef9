import { fail, Outcome, Rule, unresolved } from "../../compliance/rule";
import { TfResource } from "../../terraform/model";
import { blocksOf, describe, resolve } from "../helpers";
import { Container, containersOf, judgeContainers, podSpecOf, WORKLOAD_TYPES } from "./util";

/** NVIDIA's device plugin (nvcr.io/nvidia/k8s-device-plugin, or a mirror of it), by its image's repository name. */
const PLUGIN_IMAGE = /(^|\/)(k8s-device-plugin|nvidia-device-plugin)(:|@|$)/;

const isPlugin = (workload: TfResource, c: Container): boolean => {
  const image = resolve(workload, c.block.image);
  return image.state === "known" && typeof image.value === "string" && PLUGIN_IMAGE.test(image.value.split("@")[0].replace(/:[^/]*$/, ""));
};

/**
 * The plugin's DEVICE_LIST_STRATEGY: its default, envvar, passes a container's devices as NVIDIA_VISIBLE_DEVICES (k8s-device-plugin,
 * --device-list-strategy).
 */
function judgePlugin(workload: TfResource, c: Container): Outcome | undefined {
  if (!isPlugin(workload, c)) return undefined;
  if (typeof c.block.env === "string") return unresolved(`env is ${describe(resolve(workload, c.block.env))}`);
  const args = resolve(workload, c.block.args);
  const flagged =
    args.state === "known" &&
    Array.isArray(args.value) &&
    args.value.some((a) => typeof a === "string" && a.startsWith("--device-list-strategy"));
  if (flagged) return unresolved("args set --device-list-strategy, which this rule does not read; set DEVICE_LIST_STRATEGY instead");
  const named = (e: { name?: unknown }) => {
    const name = resolve(workload, e.name as never);
    return name.state === "known" && name.value === "DEVICE_LIST_STRATEGY";
  };
  const entry = blocksOf(c.block.env).find(named);
  if (!entry)
    return fail(
      'DEVICE_LIST_STRATEGY is not set, so the plugin uses its default, "envvar": it passes devices as NVIDIA_VISIBLE_DEVICES, which a container can set to "all" itself',
    );
  if (typeof entry.value_from === "object" && entry.value_from !== null)
    return unresolved("DEVICE_LIST_STRATEGY comes from value_from, which cannot be read");
  const value = resolve(workload, entry.value);
  if (value.state !== "known") return unresolved(`DEVICE_LIST_STRATEGY is ${describe(value)}`);
  const strategies = String(value.value)
    .split(",")
    .map((s) => s.trim());
  if (strategies.length === 1 && strategies[0] === "volume-mounts") return undefined;
  if (strategies.includes("envvar"))
    return fail(
      `DEVICE_LIST_STRATEGY is ${JSON.stringify(value.value)}: the plugin passes devices as NVIDIA_VISIBLE_DEVICES, which a container can set to "all" itself`,
    );
  return unresolved(
    `DEVICE_LIST_STRATEGY is ${JSON.stringify(value.value)}; only "volume-mounts" is known to keep containers to their allocated GPUs`,
  );
}

/**
 * The NVIDIA device plugin DaemonSet as NvidiaDevicePlugin writes it
 * (constructs/kubernetes/device-plugins.ts), from the platform's ECR mirror,
 * with `env` and without the lock-down this rule does not read.
 */
function devicePluginExample(env: Record<string, string>): string {
  const entries = Object.entries(env).map(
    ([name, value]) => `
                env {
                  name  = "${name}"
                  value = "${value}"
                }`,
  );
  return `
      resource "kubernetes_daemon_set_v1" "nvidia_device_plugin" {
        metadata {
          name      = "nvidia-device-plugin"
          namespace = "kube-system"
        }
        spec {
          selector {
            match_labels = { "app.kubernetes.io/name" = "nvidia-device-plugin" }
          }
          template {
            metadata {
              labels = { "app.kubernetes.io/name" = "nvidia-device-plugin" }
            }
            spec {
              node_selector = { "nvidia.com/gpu.present" = "true" }
              container {
                name  = "nvidia-device-plugin"
                image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirror/nvidia/k8s-device-plugin@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"${entries.join("")}
              }
            }
          }
        }
      }
    `;
}

export const gpuDevicePluginVolumeMounts: Rule = {
  id: "k8s-gpu-device-plugin-volume-mounts",
  title: "The NVIDIA device plugin passes GPUs as volume mounts, not NVIDIA_VISIBLE_DEVICES",
  requirements: ["AICP-TENANT-08"],
  severity: "mandatory",
  waivable: true,
  appliesTo: WORKLOAD_TYPES,
  remediation:
    "Set env DEVICE_LIST_STRATEGY=volume-mounts (and PASS_DEVICE_SPECS=true) on the NVIDIA device plugin, and accept-nvidia-visible-devices-as-volume-mounts=true with accept-nvidia-visible-devices-envvar-when-unprivileged=false in the nodes' NVIDIA container toolkit.",
  applies: (workload) => {
    const spec = podSpecOf(workload);
    return spec !== undefined && containersOf(workload, spec).some((c) => isPlugin(workload, c));
  },
  examples: {
    good: [devicePluginExample({ FAIL_ON_INIT_ERROR: "false", DEVICE_LIST_STRATEGY: "volume-mounts", PASS_DEVICE_SPECS: "true" })],
    // Upstream's manifest: the plugin's default, envvar, hands a container its GPUs as NVIDIA_VISIBLE_DEVICES.
    bad: [devicePluginExample({ FAIL_ON_INIT_ERROR: "false" })],
  },
  check: (workload) =>
    judgeContainers(
      workload,
      (c) => judgePlugin(workload, c),
      "the NVIDIA device plugin passes each container's GPUs as volume mounts (DEVICE_LIST_STRATEGY volume-mounts)",
    ),
};
