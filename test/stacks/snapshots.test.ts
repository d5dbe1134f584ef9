import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { synthesizePlatform } from "../../stacks/synth";

/**
 * What the reference platform will deploy, stack by stack, so every change
 * shows in review. Update deliberately with `npx jest -u test/stacks/snapshots.test.ts`.
 */
const outdir = path.join(mkdtempSync(path.join(tmpdir(), "saip-snap-")), "cdktf.out");
const { stacks } = synthesizePlatform({ outdir });

describe("reference platform snapshots", () => {
  it.each(stacks.map((s) => s.name))("stack %s", (name) => {
    const text = readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8");
    // The JSON must not depend on where or when it was synthesized.
    expect(text).not.toContain(outdir);
    expect(JSON.parse(text)).toMatchSnapshot();
  });
});
