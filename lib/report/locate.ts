import { readFileSync } from "node:fs";

const texts = new Map<string, string[] | null>();

function linesOf(file: string): string[] | null {
  if (!texts.has(file)) {
    try {
      texts.set(file, readFileSync(file, "utf8").split("\n"));
    } catch {
      texts.set(file, null);
    }
  }
  return texts.get(file) ?? null;
}

/**
 * The 1-based line where a resource is declared in its file, for reports that
 * point at code: `resource "TYPE" "NAME"` in HCL, `"NAME": {` under `"TYPE": {` in JSON.
 */
export function lineOf(file: string, address: string): number | undefined {
  const lines = linesOf(file);
  if (!lines) return undefined;
  const parts = address.split(".");
  const [type, name] = parts[0] === "data" ? [parts[1], parts[2]] : [parts[0], parts[1]];
  if (file.endsWith(".tf")) {
    const hcl = new RegExp(`^\\s*(resource|data)\\s+"${type}"\\s+"${name}"`);
    const i = lines.findIndex((l) => hcl.test(l));
    return i >= 0 ? i + 1 : undefined;
  }
  const typeLine = lines.findIndex((l) => l.includes(`"${type}"`));
  if (typeLine < 0) return undefined;
  const i = lines.findIndex((l, n) => n > typeLine && l.includes(`"${name}"`));
  return i >= 0 ? i + 1 : undefined;
}
