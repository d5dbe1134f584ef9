import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { eksAddonVersions, PinnedEksAddon } from "../../constructs/aws/eks-versions";
import { DEFAULT_CONFIG } from "../../stacks/config/default";
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

describe("the reference platform's EKS add-ons", () => {
  // Without addon_version, a fresh apply installs EKS's default of that day, not the version that was tested.
  it("are each pinned to the version known for the cluster's Kubernetes version, overwriting drift on create and update", () => {
    const doc = JSON.parse(readFileSync(path.join(outdir, "stacks", "platform", "cdk.tf.json"), "utf8"));
    const addons = Object.values(doc.resource.aws_eks_addon) as Array<Record<string, string>>;
    const pins = eksAddonVersions(DEFAULT_CONFIG.cluster.version);
    expect(addons.map((a) => a.addon_name).sort()).toEqual(Object.keys(pins).sort());
    for (const addon of addons) {
      expect(addon).toMatchObject({
        addon_version: pins[addon.addon_name as PinnedEksAddon],
        resolve_conflicts_on_create: "OVERWRITE",
        resolve_conflicts_on_update: "OVERWRITE",
      });
    }
  });
});
