/** Jest for cdktf: @swc/jest strips types (the type check is `npm run typecheck`). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  // Two cores: one worker per core, and recycle workers that grow large.
  maxWorkers: 2,
  workerIdleMemoryLimit: "1GB",
  testTimeout: 60000,
};
