import { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { Testing } from "cdktf";
import { DEVICE_PLUGIN_DIR, NitroEnclavesDevicePlugin, NvidiaDevicePlugin } from "../../../constructs/kubernetes/device-plugins";
import { SecureStack } from "../../../lib/secure-stack";
import { checkStackJson, stackJson } from "../../../lib/compliance/aspect";
import { isObject, Json } from "../../../lib/terraform/model";
import { failures, findingsOf, statusOf, synthJson } from "./engine";

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;
const NVIDIA_IMAGE = `111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirror/nvidia/k8s-device-plugin:v0.17.1@${DIGEST}`;
const ENCLAVES_IMAGE = `111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirror/aws-nitro-enclaves/aws-nitro-enclaves-k8s-device-plugin:v0.3@${DIGEST}`;
const EXPIRES = "2027-06-30";
/** A day the waivers hold on, so the test does not depend on the clock. */
const BEFORE_EXPIRY = new Date("2027-01-15T00:00:00Z");
const PLUGINS = ["kubernetes_daemon_set_v1.nvidia_device_plugin", "kubernetes_daemon_set_v1.enclaves_device_plugin"];
const WAIVED_RULES = ["k8s-container-run-as-non-root", "k8s-pod-no-host-path"];

function setup() {
  const stack = new SecureStack(Testing.app(), "test");
  new NvidiaDevicePlugin(stack, "NvidiaDevicePlugin", { image: NVIDIA_IMAGE, waiverExpires: EXPIRES });
  new NitroEnclavesDevicePlugin(stack, "EnclavesDevicePlugin", { image: ENCLAVES_IMAGE, waiverExpires: EXPIRES });
  return { stack, synth: Testing.synth(stack), json: synthJson(stack) };
}

const podSpec = (json: ReturnType<typeof synthJson>, name: string) => json.resource.kubernetes_daemon_set_v1[name].spec.template.spec;
const HARDENED = { privileged: false, allow_privilege_escalation: false, read_only_root_filesystem: true, capabilities: { drop: ["ALL"] } };
const TENANT_POOLS = { key: "saip.io/tenant", operator: "Exists", effect: "NoSchedule" };

describe.each([
  [
    "NvidiaDevicePlugin",
    "nvidia_device_plugin",
    "nvidia-device-plugin",
    NVIDIA_IMAGE,
    { "nvidia.com/gpu.present": "true" },
    "nvidia.com/gpu",
  ],
  [
    "NitroEnclavesDevicePlugin",
    "enclaves_device_plugin",
    "aws-nitro-enclaves-k8s-dp",
    ENCLAVES_IMAGE,
    { "aws-nitro-enclaves-k8s-dp": "enabled" },
    "aws.amazon.com/nitro-enclaves",
  ],
])("%s", (_, resource, name, image, nodeSelector, taint) => {
  it("runs in kube-system on the matching pools only, tolerating their taints and tenant pools' taints", () => {
    const { json, synth } = setup();
    expect(synth).toHaveResourceWithProperties(DaemonSetV1, {
      metadata: { name, namespace: "kube-system", labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "saip" } },
    });
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
  it("stays off node groups whose OS runs the plugin, and sets no affinity otherwise", () => {
    const stack = new SecureStack(Testing.app(), "test");
    new NvidiaDevicePlugin(stack, "NvidiaDevicePlugin", {
      image: NVIDIA_IMAGE,
      waiverExpires: EXPIRES,
      excludeNodeGroups: ["bottlerocket-gpu"],
    });
    new NitroEnclavesDevicePlugin(stack, "EnclavesDevicePlugin", { image: ENCLAVES_IMAGE, waiverExpires: EXPIRES });
    const json = synthJson(stack);
    expect(podSpec(json, "nvidia_device_plugin").affinity).toEqual({
      node_affinity: {
        required_during_scheduling_ignored_during_execution: {
          node_selector_term: [
            { match_expressions: [{ key: "eks.amazonaws.com/nodegroup", operator: "NotIn", values: ["bottlerocket-gpu"] }] },
          ],
        },
      },
    });
    expect(podSpec(json, "enclaves_device_plugin").affinity).toBeUndefined();
  });

  it("sets upstream's resources and environment, and takes others", () => {
    const stack = new SecureStack(Testing.app(), "test");
    new NvidiaDevicePlugin(stack, "NvidiaDevicePlugin", {
      image: NVIDIA_IMAGE,
      waiverExpires: EXPIRES,
      resources: { cpuRequest: "100m", memoryRequest: "128Mi", cpuLimit: "1", memoryLimit: "512Mi" },
      extraTolerations: [{ key: "example.com/maintenance", operator: "Exists", effect: "NoExecute" }],
    });
    new NitroEnclavesDevicePlugin(stack, "EnclavesDevicePlugin", { image: ENCLAVES_IMAGE, maxEnclavesPerNode: 2, waiverExpires: EXPIRES });
    const json = synthJson(stack);
    const nvidia = podSpec(json, "nvidia_device_plugin");
    expect(nvidia.container[0].resources).toEqual({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } });
    expect(nvidia.container[0].env).toEqual([
      { name: "FAIL_ON_INIT_ERROR", value: "false" },
      { name: "DEVICE_LIST_STRATEGY", value: "volume-mounts" },
      { name: "PASS_DEVICE_SPECS", value: "true" },
    ]);
    expect(nvidia.toleration).toContainEqual({ key: "example.com/maintenance", operator: "Exists", effect: "NoExecute" });
    const enclaves = podSpec(json, "enclaves_device_plugin");
    expect(enclaves.container[0].resources).toEqual({ requests: { cpu: "10m", memory: "15Mi" }, limits: { cpu: "100m", memory: "15Mi" } });
    expect(enclaves.container[0].env).toEqual([
      { name: "MAX_ENCLAVES_PER_NODE", value: "2" },
      { name: "ENCLAVE_CPU_ADVERTISEMENT", value: "false" },
    ]);
  });

  it.each([
    "nvcr.io/nvidia/k8s-device-plugin:v0.17.1",
    `nvcr.io/nvidia/k8s-device-plugin@sha256:${"0".repeat(63)}`,
    `nvcr.io/nvidia/k8s-device-plugin@sha256:${"A".repeat(64)}`,
    `nvcr.io/nvidia/k8s-device-plugin@sha256:${"0".repeat(64)}-extra`,
  ])("rejects the image %s", (image) => {
    const stack = new SecureStack(Testing.app(), "test");
    expect(() => new NvidiaDevicePlugin(stack, "NvidiaDevicePlugin", { image, waiverExpires: EXPIRES })).toThrow(
      `test/NvidiaDevicePlugin: image must be pinned by digest as repository[:tag]@sha256:<64 lower-case hex>, got '${image}'.`,
    );
  });

  it("rejects maxEnclavesPerNode 0", () => {
    const stack = new SecureStack(Testing.app(), "test");
    expect(
      () =>
        new NitroEnclavesDevicePlugin(stack, "EnclavesDevicePlugin", {
          image: ENCLAVES_IMAGE,
          maxEnclavesPerNode: 0,
          waiverExpires: EXPIRES,
        }),
    ).toThrow("test/EnclavesDevicePlugin: maxEnclavesPerNode must be a whole number of at least 1, got 0.");
  });

  it.each(["2027-6-30", "2027-02-30", "next year"])("rejects the waiver expiry %s", (waiverExpires) => {
    const stack = new SecureStack(Testing.app(), "test");
    expect(() => new NvidiaDevicePlugin(stack, "NvidiaDevicePlugin", { image: NVIDIA_IMAGE, waiverExpires })).toThrow(
      /^test\/NvidiaDevicePlugin\/Resource: invalid waiver for k8s-pod-no-host-path: expires: /,
    );
  });
});

/** The stack's JSON (with cdktf's `//` metadata, where waivers travel) minus the plugins' waivers. */
function withoutWaivers(stack: SecureStack): Json {
  const json = stackJson(stack) as { resource: Record<string, Record<string, Record<string, Json>>> };
  for (const address of PLUGINS) {
    const meta = json.resource.kubernetes_daemon_set_v1[address.split(".")[1]]["//"];
    if (!isObject(meta) || !meta.saip_waivers) throw new Error(`${address} carries no waivers`);
    delete meta.saip_waivers;
  }
  return json as unknown as Json;
}

describe("device plugins under the compliance engine", () => {
  it("breaks only the hostPath and run-as-non-root rules, both waived with their reasons, and nothing fails", () => {
    const { stack } = setup();
    const report = checkStackJson(stack, { now: BEFORE_EXPIRY });
    expect(failures(report.findings)).toEqual([]);
    for (const resource of PLUGINS) {
      expect(
        report.findings
          .filter((f) => f.resource === resource)
          .map((f) => [f.ruleId, f.status])
          .sort(),
      ).toEqual([
        ["k8s-container-no-privilege-escalation", "pass"],
        ["k8s-container-not-privileged", "pass"],
        ["k8s-container-read-only-root-fs", "pass"],
        ["k8s-container-run-as-non-root", "waived"],
        // The NVIDIA plugin passes each container's GPUs as volume mounts, never NVIDIA_VISIBLE_DEVICES.
        ...(resource.includes("nvidia") ? [["k8s-gpu-device-plugin-volume-mounts", "pass"]] : []),
        ["k8s-image-from-private-registry", "pass"],
        ["k8s-image-pinned-by-digest", "pass"],
        ["k8s-pod-no-host-namespaces", "pass"],
        ["k8s-pod-no-host-path", "waived"],
      ]);
      const hostPath = report.findings.find((f) => f.resource === resource && f.ruleId === "k8s-pod-no-host-path")!;
      expect(hostPath.message).toMatch(
        new RegExp(
          `^the pod mounts the host's file system: volume "device-plugins" mounts host_path "${DEVICE_PLUGIN_DIR}" \\(waived by platform-team until ${EXPIRES}: `,
        ),
      );
      const root = report.findings.find((f) => f.resource === resource && f.ruleId === "k8s-container-run-as-non-root")!;
      expect(root.message).toMatch(
        /^container "[\w-]+": neither run_as_non_root = true nor run_as_user > 0 is set .*\(waived by platform-team until 2027-06-30: /,
      );
    }
    // Exactly the two rules per plugin, each matching its own DaemonSet and nothing else.
    expect(report.waivers.map((w) => [w.resource, w.rule, w.owner, w.expires, w.matched, w.expired]).sort()).toEqual(
      PLUGINS.flatMap((resource) => WAIVED_RULES.map((rule) => [resource, rule, "platform-team", EXPIRES, 1, false])).sort(),
    );
  });

  it.each([
    [
      "kubernetes_daemon_set_v1.nvidia_device_plugin",
      "The NVIDIA device plugin registers nvidia.com/gpu",
      "the NVIDIA device plugin's socket",
    ],
    [
      "kubernetes_daemon_set_v1.enclaves_device_plugin",
      "The Nitro Enclaves device plugin registers aws.ec2.nitro/nitro_enclaves",
      "the Nitro Enclaves device plugin's socket",
    ],
  ])("gives %s reasons that say why the path and root are needed and what limits them", (resource, hostPathStart, rootPlugin) => {
    const waivers = checkStackJson(setup().stack, { now: BEFORE_EXPIRY }).waivers.filter((w) => w.resource === resource);
    const hostPath = waivers.find((w) => w.rule === "k8s-pod-no-host-path")!.reason;
    expect(hostPath.startsWith(hostPathStart)).toBe(true);
    expect(hostPath).toContain(`Unix socket it must create in the kubelet's device-plugin directory ${DEVICE_PLUGIN_DIR}`);
    const root = waivers.find((w) => w.rule === "k8s-container-run-as-non-root")!.reason;
    expect(root).toContain(`The kubelet creates ${DEVICE_PLUGIN_DIR} root-owned`);
    expect(root).toContain(`only uid 0 can create ${rootPlugin}`);
    for (const reason of [hostPath, root]) {
      for (const limit of ["read-only root file system", "no privilege escalation", "every capability dropped", "pinned by digest"])
        expect(reason).toContain(limit);
    }
  });

  it("fails the two rules when the waivers are removed, and when they expire", () => {
    const { stack } = setup();
    const bare = checkStackJson(stack, { now: BEFORE_EXPIRY }, withoutWaivers(stack));
    const notRoot =
      "neither run_as_non_root = true nor run_as_user > 0 is set on the container or the pod, so the image's user (often root) applies";
    const hostPath = `the pod mounts the host's file system: volume "device-plugins" mounts host_path "${DEVICE_PLUGIN_DIR}"`;
    expect(failures(bare.findings).sort()).toEqual([
      `k8s-container-run-as-non-root ${PLUGINS[1]}: container "aws-nitro-enclaves-k8s-dp": ${notRoot}`,
      `k8s-container-run-as-non-root ${PLUGINS[0]}: container "nvidia-device-plugin": ${notRoot}`,
      `k8s-pod-no-host-path ${PLUGINS[1]}: ${hostPath}`,
      `k8s-pod-no-host-path ${PLUGINS[0]}: ${hostPath}`,
    ]);
    expect(bare.waivers).toEqual([]);
    const expired = checkStackJson(stack, { now: new Date("2027-07-01T00:00:00Z") });
    expect(
      expired.findings
        .filter((f) => f.status === "fail" && f.resource !== "terraform")
        .map((f) => `${f.ruleId} ${f.resource}`)
        .sort(),
    ).toEqual(PLUGINS.flatMap((resource) => WAIVED_RULES.map((rule) => `${rule} ${resource}`)).sort());
    expect(expired.findings.find((f) => f.ruleId === "k8s-pod-no-host-path")!.message).toMatch(
      /\(waiver by platform-team expired on 2027-06-30\)$/,
    );
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
