import { App } from "cdktf";
import { InputError } from "./lib/terraform/load";
import { describeSummary, synthesizePlatform } from "./stacks/synth";

/**
 * The app entry `npm run synth` and `cdktf synth` run (compiled to dist/main.js).
 * The config comes from SAIP_CONFIG, else the cdktf context key `saipConfig`,
 * else the embedded reference platform.
 */
function configFile(): string | undefined {
  if (process.env.SAIP_CONFIG) return process.env.SAIP_CONFIG;
  // cdktf passes context through CDKTF_CONTEXT_JSON; a throwaway App reads it the same way cdktf does.
  const context = new App({ skipValidation: true }).node.tryGetContext("saipConfig");
  return typeof context === "string" && context.length > 0 ? context : undefined;
}

try {
  const summary = synthesizePlatform({ configFile: configFile(), outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out" });
  process.stdout.write(describeSummary(summary));
} catch (error) {
  if (error instanceof InputError) {
    process.stderr.write(`saip: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`saip: synth failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
