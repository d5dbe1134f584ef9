import { createHash } from "node:crypto";
import { createReadStream, lstatSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * A model's manifest: the SHA-256 and size of every file of one published
 * version, written by the publisher next to the files. Serving pins the
 * manifest's own SHA-256 (in its pod spec, from the release that published
 * it) and checks every file against it before loading, so neither a swapped
 * file nor a swapped manifest goes unnoticed.
 *
 * S3's own checksums (x-amz-checksum-sha256) cannot stand in for this: no
 * bucket policy condition key requires them on upload, and a multipart
 * upload's checksum is one of its parts, not of the file.
 */
export interface ModelManifest {
  readonly schema: "saip.model-manifest/v1";
  /** The model's name and version, as the publisher released it. */
  readonly model: string;
  readonly version: string;
  /** Every file, by path relative to the model's folder ("/"-separated), sorted by path. */
  readonly files: ReadonlyArray<{ readonly path: string; readonly sha256: string; readonly size: number }>;
}

/** Why verification refused a model: every problem found, each naming the file. */
export class ModelVerificationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`model verification failed: ${problems.join("; ")}`);
    this.name = "ModelVerificationError";
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

export function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Regular files under `dir`, relative and "/"-separated; links and other special files are refused, not followed. */
function listFiles(dir: string, problems: string[], prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, problems, relative));
    else if (entry.isFile()) out.push(relative);
    else problems.push(`${relative}: not a regular file (a link or device); refused rather than followed`);
  }
  return out;
}

/** A manifest path that stays inside the model's folder. */
function safePath(p: string): boolean {
  return p !== "" && !p.startsWith("/") && !p.includes("\\") && p.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}

/** Reads and checks a manifest's shape; malformed content fails closed with the field that is wrong. */
export function parseModelManifest(text: string, source = "manifest"): ModelManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new ModelVerificationError([`${source}: not JSON (${(error as Error).message})`]);
  }
  const problems: string[] = [];
  const m = doc as Partial<ModelManifest> | null;
  if (typeof m !== "object" || m === null || Array.isArray(m)) throw new ModelVerificationError([`${source}: not a manifest object`]);
  if (m.schema !== "saip.model-manifest/v1")
    problems.push(`${source}: schema must be "saip.model-manifest/v1", got ${JSON.stringify(m.schema)}`);
  if (typeof m.model !== "string" || m.model === "") problems.push(`${source}: model must name the model`);
  if (typeof m.version !== "string" || m.version === "") problems.push(`${source}: version must name the version`);
  if (!Array.isArray(m.files) || m.files.length === 0) problems.push(`${source}: files must list at least one file`);
  const seen = new Set<string>();
  (Array.isArray(m.files) ? m.files : []).forEach((f, i) => {
    const where = `${source}: files[${i}]`;
    if (typeof f?.path !== "string" || !safePath(f.path))
      problems.push(`${where}.path must be a relative path inside the model's folder, got ${JSON.stringify(f?.path)}`);
    else if (seen.has(f.path)) problems.push(`${where}.path ${f.path} is listed twice`);
    else seen.add(f.path);
    if (typeof f?.sha256 !== "string" || !SHA256.test(f.sha256))
      problems.push(`${where}.sha256 must be 64 lower-case hexadecimal characters`);
    if (!Number.isInteger(f?.size) || f.size < 0) problems.push(`${where}.size must be a whole number of bytes`);
  });
  if (problems.length > 0) throw new ModelVerificationError(problems);
  return m as ModelManifest;
}

/** The publisher's side: a manifest of every file under `dir`. */
export async function createModelManifest(dir: string, model: string, version: string): Promise<ModelManifest> {
  const problems: string[] = [];
  const files = listFiles(dir, problems).sort();
  if (problems.length > 0) throw new ModelVerificationError(problems);
  const entries = [];
  for (const file of files) {
    const full = path.join(dir, file);
    entries.push({ path: file, sha256: await fileSha256(full), size: lstatSync(full).size });
  }
  return { schema: "saip.model-manifest/v1", model, version, files: entries };
}

export interface VerifyOptions {
  /** SHA-256 of the manifest file's bytes, pinned by whoever deploys the serving workload. */
  readonly manifestSha256: string;
}

/**
 * The serving side, before loading: the manifest's bytes match the pinned
 * digest, and the folder holds exactly the manifest's files, each with its
 * size and SHA-256. Throws ModelVerificationError listing every problem; the
 * caller must not load anything then.
 */
export async function verifyModelFiles(dir: string, manifestFile: string, options: VerifyOptions): Promise<ModelManifest> {
  if (!SHA256.test(options.manifestSha256))
    throw new ModelVerificationError([`manifestSha256 must be 64 lower-case hexadecimal characters, got '${options.manifestSha256}'`]);
  const bytes = readFileSync(manifestFile);
  const actual = sha256Hex(bytes);
  if (actual !== options.manifestSha256) {
    throw new ModelVerificationError([
      `${path.basename(manifestFile)}: SHA-256 is ${actual}, not the pinned ${options.manifestSha256}; the manifest was replaced`,
    ]);
  }
  const manifest = parseModelManifest(bytes.toString("utf8"), path.basename(manifestFile));
  const problems: string[] = [];
  const present = new Set(listFiles(dir, problems));
  const manifestName = path.relative(dir, manifestFile).split(path.sep).join("/");
  for (const file of manifest.files) {
    if (!present.delete(file.path)) {
      problems.push(`${file.path}: missing`);
      continue;
    }
    const full = path.join(dir, file.path);
    const size = lstatSync(full).size;
    if (size !== file.size) {
      problems.push(`${file.path}: ${size} bytes, the manifest says ${file.size}`);
      continue;
    }
    const sha = await fileSha256(full);
    if (sha !== file.sha256) problems.push(`${file.path}: SHA-256 is ${sha}, the manifest says ${file.sha256}`);
  }
  present.delete(manifestName);
  for (const extra of [...present].sort()) problems.push(`${extra}: not in the manifest`);
  if (problems.length > 0) throw new ModelVerificationError(problems);
  return manifest;
}
