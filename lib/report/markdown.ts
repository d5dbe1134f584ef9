import { Finding, Report } from "../compliance/finding";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function findingRows(findings: readonly Finding[]): string[] {
  return [
    "| status | severity | rule | requirements | resource | message |",
    "|---|---|---|---|---|---|",
    ...findings.map((f) => `| ${f.status} | ${f.severity} | \`${f.ruleId}\` | ${f.requirementIds.join(", ")} | \`${cell(f.resource)}\` | ${cell(f.message)} |`),
  ];
}

/** A report for a pull-request comment or an evidence file: failures, waivers, then what passed. */
export function renderMarkdown(report: Report, title = "Compliance report"): string {
  const { pass, fail, waived } = report.summary;
  const failed = report.findings.filter((f) => f.status === "fail");
  const waivedFindings = report.findings.filter((f) => f.status === "waived");
  const passed = report.findings.filter((f) => f.status === "pass");
  const out: string[] = [`# ${title}`, ""];
  out.push(`${report.rulesRun} rules checked ${report.modules.reduce((n, m) => n + m.resources, 0)} resources: **${pass} passed, ${fail} failed, ${waived} waived**.`, "");
  out.push("| module | sources | resources |", "|---|---|---|", ...report.modules.map((m) => `| ${cell(m.id)} | ${m.sources.map((s) => `\`${cell(s)}\``).join(", ")} | ${m.resources} |`), "");
  out.push("## Failures", "", ...(failed.length ? findingRows(failed) : ["None."]), "");
  out.push("## Waivers", "");
  if (report.waivers.length === 0) out.push("None.", "");
  else {
    out.push("| rule | resource | owner | expires | matched | reason | from |", "|---|---|---|---|---|---|---|");
    for (const w of report.waivers) {
      out.push(`| \`${w.rule}\` | \`${cell(w.resource)}\` | ${cell(w.owner)} | ${w.expires}${w.expired ? " (expired)" : ""} | ${w.matched} | ${cell(w.reason)} | \`${cell(w.origin)}\` |`);
    }
    out.push("");
  }
  if (waivedFindings.length) out.push("### Waived findings", "", ...findingRows(waivedFindings), "");
  out.push("## Passed", "", "<details><summary>" + `${passed.length} findings passed` + "</summary>", "", ...(passed.length ? findingRows(passed) : ["None."]), "", "</details>", "");
  return out.join("\n");
}
