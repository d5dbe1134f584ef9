import { Testing } from "cdktf";
import "cdktf/lib/testing/adapters/jest";

Testing.setupJest();

// cdktf records a full stack trace for every token it creates, only to quote it
// in errors about that token. Under Jest, with its deeper stacks and source
// maps, that is a third of every synth; the tests do not read those traces.
jest.mock("cdktf/lib/tokens/private/stack-trace", () => ({ captureStackTrace: () => [] }));
