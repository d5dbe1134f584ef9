import type { AdmissionValidation } from "./admission";
import { TENANT_LABEL_KEY } from "./placement-policy";

/**
 * The GPU device policy as data: the ValidatingAdmissionPolicy that
 * GpuDeviceAdmissionPolicy deploys and the exact CEL the rule
 * k8s-namespace-gpu-bypass-denied recognises, so the two cannot drift apart.
 *
 * A pod in a tenant namespace gets GPUs only by asking the device plugin for
 * them (`nvidia.com/gpu`), which the quota counts. It is denied when any of
 * its containers (init and ephemeral too) names in `env` a variable the NVIDIA
 * container runtime reads to choose devices or driver capabilities, or takes
 * variables through `envFrom` with a prefix that could spell one; when it
 * mounts the host's /dev, a /dev/nvidia* device or a path that climbs with
 * `..`; or when it asks the container runtime for devices directly with a CDI
 * annotation (`cdi.k8s.io/...`). What admission cannot see, the variables an
 * image sets (CUDA images set NVIDIA_VISIBLE_DEVICES=all) or that come from a
 * ConfigMap through `envFrom` without a prefix, the nodes ignore: their
 * runtime reads only the devices the plugin mounts (node-pool-user-data.ts).
 */

export const GPU_DEVICE_POLICY_NAME = "saip-gpu-devices";

/** Variables the NVIDIA container runtime reads to pick devices and driver capabilities (nvidia-container-toolkit). */
export const NVIDIA_DEVICE_VARIABLES = [
  "NVIDIA_VISIBLE_DEVICES",
  "NVIDIA_DRIVER_CAPABILITIES",
  "NVIDIA_MIG_CONFIG_DEVICES",
  "NVIDIA_MIG_MONITOR_DEVICES",
] as const;

const NAMES = `[${NVIDIA_DEVICE_VARIABLES.map((n) => `'${n}'`).join(", ")}]`;

function containerValidation(list: "containers" | "initContainers" | "ephemeralContainers", kind: string): AdmissionValidation {
  return {
    expression:
      `!has(object.spec.${list}) || object.spec.${list}.all(c, ` +
      `(!has(c.env) || c.env.all(e, !(e.name in ${NAMES}))) && ` +
      `(!has(c.envFrom) || c.envFrom.all(f, !has(f.prefix) || f.prefix == '' || !${NAMES}.exists(n, n.startsWith(f.prefix)))))`,
    message: `${kind} may not set ${NVIDIA_DEVICE_VARIABLES.join(", ")} (in env, or through an envFrom prefix): GPUs come only from the device plugin, by requesting nvidia.com/gpu.`,
    reason: "Forbidden",
  };
}

export const GPU_DEVICE_VALIDATIONS: readonly AdmissionValidation[] = [
  containerValidation("containers", "Containers"),
  containerValidation("initContainers", "Init containers"),
  containerValidation("ephemeralContainers", "Ephemeral containers"),
  {
    expression:
      "!has(object.spec.volumes) || object.spec.volumes.all(v, !has(v.hostPath) || " +
      "!(v.hostPath.path.matches('^/*$') || v.hostPath.path.matches('^/+dev(/|$)') || v.hostPath.path.contains('nvidia') || v.hostPath.path.contains('..')))",
    message: "Pods may not mount the host's /dev, its NVIDIA devices, or a host path with '..': GPUs come only from the device plugin.",
    reason: "Forbidden",
  },
  {
    expression: "!has(object.metadata.annotations) || object.metadata.annotations.all(k, !k.startsWith('cdi.k8s.io/'))",
    message: "Pods may not request devices from the container runtime with cdi.k8s.io/ annotations: GPUs come only from the device plugin.",
    reason: "Forbidden",
  },
];

/** The policy's manifest. Ephemeral containers arrive through their own subresource, which it matches too. */
export function gpuDevicePolicyManifest(name = GPU_DEVICE_POLICY_NAME) {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: { name, labels: { "app.kubernetes.io/part-of": "saip" } },
    spec: {
      // An evaluation error rejects the pod rather than letting it reach devices unchecked.
      failurePolicy: "Fail",
      matchConstraints: {
        resourceRules: [
          { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods", "pods/ephemeralcontainers"] },
        ],
      },
      validations: GPU_DEVICE_VALIDATIONS.map((v) => ({ ...v })),
    },
  };
}

/** The binding that puts the policy in force, denying, in every namespace with a tenant label. */
export function gpuDeviceBindingManifest(policyName = GPU_DEVICE_POLICY_NAME) {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name: policyName, labels: { "app.kubernetes.io/part-of": "saip" } },
    spec: {
      policyName,
      validationActions: ["Deny"],
      matchResources: { namespaceSelector: { matchExpressions: [{ key: TENANT_LABEL_KEY, operator: "Exists" }] } },
    },
  };
}
