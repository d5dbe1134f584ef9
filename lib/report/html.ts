import { createHash } from "node:crypto";
import { EvidenceRecord } from "../evidence/record";
import {
  assumptionsSection,
  badge,
  esc,
  findingsSection,
  readinessSection,
  remediationSection,
  stacksSection,
  themesSection,
  waiversSection,
} from "./html-parts";

const STYLE = `
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--na:#57606a;--bg:#fff}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1280px;padding:1rem 1.5rem}
h1{font-size:1.6rem;margin:.2rem 0 .6rem}h2{font-size:1.3rem;border-bottom:1px solid var(--line);padding-bottom:.2rem;margin-top:2rem}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
#findings-table td:nth-child(5){min-width:16rem;max-width:26rem}#findings-table td:nth-child(6){min-width:24rem}
.verdict,.readiness{font-size:1.1rem;padding:.6rem .9rem;border-left:6px solid;margin:.4rem 0;background:#f6f8fa}
.verdict.pass,.readiness.ready{border-color:var(--ok)}.verdict.fail,.readiness.blocked{border-color:var(--bad)}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.8rem 0}dl.meta dt{color:var(--muted)}dl.meta dd{margin:0}
ul.counts{display:flex;flex-wrap:wrap;gap:.6rem;list-style:none;padding:0}ul.counts li{border:1px solid var(--line);border-radius:6px;padding:.3rem .7rem}
ul.counts strong{font-size:1.2rem}
nav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;padding:0}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}caption{text-align:left;color:var(--muted);padding:.2rem 0}
th,td{border:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}#findings-table td{overflow-wrap:anywhere}thead th{background:#f6f8fa}
.s{white-space:nowrap;font-weight:600}.s-met,.s-pass{color:var(--ok)}.s-not-met,.s-fail{color:var(--bad)}.s-waived{color:var(--warn)}.s-not-applicable,.s-not-checked{color:var(--na)}
ul.chart{list-style:none;padding:0;margin:.5rem 0 1rem}ul.chart li{display:grid;grid-template-columns:14rem 200px 12rem auto;gap:.6rem;align-items:center;padding:.15rem 0}
.bar .track{fill:#eaeef2}.bar .fill{fill:var(--ok)}
form#filters{display:flex;flex-wrap:wrap;gap:.8rem;align-items:end;padding:.6rem;border:1px solid var(--line);border-radius:6px;background:#f6f8fa}
form#filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
select,input,button{font:inherit;padding:.2rem .35rem}
tr[hidden]{display:none}
ol.remediation>li{margin-bottom:.6rem}
@media print{
  body{max-width:none;padding:0;font-size:10.5pt}
  .no-print,form#filters,nav{display:none}
  h2{break-after:avoid}tr,li{break-inside:avoid}
  thead{display:table-header-group}
  *{print-color-adjust:exact;-webkit-print-color-adjust:exact}
  a{color:inherit;text-decoration:none}
}
`;

// Filters the findings table by status, rule, requirement and resource; no network, no framework.
const SCRIPT = `
(function(){
  var form=document.getElementById("filters");
  var rows=Array.prototype.slice.call(document.querySelectorAll("#findings-table tbody tr"));
  var count=document.getElementById("shown-count");
  function value(id){return document.getElementById(id).value;}
  function apply(){
    var status=value("f-status"),rule=value("f-rule"),req=value("f-requirement"),res=value("f-resource").trim().toLowerCase();
    var shown=0;
    rows.forEach(function(row){
      var ok=(!status||row.dataset.status===status)&&(!rule||row.dataset.rule===rule)&&
        (!req||row.dataset.requirements.split(" ").indexOf(req)>=0)&&(!res||row.dataset.resource.indexOf(res)>=0);
      row.hidden=!ok;if(ok)shown++;
    });
    count.textContent=String(shown);
  }
  form.addEventListener("input",apply);form.addEventListener("change",apply);
  form.addEventListener("reset",function(){setTimeout(apply,0);});
  form.addEventListener("submit",function(e){e.preventDefault();});
})();
`;

const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

export interface HtmlOptions {
  /** @default "Compliance evidence" */
  readonly title?: string;
}

/**
 * One self-contained HTML file from the evidence record: verdict and readiness
 * first, the requirement matrix by theme with a chart, filterable findings,
 * waivers, what was assumed of brought-in resources, remediation and the files checked. Its Content-Security-Policy
 * allows only its own inline style and script (by hash), so it cannot load
 * or send anything.
 */
export function renderHtml(record: EvidenceRecord, options: HtmlOptions = {}): string {
  const title = options.title ?? "Compliance evidence";
  const csp = `default-src 'none'; style-src ${hash(STYLE)}; script-src ${hash(SCRIPT)}; img-src data:; form-action 'none'; base-uri 'none'`;
  const { pass, fail, waived } = record.summary;
  const met = record.requirements.filter((r) => r.status === "met").length;
  const counted = (status: string) => record.requirements.filter((r) => r.status === status).length;
  const revision = record.revision
    ? `<code>${esc(record.revision.commit)}</code>${record.revision.dirty ? " (with uncommitted changes)" : ""}`
    : "none (not a git work tree)";
  const config = record.config
    ? `${esc(record.config.source)}${record.config.sha256 ? `, SHA-256 <code>${esc(record.config.sha256)}</code>` : ""}`
    : "none";
  const verdict = record.verdict.passed ? "pass" : "fail";
  const ready = record.readiness.deployable;
  const assumed = record.assumptions.length > 0 ? `<li><a href="#assumptions">Assumed, not checked</a></li>` : "";
  const header =
    `<header><h1>${esc(title)}</h1>` +
    `<p class="verdict ${verdict}" id="verdict"><strong>${esc(record.verdict.text)}</strong> (fail-on ${esc(record.verdict.failOn)})</p>` +
    `<p class="readiness ${ready ? "ready" : "blocked"}" id="readiness-verdict"><strong>Deployment: ${ready ? "ready" : "BLOCKED"}</strong>: ${esc(record.readiness.why)}</p>` +
    `<ul class="counts" aria-label="Counts">` +
    `<li><strong data-count="requirements-met">${met}</strong> of <span data-count="requirements">${record.requirements.length}</span> requirements met</li>` +
    `<li>${badge("not met")} <strong data-count="requirements-not-met">${counted("not met")}</strong></li>` +
    `<li>${badge("waived")} <strong data-count="requirements-waived">${counted("waived")}</strong></li>` +
    `<li>${badge("not applicable")} <strong data-count="requirements-not-applicable">${counted("not applicable")}</strong></li>` +
    `<li>findings: <strong data-count="pass">${pass}</strong> passed, <strong data-count="fail">${fail}</strong> failed, <strong data-count="waived">${waived}</strong> waived</li>` +
    `</ul>` +
    `<dl class="meta"><dt>Tool</dt><dd>saip ${esc(record.tool.version)}, ${record.rulesRun} rules</dd><dt>Revision</dt><dd>${revision}</dd>` +
    `<dt>Generated</dt><dd><time datetime="${esc(record.generatedAt)}">${esc(record.generatedAt)}</time></dd><dt>Platform config</dt><dd>${config}</dd>` +
    `<dt>Checked</dt><dd>${record.stacks.length} file${record.stacks.length === 1 ? "" : "s"} (SHA-256 under <a href="#checked">What was checked</a>)</dd></dl>` +
    `<nav aria-label="Sections"><ul><li><a href="#readiness">Readiness</a></li><li><a href="#requirements">Requirements</a></li><li><a href="#findings">Findings</a></li><li><a href="#waivers">Waivers</a></li>${assumed}<li><a href="#remediation">Remediation</a></li><li><a href="#checked">What was checked</a></li></ul></nav></header>`;
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${esc(title)}</title><style>${STYLE}</style></head>`,
    `<body>${header}<main>`,
    readinessSection(record),
    themesSection(record),
    findingsSection(record),
    // Absent, not empty, when nothing was brought in.
    waiversSection(record) + assumptionsSection(record),
    remediationSection(record),
    stacksSection(record),
    `</main><script>${SCRIPT}</script></body></html>`,
    "",
  ].join("\n");
}
