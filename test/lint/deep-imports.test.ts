import { execFileSync } from "node:child_process";
import * as path from "node:path";

const root = path.resolve(__dirname, "../..");

/** Runs the project's ESLint on `code` as if it were the file `file`; returns the messages. */
function lint(code: string, file: string): Array<{ ruleId: string; message: string }> {
  let out: string;
  try {
    out = execFileSync(process.execPath, [path.join(root, "node_modules/eslint/bin/eslint.js"), "--format", "json", "--stdin", "--stdin-filename", file], {
      cwd: root,
      input: code,
      encoding: "utf8",
    });
  } catch (error) {
    out = (error as { stdout: string }).stdout;
    if (!out) throw error;
  }
  return JSON.parse(out)[0].messages;
}

describe("deep provider imports", () => {
  it.each([
    ['import * as aws from "@cdktf/provider-aws";', "constructs/aws/anything.ts"],
    ['import { s3Bucket } from "@cdktf/provider-aws";', "stacks/platform.ts"],
    ['export * from "@cdktf/provider-kubernetes";', "lib/index.ts"],
  ])("rejects %s", (code, file) => {
    expect(lint(`${code}\nexport {};\n`, file)).toContainEqual(expect.objectContaining({ ruleId: "no-restricted-imports" }));
  });

  it("accepts a deep import", () => {
    const messages = lint('import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";\nexport const B = S3Bucket;\n', "constructs/aws/x.ts");
    expect(messages).toEqual([]);
  });
});

describe("deep provider requires in JavaScript", () => {
  it("rejects require of a provider root", () => {
    expect(lint('const aws = require("@cdktf/provider-aws");\nmodule.exports = aws;\n', "bin/x.js")).toContainEqual(
      expect.objectContaining({ ruleId: "no-restricted-syntax" }),
    );
  });
});
