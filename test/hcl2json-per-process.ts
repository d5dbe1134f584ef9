/**
 * Jest gives every test file a fresh module registry, so each file that reads HCL would start hcl2json's Go
 * WebAssembly again (a quarter to half a second, a third of the suite's CPU). Mapped in place of the package
 * (jest.config.js), this keeps one started parser per worker process, on a core module's object, which Jest
 * shares between test files. Production loads the package once per process anyway.
 */
import * as path from "node:path";

type Hcl2Json = typeof import("@cdktf/hcl2json");
const KEY = Symbol.for("saip.test.hcl2json");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a core module: the one object every test file's registry returns
const holder = require("node:os") as Record<symbol, Hcl2Json | undefined>;
// By path, so the mapping that points the package's name here does not point this require at itself.
// eslint-disable-next-line @typescript-eslint/no-require-imports
holder[KEY] ??= require(path.join(__dirname, "../node_modules/@cdktf/hcl2json")) as Hcl2Json;

module.exports = holder[KEY];
