import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { main } from "../../examples/verified-model-loading/verify-model";
import { createModelManifest, sha256Hex } from "../../lib/integrity/model-manifest";

describe("verified-model-loading: the init container's entry", () => {
  it("exits 0 on the published files and 1 on a changed byte, naming the file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "saip-verify-"));
    writeFileSync(path.join(dir, "model.safetensors"), Buffer.alloc(512, 1));
    writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(await createModelManifest(dir, "scorer", "3")));
    const env = { MODEL_DIR: dir, MODEL_MANIFEST_SHA256: sha256Hex(readFileSync(path.join(dir, "manifest.json"))) };
    const lines: string[] = [];
    expect(await main(env, (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual(["verify-model: scorer 3: 1 files match the manifest"]);

    const bytes = readFileSync(path.join(dir, "model.safetensors"));
    bytes[0] = 2;
    writeFileSync(path.join(dir, "model.safetensors"), bytes);
    lines.length = 0;
    expect(await main(env, (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toMatch(/^verify-model: refused: model\.safetensors: SHA-256 is [0-9a-f]{64}, the manifest says [0-9a-f]{64}$/);
    expect(await main({ MODEL_DIR: dir }, (l) => lines.push(l))).toBe(1);
    expect(lines.at(-1)).toBe("verify-model: MODEL_MANIFEST_SHA256 is required");
  });
});
