// Writes the consumer project's package.json and package-lock.json: its own cdktf, constructs,
// providers, Jest and TypeScript at the versions our lock pins (so `npm ci --offline` finds every
// tarball in the cache `npm ci` filled), and the packed library as a file dependency.
"use strict";
const { createHash } = require("node:crypto");
const { readFileSync, writeFileSync } = require("node:fs");
const path = require("node:path");

const [work, tarballName] = process.argv.slice(2);
const root = path.join(__dirname, "..", "..");
const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8"));
const library = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const pinned = (name) => lock.packages[`node_modules/${name}`].version;

const own = [
  "@cdktf/provider-aws",
  "@cdktf/provider-kubernetes",
  "cdktf",
  "constructs",
  "jest",
  "typescript",
  "@types/jest",
  "@types/node",
];
const dependencies = Object.fromEntries(own.map((name) => [name, pinned(name)]));
dependencies["secure-ai-platform"] = `file:${tarballName}`;
writeFileSync(
  path.join(work, "package.json"),
  JSON.stringify({ name: "team-platform", version: "1.0.0", private: true, dependencies }, null, 2) + "\n",
);

const tarball = readFileSync(path.join(work, tarballName));
lock.name = "team-platform";
lock.version = "1.0.0";
lock.packages[""] = { name: "team-platform", version: "1.0.0", dependencies };
lock.packages["node_modules/secure-ai-platform"] = {
  version: library.version,
  resolved: `file:${tarballName}`,
  integrity: `sha512-${createHash("sha512").update(tarball).digest("base64")}`,
  license: library.license,
  dependencies: library.dependencies,
  peerDependencies: library.peerDependencies,
  bin: library.bin,
  engines: library.engines,
};
// Our own packages are dev-only in our lock; in the consumer's they are its dependencies.
for (const entry of Object.values(lock.packages)) delete entry.dev;
writeFileSync(path.join(work, "package-lock.json"), JSON.stringify(lock, null, 2) + "\n");
