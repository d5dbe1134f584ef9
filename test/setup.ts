// The matchers' types (toHaveResourceWithProperties and the rest); erased at run time.
import type {} from "cdktf/lib/testing/adapters/jest";

// cdktf records a full stack trace for every token it creates, only to quote it
// in errors about that token. Under Jest, with its deeper stacks and source
// maps, that is a third of every synth; the tests do not read those traces.
jest.mock("cdktf/lib/tokens/private/stack-trace", () => ({ captureStackTrace: () => [] }));

/**
 * cdktf's Jest matchers, registered without loading cdktf: loading it costs
 * about half a second in each test file, and most files (rules, reports, the
 * command line) never synthesize. The first matcher a file calls loads them.
 */
const MATCHERS = [
  "toHaveResource",
  "toHaveResourceWithProperties",
  "toHaveDataSource",
  "toHaveDataSourceWithProperties",
  "toHaveProvider",
  "toHaveProviderWithProperties",
  "toBeValidTerraform",
  "toPlanSuccessfully",
] as const;

type Matcher = (this: jest.MatcherContext, ...args: unknown[]) => jest.CustomMatcherResult;
let loaded: Record<string, Matcher> | undefined;

function cdktfMatchers(): Record<string, Matcher> {
  if (loaded) return loaded;
  // setupJest hands its matchers to expect.extend; catch them there instead of registering them twice.
  const target = expect as unknown as { extend: (matchers: Record<string, Matcher>) => void };
  const extend = target.extend;
  let caught: Record<string, Matcher> = {};
  target.extend = (matchers) => {
    caught = matchers;
  };
  try {
    // Loaded here, on first use, on purpose: an import would load cdktf in every file.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require("cdktf/lib/testing/adapters/jest") as { setupJest: () => void }).setupJest();
  } finally {
    target.extend = extend;
  }
  return (loaded = caught);
}

expect.extend(
  Object.fromEntries(
    MATCHERS.map((name) => [
      name,
      function (this: jest.MatcherContext, ...args: unknown[]) {
        return cdktfMatchers()[name].apply(this, args);
      },
    ]),
  ),
);
