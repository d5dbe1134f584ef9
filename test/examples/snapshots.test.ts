import * as path from "node:path";
import { buildExample } from "../../examples/extend-platform/main";
import { synthesizePlatform } from "../../stacks/synth";
import { CONFIG_EXAMPLES, configFileOf, readStacks, tempOutdir } from "./helpers";
import { schemaIssues } from "../schema/helpers";

/** Before the extend-platform waiver expires, so the snapshot does not depend on the day it runs. */
const BEFORE_EXPIRY = new Date("2026-12-01T00:00:00Z");

const synthesizers: Record<string, (outdir: string) => void> = {
  ...Object.fromEntries(
    CONFIG_EXAMPLES.map((example) => [example, (outdir: string) => void synthesizePlatform({ configFile: configFileOf(example), outdir })]),
  ),
  "extend-platform": (outdir) => void buildExample(outdir, { now: BEFORE_EXPIRY }),
};

describe.each(Object.keys(synthesizers))("examples/%s", (example) => {
  it("synthesizes the same stack JSON wherever and whenever it runs", () => {
    const first = tempOutdir(`${example}-a`);
    synthesizers[example](first);
    const stacks = readStacks(first);
    expect(stacks.length).toBeGreaterThanOrEqual(1);
    // The snapshot was written by another run in another folder: matching it shows no temp path, time or
    // randomness in the JSON (the reference platform's two-synth check is in test/stacks/main-job.test.ts).
    for (const { name, json } of stacks) {
      const text = JSON.stringify(json);
      expect(text).not.toContain(path.dirname(first));
      // Nor the checkout: the stacks name their state with paths relative to their own folder.
      expect(text).not.toContain(process.cwd());
      expect(json).toMatchSnapshot(`${example} ${name} cdk.tf.json`);
    }
    // What terraform validate would check with the providers downloaded (saip validate).
    expect(schemaIssues(stacks.map((s) => ({ file: `${example}/stacks/${s.name}/cdk.tf.json`, doc: s.json })))).toEqual([]);
  });
});
