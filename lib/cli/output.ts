import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { InputError } from "../terraform/load";

/** Writes a file whole or not at all: a temporary file renamed into place. */
export function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new InputError(`${file}: cannot write the report: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
