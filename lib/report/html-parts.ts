import { FINDING_STATUSES, FindingStatus } from "../compliance/finding";
import { EvidenceRecord, RequirementStatus } from "../evidence/record";

/** Text escaped for HTML content and attribute values. */
export const esc = (text: string | number): string =>
  String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** A symbol beside every status word, so colour is never the only signal. */
const SYMBOL: Record<string, string> = {
  met: "✔",
  "not met": "✘",
  waived: "⚠",
  "not applicable": "–",
  "not checked": "?",
  pass: "✔",
  fail: "✘",
};
const slug = (status: string) => status.replace(/\s+/g, "-");
export const badge = (status: RequirementStatus | FindingStatus): string =>
  `<span class="s s-${slug(status)}"><span aria-hidden="true">${SYMBOL[status]}</span> ${esc(status)}</span>`;

const table = (caption: string, head: readonly string[], rows: readonly string[], attrs = ""): string =>
  `<table${attrs}><caption>${esc(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;

const td = (text: string | number, raw = false) => `<td>${raw ? text : esc(text)}</td>`;

/** One bar per theme: the share of its applicable requirements met, drawn and written. */
function themeChart(record: EvidenceRecord): string {
  const rows = record.themes.map((t) => {
    const share = t.shareMet;
    const applicable = t.requirements - t.byStatus["not applicable"];
    const label = share === null ? "no requirement applies" : `${t.byStatus.met} of ${applicable} met (${Math.round(share * 100)}%)`;
    const width = share === null ? 0 : Math.round(share * 200);
    return (
      `<li><span class="theme-name">${esc(t.name)}</span>` +
      `<svg class="bar" width="200" height="14" viewBox="0 0 200 14" role="img" aria-label="${esc(label)}"><rect class="track" x="0" y="0" width="200" height="14"/><rect class="fill" x="0" y="0" width="${width}" height="14"/></svg>` +
      `<span class="theme-share">${esc(label)}</span> ${badge(t.status)}</li>`
    );
  });
  return `<ul class="chart" aria-label="Share of requirements met per theme">${rows.join("")}</ul>`;
}

export function themesSection(record: EvidenceRecord): string {
  const tables = record.themes.map((t) => {
    const rows = record.requirements
      .filter((r) => r.theme === t.id)
      .map(
        (r) =>
          `<tr data-status="${esc(r.status)}"><th scope="row">${esc(r.id)}</th>${td(r.title)}${td(r.severity)}${td(badge(r.status), true)}${td(r.counts.pass)}${td(r.counts.fail)}${td(r.counts.waived)}${td(r.why)}</tr>`,
      );
    return (
      `<h3 id="theme-${esc(t.id)}">${esc(t.name)}: ${badge(t.status)}</h3>` +
      table(`${t.name}: ${t.why}`, ["requirement", "title", "severity", "status", ...FINDING_STATUSES, "why"], rows)
    );
  });
  return `<section id="requirements" aria-labelledby="h-requirements"><h2 id="h-requirements">Requirements by TS 104 033 theme</h2>${themeChart(record)}${tables.join("")}</section>`;
}

export function readinessSection(record: EvidenceRecord): string {
  const { readiness } = record;
  if (readiness.blockers.length === 0)
    return `<section id="readiness" aria-labelledby="h-readiness"><h2 id="h-readiness">Deployment readiness</h2><p>${esc(readiness.why)}.</p></section>`;
  const rows = readiness.blockers.map((b) => {
    const where = [
      ...b.fields.map((f) => `config <code>${esc(f)}</code>`),
      b.resources.length ? `${b.resources.length} synthesized resource${b.resources.length === 1 ? "" : "s"}` : "",
    ]
      .filter(Boolean)
      .join(", ");
    return `<tr><th scope="row">${esc(b.kind)}</th>${td(`<code>${esc(b.value)}</code>`, true)}${td(where, true)}${td(b.why)}</tr>`;
  });
  return (
    `<section id="readiness" aria-labelledby="h-readiness"><h2 id="h-readiness">Deployment readiness</h2>` +
    `<p>${esc(readiness.why)}. The requirements below say what the design meets; these values must still be replaced with your own.</p>` +
    table("Placeholders that block deployment", ["kind", "value", "where", "why it blocks"], rows) +
    `</section>`
  );
}

export function findingsSection(record: EvidenceRecord): string {
  const rules = [...new Set(record.findings.map((f) => f.ruleId))].sort();
  const requirements = [...new Set(record.findings.flatMap((f) => f.requirementIds))].sort();
  const options = (values: readonly string[]) => values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`).join("");
  const order = { fail: 0, waived: 1, pass: 2 } as const;
  const rows = [...record.findings]
    .sort((a, b) => order[a.status] - order[b.status] || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))
    .map((f) => {
      const createdAt = f.constructSource ? ` at <code>${esc(f.constructSource.file)}:${f.constructSource.line}</code>` : "";
      const construct = f.constructPath ? `<br><small>construct <code>${esc(f.constructPath)}</code>${createdAt}</small>` : "";
      const where = `<br><small>${esc(f.module)} · <code>${esc(f.source)}${f.line ? `:${f.line}` : ""}</code></small>`;
      const status = f.status === "fail" && f.unresolved ? `${badge("fail")} <small>(unresolved)</small>` : badge(f.status);
      return (
        `<tr data-status="${f.status}" data-rule="${esc(f.ruleId)}" data-requirements="${esc(f.requirementIds.join(" "))}" data-resource="${esc(`${f.module} ${f.resource} ${f.constructPath ?? ""}`.toLowerCase())}">` +
        `${td(status, true)}${td(f.severity)}${td(`<code>${esc(f.ruleId)}</code>`, true)}${td(f.requirementIds.join(", "))}${td(`<code>${esc(f.resource)}</code>${construct}${where}`, true)}${td(f.message)}</tr>`
      );
    });
  return (
    `<section id="findings" aria-labelledby="h-findings"><h2 id="h-findings">Findings</h2>` +
    `<form id="filters" class="no-print" role="search" aria-label="Filter findings">` +
    `<label>Status <select id="f-status"><option value="">all</option><option value="fail">fail</option><option value="waived">waived</option><option value="pass">pass</option></select></label>` +
    `<label>Rule <select id="f-rule"><option value="">all</option>${options(rules)}</select></label>` +
    `<label>Requirement <select id="f-requirement"><option value="">all</option>${options(requirements)}</select></label>` +
    `<label>Resource <input id="f-resource" type="search" placeholder="address or construct path"></label>` +
    `<button type="reset">Clear</button></form>` +
    `<p id="shown" role="status" aria-live="polite">Showing <span id="shown-count">${rows.length}</span> of ${rows.length} findings.</p>` +
    table(
      "Every finding: fail first, then waived, then pass",
      ["status", "severity", "rule", "requirements", "resource (module · file:line)", "message"],
      rows,
      ' id="findings-table"',
    ) +
    `</section>`
  );
}

export function waiversSection(record: EvidenceRecord): string {
  const rows = record.waivers.map((w) => {
    const left = w.expired ? "expired" : `${w.daysLeft} day${w.daysLeft === 1 ? "" : "s"}`;
    return `<tr data-waiver-status="${esc(w.status)}"><th scope="row"><code>${esc(w.rule)}</code></th>${td(`<code>${esc(w.resource)}</code>`, true)}${td(w.owner)}${td(w.reason)}${td(w.expires)}${td(left)}${td(w.status)}${td(w.matched)}${td(w.origin)}</tr>`;
  });
  const body =
    rows.length === 0
      ? "<p>No waivers.</p>"
      : table(
          "Every waiver, whatever became of it",
          ["rule", "resource", "owner", "reason", "expires", "days left", "status", "matched", "origin"],
          rows,
        );
  return `<section id="waivers" aria-labelledby="h-waivers"><h2 id="h-waivers">Waivers</h2>${body}</section>`;
}

/** Only when a stack brought something in: what it relies on that no rule saw, apart from the findings and never counted in them. */
export function assumptionsSection(record: EvidenceRecord): string {
  if (record.assumptions.length === 0) return "";
  const rows = record.assumptions.map(
    (a) =>
      `<tr><th scope="row">${esc(a.subject)}</th>${td(a.assumed)}${td(a.module)}${td(a.construct ? `<code>${esc(a.construct)}</code>` : "-", true)}</tr>`,
  );
  return (
    `<section id="assumptions" aria-labelledby="h-assumptions"><h2 id="h-assumptions">Assumed, not checked</h2>` +
    `<p>Brought in by ARN or id: no rule saw these, so nothing here counts them as compliant.</p>` +
    table("What each brought-in resource is assumed to provide", ["subject", "assumed", "module", "construct"], rows) +
    `</section>`
  );
}

export function remediationSection(record: EvidenceRecord): string {
  const failing = record.findings.filter((f) => f.status === "fail");
  const byRule = new Map<string, typeof failing>();
  for (const f of failing) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  const items = [...byRule.entries()].map(([rule, findings]) => {
    const text = findings[0].remediation ?? record.rules.find((r) => r.id === rule)?.remediation ?? "";
    const resources = findings
      .map(
        (f) =>
          `<li><code>${esc(f.module)}: ${esc(f.resource)}</code>${f.constructPath ? ` (construct <code>${esc(f.constructPath)}</code>)` : ""}</li>`,
      )
      .join("");
    return `<li data-rule="${esc(rule)}"><h3><code>${esc(rule)}</code>: ${findings.length} failing</h3><p>${esc(text)}</p><ul>${resources}</ul></li>`;
  });
  const body = items.length === 0 ? "<p>Nothing fails.</p>" : `<ol class="remediation">${items.join("")}</ol>`;
  return `<section id="remediation" aria-labelledby="h-remediation"><h2 id="h-remediation">Remediation</h2>${body}</section>`;
}

export function stacksSection(record: EvidenceRecord): string {
  const rows = record.stacks.map(
    (s) =>
      `<tr><th scope="row">${esc(s.module)}</th>${td(`<code>${esc(s.file)}</code>`, true)}${td(s.resources)}${td(`<code class="digest">${esc(s.sha256)}</code>`, true)}</tr>`,
  );
  return (
    `<section id="checked" aria-labelledby="h-checked"><h2 id="h-checked">What was checked</h2>` +
    table("Every file checked, with its SHA-256", ["module", "file", "resources", "SHA-256"], rows) +
    `<p>To check that these files still hold the bytes this report describes, run <code>saip verify cdktf.out/compliance/evidence.json</code> in the folder the report was made in.</p></section>`
  );
}
