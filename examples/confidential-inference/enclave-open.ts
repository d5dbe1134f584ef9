/**
 * The enclave's side: the pod that starts the enclave (service account
 * model-enclave, attestation.workloads) fetches its own Pod Identity
 * credentials and hands them to the enclave over vsock with the sealed model;
 * inside the enclave, kmstool_enclave_cli (aws-nitro-enclaves-sdk-c) calls
 * KMS Decrypt with those credentials and a Recipient attestation document
 * signed by the Nitro hypervisor. KMS checks the key policy's
 * kms:RecipientAttestation condition against the document and returns the
 * data key encrypted to the enclave's ephemeral public key, which only the
 * enclave can read; kmstool prints it as `PLAINTEXT: <base64>`.
 *
 * The enclave reaches KMS through vsock-proxy on the parent
 * (`vsock-proxy 8000 kms.<region>.amazonaws.com 443`), which the VPC's KMS
 * interface endpoint answers, since the platform's subnets have no internet.
 * Pods cannot use the node role (IMDS hop limit 1), and the key does not
 * name it: the credentials must be the pod's.
 */
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { Envelope, openModel } from "./envelope";

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/**
 * In the parent pod: the credentials EKS Pod Identity gives this service
 * account, from the agent at AWS_CONTAINER_CREDENTIALS_FULL_URI with the
 * token in AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (both set by EKS).
 */
export async function podIdentityCredentials(env: NodeJS.ProcessEnv = process.env, fetchFn: typeof fetch = fetch): Promise<Credentials> {
  const uri = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  const tokenFile = env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
  if (!uri || !tokenFile)
    throw new Error(
      "AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE are not set: the pod's service account has no Pod Identity association",
    );
  const response = await fetchFn(uri, { headers: { Authorization: readFileSync(tokenFile, "utf8").trim() } });
  if (!response.ok) throw new Error(`the Pod Identity agent answered ${response.status}`);
  const body = (await response.json()) as { AccessKeyId: string; SecretAccessKey: string; Token: string };
  return { accessKeyId: body.AccessKeyId, secretAccessKey: body.SecretAccessKey, sessionToken: body.Token };
}

/** kmstool_enclave_cli's decrypt of the wrapped data key, pinned to the key the envelope names. */
export function kmstoolDecryptArgs(envelope: Envelope, credentials: Credentials, region: string, proxyPort = 8000): string[] {
  return [
    "decrypt",
    "--region",
    region,
    "--proxy-port",
    String(proxyPort),
    "--aws-access-key-id",
    credentials.accessKeyId,
    "--aws-secret-access-key",
    credentials.secretAccessKey,
    "--aws-session-token",
    credentials.sessionToken,
    "--ciphertext",
    envelope.wrappedKey,
    // Naming the key makes KMS refuse a ciphertext wrapped under any other key.
    "--key-id",
    envelope.keyId,
    "--encryption-algorithm",
    "SYMMETRIC_DEFAULT",
  ];
}

/** The data key from kmstool_enclave_cli's output line `PLAINTEXT: <base64>`. */
export function parseKmstoolOutput(output: string): Buffer {
  const line = output.split("\n").find((l) => l.startsWith("PLAINTEXT:"));
  if (!line)
    throw new Error(
      "kmstool_enclave_cli printed no PLAINTEXT line: KMS refused the request (is the attestation's measurement the one the key policy pins?)",
    );
  const key = Buffer.from(line.slice("PLAINTEXT:".length).trim(), "base64");
  if (key.length !== 32) throw new Error(`kmstool_enclave_cli returned ${key.length} bytes, not a 32-byte data key`);
  return key;
}

/** In the enclave: unwraps the data key through KMS with attestation and returns the weights; the key is wiped after use. */
export function openInEnclave(
  envelope: Envelope,
  sealed: Buffer,
  credentials: Credentials,
  region: string,
  kmstool: (args: string[]) => string = (args) => execFileSync("/app/kmstool_enclave_cli", args, { encoding: "utf8" }),
): Buffer {
  const key = parseKmstoolOutput(kmstool(kmstoolDecryptArgs(envelope, credentials, region)));
  try {
    return openModel(envelope, sealed, key);
  } finally {
    key.fill(0);
  }
}
