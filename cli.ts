import { main as coreMain, Io } from "./lib/cli/main";
import { platformCommands } from "./stacks/cli-commands";

/** The full `saip` command line: the engine's commands plus synth and schema. */
export function main(argv: readonly string[], io?: Io): Promise<number> {
  return coreMain(argv, io, [platformCommands]);
}
