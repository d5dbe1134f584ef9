// Mutation testing (StrykerJS 9: the last line that runs on Node 20). `npm run test:mutation`; see README "Mutation testing".
//
// Stryker's Jest runner runs, for each mutant, every test file related to the mutated file (--findRelatedTests)
// filtered by test name, in one process; finding and loading them costs seconds per mutant on two shared cores.
// So a run loads only the test folders that exercise the folders it mutates (TESTS_FOR, chosen from --mutate),
// or SAIP_MUTATION_TESTS (comma-separated globs). The platform synths, snapshots, browser and packaging tests
// guard other things and never run here.

/**
 * The test files that exercise each mutated folder: fast files that call it directly or through the command line.
 * Files that load the providers or synthesize a platform at the top (check.test.ts, config-fields.test.ts) cost
 * seconds for every mutant they are related to, and are left out.
 */
const TESTS_FOR = {
  "lib/compliance": ["test/compliance/**/*.test.ts", "test/report/report-values.test.ts", "test/cli/check-inputs.test.ts"],
  "lib/report": ["test/report/**/*.test.ts", "test/cli/check-inputs.test.ts"],
  "lib/terraform": ["test/terraform/**/*.test.ts", "test/cli/check-inputs.test.ts"],
  "lib/rules": ["test/rules/**/*.test.ts"],
  "stacks/config": ["test/stacks/config-strict.test.ts", "test/stacks/config-values.test.ts", "test/cli/validate.test.ts"],
};
/** Synthesizes a browser page or a whole platform per test: seconds per mutant for what unit tests already cover. */
const SLOW_TESTS = ["test/report/html.browser.test.ts", "test/compliance/evidence-from-app.test.ts"];

/** The value of --mutate (or -m) on Stryker's command line, when given. */
function mutateArgument(argv) {
  const i = argv.findIndex((a) => a === "--mutate" || a === "-m");
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith("--mutate="))?.slice("--mutate=".length);
}

function testsToRun() {
  if (process.env.SAIP_MUTATION_TESTS) return process.env.SAIP_MUTATION_TESTS.split(",").map((g) => g.trim());
  const mutate = mutateArgument(process.argv);
  const folders = Object.keys(TESTS_FOR).filter((folder) => !mutate || mutate.split(",").some((m) => m.startsWith(folder)));
  return [...new Set((folders.length ? folders : Object.keys(TESTS_FOR)).flatMap((f) => TESTS_FOR[f]))];
}
const chosen = testsToRun();

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
      testPathIgnorePatterns: ["/node_modules/", ...SLOW_TESTS.map((f) => `/${f.replace(/\./g, "\\.")}$`)],
    },
  },
  coverageAnalysis: "perTest",
  // Static mutants (module-level constants: messages, regular expressions, CSS) need every related test file
  // reloaded per mutant: hours on two cores. They are left out of the score; SAIP_MUTATION_STATIC=1 runs them.
  ignoreStatic: process.env.SAIP_MUTATION_STATIC !== "1",
  // The TypeScript checker drops mutants that do not compile before a test runs. Measured here it is the
  // bottleneck: 40% of a core against the test runner's 15%, about 3 s a mutant on two shared cores, even with
  // tsconfig.mutation.json's smaller program. So it is opt-in (SAIP_MUTATION_TYPECHECK=1); without it a mutant
  // that would not compile runs as @swc/jest strips it, and is killed or listed like any other.
  checkers: process.env.SAIP_MUTATION_TYPECHECK === "1" ? ["typescript"] : [],
  tsconfigFile: "tsconfig.mutation.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // The engine, waivers, Terraform loading, rules and reports, and the platform config. One folder at a time:
  // `npm run test:mutation -- --mutate 'lib/compliance/**/*.ts'`.
  // descriptions.ts is left out: it is the schema's help text, one string per field, whose only mutants empty a
  // sentence; config-fields.test.ts checks every field has one. A run given --mutate leaves it out with
  // '!stacks/config/descriptions.ts' (README, "Mutation testing").
  mutate: [
    "lib/compliance/**/*.ts",
    "lib/terraform/**/*.ts",
    "lib/report/**/*.ts",
    "lib/rules/**/*.ts",
    "stacks/config/**/*.ts",
    "!stacks/config/descriptions.ts",
  ],
  // Committed: a clean clone (and .ci/run) reruns only mutants in code or tests changed since it was written.
  incremental: true,
  incrementalFile: "test/mutation/stryker-incremental.json",
  // Two cores, shared: one Jest process and one checker.
  concurrency: 1,
  timeoutMS: 20000,
  dryRunTimeoutMinutes: 20,
  // Only what the sandbox needs: the sources, tests, fixtures, and the docs a test compares with its generator.
  ignorePatterns: ["dist", "cdktf.out", "coverage", "reports", "test-artifacts", ".lint-cases-*", "test/consumer/project", ".stryker-tmp*"],
  reporters: ["clear-text", "progress", "json", "html"],
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  // SAIP_MUTATION_BREAK: the score under which the run fails (the CI guard sets it; a local run only reports).
  thresholds: { high: 90, low: 85, break: process.env.SAIP_MUTATION_BREAK ? Number(process.env.SAIP_MUTATION_BREAK) : null },
  tempDirName: ".stryker-tmp",
};
