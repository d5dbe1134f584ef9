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
 */
export function bottlerocketUserData(nvidia = false): string {
  const lockdown = nvidia ? [] : ["[settings.kernel]", 'lockdown = "integrity"', ""];
  const toml = [
    ...lockdown,
    "[settings.host-containers.admin]",
    "enabled = false",
    "",
    "[settings.host-containers.control]",
    "enabled = false",
    "",
  ];
  return Buffer.from(toml.join("\n")).toString("base64");
}
