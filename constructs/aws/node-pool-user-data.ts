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
