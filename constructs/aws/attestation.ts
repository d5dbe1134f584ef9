import { Token } from "cdktf";
import { Construct } from "constructs";
import { PolicyStatement } from "./policy-document";

/*
 * Attestation-gated key use, after the AWS KMS Developer Guide pages
 * "Condition keys for Nitro Enclaves", "AWS KMS condition keys for attested
 * platforms" and "How to make attested calls to AWS KMS", and the AWS Nitro
 * Enclaves User Guide page "Cryptographic attestation".
 *
 * - `kms:RecipientAttestation:ImageSha384` and `kms:RecipientAttestation:PCR<n>`
 *   are honoured by Decrypt, DeriveSharedSecret, GenerateDataKey,
 *   GenerateDataKeyPair and GenerateRandom, and only when the request's
 *   `Recipient` parameter carries a signed Nitro Enclave attestation document
 *   (the Nitro Enclaves SDK adds it to every call). KMS then returns the
 *   result encrypted to the enclave's public key (CiphertextForRecipient),
 *   never plaintext.
 * - "Only with attestation" is an Allow with StringEqualsIgnoreCase on the
 *   measurements: a request without an attestation document lacks the keys,
 *   so the condition fails and nothing is allowed.
 * - The docs add that no other statement may allow kms:Decrypt. PlatformKey
 *   enforces that, and these statements also deny, to every principal,
 *   Decrypt without an attestation document (Null on the measured key) and
 *   ReEncryptFrom (which takes no Recipient and would re-wrap the data under
 *   an ungated key): an explicit deny also beats grants and any later policy
 *   change that allows Decrypt by mistake.
 */

/** PCRs a Nitro Enclave reports: image, kernel and bootstrap, application, parent's IAM role, parent's instance ID, signing certificate. */
export const NITRO_PCR_INDEXES = [0, 1, 2, 3, 4, 8] as const;
export type NitroPcrIndex = (typeof NITRO_PCR_INDEXES)[number];

/** The measurements an enclave must attest before the key decrypts for it. */
export interface EnclaveAttestation {
  /** SHA-384 of the enclave image file (the value of PCR0), 96 hexadecimal characters. @default - not checked */
  readonly imageSha384?: string;
  /** Expected PCR values by index (0, 1, 2, 3, 4 or 8), 96 hexadecimal characters each. @default - none checked */
  readonly pcrs?: Partial<Record<NitroPcrIndex, string>>;
}

/** Who may use a key from inside an attested enclave. */
export interface EnclaveAttestationGrant {
  /**
   * IAM role ARNs whose credentials the enclave's KMS requests carry. On EKS
   * that is the workload role (Pod Identity or IRSA) of the pod that starts
   * the enclave and hands it credentials: pods cannot reach the node role with
   * IMDS hop limit 1, so a node role here leaves the key unusable
   * (aws-confidential-attested-key-used fails it). Outside EKS, the parent
   * instance's role.
   */
  readonly principalArns: string[];
  /** Measurements every request must attest. */
  readonly attestation: EnclaveAttestation;
}

/** What an attested enclave may do: decrypt, and make new data keys that only it can read. */
export const ATTESTED_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"];

const CONDITION_PREFIX = "kms:RecipientAttestation:";
const SHA384_HEX = /^[0-9a-fA-F]{96}$/;
const ALL_ZEROS = /^0+$/;

/**
 * Validates the measurements and returns them as condition keys,
 * `{ "kms:RecipientAttestation:ImageSha384": "<hex>", "kms:RecipientAttestation:PCR3": "<hex>" }`.
 * `prop` names the property in error messages.
 */
export function attestationConditions(scope: Construct, attestation: EnclaveAttestation, prop = "attestation"): Record<string, string> {
  const conditions: Record<string, string> = {};
  const measurement = (name: string, value: string): string => {
    if (Token.isUnresolved(value)) return value;
    if (!SHA384_HEX.test(value)) {
      throw new Error(
        `${scope.node.path}: ${prop}.${name} must be a SHA-384 digest of 96 hexadecimal characters, got '${value}' (${value.length} characters).`,
      );
    }
    // Debug-mode enclaves report all-zero PCRs, and their memory is readable from the parent.
    if (ALL_ZEROS.test(value)) {
      throw new Error(
        `${scope.node.path}: ${prop}.${name} is all zeros, the value every debug-mode enclave reports; give a production enclave's measurement.`,
      );
    }
    return value.toLowerCase();
  };

  if (attestation.imageSha384 !== undefined) {
    conditions[`${CONDITION_PREFIX}ImageSha384`] = measurement("imageSha384", attestation.imageSha384);
  }
  for (const [index, value] of Object.entries(attestation.pcrs ?? {})) {
    if (!(NITRO_PCR_INDEXES as readonly number[]).map(String).includes(index)) {
      throw new Error(
        `${scope.node.path}: ${prop}.pcrs has index '${index}'; KMS checks Nitro Enclave PCRs ${NITRO_PCR_INDEXES.join(", ")} only.`,
      );
    }
    if (value === undefined) continue;
    conditions[`${CONDITION_PREFIX}PCR${index}`] = measurement(`pcrs.${index}`, value);
  }

  if (Object.keys(conditions).length === 0) {
    throw new Error(
      `${scope.node.path}: ${prop} must give imageSha384 or at least one of pcrs (${NITRO_PCR_INDEXES.join(", ")}); without a measurement any caller could decrypt.`,
    );
  }
  const image = conditions[`${CONDITION_PREFIX}ImageSha384`];
  const pcr0 = conditions[`${CONDITION_PREFIX}PCR0`];
  if (image && pcr0 && !Token.isUnresolved(image) && !Token.isUnresolved(pcr0) && image !== pcr0) {
    throw new Error(
      `${scope.node.path}: ${prop}.imageSha384 and ${prop}.pcrs.0 are the same measurement but differ ('${image}' and '${pcr0}'), so no enclave could match.`,
    );
  }
  return conditions;
}

/**
 * Key policy statements that let the given principals decrypt and generate
 * data keys only from an enclave that attests the measurements, and deny
 * everyone else a way to plaintext (see the note at the top of this file).
 */
export function attestedKeyStatements(scope: Construct, grant: EnclaveAttestationGrant, prop = "enclaveAttestation"): PolicyStatement[] {
  const principals = grant.principalArns;
  if (principals.length === 0) {
    throw new Error(
      `${scope.node.path}: ${prop}.principalArns must name at least one role the enclave's KMS requests are signed with (its pod's workload role on EKS), got [].`,
    );
  }
  const wildcard = principals.find((p) => p.includes("*"));
  if (wildcard !== undefined) {
    throw new Error(`${scope.node.path}: ${prop}.principalArns must name roles, got '${wildcard}'.`);
  }
  const conditions = attestationConditions(scope, grant.attestation, `${prop}.attestation`);
  const measured = Object.keys(conditions)[0];
  return [
    {
      Sid: "EnclaveUseWithAttestation",
      Effect: "Allow",
      Principal: { AWS: principals },
      Action: ATTESTED_KEY_ACTIONS,
      Resource: "*",
      Condition: { StringEqualsIgnoreCase: conditions },
    },
    {
      Sid: "DenyDecryptWithoutAttestation",
      Effect: "Deny",
      Principal: "*",
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { Null: { [measured]: "true" } },
    },
    { Sid: "DenyReEncryptFromAttestedKey", Effect: "Deny", Principal: "*", Action: "kms:ReEncryptFrom", Resource: "*" },
  ];
}
