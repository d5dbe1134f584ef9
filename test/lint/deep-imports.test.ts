import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "../..");

/** The cases, each linted as if it were the file named, by the project's own ESLint config. */
const CASES: Record<string, { file: string; code: string }> = {
  importAll: { file: "constructs/aws/anything.ts", code: 'import * as aws from "@cdktf/provider-aws";\nexport {};\n' },
  importNamed: { file: "stacks/platform.ts", code: 'import { s3Bucket } from "@cdktf/provider-aws";\nexport {};\n' },
  exportAll: { file: "lib/index.ts", code: 'export * from "@cdktf/provider-kubernetes";\nexport {};\n' },
  deep: {
    file: "constructs/aws/x.ts",
    code: 'import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";\nexport const B = S3Bucket;\n',
  },
  requireRoot: { file: "bin/x.js", code: 'const aws = require("@cdktf/provider-aws");\nmodule.exports = aws;\n' },
};

/**
 * Lints every case in one ESLint run (each process start costs over a
 * second): the cases are written under a temporary folder inside the project,
 * where its config applies, at the paths they stand for.
 */
function lintAll(): Record<string, Array<{ ruleId: string; message: string }>> {
  const dir = mkdtempSync(path.join(root, ".lint-cases-"));
  try {
    const files = Object.fromEntries(Object.entries(CASES).map(([name, c]) => [path.join(dir, name, c.file), name]));
    for (const [file, name] of Object.entries(files)) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, CASES[name].code);
    }
    let out: string;
    try {
      out = execFileSync(
        process.execPath,
        [path.join(root, "node_modules/eslint/bin/eslint.js"), "--format", "json", "--no-warn-ignored", ...Object.keys(files)],
        { cwd: root, encoding: "utf8" },
      );
    } catch (error) {
      out = (error as { stdout: string }).stdout;
      if (!out) throw error;
    }
    const results = JSON.parse(out) as Array<{ filePath: string; messages: Array<{ ruleId: string; message: string }> }>;
    return Object.fromEntries(results.map((r) => [files[r.filePath], r.messages]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const messages = lintAll();

describe("deep provider imports", () => {
  it.each([
    ["importAll", 'import * as aws from "@cdktf/provider-aws"'],
    ["importNamed", 'import { s3Bucket } from "@cdktf/provider-aws"'],
    ["exportAll", 'export * from "@cdktf/provider-kubernetes"'],
  ])("rejects %s (%s)", (name) => {
    expect(messages[name]).toContainEqual(expect.objectContaining({ ruleId: "no-restricted-imports" }));
  });

  it("accepts a deep import", () => {
    expect(messages.deep).toEqual([]);
  });
});

describe("deep provider requires in JavaScript", () => {
  it("rejects require of a provider root", () => {
    expect(messages.requireRoot).toContainEqual(expect.objectContaining({ ruleId: "no-restricted-syntax" }));
  });
});
