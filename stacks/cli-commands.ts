import { Command } from "commander";
import { CommandExtension } from "../lib/cli/main";
import { InputError } from "../lib/terraform/load";
import { platformConfigJsonSchema } from "./config/json-schema";
import { describeSummary, synthesizePlatform } from "./synth";

/** `saip synth [--config FILE] [--output DIR]` and `saip schema`. */
export const platformCommands: CommandExtension = (root: Command, io, setCode) => {
  root
    .command("synth")
    .description("synthesize the platform (the embedded reference platform unless --config is given), check it, and write the evidence reports")
    .option("-c, --config <file>", "platform config, YAML or JSON")
    .option("-o, --output <dir>", "output folder", "cdktf.out")
    .action((opts: { config?: string; output: string }) => {
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
    .action(() => {
      io.stdout(JSON.stringify(platformConfigJsonSchema(), null, 2) + "\n");
      setCode(0);
    });
};
