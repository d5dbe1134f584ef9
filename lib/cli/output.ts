import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import * as path from "node:path";
import { InputError } from "../terraform/load";

/**
 * Writes a file whole or not at all: a temporary file renamed into place. The text may come in pieces
 * (a large JSON report does), each written as it is made, so the whole never has to be one string.
 */
export function writeAtomically(file: string, text: string | Iterable<string>): void {
  const temporary = `${file}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fd = openSync(temporary, "w");
    for (const piece of typeof text === "string" ? [text] : text) writeAll(fd, Buffer.from(piece, "utf8"));
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, file);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    // A piece that could not be made is the renderer's error, not the file system's.
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    throw new InputError(`${file}: cannot write the report: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** writeSync may write less than it is given; writeFileSync loops the same way. */
function writeAll(fd: number, bytes: Buffer): void {
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
}
