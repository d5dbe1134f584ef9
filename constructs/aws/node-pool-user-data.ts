/**
 * Installs the Nitro Enclaves CLI and starts its allocator, which reserves
 * memory and vCPUs for enclaves at boot. MIME multi-part, the format EKS
 * merges with its own nodeadm configuration for AL2023 managed nodes. dnf
 * reaches the AL2023 repositories in S3, so a VPC without internet egress
 * must let its S3 endpoint serve them.
 */
export function enclaveUserData(memoryMiB: number, cpuCount: number): string {
  const script = [
    "#!/bin/bash",
    "set -euo pipefail",
    "dnf install -y aws-nitro-enclaves-cli",
    "mkdir -p /etc/nitro_enclaves",
    "cat > /etc/nitro_enclaves/allocator.yaml <<'EOF'",
    "---",
    `memory_mib: ${memoryMiB}`,
    `cpu_count: ${cpuCount}`,
    "EOF",
    "systemctl enable --now nitro-enclaves-allocator.service",
  ];
  return mimeScript(script);
}

function mimeScript(script: string[]): string {
  const mime = [
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="==SAIP=="',
    "",
    "--==SAIP==",
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    "",
    ...script,
    "",
    "--==SAIP==--",
    "",
  ];
  return Buffer.from(mime.join("\n")).toString("base64");
}

/** How a pool's NVIDIA GPUs are handed out: whole, cut into MIG slices, or time-sliced (dedicated pools only). */
export interface GpuSharing {
  /** Bottlerocket's name for the GPU (`a100.40gb`) and the MIG profile every GPU is cut into (`3g.20gb`). */
  readonly mig?: { readonly gpu: string; readonly profile: string };
  /** Pods per GPU when time-sliced. */
  readonly timeSlicingReplicas?: number;
}

/**
 * The NVIDIA settings of a Bottlerocket NVIDIA node, written out even where
 * they are the variant's default, so a release whose default differs cannot
 * undo them (before bottlerocket#3718 the plugin passed devices through
 * NVIDIA_VISIBLE_DEVICES):
 *
 * - the device plugin Bottlerocket runs on the host hands a container its
 *   GPUs as volume mounts (`device-list-strategy = "volume-mounts"`), with the
 *   device nodes' specs, and the NVIDIA container runtime reads only those
 *   mounts (`visible-devices-as-volume-mounts`) and ignores
 *   NVIDIA_VISIBLE_DEVICES in unprivileged containers
 *   (`visible-devices-envvar-when-unprivileged = false`), so a CUDA image that
 *   sets `NVIDIA_VISIBLE_DEVICES=all` sees only the GPUs (or MIG slices) its
 *   pod was given (Bottlerocket settings reference, kubelet-device-plugins and
 *   nvidia-container-runtime; SECURITY_GUIDANCE.md, "Enforce requested NVIDIA
 *   GPU limits for unprivileged containers");
 * - MIG: every GPU is cut into one profile at boot by Bottlerocket's MIG
 *   manager (A100 nodes reboot once to enter MIG mode), and the plugin
 *   advertises each slice as one `nvidia.com/gpu` (Bottlerocket supports only
 *   the single strategy, bottlerocket#4483), which tenant quotas count;
 * - time-slicing keeps the `nvidia.com/gpu` name (`rename-by-default =
 *   false`), so quotas count the replicas, and refuses requests for more than
 *   one replica, which would not get more GPU.
 */
export function nvidiaSettings(sharing: GpuSharing = {}): string[] {
  const plugin = [
    "[settings.kubelet-device-plugins.nvidia]",
    'device-list-strategy = "volume-mounts"',
    "pass-device-specs = true",
    // Written only when used: releases before 1.25.0 and 1.34.0 do not know these settings, and Bottlerocket
    // refuses user data with settings it does not know. Their default is "none" (whole GPUs).
    ...(sharing.timeSlicingReplicas ? ['device-sharing-strategy = "time-slicing"'] : []),
    ...(sharing.mig ? ['device-partitioning-strategy = "mig"'] : []),
    "",
  ];
  const mig = sharing.mig
    ? ["[settings.kubelet-device-plugins.nvidia.mig.profile]", `"${sharing.mig.gpu}" = "${sharing.mig.profile}"`, ""]
    : [];
  const slicing = sharing.timeSlicingReplicas
    ? [
        "[settings.kubelet-device-plugins.nvidia.time-slicing]",
        `replicas = ${sharing.timeSlicingReplicas}`,
        "rename-by-default = false",
        "fail-requests-greater-than-one = true",
        "",
      ]
    : [];
  const runtime = [
    "[settings.nvidia-container-runtime]",
    "visible-devices-as-volume-mounts = true",
    "visible-devices-envvar-when-unprivileged = false",
    "",
  ];
  return [...plugin, ...mig, ...slicing, ...runtime];
}

/**
 * Bottlerocket settings (TOML, the only user data format Bottlerocket reads),
 * which EKS merges with the cluster settings it adds itself for managed AMI
 * types (EKS User Guide, "Customize managed nodes with launch templates"):
 *
 * - kernel lockdown "integrity" on the variants without NVIDIA drivers: no
 *   unsigned kernel modules, no /dev/mem or kexec of an unsigned kernel, so a
 *   root process cannot change the running kernel that dm-verity's checks
 *   depend on. The NVIDIA variants are left at their own default, which is
 *   none: they load the NVIDIA driver's unsigned kernel modules at boot, which
 *   integrity mode prohibits (bottlerocket-os/bottlerocket#3097,
 *   SECURITY_FEATURES.md), and with integrity set `modprobe nvidia` fails with
 *   "Operation not permitted" and the node never offers a GPU (#4218). Those
 *   nodes have no kernel lockdown; dm-verity and SELinux still hold.
 * - no admin host container (a root shell on the host) and no control host
 *   container (the SSM agent): the nodes have no remote shell of any kind,
 *   like the SSH-less AL2023 pools. Debugging goes through `kubectl debug`
 *   under the cluster's RBAC, or by replacing the node.
 * - on the NVIDIA variants, GPUs reach a container only through the device
 *   plugin, whole, as MIG slices or time-sliced (nvidiaSettings).
 */
export function bottlerocketUserData(nvidia = false, sharing: GpuSharing = {}): string {
  const lockdown = nvidia ? [] : ["[settings.kernel]", 'lockdown = "integrity"', ""];
  const toml = [
    ...lockdown,
    "[settings.host-containers.admin]",
    "enabled = false",
    "",
    "[settings.host-containers.control]",
    "enabled = false",
    "",
    ...(nvidia ? nvidiaSettings(sharing) : []),
  ];
  return Buffer.from(toml.join("\n")).toString("base64");
}

/**
 * AL2023 NVIDIA nodes: the NVIDIA container toolkit reads the devices the
 * device plugin passes as volume mounts (the DaemonSet's
 * DEVICE_LIST_STRATEGY=volume-mounts) and ignores NVIDIA_VISIBLE_DEVICES in
 * unprivileged containers, whose default is to honour it
 * (nvidia-container-toolkit, internal/config: accept-nvidia-visible-devices-*).
 * The runtime reads its config.toml for each container it creates, so the
 * change holds from the first pod; the script runs before nodeadm starts the
 * kubelet. MIME multi-part, which EKS merges with its own nodeadm configuration.
 */
export function al2023NvidiaUserData(): string {
  return mimeScript([
    "#!/bin/bash",
    "set -euo pipefail",
    "nvidia-ctk config --in-place --set accept-nvidia-visible-devices-as-volume-mounts=true --set accept-nvidia-visible-devices-envvar-when-unprivileged=false",
  ]);
}
