/**
 * The publisher's side: seal model weights under the attested models key and
 * upload them under the tenant's prefix of the models bucket.
 *
 *   npx ts-node examples/confidential-inference/publish-model.ts \
 *     --weights scorer-v3.safetensors --tenant claims-scoring --model scorer-v3 \
 *     --bucket <models_bucket output> --key alias/conf-inference/models \
 *     --store-key <tenant_data_keys output: the tenant's models key ARN> --region eu-west-1
 *
 * Run it with the models publisher role's credentials (the config's
 * storage.publishers.models assume it): that role alone may GenerateDataKey
 * under the attested key and write the models bucket. It calls the AWS CLI,
 * so it needs no SDK: `aws kms generate-data-key`, then `aws s3 cp` naming
 * the tenant's own store key, which the bucket policy requires under the
 * tenant's prefix and the tenant's enclave role alone may decrypt with (an
 * upload without it would land under the bucket's shared key, which the
 * tenant cannot read).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DataKey, Envelope, objectKeys, sealModel } from "./envelope";

/** Runs one AWS CLI command and returns its standard output. */
export type AwsCli = (args: string[]) => string;
const awsCli: AwsCli = (args) => execFileSync("aws", args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });

export interface PublishOptions {
  readonly weights: Buffer;
  readonly tenant: string;
  readonly model: string;
  readonly bucket: string;
  /** The attested models key: `alias/<platform name>/models` or its ARN. */
  readonly key: string;
  /** The tenant's store key ARN (`tenant_data_keys.<tenant>.models`), which encrypts the objects at rest. */
  readonly storeKey: string;
  readonly region: string;
}

/** The request for a fresh AES-256 data key under the attested key; no encryption context (kmstool_enclave_cli sends none). */
export function generateDataKeyArgs(key: string, region: string): string[] {
  return ["kms", "generate-data-key", "--key-id", key, "--key-spec", "AES_256", "--region", region, "--output", "json"];
}

/** Seals the weights and uploads sealed weights and envelope; returns the envelope and where both went. */
export function publishModel(options: PublishOptions, aws: AwsCli = awsCli): { envelope: Envelope; uploaded: string[] } {
  // The bucket policy compares the header with the key's ARN, so an alias or key id would be refused.
  if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/.test(options.storeKey))
    throw new Error(`--store-key must be the tenant's models key ARN (tenant_data_keys output), got '${options.storeKey}'`);
  const response = JSON.parse(aws(generateDataKeyArgs(options.key, options.region))) as {
    Plaintext: string;
    CiphertextBlob: string;
    KeyId: string;
  };
  const dataKey: DataKey = {
    plaintext: Buffer.from(response.Plaintext, "base64"),
    ciphertextBlob: Buffer.from(response.CiphertextBlob, "base64"),
  };
  // The envelope names the key ARN KMS answered with, not the alias, which could be repointed.
  const { envelope, sealed } = sealModel(options.weights, dataKey, { keyId: response.KeyId, tenant: options.tenant, model: options.model });
  const keys = objectKeys(options.tenant, options.model);
  const dir = mkdtempSync(path.join(tmpdir(), "saip-publish-"));
  try {
    const files = { sealed: path.join(dir, "sealed"), envelope: path.join(dir, "envelope.json") };
    writeFileSync(files.sealed, sealed);
    writeFileSync(files.envelope, JSON.stringify(envelope, null, 2));
    const uploaded = (["sealed", "envelope"] as const).map((part) => {
      const target = `s3://${options.bucket}/${keys[part]}`;
      aws([
        "s3",
        "cp",
        files[part],
        target,
        "--sse",
        "aws:kms",
        "--sse-kms-key-id",
        options.storeKey,
        "--region",
        options.region,
        "--only-show-errors",
      ]);
      return target;
    });
    return { envelope, uploaded };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `--name value` pairs; every one of `required` must be given. */
export function parseArgs(argv: string[], required: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    if (!name.startsWith("--") || argv[i + 1] === undefined)
      throw new Error(`expected --name value pairs, got '${argv.slice(i).join(" ")}'`);
    out[name.slice(2)] = argv[i + 1];
  }
  const missing = required.filter((r) => out[r] === undefined);
  if (missing.length > 0) throw new Error(`missing ${missing.map((m) => `--${m}`).join(", ")}`);
  return out;
}

if (require.main === module) {
  try {
    const a = parseArgs(process.argv.slice(2), ["weights", "tenant", "model", "bucket", "key", "store-key", "region"]);
    const { envelope, uploaded } = publishModel({
      weights: readFileSync(a.weights),
      tenant: a.tenant,
      model: a.model,
      bucket: a.bucket,
      key: a.key,
      storeKey: a["store-key"],
      region: a.region,
    });
    process.stdout.write(
      `Sealed ${a.weights} (SHA-384 ${envelope.sha384}) under ${envelope.keyId}:\n${uploaded.map((u) => `  ${u}`).join("\n")}\n`,
    );
  } catch (error) {
    process.stderr.write(`publish-model: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
