/**
 * The init container's entry: verify a model version downloaded from the
 * models bucket before the serving container starts. It exits 0 when every
 * file matches the manifest and the manifest matches its pinned digest, and 1
 * (printing each problem) otherwise, so the pod never starts on altered weights.
 *
 *   MODEL_DIR=/models/fraud-detector MODEL_MANIFEST_SHA256=<64 hex> node verify-model.js
 *
 * The manifest is `$MODEL_DIR/manifest.json` unless MODEL_MANIFEST names
 * another file. The publisher writes it with `createModelManifest` and puts
 * its SHA-256 in the release notes that the workload's pod spec pins.
 */
import * as path from "node:path";
import { ModelVerificationError, verifyModelFiles } from "../../lib/integrity/model-manifest";

export async function main(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<number> {
  const dir = env.MODEL_DIR;
  const pinned = env.MODEL_MANIFEST_SHA256;
  if (!dir || !pinned) {
    log(`verify-model: ${!dir ? "MODEL_DIR" : "MODEL_MANIFEST_SHA256"} is required`);
    return 1;
  }
  try {
    const manifest = await verifyModelFiles(dir, env.MODEL_MANIFEST ?? path.join(dir, "manifest.json"), { manifestSha256: pinned });
    log(`verify-model: ${manifest.model} ${manifest.version}: ${manifest.files.length} files match the manifest`);
    return 0;
  } catch (error) {
    const problems = error instanceof ModelVerificationError ? error.problems : [(error as Error).message];
    problems.forEach((p) => log(`verify-model: refused: ${p}`));
    return 1;
  }
}

if (require.main === module) {
  void main(process.env, (line) => console.error(line)).then((code) => process.exit(code));
}
