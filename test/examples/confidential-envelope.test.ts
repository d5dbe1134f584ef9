import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  kmstoolDecryptArgs,
  openInEnclave,
  parseKmstoolOutput,
  podIdentityCredentials,
} from "../../examples/confidential-inference/enclave-open";
import { Envelope, objectKeys, openModel, sealModel } from "../../examples/confidential-inference/envelope";
import { generateDataKeyArgs, parseArgs, publishModel } from "../../examples/confidential-inference/publish-model";

const KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
/** The tenant's models key from the tenant_data_keys output. */
const STORE_KEY = "arn:aws:kms:eu-west-1:111122223333:key/9876fedc-12ab-34cd-56ef-1234567890ab";
const CREDENTIALS = { accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token" };

/**
 * KMS as far as the flow sees it: GenerateDataKey wraps a fresh key under a
 * master key; Decrypt through kmstool unwraps it only for an enclave whose
 * attested measurement is the one the key policy pins.
 */
function fakeKms(pinned: string) {
  const master = randomBytes(32);
  const wrap = (plaintext: Buffer) => {
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", master, iv);
    const body = Buffer.concat([c.update(plaintext), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  };
  const unwrap = (blob: Buffer) => {
    const d = createDecipheriv("aes-256-gcm", master, blob.subarray(0, 12));
    d.setAuthTag(blob.subarray(12, 28));
    return Buffer.concat([d.update(blob.subarray(28)), d.final()]);
  };
  const uploads = new Map<string, Buffer>();
  const commands: string[][] = [];
  const aws = (args: string[]): string => {
    commands.push(args);
    if (args[0] === "kms" && args[1] === "generate-data-key") {
      const plaintext = randomBytes(32);
      return JSON.stringify({
        Plaintext: plaintext.toString("base64"),
        CiphertextBlob: wrap(plaintext).toString("base64"),
        KeyId: KEY_ARN,
      });
    }
    if (args[0] === "s3" && args[1] === "cp") {
      uploads.set(args[3], readFileSync(args[2]));
      return "";
    }
    throw new Error(`unexpected aws ${args.join(" ")}`);
  };
  const kmstool =
    (measurement: string) =>
    (args: string[]): string => {
      if (measurement !== pinned) return "";
      const ciphertext = args[args.indexOf("--ciphertext") + 1];
      return `PLAINTEXT: ${unwrap(Buffer.from(ciphertext, "base64")).toString("base64")}\n`;
    };
  return { aws, kmstool, uploads, commands };
}

const weights = Buffer.from("pretend these are 2 GB of safetensors");
const MEASURED = createHash("sha384").update("the enclave image").digest("hex");

describe("examples/confidential-inference: publishing and opening a model", () => {
  it("asks KMS for an AES-256 data key under the attested key, with no encryption context kmstool could not send", () => {
    expect(generateDataKeyArgs("alias/conf-inference/models", "eu-west-1")).toEqual([
      "kms",
      "generate-data-key",
      "--key-id",
      "alias/conf-inference/models",
      "--key-spec",
      "AES_256",
      "--region",
      "eu-west-1",
      "--output",
      "json",
    ]);
  });

  it("uploads the sealed weights and envelope under the tenant's prefix, and only the measured enclave opens them", () => {
    const kms = fakeKms(MEASURED);
    const { envelope, uploaded } = publishModel(
      {
        weights,
        tenant: "claims-scoring",
        model: "scorer-v3",
        bucket: "models-bucket",
        key: "alias/conf-inference/models",
        storeKey: STORE_KEY,
        region: "eu-west-1",
      },
      kms.aws,
    );
    // Under the tenant's prefix the bucket policy admits only the tenant's key, named by its ARN.
    expect(kms.commands.filter((c) => c[1] === "cp").map((c) => c.slice(4, 8))).toEqual([
      ["--sse", "aws:kms", "--sse-kms-key-id", STORE_KEY],
      ["--sse", "aws:kms", "--sse-kms-key-id", STORE_KEY],
    ]);
    expect(uploaded).toEqual([
      "s3://models-bucket/claims-scoring/scorer-v3/scorer-v3.sealed",
      "s3://models-bucket/claims-scoring/scorer-v3/scorer-v3.envelope.json",
    ]);
    expect(envelope).toMatchObject({ format: "saip-model-envelope/1", keyId: KEY_ARN, tenant: "claims-scoring", model: "scorer-v3" });
    const sealed = kms.uploads.get(uploaded[0]) as Buffer;
    expect(sealed.includes(weights)).toBe(false);
    expect(JSON.parse(String(kms.uploads.get(uploaded[1])))).toEqual(envelope);

    expect(openInEnclave(envelope, sealed, CREDENTIALS, "eu-west-1", kms.kmstool(MEASURED))).toEqual(weights);
    expect(() => openInEnclave(envelope, sealed, CREDENTIALS, "eu-west-1", kms.kmstool("0".repeat(96)))).toThrow(
      "kmstool_enclave_cli printed no PLAINTEXT line: KMS refused the request (is the attestation's measurement the one the key policy pins?)",
    );
  });

  it("refuses a store key given by alias, which the bucket policy would refuse", () => {
    const publish = () =>
      publishModel(
        {
          weights,
          tenant: "t",
          model: "m",
          bucket: "b",
          key: "alias/k",
          storeKey: "alias/conf-inference/claims-scoring/model-store",
          region: "eu-west-1",
        },
        fakeKms(MEASURED).aws,
      );
    expect(publish).toThrow(
      "--store-key must be the tenant's models key ARN (tenant_data_keys output), got 'alias/conf-inference/claims-scoring/model-store'",
    );
  });

  it("refuses weights or an envelope that were altered, or passed off as another model", () => {
    const key = randomBytes(32);
    const { envelope, sealed } = sealModel(
      weights,
      { plaintext: Buffer.from(key), ciphertextBlob: Buffer.from("wrapped") },
      { keyId: KEY_ARN, tenant: "claims-scoring", model: "scorer-v3" },
    );
    const flipped = Buffer.from(sealed);
    flipped[0] ^= 1;
    expect(() => openModel(envelope, flipped, key)).toThrow(
      "model claims-scoring/scorer-v3 failed authentication: the sealed weights or the envelope were altered",
    );
    const renamed: Envelope = { ...envelope, model: "scorer-v4" };
    expect(() => openModel(renamed, sealed, key)).toThrow("model claims-scoring/scorer-v4 failed authentication");
    expect(() => openModel({ ...envelope, tenant: "research" }, sealed, key)).toThrow(/failed authentication/);
    expect(openModel(envelope, sealed, key)).toEqual(weights);
  });

  it("wipes the publisher's plaintext data key and refuses keys that are not AES-256", () => {
    const plaintext = randomBytes(32);
    sealModel(weights, { plaintext, ciphertextBlob: Buffer.alloc(1) }, { keyId: KEY_ARN, tenant: "t", model: "m" });
    expect(plaintext.equals(Buffer.alloc(32))).toBe(true);
    expect(() =>
      sealModel(weights, { plaintext: randomBytes(16), ciphertextBlob: Buffer.alloc(1) }, { keyId: KEY_ARN, tenant: "t", model: "m" }),
    ).toThrow("data key must be 32 bytes (AES_256), got 16");
    expect(() =>
      sealModel(weights, { plaintext: randomBytes(32), ciphertextBlob: Buffer.alloc(1) }, { keyId: KEY_ARN, tenant: "../x", model: "m" }),
    ).toThrow(/tenant must be lower-case/);
  });

  it("has kmstool decrypt only under the key the envelope names, with the pod's credentials", () => {
    const envelope = { wrappedKey: "d3JhcHBlZA==", keyId: KEY_ARN } as Envelope;
    const args = kmstoolDecryptArgs(envelope, CREDENTIALS, "eu-west-1");
    expect(args.slice(0, 5)).toEqual(["decrypt", "--region", "eu-west-1", "--proxy-port", "8000"]);
    expect(args.slice(args.indexOf("--key-id"))).toEqual(["--key-id", KEY_ARN, "--encryption-algorithm", "SYMMETRIC_DEFAULT"]);
    expect(args[args.indexOf("--aws-session-token") + 1]).toBe("token");
    expect(() => parseKmstoolOutput("PLAINTEXT: AAAA\n")).toThrow("kmstool_enclave_cli returned 3 bytes, not a 32-byte data key");
  });

  it("takes the pod's credentials from the Pod Identity agent, not the node", async () => {
    const tokenFile = path.join(mkdtempSync(path.join(tmpdir(), "saip-pod-")), "token");
    writeFileSync(tokenFile, "pod-token\n");
    const seen: Array<[string, unknown]> = [];
    const fetchFn = (async (uri: string, init: { headers: Record<string, string> }) => {
      seen.push([uri, init.headers.Authorization]);
      return { ok: true, status: 200, json: async () => ({ AccessKeyId: "ASIA1", SecretAccessKey: "s", Token: "t" }) };
    }) as unknown as typeof fetch;
    const env = {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://169.254.170.23/v1/credentials",
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile,
    };
    await expect(podIdentityCredentials(env, fetchFn)).resolves.toEqual({ accessKeyId: "ASIA1", secretAccessKey: "s", sessionToken: "t" });
    expect(seen).toEqual([["http://169.254.170.23/v1/credentials", "pod-token"]]);
    await expect(podIdentityCredentials({}, fetchFn)).rejects.toThrow(/the pod's service account has no Pod Identity association/);
  });

  it("reads its command line as --name value pairs and names what is missing", () => {
    expect(parseArgs(["--tenant", "a", "--model", "m"], ["tenant", "model"])).toEqual({ tenant: "a", model: "m" });
    expect(() => parseArgs(["--tenant", "a"], ["tenant", "bucket", "key"])).toThrow("missing --bucket, --key");
    expect(objectKeys("a", "m")).toEqual({ sealed: "a/m/m.sealed", envelope: "a/m/m.envelope.json" });
  });
});
