import { gpuDevicePluginVolumeMounts } from "../../../lib/rules/kubernetes/gpu-device-plugin-volume-mounts";
import { checkJson, findingFor, statuses } from "../harness";

const IMAGE = `111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirror/nvidia/k8s-device-plugin@sha256:${"ab".repeat(32)}`;
const daemonSet = (container: object) => ({
  metadata: { name: "nvidia-device-plugin", namespace: "kube-system" },
  spec: { template: { spec: { container: [{ name: "plugin", image: IMAGE, ...container }] } } },
});

describe("k8s-gpu-device-plugin-volume-mounts", () => {
  it("passes a plugin that passes GPUs as volume mounts, fails one that passes NVIDIA_VISIBLE_DEVICES, leaves unknown values unresolved and skips other workloads", () => {
    const findings = checkJson(gpuDevicePluginVolumeMounts, {
      resource: {
        kubernetes_daemon_set_v1: {
          mounts: daemonSet({
            env: [
              { name: "DEVICE_LIST_STRATEGY", value: "volume-mounts" },
              { name: "PASS_DEVICE_SPECS", value: "true" },
            ],
          }),
          defaulted: daemonSet({ env: [{ name: "FAIL_ON_INIT_ERROR", value: "false" }] }),
          envvar: daemonSet({ env: [{ name: "DEVICE_LIST_STRATEGY", value: "envvar,volume-mounts" }] }),
          variable: daemonSet({ env: [{ name: "DEVICE_LIST_STRATEGY", value: "${var.strategy}" }] }),
          cdi: daemonSet({ env: [{ name: "DEVICE_LIST_STRATEGY", value: "cdi-annotations" }] }),
          other: {
            metadata: { name: "agent" },
            spec: { template: { spec: { container: [{ name: "agent", image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/agent:1" }] } } },
          },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "kubernetes_daemon_set_v1.mounts": "pass",
      "kubernetes_daemon_set_v1.defaulted": "fail",
      "kubernetes_daemon_set_v1.envvar": "fail",
      "kubernetes_daemon_set_v1.variable": "fail",
      "kubernetes_daemon_set_v1.cdi": "fail",
    });
    const message = (name: string) => findingFor(findings, `kubernetes_daemon_set_v1.${name}`).message;
    expect(message("defaulted")).toMatch(/DEVICE_LIST_STRATEGY is not set, so the plugin uses its default, "envvar"/);
    expect(message("envvar")).toMatch(/"envvar,volume-mounts": the plugin passes devices as NVIDIA_VISIBLE_DEVICES/);
    expect(message("variable")).toMatch(/^unresolved: container "plugin": DEVICE_LIST_STRATEGY is .*var\.strategy/);
    expect(message("cdi")).toMatch(/^unresolved: .*only "volume-mounts" is known/);
  });
});
