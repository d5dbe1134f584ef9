import { Command, CommanderError, Option } from "commander";
import { traceability, traceabilityJson, traceabilityMarkdown } from "../catalogue/traceability";
import { FAIL_ON_LEVELS } from "../compliance/finding";
import { FORMATS } from "../report";
import { ALL_RULES } from "../rules";
import { InputError } from "../terraform/load";
import { packageVersion } from "../version";
import { Assignment } from "../terraform/load";
import { CheckCommandOptions, runBaseline, runCheck } from "./check";
import { ruleJson, ruleMarkdown, ruleNamed } from "./rule-text";

/** Exit code for bad input: unreadable paths, malformed files, unknown options. */
export const EXIT_BAD_INPUT = 2;

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: Io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/** Adds commands that live outside the cloud-neutral core (synth and schema come from stacks/). */
export type CommandExtension = (root: Command, io: Io, setCode: (code: number) => void) => void;

function program(io: Io, setCode: (code: number) => void, extensions: readonly CommandExtension[]): Command {
  const root = new Command("saip")
    .description("Checks Terraform against the secure AI platform requirements (ETSI TS 104 033, EN 304 223).")
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError();

  // --var-file and --var share one list, so their command-line order is Terraform's precedence.
  const inputOptions = (command: Command) => {
    const assignments: Assignment[] = [];
    const collect = (v: string, prev: string[]) => [...prev, v];
    return command
      .option("--var <name=value>", "set a root module variable; may be repeated", (v: string) => void assignments.push({ var: v }))
      .option(
        "--var-file <file>",
        "read root module variables from a .tfvars or .tfvars.json file; may be repeated",
        (v: string) => void assignments.push({ file: v }),
      )
      .option(
        "--check <ids>",
        "run only these rules, by rule id or cross-referenced Checkov/Trivy id; comma-separated or repeated",
        collect,
        [] as string[],
      )
      .option("--skip-check <ids>", "leave out these rules, by rule id or cross-referenced id", collect, [] as string[])
      .option("-w, --waivers <file>", "a waivers file (YAML or JSON); may be repeated", collect, [] as string[])
      .hook("preAction", (_cmd, action) => {
        action.setOptionValue("assignments", assignments);
      });
  };

  inputOptions(
    root
      .command("check")
      .description(
        "check Terraform: a cdktf.out folder, a stack folder, .tf/.tf.json files or folders of them, or a plan from terraform show -json",
      )
      .argument("[paths...]", "what to check", [])
      .addOption(new Option("-f, --format <format>", "report format").choices([...FORMATS]).default("text"))
      .option("-o, --output <file>", "write the report to a file instead of standard output")
      .option("--baseline <file>", "a baseline file (saip baseline writes one): its failures are reported but do not fail the run")
      .option("--fail-on-unused-waivers", "exit 1 when a waiver matches no failing finding (stale or mistyped waivers)", false)
      .addOption(
        new Option("--fail-on <level>", "lowest severity whose failures exit 1").choices([...FAIL_ON_LEVELS]).default("mandatory"),
      ),
  ).action(async (paths: string[], opts: CheckCommandOptions) => {
    setCode(await runCheck(paths, opts, io.stdout, io.stderr));
  });

  inputOptions(
    root
      .command("baseline")
      .description("write every current failure to a baseline file, so saip check --baseline fails only on new ones")
      .argument("[paths...]", "what to check (the same forms as check)", [])
      .requiredOption("-o, --output <file>", "the baseline file to write"),
  ).action(async (paths: string[], opts: CheckCommandOptions & { output: string }) => {
    setCode(await runBaseline(paths, opts, io.stdout));
  });

  root
    .command("validate")
    .description(
      "validate Terraform against the provider schemas (unknown or missing arguments, blocks and attributes confused), without terraform or provider downloads",
    )
    .argument("[paths...]", "what to validate (the same forms as check)", [])
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("-o, --output <file>", "write the result to a file instead of standard output")
    .action(async (paths: string[], opts: { format: "text" | "json"; output?: string }) => {
      // Loaded here only: the schemas are read on demand, so check's start-up does not pay for them.
      const { runValidate } = await import("./validate");
      setCode(await runValidate(paths, opts, io.stdout));
    });

  root
    .command("verify")
    .description(
      "check an evidence record against the files it names: each stack and the config must still have the SHA-256 the record holds",
    )
    .argument("[record]", "the evidence record", "cdktf.out/compliance/evidence.json")
    .option("-r, --root <dir>", "the folder the run was made in, which the record's paths are relative to", ".")
    .action(async (record: string, opts: { root: string }) => {
      const { readRecord, verifyRecord } = await import("../evidence/verify");
      const result = verifyRecord(readRecord(record), opts.root);
      io.stdout(result.lines.join("\n") + "\n");
      io.stdout(
        result.ok
          ? `${record}: every file holds the bytes the record checked\n`
          : `${record}: the files differ from what the record checked; its findings do not describe them\n`,
      );
      setCode(result.ok ? 0 : 1);
    });

  root
    .command("requirements")
    .description("print the requirement catalogue as a traceability table, or one rule with its good and bad examples")
    .addOption(new Option("-f, --format <format>", "output format").choices(["markdown", "json"]).default("markdown"))
    .option("--rule <id>", "print this rule only: what it checks, its cross-references, its fix and its examples")
    .option("--examples", "after the table, print every rule with its good and bad examples", false)
    .action((opts: { format: "markdown" | "json"; rule?: string; examples: boolean }) => {
      const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";
      if (opts.rule !== undefined) {
        const rule = ruleNamed(ALL_RULES, opts.rule);
        io.stdout(opts.format === "json" ? json(ruleJson(rule)) : ruleMarkdown(rule));
      } else {
        const rows = traceability(ALL_RULES);
        if (opts.format === "json")
          io.stdout(
            json(
              opts.examples
                ? { requirements: traceabilityJson(rows, ALL_RULES), rules: ALL_RULES.map(ruleJson) }
                : traceabilityJson(rows, ALL_RULES),
            ),
          );
        else io.stdout(traceabilityMarkdown(rows) + (opts.examples ? ["", "# Rules", "", ...ALL_RULES.map(ruleMarkdown)].join("\n") : ""));
      }
      setCode(0);
    });

  extensions.forEach((extend) => extend(root, io, setCode));
  return root;
}

/** Runs the command line; resolves to the exit code instead of exiting, so tests can call it. */
export async function main(argv: readonly string[], io: Io = processIo, extensions: readonly CommandExtension[] = []): Promise<number> {
  let code = 0;
  try {
    await program(io, (c) => (code = c), extensions).parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed.
      return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    if (error instanceof InputError) {
      io.stderr(`saip: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}
