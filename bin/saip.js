#!/usr/bin/env node
"use strict";
// The command line runs from compiled JavaScript; `npm run build` makes dist/.
require("../dist/cli.js").main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
