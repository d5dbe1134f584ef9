import { readFileSync } from "node:fs";
import * as path from "node:path";
import { REQUIREMENTS } from "../../lib/catalogue/requirements";
import { ALL_RULES } from "../../lib/rules";
import { collectInput, DOC_PATH, requirementsDocument } from "../../scripts/requirements-doc";
import { Matrix } from "./matrix";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * docs/requirements.md is what `npm run docs` generates now. Run from the
 * requirement matrix's test file, on the matrix it built, so the reference
 * platform and its variants are synthesized and checked once, not twice.
 */
export function describeRequirementsDoc(matrix: Matrix): void {
  describe(DOC_PATH, () => {
    const input = collectInput(ROOT, matrix);
    const generated = requirementsDocument(input);

    it("is what `npm run docs` generates now", () => {
      let checkedIn: string;
      try {
        checkedIn = readFileSync(path.join(ROOT, DOC_PATH), "utf8");
      } catch {
        throw new Error(`${DOC_PATH} is missing: run \`npm run docs\` and commit it.`);
      }
      if (checkedIn !== generated) {
        const a = checkedIn.split("\n");
        const b = generated.split("\n");
        const at = a.findIndex((lineText, i) => lineText !== b[i]);
        const line = at < 0 ? Math.min(a.length, b.length) : at;
        throw new Error(
          `${DOC_PATH} is stale: the catalogue, the rules, the constructs or the tests changed since it was generated. ` +
            `Run \`npm run docs\` and commit the result.\nFirst difference at line ${line + 1}:\n  checked in: ${a[line] ?? "(end of file)"}\n  generated:  ${b[line] ?? "(end of file)"}`,
        );
      }
    });

    it("has a section for every requirement and names every rule", () => {
      expect(REQUIREMENTS.filter((r) => !generated.includes(`\n## ${r.id} ${r.title}\n`)).map((r) => r.id)).toEqual([]);
      expect(ALL_RULES.filter((r) => !generated.includes(`| \`${r.id}\` |`)).map((r) => r.id)).toEqual([]);
    });

    it("is the same text for the same input, with nothing from the clock or the machine", () => {
      expect(requirementsDocument(input)).toBe(generated);
      expect(generated).not.toMatch(/\/tmp\/|saip-evidence-|\d\d:\d\d:\d\d/);
      expect(generated).not.toContain(ROOT);
    });
  });
}
