import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** Writes a file whole or not at all: a temporary file renamed into place. */
export function writeAtomically(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
