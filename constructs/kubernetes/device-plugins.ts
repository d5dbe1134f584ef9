import {
  DaemonSetV1,
  DaemonSetV1SpecTemplateSpecContainerEnv,
  DaemonSetV1SpecTemplateSpecToleration,
} from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { Construct } from "constructs";
import { Waivers } from "../../lib/compliance/construct-waivers";
import { containerRunAsNonRoot } from "../../lib/rules/kubernetes/container-run-as-non-root";
import { podNoHostPath } from "../../lib/rules/kubernetes/pod-no-host-path";
import { Toleration } from "./pod-placement";

/** CPU and memory of the plugin container. */
export interface DevicePluginResources {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly cpuLimit: string;
  readonly memoryLimit: string;
}

export interface DevicePluginProps {
  /**
   * Image pinned by digest: `repository[:tag]@sha256:<64 hex>`. Mirror it into the
   * platform's ECR (a private cluster has no route to public registries).
   */
  readonly image: string;
  /** Tolerations besides the pool taints the plugin already tolerates. @default - none */
  readonly extraTolerations?: Toleration[];
  /** Requests and limits. @default - per plugin, see each class */
  readonly resources?: DevicePluginResources;
  /**
   * EKS node groups the plugin must stay off (matched on the
   * `eks.amazonaws.com/nodegroup` label EKS sets): Bottlerocket NVIDIA pools,
   * whose OS runs the NVIDIA plugin already; two plugins would both register
   * the same resource with the kubelet. @default - none
   */
  readonly excludeNodeGroups?: string[];
  /**
   * Expiry (YYYY-MM-DD) of the waivers for the two rules a device plugin
   * cannot meet, k8s-pod-no-host-path and k8s-container-run-as-non-root, so
   * they come up for review.
   */
  readonly waiverExpires: string;
}

export interface NitroEnclavesDevicePluginProps extends DevicePluginProps {
  /** Pods per node that may share the enclave device (`MAX_ENCLAVES_PER_NODE`). @default 4 */
  readonly maxEnclavesPerNode?: number;
}

/** The kubelet's registration directory: every device plugin puts its socket here. */
export const DEVICE_PLUGIN_DIR = "/var/lib/kubelet/device-plugins";
const DIGEST_IMAGE = /^[^\s@]+@sha256:[0-9a-f]{64}$/;
/** Dedicated tenant pools carry a `saip.io/tenant` taint; their GPUs and enclaves need the plugin too. */
const TENANT_POOLS: Toleration = { key: "saip.io/tenant", operator: "Exists", effect: "NoSchedule" };

interface PluginSpec {
  readonly name: string;
  /** "The NVIDIA device plugin", for waiver reasons. */
  readonly title: string;
  /** The extended resource it advertises. */
  readonly resource: string;
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: Toleration[];
  readonly defaults: DevicePluginResources;
  readonly env: DaemonSetV1SpecTemplateSpecContainerEnv[];
}

/**
 * A device plugin DaemonSet in kube-system, as locked down as the plugin
 * allows: a read-only root file system, no privilege escalation, every
 * capability dropped, RuntimeDefault seccomp, no API token, no host
 * namespaces, and one hostPath, the kubelet's device-plugin directory,
 * where it registers over a Unix socket.
 *
 * It runs as root (uid 0, with no capabilities): the kubelet creates that
 * directory root-owned and only root may create the plugin's socket in it.
 * So the pod cannot meet the restricted Pod Security Standard (no hostPath,
 * non-root), which is why it lives in kube-system and not a tenant namespace,
 * and why its DaemonSet carries waivers for exactly those two rules.
 */
function devicePluginDaemonSet(scope: Construct, props: DevicePluginProps, plugin: PluginSpec): DaemonSetV1 {
  const path = scope.node.path;
  if (!DIGEST_IMAGE.test(props.image)) {
    throw new Error(`${path}: image must be pinned by digest as repository[:tag]@sha256:<64 lower-case hex>, got '${props.image}'.`);
  }
  const r = props.resources ?? plugin.defaults;
  const labels = { "app.kubernetes.io/name": plugin.name, "app.kubernetes.io/part-of": "saip" };
  const tolerations: DaemonSetV1SpecTemplateSpecToleration[] = [...plugin.tolerations, TENANT_POOLS, ...(props.extraTolerations ?? [])].map(
    (t) => ({ ...t }),
  );
  const daemonSet = new DaemonSetV1(scope, "Resource", {
    metadata: { name: plugin.name, namespace: "kube-system", labels },
    spec: {
      selector: { matchLabels: labels },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "1" } },
      template: {
        metadata: { labels },
        spec: {
          nodeSelector: plugin.nodeSelector,
          affinity: props.excludeNodeGroups?.length
            ? {
                nodeAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerm: [
                      {
                        matchExpressions: [{ key: "eks.amazonaws.com/nodegroup", operator: "NotIn", values: [...props.excludeNodeGroups] }],
                      },
                    ],
                  },
                },
              }
            : undefined,
          toleration: tolerations,
          // Keeps the plugin scheduled (and GPUs or enclaves advertised) when the node is under pressure.
          priorityClassName: "system-node-critical",
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: { seccompProfile: { type: "RuntimeDefault" } },
          container: [
            {
              name: plugin.name,
              image: props.image,
              imagePullPolicy: "IfNotPresent",
              env: plugin.env,
              resources: { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits: { cpu: r.cpuLimit, memory: r.memoryLimit } },
              securityContext: {
                privileged: false,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
              volumeMount: [{ name: "device-plugins", mountPath: DEVICE_PLUGIN_DIR }],
            },
          ],
          volume: [{ name: "device-plugins", hostPath: { path: DEVICE_PLUGIN_DIR, type: "Directory" } }],
        },
      },
    },
  });
  const limits =
    "it is the only host path mounted, and the container has a read-only root file system, no privilege escalation, every capability dropped, " +
    "no service account token, no host namespaces and an image pinned by digest";
  Waivers.of(daemonSet)
    .add({
      rule: podNoHostPath.id,
      reason:
        `${plugin.title} registers ${plugin.resource} with the kubelet over a Unix socket it must create in the kubelet's device-plugin directory ` +
        `${DEVICE_PLUGIN_DIR}, so that directory is mounted as a hostPath (read-write, to create the socket); ${limits}.`,
      owner: "platform-team",
      expires: props.waiverExpires,
    })
    .add({
      rule: containerRunAsNonRoot.id,
      reason:
        `The kubelet creates ${DEVICE_PLUGIN_DIR} root-owned and serves kubelet.sock there, so only uid 0 can create ${plugin.title.replace(/^The /, "the ")}'s ` +
        `socket and register with the kubelet; it runs as root with every capability dropped, no privilege escalation, a read-only root file system, ` +
        `no service account token and an image pinned by digest, in kube-system, outside tenant namespaces.`,
      owner: "platform-team",
      expires: props.waiverExpires,
    });
  return daemonSet;
}

/**
 * The NVIDIA device plugin (upstream image `nvcr.io/nvidia/k8s-device-plugin`),
 * which advertises `nvidia.com/gpu` on nodes labelled
 * `nvidia.com/gpu.present=true` (NodePool sets it on NVIDIA pools) and
 * tolerates their `nvidia.com/gpu` taint. The EKS NVIDIA AMIs make the
 * NVIDIA runtime the default, which hands the plugin the GPUs it enumerates.
 * It passes each container's GPUs as volume mounts (DEVICE_LIST_STRATEGY
 * volume-mounts), which NodePool's AL2023 NVIDIA nodes read instead of
 * NVIDIA_VISIBLE_DEVICES, so a container sees only the GPUs it was allocated.
 * Locked down as far as a device plugin allows (read-only root, no
 * escalation, no capabilities, no token); it runs as uid 0 because only root
 * may create its socket in the kubelet's root-owned device-plugin directory,
 * a hostPath, so it lives in kube-system, outside the restricted standard,
 * with waivers (until `waiverExpires`) for k8s-pod-no-host-path and
 * k8s-container-run-as-non-root. Defaults: requests 50m CPU / 64Mi, limits 500m / 256Mi.
 */
export class NvidiaDevicePlugin extends Construct {
  readonly daemonSetName: string;

  constructor(scope: Construct, id: string, props: DevicePluginProps) {
    super(scope, id);
    const daemonSet = devicePluginDaemonSet(this, props, {
      name: "nvidia-device-plugin",
      title: "The NVIDIA device plugin",
      resource: "nvidia.com/gpu",
      nodeSelector: { "nvidia.com/gpu.present": "true" },
      tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
      defaults: { cpuRequest: "50m", memoryRequest: "64Mi", cpuLimit: "500m", memoryLimit: "256Mi" },
      env: [
        // Upstream's setting: a node whose driver is not ready yet logs and waits instead of crash-looping.
        { name: "FAIL_ON_INIT_ERROR", value: "false" },
        // GPUs reach a container as the volume mounts the plugin adds for its allocation, not as NVIDIA_VISIBLE_DEVICES,
        // which a CUDA image sets to "all"; the nodes' toolkit reads only the mounts (al2023NvidiaUserData) and the
        // device specs give the container the device nodes it was allocated (k8s-device-plugin: --device-list-strategy,
        // --pass-device-specs, and their environment variables).
        { name: "DEVICE_LIST_STRATEGY", value: "volume-mounts" },
        { name: "PASS_DEVICE_SPECS", value: "true" },
      ],
    });
    this.daemonSetName = daemonSet.metadata.name;
  }
}

/**
 * The AWS Nitro Enclaves device plugin (upstream image
 * `public.ecr.aws/aws-nitro-enclaves/aws-nitro-enclaves-k8s-device-plugin`),
 * which advertises `aws.ec2.nitro/nitro_enclaves` on nodes labelled
 * `aws-nitro-enclaves-k8s-dp=enabled` (NodePool sets it on enclave pools) and
 * tolerates their `aws.amazon.com/nitro-enclaves` taint. Upstream also mounts
 * the host's /dev and /sys; the plugin only names /dev/nitro_enclaves to the
 * kubelet (which maps it into pods) and leaves CPU advertisement off, so
 * neither mount is given. Runs as root, with the same two waivers, for the
 * same reason as the NVIDIA plugin. Defaults (upstream's): requests 10m CPU /
 * 15Mi, limits 100m / 15Mi.
 */
export class NitroEnclavesDevicePlugin extends Construct {
  readonly daemonSetName: string;

  constructor(scope: Construct, id: string, props: NitroEnclavesDevicePluginProps) {
    super(scope, id);
    const max = props.maxEnclavesPerNode ?? 4;
    if (!Number.isInteger(max) || max < 1)
      throw new Error(`${this.node.path}: maxEnclavesPerNode must be a whole number of at least 1, got ${max}.`);
    const daemonSet = devicePluginDaemonSet(this, props, {
      name: "aws-nitro-enclaves-k8s-dp",
      title: "The Nitro Enclaves device plugin",
      resource: "aws.ec2.nitro/nitro_enclaves",
      nodeSelector: { "aws-nitro-enclaves-k8s-dp": "enabled" },
      tolerations: [{ key: "aws.amazon.com/nitro-enclaves", operator: "Exists", effect: "NoSchedule" }],
      defaults: { cpuRequest: "10m", memoryRequest: "15Mi", cpuLimit: "100m", memoryLimit: "15Mi" },
      env: [
        { name: "MAX_ENCLAVES_PER_NODE", value: String(max) },
        { name: "ENCLAVE_CPU_ADVERTISEMENT", value: "false" },
      ],
    });
    this.daemonSetName = daemonSet.metadata.name;
  }
}
