/** Jest for cdktf: @swc/jest strips types (the type check is `npm run typecheck`). */
module.exports = {
  testEnvironment: "node",
  // examples/ holds a team's own compliance test, run as theirs would be.
  roots: ["<rootDir>/test", "<rootDir>/examples"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  // The examples import the package by name; in tests that is its sources (tsconfig.json's paths).
  moduleNameMapper: {
    "^secure-ai-platform$": "<rootDir>/index.ts",
    "^secure-ai-platform/(aws|kubernetes)$": "<rootDir>/constructs/$1/index.ts",
    "^secure-ai-platform/stacks$": "<rootDir>/stacks/index.ts",
    "^secure-ai-platform/compliance$": "<rootDir>/lib/index.ts",
    "^secure-ai-platform/testing$": "<rootDir>/testing/index.ts",
    // One started HCL parser per worker, not per test file (see the file).
    "^@cdktf/hcl2json$": "<rootDir>/test/hcl2json-per-process.ts",
  },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  // Two cores: one worker per core, and recycle workers that grow large.
  maxWorkers: 2,
  workerIdleMemoryLimit: "1GB",
  testTimeout: 60000,
};
