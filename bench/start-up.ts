import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { median, processMs } from "./timing";

export interface StartUpRow {
  /** `node -e ""`: what any command on node pays before it does anything. */
  readonly nodeMs: number;
  /** `saip check` of a three-resource file, report to a file: start-up is nearly all of it. */
  readonly checkMs: number;
}

const root = path.resolve(__dirname, "../..");

/** `saip check` on a small file against node's own start-up: the cost of what the command loads. */
export function benchStartUp(runs: number): StartUpRow {
  const dir = mkdtempSync(path.join(tmpdir(), "saip-start-"));
  try {
    const file = path.join(dir, "small.tf.json");
    writeFileSync(
      file,
      JSON.stringify({
        resource: { aws_kms_key: { k: { enable_key_rotation: true } }, aws_s3_bucket: { b: { bucket: "b" } }, aws_sqs_queue: { q: {} } },
      }),
    );
    const node: number[] = [];
    const saip: number[] = [];
    for (let run = 0; run < runs; run++) {
      node.push(processMs(["-e", ""]));
      saip.push(processMs([path.join(root, "bin/saip.js"), "check", file, "--format", "json", "--output", path.join(dir, "report.json")]));
    }
    return { nodeMs: median(node), checkMs: median(saip) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
