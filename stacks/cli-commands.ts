import { Command } from "commander";
import { CommandExtension } from "../lib/cli/main";
import { InputError } from "../lib/terraform/load";

/** `saip synth [--config FILE] [--output DIR]` and `saip schema`. */
export const platformCommands: CommandExtension = (root: Command, io, setCode) => {
  root
    .command("synth")
    .description(
      "synthesize the platform (the embedded reference platform unless --config is given), check it, and write the evidence reports",
    )
    .option("-c, --config <file>", "platform config, YAML or JSON")
    .option("-o, --output <dir>", "output folder", "cdktf.out")
    .option(
      "-a, --app [command]",
      "run a team's own cdktf app instead (its command, or cdktf.json's app when none is given), check its stacks and write the evidence",
    )
    .option(
      "-w, --waivers <file>",
      "with --app: a waivers file (YAML or JSON); may be repeated",
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option("--fail-on-unused-waivers", "with --app: exit 1 when a waiver matches no failing finding", false)
    .action(async (opts: { config?: string; output: string; app?: string | true; waivers: string[]; failOnUnusedWaivers: boolean }) => {
      // Loaded here only: cdktf and the providers cost start-up time that saip check should not pay.
      if (opts.app !== undefined) {
        if (opts.config) throw new InputError("--app and --config: give one; a team's app reads its own config");
        const [{ synthApp }, { PLATFORM_PLACEHOLDERS }] = await Promise.all([import("../lib/cli/synth-app"), import("./placeholders")]);
        const result = await synthApp(
          {
            command: opts.app === true ? undefined : opts.app,
            outdir: opts.output,
            waivers: opts.waivers,
            failOnUnusedWaivers: opts.failOnUnusedWaivers,
            placeholders: PLATFORM_PLACEHOLDERS,
          },
          io.stderr,
        );
        io.stdout(result.summary);
        setCode(result.code);
        return;
      }
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
      const { platformConfigJsonSchema } = await import("./config/json-schema");
      io.stdout(JSON.stringify(platformConfigJsonSchema(), null, 2) + "\n");
      setCode(0);
    });
};
