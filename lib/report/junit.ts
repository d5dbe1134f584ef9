import { Finding, Report } from "../compliance/finding";
import { describeAssumption } from "../compliance/assumptions";
import { describeWaiver } from "./waiver-lines";

const escape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

function testcase(f: Finding): string {
  const open = `    <testcase classname="${escape(f.ruleId)}" name="${escape(f.resource)}" file="${escape(f.source)}">`;
  if (f.status === "pass") return `${open}</testcase>`;
  if (f.status === "waived") return `${open}\n      <skipped message="${escape(f.message)}"/>\n    </testcase>`;
  return `${open}\n      <failure message="${escape(f.message)}" type="${f.severity}">${escape(`${f.ruleId} (${f.requirementIds.join(", ")}): ${f.message}`)}</failure>\n    </testcase>`;
}

/** JUnit XML: one suite per module, one test case per finding; waived findings are skipped with their reason. */
export function renderJunit(report: Report): string {
  const suites = report.modules.map((m) => {
    const findings = report.findings.filter((f) => f.module === m.id);
    const failures = findings.filter((f) => f.status === "fail").length;
    const skipped = findings.filter((f) => f.status === "waived").length;
    return [
      `  <testsuite name="${escape(m.id)}" tests="${findings.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
      ...findings.map(testcase),
      "  </testsuite>",
    ].join("\n");
  });
  const waivers = [
    ...report.waivers.map((w, i) => `    <property name="waiver.${i + 1}" value="${escape(describeWaiver(w))}"/>`),
    ...(report.assumptions ?? []).map((a, i) => `    <property name="assumption.${i + 1}" value="${escape(describeAssumption(a))}"/>`),
  ];
  const { pass, fail, waived } = report.summary;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="saip check" tests="${pass + fail + waived}" failures="${fail}" errors="0" skipped="${waived}">`,
    ...(waivers.length ? ["  <properties>", ...waivers, "  </properties>"] : []),
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}
