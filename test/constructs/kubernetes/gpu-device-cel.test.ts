import { gpuDevicePolicyManifest, NVIDIA_DEVICE_VARIABLES } from "../../../lib/rules/kubernetes/gpu-device-policy";
import { compileCel } from "./cel-subset";

// The validations as GpuDeviceAdmissionPolicy deploys them, in the manifest's order.
const DEPLOYED = gpuDevicePolicyManifest().spec.validations;
const validations = DEPLOYED.map((v) => ({ message: v.message, evaluate: compileCel(v.expression) }));
const [CONTAINERS, INIT, EPHEMERAL, HOST_PATH, CDI] = DEPLOYED.map((v) => v.message);

type Pod = { annotations?: Record<string, string>; spec?: Record<string, unknown> };

/** The API server's decision under the policy: "admitted", or the failing validations' messages (an error denies: failurePolicy Fail). */
function admit({ annotations, spec = {} }: Pod): string[] | "admitted" {
  const object = { metadata: { name: "p", ...(annotations ? { annotations } : {}) }, spec: { containers: [{ name: "app" }], ...spec } };
  const denied: string[] = [];
  for (const v of validations) {
    try {
      if (v.evaluate({ object }) !== true) denied.push(v.message);
    } catch (e) {
      denied.push(`error: ${(e as Error).message}`);
    }
  }
  return denied.length === 0 ? "admitted" : denied;
}

const container = (extra: Record<string, unknown>) => ({ name: "app", image: "serving", ...extra });
const hostPath = (path: string) => ({ spec: { volumes: [{ name: "h", hostPath: { path } }] } });

describe("the GPU device policy's CEL, evaluated on sample pods", () => {
  it("admits an ordinary GPU pod: the device plugin's resource, its own variables, a ConfigMap, an emptyDir, its own annotations", () => {
    expect(admit({})).toBe("admitted");
    expect(
      admit({
        annotations: { "app.kubernetes.io/name": "llm", "prometheus.io/scrape": "true" },
        spec: {
          containers: [
            container({
              env: [{ name: "CUDA_MODULE_LOADING", value: "LAZY" }, { name: "MODEL" }],
              envFrom: [{ configMapRef: { name: "settings" } }, { prefix: "APP_", secretRef: { name: "keys" } }, { prefix: "" }],
              resources: { limits: { "nvidia.com/gpu": "1" } },
            }),
          ],
          initContainers: [container({ env: [{ name: "STAGE", value: "fetch" }] })],
          volumes: [
            { name: "scratch", emptyDir: {} },
            { name: "logs", hostPath: { path: "/var/log/app" } },
          ],
        },
      }),
    ).toBe("admitted");
  });

  it("denies each NVIDIA device variable in env, in containers, init and ephemeral containers alike", () => {
    for (const name of NVIDIA_DEVICE_VARIABLES) {
      expect(admit({ spec: { containers: [container({ env: [{ name, value: "all" }] })] } })).toEqual([CONTAINERS]);
    }
    const env = [{ name: "MODEL" }, { name: "NVIDIA_VISIBLE_DEVICES", value: "all" }];
    expect(admit({ spec: { initContainers: [container({ env })] } })).toEqual([INIT]);
    expect(admit({ spec: { ephemeralContainers: [container({ env })] } })).toEqual([EPHEMERAL]);
  });

  it("denies an envFrom prefix that could spell one of them, and no other", () => {
    for (const prefix of ["NVIDIA_", "N", "NVIDIA_MIG_", "NVIDIA_VISIBLE_DEVICES"]) {
      expect(admit({ spec: { containers: [container({ envFrom: [{ prefix, configMapRef: { name: "gpu" } }] })] } })).toEqual([CONTAINERS]);
    }
    expect(admit({ spec: { containers: [container({ envFrom: [{ prefix: "NVIDIA_VISIBLE_DEVICES_X" }] })] } })).toBe("admitted");
  });

  it("denies the host's /dev, its NVIDIA devices and paths that climb, however written", () => {
    for (const path of [
      "/dev/nvidia0",
      "/dev/nvidiactl",
      "/dev",
      "//dev/",
      "/",
      "//",
      "/run/nvidia/driver",
      "/var/../dev",
      "/usr/lib/nvidia",
    ]) {
      expect([path, admit(hostPath(path))]).toEqual([path, [HOST_PATH]]);
    }
    // Not /dev: a name that only starts with it.
    expect(admit(hostPath("/devices-inventory"))).toBe("admitted");
  });

  it("denies CDI annotations, which ask the runtime for devices directly", () => {
    expect(admit({ annotations: { "cdi.k8s.io/gpu": "nvidia.com/gpu=all" } })).toEqual([CDI]);
    expect(admit({ annotations: { "cdi.k8s.io/": "x", other: "y" } })).toEqual([CDI]);
  });

  it("reports every broken rule of one pod", () => {
    expect(
      admit({
        annotations: { "cdi.k8s.io/gpu": "nvidia.com/gpu=0" },
        spec: {
          containers: [container({ env: [{ name: "NVIDIA_DRIVER_CAPABILITIES", value: "all" }] })],
          initContainers: [container({ envFrom: [{ prefix: "NVIDIA" }] })],
          ephemeralContainers: [container({ env: [{ name: "NVIDIA_MIG_CONFIG_DEVICES", value: "all" }] })],
          volumes: [{ name: "dev", hostPath: { path: "/dev" } }],
        },
      }),
    ).toEqual([CONTAINERS, INIT, EPHEMERAL, HOST_PATH, CDI]);
  });

  // Admission sees the pod, not ConfigMap keys: an envFrom without a prefix that brings NVIDIA_VISIBLE_DEVICES from a
  // ConfigMap is admitted. The nodes' runtime ignores the variable in unprivileged containers (node-pool-user-data.ts).
  it("admits an envFrom without a prefix, whatever its ConfigMap holds: the runtime setting is the control there", () => {
    expect(admit({ spec: { containers: [container({ envFrom: [{ configMapRef: { name: "holds-nvidia-visible-devices" } }] })] } })).toBe(
      "admitted",
    );
  });
});
