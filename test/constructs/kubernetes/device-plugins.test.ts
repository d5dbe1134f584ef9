import { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { Testing } from "cdktf";
import { DEVICE_PLUGIN_DIR, NitroEnclavesDevicePlugin, NvidiaDevicePlugin } from "../../../constructs/kubernetes/device-plugins";
import { SecureStack } from "../../../lib/secure-stack";
import { checkStackJson } from "../../../lib/compliance/aspect";
import { failures, findingsOf, statusOf, synthJson } from "./engine";

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;
const NVIDIA_IMAGE = `nvcr.io/nvidia/k8s-device-plugin:v0.17.1@${DIGEST}`;
const ENCLAVES_IMAGE = `public.ecr.aws/aws-nitro-enclaves/aws-nitro-enclaves-k8s-device-plugin:v0.3@${DIGEST}`;

function setup() {
  const stack = new SecureStack(Testing.app(), "test");
  new NvidiaDevicePlugin(stack, "NvidiaDevicePlugin", { image: NVIDIA_IMAGE });
  new NitroEnclavesDevicePlugin(stack, "EnclavesDevicePlugin", { image: ENCLAVES_IMAGE });
  return { stack, synth: Testing.synth(stack), json: synthJson(stack) };
}

const podSpec = (json: ReturnType<typeof synthJson>, name: string) => json.resource.kubernetes_daemon_set_v1[name].spec.template.spec;
const HARDENED = { privileged: false, allow_privilege_escalation: false, read_only_root_filesystem: true, capabilities: { drop: ["ALL"] } };
const TENANT_POOLS = { key: "saip.io/tenant", operator: "Exists", effect: "NoSchedule" };

describe.each([
  ["NvidiaDevicePlugin", "nvidia_device_plugin", "nvidia-device-plugin", NVIDIA_IMAGE, { "nvidia.com/gpu.present": "true" }, "nvidia.com/gpu"],
  ["NitroEnclavesDevicePlugin", "enclaves_device_plugin", "aws-nitro-enclaves-k8s-dp", ENCLAVES_IMAGE, { "aws-nitro-enclaves-k8s-dp": "enabled" }, "aws.amazon.com/nitro-enclaves"],
])("%s", (_, resource, name, image, nodeSelector, taint) => {
  it("runs in kube-system on the matching pools only, tolerating their taints and tenant pools' taints", () => {
    const { json, synth } = setup();
    expect(synth).toHaveResourceWithProperties(DaemonSetV1, { metadata: { name, namespace: "kube-system", labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "saip" } } });
    const spec = podSpec(json, resource);
    expect(spec.node_selector).toEqual(nodeSelector);
    expect(spec.toleration).toEqual([{ key: taint, operator: "Exists", effect: "NoSchedule" }, TENANT_POOLS]);
    expect(spec.priority_class_name).toBe("system-node-critical");
  });

  it("is locked down: digest-pinned image, read-only root, no escalation, no capabilities, no token, no host namespaces", () => {
    const spec = podSpec(setup().json, resource);
    expect(spec.container).toHaveLength(1);
    const [container] = spec.container;
    expect(container.image).toBe(image);
    expect(container.security_context).toEqual(HARDENED);
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits).toBeDefined();
    expect(spec.security_context).toEqual({ seccomp_profile: { type: "RuntimeDefault" } });
    expect(spec.automount_service_account_token).toBe(false);
    for (const field of ["host_network", "host_pid", "host_ipc"]) expect(spec[field]).toBeUndefined();
  });

  it("mounts one host path, the kubelet's device-plugin directory, and nothing else from the host", () => {
    const spec = podSpec(setup().json, resource);
    expect(spec.volume).toEqual([{ name: "device-plugins", host_path: { path: DEVICE_PLUGIN_DIR, type: "Directory" } }]);
    expect(spec.container[0].volume_mount).toEqual([{ name: "device-plugins", mount_path: DEVICE_PLUGIN_DIR }]);
  });
});

describe("device plugin props", () => {
  it("sets upstream's resources and environment, and takes others", () => {
    const stack = new SecureStack(Testing.app(), "test");
    new NvidiaDevicePlugin(stack, "NvidiaDevicePlugin", {
      image: NVIDIA_IMAGE,
      resources: { cpuRequest: "100m", memoryRequest: "128Mi", cpuLimit: "1", memoryLimit: "512Mi" },
      extraTolerations: [{ key: "example.com/maintenance", operator: "Exists", effect: "NoExecute" }],
    });
    new NitroEnclavesDevicePlugin(stack, "EnclavesDevicePlugin", { image: ENCLAVES_IMAGE, maxEnclavesPerNode: 2 });
    const json = synthJson(stack);
    const nvidia = podSpec(json, "nvidia_device_plugin");
    expect(nvidia.container[0].resources).toEqual({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } });
    expect(nvidia.container[0].env).toEqual([{ name: "FAIL_ON_INIT_ERROR", value: "false" }]);
    expect(nvidia.toleration).toContainEqual({ key: "example.com/maintenance", operator: "Exists", effect: "NoExecute" });
    const enclaves = podSpec(json, "enclaves_device_plugin");
    expect(enclaves.container[0].resources).toEqual({ requests: { cpu: "10m", memory: "15Mi" }, limits: { cpu: "100m", memory: "15Mi" } });
    expect(enclaves.container[0].env).toEqual([{ name: "MAX_ENCLAVES_PER_NODE", value: "2" }, { name: "ENCLAVE_CPU_ADVERTISEMENT", value: "false" }]);
  });

  it.each([
    "nvcr.io/nvidia/k8s-device-plugin:v0.17.1",
    `nvcr.io/nvidia/k8s-device-plugin@sha256:${"0".repeat(63)}`,
    `nvcr.io/nvidia/k8s-device-plugin@sha256:${"A".repeat(64)}`,
    `nvcr.io/nvidia/k8s-device-plugin@sha256:${"0".repeat(64)}-extra`,
  ])("rejects the image %s", (image) => {
    const stack = new SecureStack(Testing.app(), "test");
    expect(() => new NvidiaDevicePlugin(stack, "NvidiaDevicePlugin", { image })).toThrow(
      `test/NvidiaDevicePlugin: image must be pinned by digest as repository[:tag]@sha256:<64 lower-case hex>, got '${image}'.`,
    );
  });

  it("rejects maxEnclavesPerNode 0", () => {
    const stack = new SecureStack(Testing.app(), "test");
    expect(() => new NitroEnclavesDevicePlugin(stack, "EnclavesDevicePlugin", { image: ENCLAVES_IMAGE, maxEnclavesPerNode: 0 })).toThrow(
      "test/EnclavesDevicePlugin: maxEnclavesPerNode must be a whole number of at least 1, got 0.",
    );
  });
});

describe("device plugins under the compliance engine", () => {
  it("pass every workload rule without a waiver: the engine has no rule on hostPath or running as root", () => {
    const { stack } = setup();
    const findings = findingsOf(stack);
    expect(failures(findings)).toEqual([]);
    for (const resource of ["kubernetes_daemon_set_v1.nvidia_device_plugin", "kubernetes_daemon_set_v1.enclaves_device_plugin"]) {
      expect(findings.filter((f) => f.resource === resource).map((f) => [f.ruleId, f.status]).sort()).toEqual([
        ["k8s-container-no-privilege-escalation", "pass"],
        ["k8s-container-not-privileged", "pass"],
        ["k8s-container-read-only-root-fs", "pass"],
        ["k8s-image-pinned-by-digest", "pass"],
        ["k8s-pod-no-host-namespaces", "pass"],
      ]);
    }
    // Nothing to waive, so nothing is waived: a waiver that matches nothing only hides future findings.
    expect(checkStackJson(stack).waivers).toEqual([]);
  });

  it("fails the matching rule when a plugin's spec is weakened after synth", () => {
    const { stack, json } = setup();
    const spec = podSpec(json, "nvidia_device_plugin");
    spec.container[0].image = "nvcr.io/nvidia/k8s-device-plugin:v0.17.1";
    spec.container[0].security_context.privileged = true;
    spec.host_pid = true;
    const findings = findingsOf(stack, json);
    const resource = "kubernetes_daemon_set_v1.nvidia_device_plugin";
    expect(statusOf(findings, "k8s-image-pinned-by-digest", resource)).toBe("fail");
    expect(statusOf(findings, "k8s-container-not-privileged", resource)).toBe("fail");
    expect(statusOf(findings, "k8s-pod-no-host-namespaces", resource)).toBe("fail");
    expect(statusOf(findings, "k8s-image-pinned-by-digest", "kubernetes_daemon_set_v1.enclaves_device_plugin")).toBe("pass");
  });
});
