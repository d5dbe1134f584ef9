/**
 * Envelope encryption of model weights under the attested models key.
 *
 * The publisher asks KMS for a data key (GenerateDataKey, AES_256): KMS
 * returns it in plaintext and wrapped under the models key. The weights are
 * encrypted locally with AES-256-GCM under the plaintext, which is then
 * dropped; the wrapped key travels in the envelope beside the sealed weights.
 * Only an enclave that attests the pinned measurement can have KMS unwrap it
 * (Decrypt with a Recipient attestation document), because the key policy
 * allows Decrypt to the enclave workload's role only with a matching
 * kms:RecipientAttestation condition and denies it without one.
 *
 * No encryption context is used: kmstool_enclave_cli, the Nitro Enclaves
 * SDK's decrypt tool, sends none. The model's identity is bound to the
 * ciphertext by the AES-GCM additional data instead, so a sealed model cannot
 * be passed off as another.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

export const ENVELOPE_FORMAT = "saip-model-envelope/1";

/** What a data key request returns: the key in plaintext (32 bytes) and wrapped under the KMS key. */
export interface DataKey {
  readonly plaintext: Buffer;
  readonly ciphertextBlob: Buffer;
}

/** The published description of a sealed model; stored beside it as `<model>.envelope.json`. */
export interface Envelope {
  readonly format: typeof ENVELOPE_FORMAT;
  /** The KMS key (ARN or alias) the data key is wrapped under. */
  readonly keyId: string;
  /** Tenant whose prefix holds the model, and the model's name: bound to the ciphertext. */
  readonly tenant: string;
  readonly model: string;
  /** The data key wrapped under `keyId` (base64): what the enclave asks KMS to unwrap. */
  readonly wrappedKey: string;
  readonly iv: string;
  readonly tag: string;
  /** SHA-384 of the plaintext weights (hex), for the enclave to check what it loaded. */
  readonly sha384: string;
}

const NAME = /^[a-z0-9]([a-z0-9._-]{0,126}[a-z0-9])?$/;

/** The additional data that binds the model's identity and key to the ciphertext. */
function additionalData(e: Pick<Envelope, "format" | "keyId" | "tenant" | "model">): Buffer {
  return Buffer.from(JSON.stringify([e.format, e.keyId, e.tenant, e.model]), "utf8");
}

/** Encrypts `weights` under a fresh data key; the plaintext key is wiped before returning. */
export function sealModel(
  weights: Buffer,
  dataKey: DataKey,
  ids: { keyId: string; tenant: string; model: string },
): { envelope: Envelope; sealed: Buffer } {
  if (dataKey.plaintext.length !== 32) throw new Error(`data key must be 32 bytes (AES_256), got ${dataKey.plaintext.length}`);
  for (const field of ["tenant", "model"] as const) {
    if (!NAME.test(ids[field])) throw new Error(`${field} must be lower-case letters, digits, '.', '_' or '-', got '${ids[field]}'`);
  }
  const iv = randomBytes(12);
  const header = { format: ENVELOPE_FORMAT, ...ids } as const;
  const cipher = createCipheriv("aes-256-gcm", dataKey.plaintext, iv);
  cipher.setAAD(additionalData(header));
  const sealed = Buffer.concat([cipher.update(weights), cipher.final()]);
  dataKey.plaintext.fill(0);
  return {
    sealed,
    envelope: {
      ...header,
      wrappedKey: dataKey.ciphertextBlob.toString("base64"),
      iv: iv.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
      sha384: createHash("sha384").update(weights).digest("hex"),
    },
  };
}

/** Decrypts sealed weights with the unwrapped data key; throws if anything was altered. */
export function openModel(envelope: Envelope, sealed: Buffer, plaintextKey: Buffer): Buffer {
  if (envelope.format !== ENVELOPE_FORMAT) throw new Error(`unknown envelope format '${envelope.format}'`);
  const decipher = createDecipheriv("aes-256-gcm", plaintextKey, Buffer.from(envelope.iv, "base64"));
  decipher.setAAD(additionalData(envelope));
  decipher.setAuthTag(Buffer.from(envelope.tag, "base64"));
  let weights: Buffer;
  try {
    weights = Buffer.concat([decipher.update(sealed), decipher.final()]);
  } catch {
    throw new Error(`model ${envelope.tenant}/${envelope.model} failed authentication: the sealed weights or the envelope were altered`);
  }
  const digest = createHash("sha384").update(weights).digest("hex");
  if (digest !== envelope.sha384)
    throw new Error(`model ${envelope.tenant}/${envelope.model} has SHA-384 ${digest}, not ${envelope.sha384}`);
  return weights;
}

/** Where a sealed model and its envelope live in the models bucket: under the tenant's own prefix, which its roles read. */
export function objectKeys(tenant: string, model: string): { sealed: string; envelope: string } {
  return { sealed: `${tenant}/${model}/${model}.sealed`, envelope: `${tenant}/${model}/${model}.envelope.json` };
}
