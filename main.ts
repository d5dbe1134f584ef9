import { InputError } from "./lib/terraform/load";
import { describeSummary, synthesizePlatform } from "./stacks/synth";

/**
 * The app entry `npm run synth` and `cdktf synth` run (compiled to dist/main.js).
 * The config comes from SAIP_CONFIG, else the cdktf context key `saipConfig`,
 * else the embedded reference platform.
 */
function configFile(): string | undefined {
  if (process.env.SAIP_CONFIG) return process.env.SAIP_CONFIG;
  // cdktf hands the app its context as JSON in CDKTF_CONTEXT_JSON; read it here rather than
  // through a throwaway App, whose constructor would create the output folder.
  let context: unknown;
  try {
    context = JSON.parse(process.env.CDKTF_CONTEXT_JSON ?? "{}").saipConfig;
  } catch {
    throw new InputError("CDKTF_CONTEXT_JSON: malformed JSON in the cdktf context");
  }
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
