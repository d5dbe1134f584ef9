import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { check } from "../../lib/compliance/engine";
import { isJsonExample, Rule } from "../../lib/compliance/rule";
import { ALL_RULES } from "../../lib/rules";
import { loadTerraform } from "../../lib/terraform/load";

/**
 * Rules that have no good and bad examples yet: none, and it stays so. A new
 * rule comes with its examples (see lib/rules/aws/ecr/ecr-cmk.ts); one listed
 * here is a debt to name in review, never a way to pass the test.
 */
const WITHOUT_EXAMPLES: readonly string[] = [];

interface Example {
  readonly rule: Rule;
  readonly kind: "good" | "bad";
  readonly index: number;
  readonly dir: string;
}

/** What is wrong with one example's findings, or undefined when the rule judged it as the example says. */
export function exampleProblem(
  kind: "good" | "bad",
  statuses: ReadonlyArray<{ status: string; unresolved?: boolean; resource: string; message: string }>,
): string | undefined {
  if (statuses.length === 0) return "the rule judged no resource in it";
  const unresolved = statuses.filter((f) => f.unresolved);
  if (unresolved.length) return `the rule could not resolve ${unresolved.map((f) => `${f.resource} (${f.message})`).join("; ")}`;
  if (kind === "good") {
    const failing = statuses.filter((f) => f.status !== "pass");
    return failing.length ? `it should pass, but ${failing.map((f) => `${f.resource}: ${f.message}`).join("; ")}` : undefined;
  }
  return statuses.some((f) => f.status === "fail")
    ? undefined
    : `it should fail, but every resource passed: ${statuses.map((f) => `${f.resource}: ${f.message}`).join("; ")}`;
}

describe("rule examples", () => {
  const withExamples = ALL_RULES.filter((r) => (r.examples?.good.length ?? 0) > 0 && (r.examples?.bad.length ?? 0) > 0);
  let root: string;
  let results: Array<{ example: Example; problem?: string }> = [];

  // One load of every example (each its own module), then each judged by its rule alone.
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "saip-examples-"));
    const examples: Example[] = withExamples.flatMap((rule) =>
      (["good", "bad"] as const).flatMap((kind) =>
        rule.examples![kind].map((hcl, index) => {
          const dir = path.join(root, rule.id, `${kind}-${index + 1}`);
          mkdirSync(dir, { recursive: true });
          writeFileSync(path.join(dir, isJsonExample(hcl) ? "main.tf.json" : "main.tf"), hcl);
          return { rule, kind, index, dir };
        }),
      ),
    );
    const modules = await loadTerraform(examples.map((e) => e.dir));
    results = examples.map((example, i) => ({
      example,
      problem: exampleProblem(example.kind, check([modules[i]], { rules: [example.rule] }).findings),
    }));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("every rule has good and bad examples, or is listed as still lacking them", () => {
    const lacking = ALL_RULES.filter((r) => !withExamples.includes(r)).map((r) => r.id);
    const added = lacking.filter((id) => !WITHOUT_EXAMPLES.includes(id));
    const done = WITHOUT_EXAMPLES.filter((id) => !lacking.includes(id));
    expect({
      "rules without examples (add examples: { good: [...], bad: [...] } beside the rule)": added,
      "rules with examples now (remove from WITHOUT_EXAMPLES)": done,
    }).toEqual({
      "rules without examples (add examples: { good: [...], bad: [...] } beside the rule)": [],
      "rules with examples now (remove from WITHOUT_EXAMPLES)": [],
    });
  });

  it("each good example passes its rule and each bad one fails it", () => {
    const problems = results
      .filter((r) => r.problem)
      .map((r) => `${r.example.rule.id} ${r.example.kind} example ${r.example.index + 1}: ${r.problem}`);
    expect(problems).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(2 * withExamples.length);
  });

  it("tells a good example that fails, a bad one that passes, an unresolved value and an empty module apart", () => {
    const f = (status: string, unresolved = false) => ({ status, unresolved, resource: "aws_x.a", message: "m" });
    expect(exampleProblem("good", [f("pass")])).toBeUndefined();
    expect(exampleProblem("bad", [f("pass"), f("fail")])).toBeUndefined();
    expect(exampleProblem("good", [f("fail")])).toBe("it should pass, but aws_x.a: m");
    expect(exampleProblem("bad", [f("pass")])).toBe("it should fail, but every resource passed: aws_x.a: m");
    expect(exampleProblem("bad", [f("fail", true)])).toBe("the rule could not resolve aws_x.a (m)");
    expect(exampleProblem("good", [])).toBe("the rule judged no resource in it");
  });
});
