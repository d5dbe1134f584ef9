import { ALL_RULES } from "../../lib/rules";
import { buildMatrix, catchesTitle, holdsTitle, MATRIX_SUITE, shareTitle } from "./matrix";
import { MUTATIONS } from "./mutations";
import { checkPlatform, FAILS_ON_REFERENCE, Platform, PROVED_ON_VARIANT, VARIANT_PLATFORMS, VARIANTS } from "./platforms";
import { schemaIssues } from "../schema/helpers";
import { describeRequirementsDoc } from "./requirements-doc";

/**
 * Evidence for auditors, rule by rule: every rule of ALL_RULES holds on the
 * reference platform (or, where the reference gives it nothing to judge but
 * waived findings, on the variant VARIANTS names), and fails when its
 * mutation breaks the compliant JSON. The reference and each variant are synthesized once, here
 * at module scope, because the test names say where each rule was proved.
 */
const matrix = buildMatrix();

const line = (f: { ruleId: string; module: string; resource: string; status: string; message: string }) =>
  `${f.ruleId} ${f.module}:${f.resource} ${f.status}: ${f.message}`;

describe(MATRIX_SUITE, () => {
  const platforms: Platform[] = [matrix.reference, ...matrix.variants.values()];
  it.each(platforms.map((p) => [p.name, p] as const))(
    "%s: the JSON written to disk gives the findings the check inside synth gave",
    (_name, platform) => {
      const key = (f: { ruleId: string; module: string; resource: string; status: string }) =>
        `${f.module} ${f.resource} ${f.ruleId} ${f.status}`;
      const onDisk = checkPlatform(platform, ALL_RULES).map(key).sort();
      const inSynth = platform.inSynth
        .flatMap((r) => r.findings)
        .map(key)
        .sort();
      expect(onDisk.length).toBeGreaterThan(0);
      expect(onDisk).toEqual(inSynth);
    },
  );

  // What terraform validate would check with the providers downloaded: unknown or missing arguments, blocks and attributes confused.
  it.each(platforms.map((p) => [p.name, p] as const))("%s: every stack matches the provider schemas (saip validate)", (_name, platform) => {
    expect(schemaIssues(platform.stacks.map((s) => ({ file: `${platform.name}/${s.source}`, doc: s.doc })))).toEqual([]);
  });

  it("VARIANTS names only rules of ALL_RULES that judge nothing on the reference platform", () => {
    const ids = new Set(ALL_RULES.map((r) => r.id));
    const judgedOnReference = new Set(
      checkPlatform(matrix.reference, ALL_RULES)
        .filter((f) => f.status !== "waived")
        .map((f) => f.ruleId),
    );
    const problems = Object.entries(VARIANTS).flatMap(([rule, variant]) => [
      ...(ids.has(rule) ? [] : [`VARIANTS names ${rule}, which is not in ALL_RULES`]),
      ...(variant in VARIANT_PLATFORMS ? [] : [`VARIANTS maps ${rule} to an unknown variant ${variant}`]),
      ...(judgedOnReference.has(rule) ? [`${rule} now has unwaived findings on the reference platform: remove its VARIANTS entry`] : []),
    ]);
    expect(problems).toEqual([]);
  });

  it("FAILS_ON_REFERENCE names only recommended rules of ALL_RULES, none also in VARIANTS", () => {
    const byId = new Map(ALL_RULES.map((r) => [r.id, r]));
    const problems = Object.keys(FAILS_ON_REFERENCE).flatMap((id) => [
      ...(byId.get(id)?.severity === "recommended" ? [] : [`${id} is not a recommended rule of ALL_RULES`]),
      ...(VARIANTS[id] ? [`${id} is in VARIANTS too`] : []),
    ]);
    expect(problems).toEqual([]);
  });

  it("PROVED_ON_VARIANT names recommended rules every finding of which fails on the single-account reference", () => {
    const byId = new Map(ALL_RULES.map((r) => [r.id, r]));
    const onReference = checkPlatform(matrix.reference, ALL_RULES);
    const problems = Object.keys(PROVED_ON_VARIANT).flatMap((id) => {
      const findings = onReference.filter((f) => f.ruleId === id);
      return [
        ...(byId.get(id)?.severity === "recommended" ? [] : [`${id} is not a recommended rule of ALL_RULES`]),
        ...(findings.length > 0 ? [] : [`${id} has no finding on the reference platform`]),
        ...findings.filter((f) => f.status !== "fail" || f.unresolved).map(line),
      ];
    });
    expect(problems).toEqual([]);
  });

  for (const e of matrix.evidence) {
    if (FAILS_ON_REFERENCE[e.rule.id]) {
      describe(e.rule.id, () => {
        it(holdsTitle(e), () => {
          expect(e.site).toBe("reference");
          expect(e.findings.length).toBeGreaterThan(0);
          // A pass means a platform now passes it (drop the entry and let the mutation run); unresolved means the engine lost the provider.
          expect(e.findings.filter((f) => f.status !== "fail" || f.unresolved).map(line)).toEqual([]);
        });
        it(catchesTitle(e), () => {
          expect(e.mutation?.error).toMatch(/passes on no stack/);
        });
      });
      continue;
    }
    describe(e.rule.id, () => {
      it(holdsTitle(e), () => {
        if (!e.site) {
          throw new Error(
            `${e.rule.id} has no finding on the reference platform${VARIANTS[e.rule.id] ? ` nor on its variant ${VARIANTS[e.rule.id]}` : ", and VARIANTS names no variant for it"}: ` +
              `nothing it applies to (${e.rule.appliesTo.join(", ")}) is synthesized. Add a variant to test/evidence/platforms.ts.`,
          );
        }
        // Waived findings are exceptions a reason and an owner excuse (docs/requirements.md lists each); none may fail.
        expect(e.findings.filter((f) => f.status === "fail").map(line)).toEqual([]);
        expect(e.findings.filter((f) => f.status === "pass").length).toBeGreaterThan(0);
      });

      it(catchesTitle(e), () => {
        const m = e.mutation;
        if (!m) throw new Error(`MUTATIONS in test/evidence/mutations.ts has no entry for ${e.rule.id}`);
        if (m.error)
          throw new Error(`the mutation of ${e.rule.id} could not be applied${m.stack ? ` to stack ${m.stack}` : ""}: ${m.error}`);
        expect({ address: m.address, before: m.before }).toEqual({ address: m.address, before: "pass" });
        expect({ address: m.address, after: m.after, message: m.afterMessage }).toEqual({
          address: m.address,
          after: "fail",
          message: expect.any(String),
        });
      });
    });
  }

  // A mutation that writes what the provider rejects proves nothing about Terraform that could be applied.
  it("every mutation writes Terraform the provider schemas accept (saip validate)", () => {
    const problems = matrix.evidence.flatMap((e) => {
      const m = e.mutation;
      const stack = e.platform?.stacks.find((s) => s.name === m?.stack);
      if (!m || m.error || !stack) return [];
      const doc = structuredClone(stack.doc);
      MUTATIONS[e.rule.id].apply(
        doc,
        new Set(e.findings.filter((f) => f.module === stack.name && f.status === "pass").map((f) => f.resource)),
      );
      return schemaIssues([{ file: stack.source, doc }]).map((issue) => `${e.rule.id}: ${issue}`);
    });
    expect(problems).toEqual([]);
  });

  it(shareTitle(matrix), () => {
    const ids = new Set(ALL_RULES.map((r) => r.id));
    expect(ALL_RULES.filter((r) => !MUTATIONS[r.id]).map((r) => `${r.id} has no mutation`)).toEqual([]);
    expect(
      Object.keys(MUTATIONS)
        .filter((id) => !ids.has(id))
        .map((id) => `MUTATIONS has an entry for ${id}, which is not in ALL_RULES`),
    ).toEqual([]);
    expect(
      matrix.evidence
        .filter((e) => !e.mutation?.caught && !FAILS_ON_REFERENCE[e.rule.id])
        .map((e) => `${e.rule.id}: ${e.mutation?.error ?? `${e.mutation?.address} went ${e.mutation?.before} -> ${e.mutation?.after}`}`),
    ).toEqual([]);
  });
});

describeRequirementsDoc(matrix);
