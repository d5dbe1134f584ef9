#!/usr/bin/env node
"use strict";
// A reader that stops early (`saip check | head`) is not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});
// The command line runs from compiled JavaScript; `npm run build` makes dist/.
require("../dist/cli.js")
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    // Bad input has exit 2 and its own message; anything else (a synth whose rules fail) is exit 1.
    process.stderr.write(`saip: ${error && error.message ? error.message : error}\n`);
    process.exitCode = 1;
  });
