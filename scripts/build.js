#!/usr/bin/env node
// `npm run build`: tsc -b, skipped outright when no source or build setting changed since the last
// successful build. tsc -b finds an unchanged tree up to date too, but loading the compiler to decide
// costs about 0.7 s of the 3 s a warm `npm run synth` may take; comparing modification times costs 30 ms.
"use strict";
const { spawnSync } = require("node:child_process");
const { existsSync, readdirSync, statSync, writeFileSync } = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const stamp = path.join(root, "dist", ".build-stamp");
// What tsconfig.build.json compiles, and what changes how it compiles.
const SOURCES = ["index.ts", "main.ts", "cli.ts", "testing", "lib", "constructs", "stacks", "examples", "bench", "scripts"];
const SETTINGS = ["tsconfig.json", "tsconfig.build.json", "package.json", "package-lock.json"];

function newestUnder(entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  // A folder's own time changes when a file is added, removed or renamed in it.
  let newest = stat.mtimeMs;
  for (const child of readdirSync(full)) {
    if (child === "node_modules" || child === "__snapshots__") continue;
    const rel = path.join(entry, child);
    const childStat = statSync(path.join(root, rel));
    if (childStat.isDirectory()) newest = Math.max(newest, newestUnder(rel));
    else if (/\.(ts|json)$/.test(child)) newest = Math.max(newest, childStat.mtimeMs);
  }
  return newest;
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changed = [...SOURCES, ...SETTINGS].some((entry) => newestUnder(entry) >= built);
if (changed || process.argv.includes("--force")) {
  const tsc = require.resolve("typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-b", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
