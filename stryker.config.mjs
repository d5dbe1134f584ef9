// Mutation testing (StrykerJS 9: the last line that runs on Node 20). `npm run test:mutation`; see README "Mutation testing".
//
// Stryker's Jest runner runs, for each mutant, every test file related to the mutated file (--findRelatedTests)
// filtered by test name, in one process. A file that synthesizes the whole platform costs seconds to load for every
// mutant of the engine, so SAIP_MUTATION_TESTS (comma-separated globs, relative to the repository) narrows the test
// files Jest sees; by default the unit-level folders that exercise the mutated code run, and the platform synths,
// snapshots, browser and packaging tests (which guard other things) do not.

/** Test files a mutant may be killed by, by default: fast files that call the engine, loaders, reports and config. */
const UNIT_TESTS = [
  "test/compliance/**/*.test.ts",
  "test/report/**/*.test.ts",
  "test/cli/**/*.test.ts",
  "test/terraform/**/*.test.ts",
  "test/rules/**/*.test.ts",
  "test/stacks/config*.test.ts",
  "test/mutation/**/*.test.ts",
];
/** Synthesizes a browser page, or a whole platform per test: seconds per mutant for what unit tests already cover. */
const SLOW_TESTS = ["test/report/html.browser.test.ts", "test/compliance/evidence-from-app.test.ts", "test/cli/synth-app.test.ts"];

const chosen = process.env.SAIP_MUTATION_TESTS ? process.env.SAIP_MUTATION_TESTS.split(",").map((g) => g.trim()) : UNIT_TESTS;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "jest",
  // The project's own Jest config (@swc/jest, its moduleNameMapper and setup file); only which files run is narrowed.
  jest: {
    projectType: "custom",
    configFile: "jest.config.js",
    enableFindRelatedTests: true,
    config: {
      testMatch: chosen.map((glob) => `<rootDir>/${glob}`),
      testPathIgnorePatterns: ["/node_modules/", ...(process.env.SAIP_MUTATION_TESTS ? [] : SLOW_TESTS.map((f) => `/${f.replace(/\./g, "\\.")}$`))],
    },
  },
  coverageAnalysis: "perTest",
  // Mutants that do not compile are dropped before a test runs (cheaper than a Jest run that fails on them).
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // The engine, waivers, Terraform loading, rules and reports, and the platform config. One folder at a time:
  // `npm run test:mutation -- --mutate 'lib/compliance/**/*.ts'`.
  mutate: ["lib/compliance/**/*.ts", "lib/terraform/**/*.ts", "lib/report/**/*.ts", "lib/rules/**/*.ts", "stacks/config/**/*.ts"],
  // Committed: a clean clone (and .ci/run) reruns only mutants in code or tests changed since it was written.
  incremental: true,
  incrementalFile: "test/mutation/stryker-incremental.json",
  // Two cores, shared: one Jest process and one checker.
  concurrency: 1,
  timeoutMS: 20000,
  dryRunTimeoutMinutes: 20,
  // Only what the sandbox needs: the sources, tests, fixtures, and the docs a test compares with its generator.
  ignorePatterns: ["dist", "cdktf.out", "coverage", "reports", "test-artifacts", ".lint-cases-*", "test/consumer/project"],
  reporters: ["clear-text", "progress", "json", "html"],
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: ".stryker-tmp",
};
