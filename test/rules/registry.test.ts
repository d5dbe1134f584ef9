import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { pass, Rule } from "../../lib/compliance/rule";
import { ALL_RULES } from "../../lib/rules";
import { missingVerdicts, Verdict } from "./harness";
import { idFromPath, isRule, registryProblems, RuleFile, testPathFor } from "./registry";

const ROOT = path.resolve(__dirname, "../..");

/** Every rule any file under lib/rules exports, found by reading the folder, not the barrels. */
function ruleFiles(): RuleFile[] {
  const files = (readdirSync(path.join(ROOT, "lib/rules"), { recursive: true }) as string[])
    .map((f) => `lib/rules/${f.split(path.sep).join("/")}`)
    .filter((f) => f.endsWith(".ts") && !f.endsWith("/index.ts"))
    .sort();
  return files.map((file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(path.join(ROOT, file)) as Record<string, unknown>;
    return { file, rules: Object.values(exports).filter(isRule) };
  });
}

const testText = (file: string) => (existsSync(path.join(ROOT, file)) ? readFileSync(path.join(ROOT, file), "utf8") : undefined);

describe("the rule registry", () => {
  const files = ruleFiles();

  it("finds the rules by reading lib/rules", () => {
    expect(files.flatMap((f) => f.rules).length).toBeGreaterThanOrEqual(90);
  });

  it("holds every rule file's rule once, under the id its path gives, each with its test", () => {
    expect(registryProblems({ files, registered: ALL_RULES, testText })).toEqual([]);
  });
});

const rule = (id: string): Rule => ({
  id,
  title: id,
  requirements: ["SAIP-TEST"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_s3_bucket"],
  remediation: "",
  check: () => pass(""),
});

describe("the registry's conventions", () => {
  const cmk = rule("aws-ecr-cmk");
  const cmkFile = { file: "lib/rules/aws/ecr/ecr-cmk.ts", rules: [cmk] };
  const cmkTest = `import { ecrCmk } from "../../../../lib/rules/aws/ecr/ecr-cmk";`;
  const tests = (texts: Record<string, string>) => (file: string) => texts[file];

  it("reads the id and the test's path from the rule's path", () => {
    expect(idFromPath("lib/rules/aws/ecr/ecr-cmk.ts")).toBe("aws-ecr-cmk");
    expect(idFromPath("lib/rules/kubernetes/pod-no-host-path.ts")).toBe("k8s-pod-no-host-path");
    expect(testPathFor("lib/rules/aws/ecr/ecr-cmk.ts", "aws-ecr-cmk")).toBe("test/rules/aws/ecr/aws-ecr-cmk.test.ts");
    expect(testPathFor("lib/rules/kubernetes/pod-no-host-path.ts", "k8s-pod-no-host-path")).toBe(
      "test/rules/kubernetes/k8s-pod-no-host-path.test.ts",
    );
  });

  it("passes a tree that keeps them", () => {
    expect(
      registryProblems({ files: [cmkFile], registered: [cmk], testText: tests({ "test/rules/aws/ecr/aws-ecr-cmk.test.ts": cmkTest }) }),
    ).toEqual([]);
  });

  it("fails a rule that is added and not registered", () => {
    expect(
      registryProblems({ files: [cmkFile], registered: [], testText: tests({ "test/rules/aws/ecr/aws-ecr-cmk.test.ts": cmkTest }) }),
    ).toEqual([
      "lib/rules/aws/ecr/ecr-cmk.ts exports rule aws-ecr-cmk, which ALL_RULES does not hold: add it to the list in lib/rules/aws/ecr/index.ts.",
    ]);
  });

  it("fails an id its path does not give, and says which file name would", () => {
    const old = { file: "lib/rules/aws/ecr/cmk.ts", rules: [cmk] };
    expect(
      registryProblems({
        files: [old],
        registered: [cmk],
        testText: tests({ "test/rules/aws/ecr/aws-ecr-cmk.test.ts": `from "../../../../lib/rules/aws/ecr/cmk";` }),
      }),
    ).toEqual([
      "lib/rules/aws/ecr/cmk.ts holds rule aws-ecr-cmk, but its path gives the id aws-cmk: rename the file to lib/rules/aws/ecr/ecr-cmk.ts (git mv), keeping the id, which waivers and baselines name.",
    ]);
  });

  it("fails a missing test, a test of another file, a shared id, two rules in a file and a rule registered twice or from nowhere", () => {
    const twin = rule("aws-ecr-cmk");
    const stray = rule("aws-ecr-stray");
    const other = rule("aws-ecr-other");
    const problems = registryProblems({
      files: [cmkFile, { file: "lib/rules/aws/ecr/ecr-other.ts", rules: [other, twin] }],
      registered: [cmk, cmk, twin, other, stray],
      testText: tests({ "test/rules/aws/ecr/aws-ecr-cmk.test.ts": `from "../../../../lib/rules/aws/ecr/ecr-other";` }),
    });
    expect(problems).toEqual([
      "test/rules/aws/ecr/aws-ecr-cmk.test.ts does not import lib/rules/aws/ecr/ecr-cmk.ts: a rule's test file tests that rule.",
      "lib/rules/aws/ecr/ecr-other.ts exports 2 rules (aws-ecr-other, aws-ecr-cmk): one rule per file, each in a file named after its id.",
      "aws-ecr-other has no test: add test/rules/aws/ecr/aws-ecr-other.test.ts, with pass, fail and unresolved cases through test/rules/harness.ts.",
      "lib/rules/aws/ecr/ecr-other.ts holds rule aws-ecr-cmk, but its path gives the id aws-ecr-other: rename the file to lib/rules/aws/ecr/ecr-cmk.ts (git mv), keeping the id, which waivers and baselines name.",
      "the rule id aws-ecr-cmk is used by lib/rules/aws/ecr/ecr-cmk.ts and lib/rules/aws/ecr/ecr-other.ts: ids are unique.",
      "ALL_RULES holds aws-ecr-stray, which no file under lib/rules exports: give it a file of its own named after its id.",
      "ALL_RULES holds aws-ecr-cmk 3 times: register each rule once.",
    ]);
  });

  it("fails a rule's test file that never makes its rule pass, fail and unresolved", () => {
    const recorded = new Map<string, Set<Verdict>>([["aws-ecr-cmk", new Set<Verdict>(["pass", "fail"])]]);
    expect(missingVerdicts("/repo/test/rules/aws/ecr/aws-ecr-cmk.test.ts", recorded)).toEqual(["unresolved"]);
    expect(missingVerdicts("/repo/test/rules/aws/ecr/aws-ecr-scan-on-push.test.ts", recorded)).toEqual(["pass", "fail", "unresolved"]);
    expect(missingVerdicts("/repo/test/rules/aws/compute/util.test.ts", recorded)).toEqual([]);
    expect(
      missingVerdicts(
        "/repo/test/rules/aws/ecr/aws-ecr-cmk.test.ts",
        new Map([["aws-ecr-cmk", new Set<Verdict>(["pass", "fail", "unresolved"])]]),
      ),
    ).toEqual([]);
  });
});
