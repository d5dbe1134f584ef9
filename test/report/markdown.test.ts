import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REQUIREMENTS } from "../../lib/catalogue/requirements";
import { check } from "../../lib/compliance/engine";
import { Report } from "../../lib/compliance/finding";
import { fail, pass, Rule, unresolved } from "../../lib/compliance/rule";
import { Waiver } from "../../lib/compliance/waivers";
import { render } from "../../lib/report";
import { renderMarkdown, verdictLine } from "../../lib/report/markdown";
import { addDocument } from "../../lib/terraform/load";
import { TfModule, TfResource } from "../../lib/terraform/model";

/** A rule that passes when `attribute` is true, is unresolved on a reference, and fails otherwise. */
function flagRule(id: string, requirement: string, appliesTo: string, attribute: string, extra: Partial<Rule> = {}): Rule {
  return {
    id,
    title: `${attribute} is set`,
    requirements: [requirement],
    severity: "mandatory",
    waivable: true,
    appliesTo: [appliesTo],
    remediation: `Set ${attribute} = true.`,
    check: (r: TfResource) => {
      const value = r.body[attribute];
      if (typeof value === "string" && value.startsWith("${")) return unresolved(`${attribute} is ${value}`);
      return value === true ? pass(`${attribute} is true`) : fail(`${attribute} is ${JSON.stringify(value ?? null)}`);
    },
    ...extra,
  };
}

const RULES: Rule[] = [
  flagRule("test-key-rotation", "AICP-DATA-02", "aws_kms_key", "enable_key_rotation", { checkov: ["CKV_AWS_7"], trivy: ["AVD-AWS-0065"] }),
  flagRule("test-trail-multi-region", "AICP-AUDIT-01", "aws_cloudtrail", "is_multi_region_trail"),
  flagRule("test-private-endpoint", "AICP-ACCESS-02", "aws_eks_cluster", "private_only", {
    waivable: false,
    checkov: ["CKV_AWS_39"],
    trivy: ["AVD-AWS-0040"],
  }),
  flagRule("test-versioning", "AICP-DATA-05", "aws_s3_bucket", "versioned"),
  flagRule("test-lb-internal", "AICP-INFER-01", "aws_lb", "internal"),
  flagRule("test-findings-routed", "AICP-INCIDENT-03", "aws_sns_topic", "routed", { severity: "recommended" }),
];

const DOC = {
  resource: {
    aws_kms_key: { models: { enable_key_rotation: true }, legacy: { enable_key_rotation: false } },
    aws_cloudtrail: { trail: { is_multi_region_trail: false } },
    aws_eks_cluster: { main: { private_only: "${var.private_only}" } },
    aws_s3_bucket: { datasets: { versioned: true } },
    aws_sns_topic: { alerts: { routed: false } },
  },
};

const waiver = (rule: string, resource: string, expires: string, owner = "platform-team"): Waiver => ({
  rule,
  resource,
  expires,
  owner,
  reason: `Accepted for ${resource} until the migration finishes`,
  origin: "waivers.yaml",
});

const WAIVERS: Waiver[] = [
  waiver("test-key-rotation", "aws_kms_key.legacy", "2099-12-31", "crypto-team"),
  waiver("test-trail-multi-region", "aws_cloudtrail.trail", "2020-01-01"),
  waiver("test-private-endpoint", "aws_eks_cluster.main", "2099-12-31"),
  waiver("test-versioning", "aws_s3_bucket.scratch", "2099-12-31"),
  waiver("no-such-rule", "aws_s3_bucket.datasets", "2099-12-31"),
];

const NOW = new Date("2026-01-01T00:00:00Z");

function fixture(): { report: Report; file: string; content: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "saip-md-"));
  const file = path.join(dir, "cdk.tf.json");
  const content = JSON.stringify(DOC, null, 2);
  writeFileSync(file, content);
  const platform = new TfModule("platform");
  addDocument(platform, DOC, file);
  const empty = new TfModule("workloads");
  addDocument(empty, { resource: { aws_vpc: { main: {} } } }, path.join(dir, "not-written.tf.json"));
  // The engine refuses a waiver for an unwaivable rule or one that does not exist; records an earlier
  // version wrote can still hold them (matched 0), and the report must show what became of them.
  const refused = (w: Waiver) => w.rule === "test-private-endpoint" || w.rule === "no-such-rule";
  const report = check([platform, empty], { rules: RULES, waivers: WAIVERS.filter((w) => !refused(w)), now: NOW });
  const waivers = WAIVERS.map(
    (w) => report.waivers.find((r) => r.rule === w.rule && r.resource === w.resource) ?? { ...w, matched: 0, expired: false },
  );
  return { report: { ...report, waivers }, file, content };
}

/** The cells of the table row whose first cell is `first`. */
function row(markdown: string, first: string): string[] {
  const line = markdown.split("\n").find((l) => l.startsWith(`| ${first} |`));
  if (!line) throw new Error(`no row starting with ${first} in:\n${markdown}`);
  return line.slice(2, -2).split(" | ");
}

/** The lines of one `## ` section. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const end = markdown.indexOf("\n## ", start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

describe("the Markdown evidence report", () => {
  const { report, file, content } = fixture();
  const md = renderMarkdown(report, { title: "Compliance evidence: test", version: "9.9.9", configSource: "platform.yaml" });

  it("has the header, then requirements, rules, failures, waivers and passed findings, in that order", () => {
    expect(md.startsWith("# Compliance evidence: test\n")).toBe(true);
    const order = [
      "- Tool: secure-ai-platform (saip) 9.9.9",
      "- Platform config: platform.yaml",
      "## Requirements",
      "## Rules checked",
      "## Failures",
      "## Waivers",
      "### Waived findings",
      "## Passed findings",
    ];
    const positions = order.map((text) => md.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("says what was checked: rules over resources, each module with its sources, resource count and SHA-256", () => {
    expect(md).toContain("- Checked: 6 rules ran over 7 resources in 2 modules: 2 findings passed, 3 failed, 1 waived.");
    expect(md).not.toMatch(/checked \d+ resources/);
    const sha = createHash("sha256").update(content).digest("hex");
    expect(row(md, "platform")).toEqual(["platform", "6", `\`${file}\``, `\`${sha}\``]);
    // A source that cannot be read is listed without a digest, and nothing complains.
    expect(row(md, "workloads")).toEqual(["workloads", "1", `\`${path.join(path.dirname(file), "not-written.tf.json")}\``, "-"]);
  });

  it("gives a one-line verdict at the fail-on threshold, mandatory and recommended apart, unresolved counted separately", () => {
    expect(md).toContain(
      "**FAIL: 2 mandatory findings fail** (fail-on mandatory). Failing findings: 2 mandatory, 1 recommended; of them unresolved before apply: 1 mandatory, 0 recommended.",
    );
    expect(row(md, "mandatory")).toEqual(["mandatory", "2", "2", "1", "1"]);
    expect(row(md, "recommended")).toEqual(["recommended", "0", "1", "0", "0"]);
    expect(verdictLine(report, "recommended")).toMatch(/^\*\*FAIL: 3 mandatory or recommended findings fail\*\* \(fail-on recommended\)/);
    expect(verdictLine(report, "none")).toMatch(/^\*\*PASS: nothing fails the check at fail-on none\*\*/);
  });

  it("passes when no mandatory finding fails", () => {
    const module = new TfModule("platform");
    addDocument(
      module,
      { resource: { aws_kms_key: { models: { enable_key_rotation: true } }, aws_sns_topic: { alerts: { routed: false } } } },
      "missing.tf.json",
    );
    const clean = renderMarkdown(check([module], { rules: RULES, now: NOW }));
    expect(clean).toContain("**PASS: no mandatory requirement fails** (fail-on mandatory). Failing findings: 0 mandatory, 1 recommended;");
    expect(clean).toMatch(/^# Compliance report\n/);
  });

  it("lists every catalogue requirement with its status: met, met with waivers, failed, not applicable, no rule", () => {
    const requirements = section(md, "Requirements");
    expect(requirements.split("\n").filter((l) => l.startsWith("| **AICP-"))).toHaveLength(REQUIREMENTS.length);
    expect(row(md, "**AICP-DATA-05** Versioned data")).toEqual([
      "**AICP-DATA-05** Versioned data",
      "mandatory",
      "data protection",
      "5.2.1-2, 5.2.1-3.1",
      "`test-versioning`",
      "1",
      "0",
      "0",
      "met",
    ]);
    const status = (id: string) =>
      requirements
        .split("\n")
        .find((l) => l.startsWith(`| **${id}**`))
        ?.split(" | ")
        .at(-1);
    expect(status("AICP-DATA-02")).toBe("met with waivers |");
    expect(status("AICP-AUDIT-01")).toBe("failed |");
    expect(status("AICP-ACCESS-02")).toBe("failed |");
    expect(status("AICP-INCIDENT-03")).toBe("failed |");
    expect(status("AICP-INFER-01")).toBe("not applicable |");
    expect(status("AICP-TRAIN-01")).toBe("no rule |");
    expect(requirements).toContain(
      `${REQUIREMENTS.length} requirements in the catalogue: 1 met, 1 met with waivers, 3 failed, 0 waived (nothing passed, every failure waived), 1 not applicable`,
    );
  });

  it("lists every rule that ran with its mappings, counts and status", () => {
    const rules = section(md, "Rules checked");
    expect(rules.split("\n").filter((l) => l.startsWith("| `test-"))).toHaveLength(RULES.length);
    expect(row(md, "`test-private-endpoint`")).toEqual([
      "`test-private-endpoint`",
      "private_only is set",
      "mandatory",
      "no",
      "AICP-ACCESS-02",
      "CKV_AWS_39",
      "AVD-AWS-0040",
      "0",
      "1",
      "0",
      "failed",
    ]);
    expect(row(md, "`test-key-rotation`").slice(3)).toEqual([
      "yes",
      "AICP-DATA-02",
      "CKV_AWS_7",
      "AVD-AWS-0065",
      "1",
      "0",
      "1",
      "passed with waivers",
    ]);
    expect(row(md, "`test-versioning`").slice(-4)).toEqual(["1", "0", "0", "passed"]);
    expect(row(md, "`test-lb-internal`").slice(-4)).toEqual(["0", "0", "0", "not applicable"]);
  });

  it("lists failures mandatory first, with module, outcome and references", () => {
    const failures = section(md, "Failures")
      .split("\n")
      .filter((l) => l.startsWith("| ") && !l.startsWith("| severity"));
    expect(failures.map((l) => l.split(" | ")[0])).toEqual(["| mandatory", "| mandatory", "| recommended"]);
    const endpoint = failures.find((l) => l.includes("aws_eks_cluster.main"))!;
    expect(endpoint).toContain("| unresolved | AICP-ACCESS-02 | `test-private-endpoint` | platform | `aws_eks_cluster.main` |");
    expect(endpoint).not.toContain("waived by");
    expect(endpoint).toMatch(/\| EN 304 223 5\.2\.2-1, CKV_AWS_39, AVD-AWS-0040 \|$/);
    expect(failures.find((l) => l.includes("aws_cloudtrail.trail"))).toContain("| failed | AICP-AUDIT-01 |");
  });

  it("lists every waiver with owner, expiry, status, reason and origin, and the findings waived", () => {
    const waivers = section(md, "Waivers");
    const waiverRow = (rule: string) =>
      waivers
        .split("\n")
        .find((l) => l.startsWith(`| \`${rule}\``))!
        .slice(2, -2)
        .split(" | ");
    expect(waiverRow("test-key-rotation")).toEqual([
      "`test-key-rotation`",
      "`aws_kms_key.legacy`",
      "platform",
      "crypto-team",
      "2099-12-31",
      "active",
      "1",
      "Accepted for aws_kms_key.legacy until the migration finishes",
      "`waivers.yaml`",
    ]);
    expect(waiverRow("test-trail-multi-region")[5]).toBe("expired");
    expect(waiverRow("test-private-endpoint")[5]).toBe("ignored (rule not waivable)");
    expect(waiverRow("test-versioning").slice(2, 7)).toEqual(["-", "platform-team", "2099-12-31", "unused (matched 0)", "0"]);
    expect(waiverRow("no-such-rule")[5]).toBe("unused (matched 0; the rule did not run)");
    const waived = waivers.slice(waivers.indexOf("### Waived findings"));
    expect(waived).toContain(
      "| AICP-DATA-02 | `test-key-rotation` | platform | `aws_kms_key.legacy` | enable_key_rotation is false (waived by crypto-team until 2099-12-31:",
    );
  });

  it("collapses passed findings, sorted by requirement, rule and resource", () => {
    const passed = section(md, "Passed findings");
    expect(passed).toContain("<details><summary>2 findings passed</summary>");
    expect(passed).toContain("</details>");
    const rows = passed.split("\n").filter((l) => l.startsWith("| AICP-"));
    expect(rows).toEqual([
      "| AICP-DATA-02 | `test-key-rotation` | platform | `aws_kms_key.models` | enable_key_rotation is true |",
      "| AICP-DATA-05 | `test-versioning` | platform | `aws_s3_bucket.datasets` | versioned is true |",
    ]);
  });

  it("is deterministic: the same input gives the same bytes, with no timestamp", () => {
    const again = fixture();
    const options = { title: "Compliance evidence: test", version: "9.9.9", configSource: "platform.yaml", readSource: () => "same bytes" };
    const normalize = (text: string, f: string) => text.split(path.dirname(f)).join("DIR");
    expect(normalize(renderMarkdown(again.report, options), again.file)).toBe(normalize(renderMarkdown(report, options), file));
    expect(renderMarkdown(report, options)).toBe(renderMarkdown(report, options));
    expect(md).not.toMatch(/\d{2}:\d{2}(:\d{2})?|T\d{2}|2026-01-01/);
  });

  it("uses the rules the caller ran when the report does not list them", () => {
    const { rules: _rules, ...older } = report;
    const options = { version: "9.9.9", readSource: () => undefined };
    expect(renderMarkdown(older, { ...options, rules: RULES })).toBe(renderMarkdown(report, options));
    expect(render(older, "markdown", RULES, "9.9.9")).toContain("| `test-lb-internal` | internal is set | mandatory | yes |");
  });
});
