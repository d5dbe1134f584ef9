import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  createModelManifest,
  ModelVerificationError,
  parseModelManifest,
  sha256Hex,
  verifyModelFiles,
} from "../../lib/integrity/model-manifest";

/** A published model version: two weight shards and a config, its manifest beside them, and the manifest's pinned digest. */
async function published() {
  const dir = mkdtempSync(path.join(tmpdir(), "saip-model-"));
  mkdirSync(path.join(dir, "weights"));
  writeFileSync(path.join(dir, "weights/shard-1.safetensors"), Buffer.alloc(4096, 7));
  writeFileSync(path.join(dir, "weights/shard-2.safetensors"), Buffer.alloc(1024, 9));
  writeFileSync(path.join(dir, "config.json"), '{"layers": 32}');
  const manifest = await createModelManifest(dir, "fraud-detector", "2026.11.3");
  const manifestFile = path.join(dir, "manifest.json");
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  return { dir, manifestFile, manifestSha256: sha256Hex(readFileSync(manifestFile)) };
}

async function refusal(promise: Promise<unknown>): Promise<readonly string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ModelVerificationError) return error.problems;
    throw error;
  }
  throw new Error("verification passed but should have refused the model");
}

describe("model manifest", () => {
  it("lists every file with its SHA-256 and size, sorted", async () => {
    const { manifestFile } = await published();
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual([
      "config.json",
      "weights/shard-1.safetensors",
      "weights/shard-2.safetensors",
    ]);
    expect(manifest.files[1]).toEqual({ path: "weights/shard-1.safetensors", sha256: sha256Hex(Buffer.alloc(4096, 7)), size: 4096 });
  });

  it("passes the files as published", async () => {
    const { dir, manifestFile, manifestSha256 } = await published();
    await expect(verifyModelFiles(dir, manifestFile, { manifestSha256 })).resolves.toMatchObject({
      model: "fraud-detector",
      version: "2026.11.3",
    });
  });

  it("refuses a weights file with one changed byte", async () => {
    const { dir, manifestFile, manifestSha256 } = await published();
    const shard = path.join(dir, "weights/shard-1.safetensors");
    const bytes = readFileSync(shard);
    bytes[2048] ^= 0x01;
    writeFileSync(shard, bytes);
    const problems = await refusal(verifyModelFiles(dir, manifestFile, { manifestSha256 }));
    expect(problems).toEqual([
      `weights/shard-1.safetensors: SHA-256 is ${sha256Hex(bytes)}, the manifest says ${sha256Hex(Buffer.alloc(4096, 7))}`,
    ]);
  });

  it("refuses a manifest rewritten to match swapped files, by its pinned digest", async () => {
    const { dir, manifestFile, manifestSha256 } = await published();
    writeFileSync(path.join(dir, "config.json"), '{"layers": 33}');
    writeFileSync(manifestFile, JSON.stringify(await createModelManifest(dir, "fraud-detector", "2026.11.3")));
    const problems = await refusal(verifyModelFiles(dir, manifestFile, { manifestSha256 }));
    expect(problems[0]).toMatch(/^manifest\.json: SHA-256 is [0-9a-f]{64}, not the pinned [0-9a-f]{64}; the manifest was replaced$/);
  });

  it("refuses missing, extra, resized and linked files, naming each", async () => {
    const { dir, manifestFile, manifestSha256 } = await published();
    writeFileSync(path.join(dir, "weights/shard-2.safetensors"), Buffer.alloc(1025, 9));
    writeFileSync(path.join(dir, "weights/adapter.safetensors"), "extra");
    symlinkSync("/etc/hostname", path.join(dir, "weights/link"));
    rmSync(path.join(dir, "config.json"));
    expect(await refusal(verifyModelFiles(dir, manifestFile, { manifestSha256 }))).toEqual([
      "weights/link: not a regular file (a link or device); refused rather than followed",
      "config.json: missing",
      "weights/shard-2.safetensors: 1025 bytes, the manifest says 1024",
      "weights/adapter.safetensors: not in the manifest",
    ]);
  });

  it("fails closed on a malformed manifest or pin, naming the field", async () => {
    expect(() => parseModelManifest("{", "m.json")).toThrow(/^model verification failed: m\.json: not JSON/);
    expect(() =>
      parseModelManifest(
        JSON.stringify({
          schema: "saip.model-manifest/v1",
          model: "m",
          version: "1",
          files: [{ path: "../etc/passwd", sha256: "x", size: -1 }],
        }),
        "m.json",
      ),
    ).toThrow(
      'model verification failed: m.json: files[0].path must be a relative path inside the model\'s folder, got "../etc/passwd"; m.json: files[0].sha256 must be 64 lower-case hexadecimal characters; m.json: files[0].size must be a whole number of bytes',
    );
    const { dir, manifestFile } = await published();
    expect(await refusal(verifyModelFiles(dir, manifestFile, { manifestSha256: "latest" }))).toEqual([
      "manifestSha256 must be 64 lower-case hexadecimal characters, got 'latest'",
    ]);
  });
});
