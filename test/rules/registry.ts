import { Rule } from "../../lib/compliance/rule";

/**
 * The rule registry's conventions, as pure functions over a list of files, so
 * the registry test can show each one failing on a made-up tree. Paths are
 * relative to the repository root, with forward slashes.
 */

/** The id prefix each cloud folder under lib/rules gives its rules. */
export const CLOUD_PREFIX: Readonly<Record<string, string>> = { aws: "aws", kubernetes: "k8s" };

/** One file under lib/rules and the rules it exports. */
export interface RuleFile {
  readonly file: string;
  readonly rules: readonly Rule[];
}

export interface RegistryInput {
  readonly files: readonly RuleFile[];
  /** What the engine runs (ALL_RULES). */
  readonly registered: readonly Rule[];
  /** The text of a test file, or undefined when there is none. */
  readonly testText: (file: string) => string | undefined;
}

/** Whether an export is a rule: what the engine needs of one. */
export function isRule(value: unknown): value is Rule {
  const v = value as Partial<Rule> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.id === "string" &&
    typeof v.check === "function" &&
    Array.isArray(v.requirements) &&
    Array.isArray(v.appliesTo)
  );
}

/** `lib/rules/aws/ecr/ecr-cmk.ts` -> `aws-ecr-cmk`; `lib/rules/kubernetes/pod-no-host-path.ts` -> `k8s-pod-no-host-path`. */
export function idFromPath(file: string): string {
  const parts = file.split("/");
  const cloud = parts[2];
  const base = parts[parts.length - 1].replace(/\.ts$/, "");
  return `${CLOUD_PREFIX[cloud] ?? cloud}-${base}`;
}

/** Where the rule's test lives: the rule's folder under test/ instead of lib/, named by the id. */
export function testPathFor(file: string, id: string): string {
  const dir = file.split("/").slice(1, -1).join("/");
  return `test/${dir}/${id}.test.ts`;
}

/** The file name a rule with this id must have in the folder of `file`. */
function fileFor(file: string, id: string): string {
  const parts = file.split("/");
  const prefix = `${CLOUD_PREFIX[parts[2]] ?? parts[2]}-`;
  const base = id.startsWith(prefix) ? id.slice(prefix.length) : id;
  return [...parts.slice(0, -1), `${base}.ts`].join("/");
}

/** Every way the files break the registry's conventions, each saying what to fix. Empty when all hold. */
export function registryProblems(input: RegistryInput): string[] {
  const problems: string[] = [];
  const registered = new Set(input.registered);
  const owners = new Map<string, string[]>();
  const exported = new Set<Rule>();

  for (const { file, rules } of input.files) {
    if (rules.length > 1)
      problems.push(
        `${file} exports ${rules.length} rules (${rules.map((r) => r.id).join(", ")}): one rule per file, each in a file named after its id.`,
      );
    for (const rule of rules) {
      exported.add(rule);
      owners.set(rule.id, [...(owners.get(rule.id) ?? []), file]);
      const barrel = file.replace(/[^/]+$/, "index.ts");
      if (!registered.has(rule))
        problems.push(`${file} exports rule ${rule.id}, which ALL_RULES does not hold: add it to the list in ${barrel}.`);
      const wanted = idFromPath(file);
      if (rule.id !== wanted)
        problems.push(
          `${file} holds rule ${rule.id}, but its path gives the id ${wanted}: rename the file to ${fileFor(file, rule.id)} (git mv), keeping the id, which waivers and baselines name.`,
        );
      const testFile = testPathFor(file, rule.id);
      const text = input.testText(testFile);
      if (text === undefined)
        problems.push(`${rule.id} has no test: add ${testFile}, with pass, fail and unresolved cases through test/rules/harness.ts.`);
      // A test under test/ reaches the rule through the root, so the import names the rule's path whole.
      else if (!text.includes(`${file.replace(/\.ts$/, "")}"`))
        problems.push(`${testFile} does not import ${file}: a rule's test file tests that rule.`);
    }
  }
  for (const [id, files] of owners)
    if (files.length > 1) problems.push(`the rule id ${id} is used by ${files.join(" and ")}: ids are unique.`);
  const registeredIds = new Map<string, number>();
  for (const rule of input.registered) {
    registeredIds.set(rule.id, (registeredIds.get(rule.id) ?? 0) + 1);
    if (!exported.has(rule))
      problems.push(`ALL_RULES holds ${rule.id}, which no file under lib/rules exports: give it a file of its own named after its id.`);
  }
  for (const [id, count] of registeredIds) if (count > 1) problems.push(`ALL_RULES holds ${id} ${count} times: register each rule once.`);
  return problems;
}
