import { Command } from "commander";
import { CommandExtension } from "../lib/cli/main";
import { InputError } from "../lib/terraform/load";

/** `saip synth [--config FILE] [--output DIR]` and `saip schema`. */
export const platformCommands: CommandExtension = (root: Command, io, setCode) => {
  root
    .command("synth")
    .description("synthesize the platform (the embedded reference platform unless --config is given), check it, and write the evidence reports")
    .option("-c, --config <file>", "platform config, YAML or JSON")
    .option("-o, --output <dir>", "output folder", "cdktf.out")
    .action(async (opts: { config?: string; output: string }) => {
      // Loaded here only: cdktf and the providers cost start-up time that saip check should not pay.
      const { describeSummary, synthesizePlatform } = await import("./synth");
      let summary;
      try {
        summary = synthesizePlatform({ configFile: opts.config, outdir: opts.output });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // A folder that cannot be written is bad input, like a bad config; a failing rule is exit 1.
        if (code && /^E[A-Z]+$/.test(code)) throw new InputError(`${opts.output}: cannot write the synthesized output: ${code}`);
        throw error;
      }
      io.stdout(describeSummary(summary));
      setCode(0);
    });

  root
    .command("schema")
    .description("print the JSON Schema of the platform config, for editors and CI")
    .action(async () => {
      const { platformConfigSchema } = await import("./config/schema");
      const { z } = await import("zod");
      const schema = z.toJSONSchema(platformConfigSchema, { io: "input", unrepresentable: "any" });
      io.stdout(JSON.stringify({ ...schema, title: "secure-ai-platform config" }, null, 2) + "\n");
      setCode(0);
    });
};
