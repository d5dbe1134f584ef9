import { readFileSync } from "node:fs";
import * as path from "node:path";

let cached: string | undefined;

/** This package's version, found from source or compiled code alike. */
export function packageVersion(): string {
  if (cached) return cached;
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
      if (pkg.name === "secure-ai-platform") return (cached = String(pkg.version));
    } catch {
      // not here; look further up
    }
  }
  return (cached = "0.0.0");
}
