import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  files: string[];
  exports: Record<string, unknown>;
  license: string;
};

/** Whether npm packs a repository path, by package.json's `files` (folders, files and `name.*` globs). */
function packed(file: string): boolean {
  return pkg.files.some((entry) => {
    if (entry.endsWith(".*"))
      return path.dirname(file) === path.dirname(entry) && path.basename(file).startsWith(path.basename(entry).slice(0, -1));
    return file === entry || file.startsWith(`${entry}/`);
  });
}

describe("the installed package", () => {
  it("has every file the README links to, so the links work from node_modules too", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const targets = [...readme.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/.test(t));
    expect(targets.length).toBeGreaterThan(5);
    expect(targets.filter((t) => !existsSync(path.join(ROOT, t)))).toEqual([]);
    expect(targets.filter((t) => !packed(path.normalize(t)))).toEqual([]);
  });

  it("ships the license package.json names, and the changelog", () => {
    expect(pkg.license).toBe("Apache-2.0");
    expect(readFileSync(path.join(ROOT, "LICENSE"), "utf8")).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(packed("LICENSE") && packed("CHANGELOG.md")).toBe(true);
  });

  it("names a source index for every entry of its exports map", () => {
    const sources: Record<string, string> = {
      ".": "index.ts",
      "./aws": "constructs/aws/index.ts",
      "./kubernetes": "constructs/kubernetes/index.ts",
      "./stacks": "stacks/index.ts",
      "./compliance": "lib/index.ts",
      "./testing": "testing/index.ts",
    };
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (entry === "./package.json") continue;
      const { types, default: js } = target as { types: string; default: string };
      expect({ entry, types, js }).toEqual({
        entry,
        types: `./dist/${sources[entry].replace(/\.ts$/, ".d.ts")}`,
        js: `./dist/${sources[entry].replace(/\.ts$/, ".js")}`,
      });
      expect(existsSync(path.join(ROOT, sources[entry]))).toBe(true);
      expect(packed(js.slice(2))).toBe(true);
    }
  });
});
