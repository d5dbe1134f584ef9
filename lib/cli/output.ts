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
    // One buffer for every piece, grown when a piece needs more: a fresh buffer per megabyte piece was 70 MB
    // allocated (and its pages faulted in) to write a 69 MB report.
    let buffer = Buffer.allocUnsafe(0);
    for (const piece of typeof text === "string" ? [text] : text) {
      // UTF-8 takes at most three bytes for each UTF-16 unit; a long text (a whole HTML report) is measured instead.
      const bytes = piece.length <= 1 << 21 ? piece.length * 3 : Buffer.byteLength(piece, "utf8");
      if (buffer.length < bytes) buffer = Buffer.allocUnsafe(bytes);
      writeAll(fd, buffer, buffer.write(piece, 0, "utf8"));
    }
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

/** The first `length` bytes of `bytes`: writeSync may write less than it is given; writeFileSync loops the same way. */
function writeAll(fd: number, bytes: Buffer, length: number): void {
  for (let at = 0; at < length;) at += writeSync(fd, bytes, at, length - at);
}
