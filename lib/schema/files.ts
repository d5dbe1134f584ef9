import { existsSync } from "node:fs";
import * as path from "node:path";

/**
 * Where the provider schema files live: lib/schema/providers/ in the package
 * (the package ships them as they are; tsc does not copy JSON to dist/).
 * Found from this file upwards, so it holds from lib/ (tests, ts-node) and
 * from dist/lib/ (the compiled command line).
 */
export function providerSchemaDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "lib", "schema", "providers");
    if (existsSync(path.join(dir, "package.json")) && existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`no lib/schema/providers above ${__dirname}`);
  }
}
