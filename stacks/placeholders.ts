import { COMMON_PLACEHOLDERS, Placeholder } from "../lib/evidence/readiness";
import { DEFAULT_CONFIG } from "./config/default";
import { PLACEHOLDER_DIGESTS, PLACEHOLDER_SIGNER_ROOT_CERTIFICATE, PLACEHOLDER_VERIFIER_IMAGES } from "./config/schema";

const digest = (value: string, what: string, field: string): Placeholder => ({
  kind: "unverified digest",
  match: value,
  why: `the placeholder digest of the ${what} (the SHA-256 of a fixed string): no image has it, so the pods cannot start; set ${field} to the image you verified in your mirror`,
});

const measurement = (value: string, what: string): Placeholder => ({
  kind: "placeholder measurement",
  match: value,
  why: `a placeholder ${what} (the SHA-384 of a fixed string): no enclave image measures to it, so the model key never decrypts; set your enclave image's measurement`,
});

/**
 * Every placeholder the reference platform and the examples ship: the
 * documentation account, the example certificate and address, the device
 * plugins' digests nobody verified, and the enclave measurements that are
 * hashes of fixed strings. Each blocks deployment until replaced.
 */
export const PLATFORM_PLACEHOLDERS: readonly Placeholder[] = [
  ...COMMON_PLACEHOLDERS,
  digest(PLACEHOLDER_DIGESTS.nvidia, "NVIDIA device plugin image", "kubernetes.nvidiaDevicePluginImage"),
  digest(PLACEHOLDER_DIGESTS.enclaves, "Nitro Enclaves device plugin image", "kubernetes.nitroEnclavesDevicePluginImage"),
  ...Object.entries(PLACEHOLDER_VERIFIER_IMAGES).map(([name, image]) =>
    digest(image.split("@sha256:")[1], `signature verifier's ${name} image`, `kubernetes.signatureVerifier.images.${name}`),
  ),
  {
    kind: "example certificate",
    match: PLACEHOLDER_SIGNER_ROOT_CERTIFICATE.split("\n")[1],
    why: 'not AWS Signer\'s root certificate: Ratify verifies nothing against it, so every pod in a verified namespace is refused; set kubernetes.signatureVerifier.signerRootCertificate (README, "Signatures verified at admission")',
  },
  {
    kind: "placeholder release",
    match: /(?<![\w.])\d+\.\d+\.\d+-0{8}(?!\w)/,
    why: 'a placeholder node image release (zeros for the commit or build date): EKS refuses a release that does not exist; set nodeImages to the releases you tested (README, "Node images")',
  },
  ...(DEFAULT_CONFIG.attestation?.imageSha384
    ? [measurement(DEFAULT_CONFIG.attestation.imageSha384, "enclave image measurement (PCR0) of the reference platform")]
    : []),
  // examples/confidential-inference/platform.yaml: sha384 of "saip example placeholder: ..." strings.
  measurement(
    "a2d7d0557fc6ba0899a8b06ea0049fc93b723af8a21d0e1ada61d5ed9bc046677a439a3925a652bc8c224231adeea283",
    "PCR0 of the confidential-inference example",
  ),
  measurement(
    "d44ea28076ea598a9a65b591536e23c1542dac3fb161c1e6b12c86c2ba8cb6d965714541f41cc95ea9507afb92d14772",
    "PCR1 of the confidential-inference example",
  ),
  measurement(
    "105ac2e5a104c6e0dc135938f284491ecb4512aca8288fadf7834674751b4f875f6455e1e721b89814e1c6f316e8a932",
    "PCR2 of the confidential-inference example",
  ),
];
