import { renderHtml } from "../../lib/report/html";
import { renderJunit } from "../../lib/report/junit";
import { renderMarkdown } from "../../lib/report/markdown";
import { renderSarif } from "../../lib/report/sarif";
import { renderText } from "../../lib/report/text";
import { CLEAN, CLEAN_RECORD, COMMITTED_RECORD, RECORD, REPORT } from "./golden-fixture";
import { Rule } from "../../lib/compliance/rule";

// Each format's exact text for a hand-written report and record (golden-fixture.ts), so a change of any word,
// count, order or escape in a report shows as a snapshot diff to review. The catalogue-wide Markdown section keeps
// only the rows of the fixture's requirements, and the HTML page its body, so that a new requirement or a restyled
// page does not move these snapshots.

const RULES: Rule[] = (REPORT.rules ?? []).map((r) => ({
  ...r,
  appliesTo: ["aws_kms_key"],
  remediation: `Fix ${r.id}.`,
  check: () => {
    throw new Error("not run");
  },
}));
const FIXTURE_REQUIREMENTS = ["AICP-DATA-02", "AICP-ACCESS-02", "AICP-AUDIT-01"];

/** The Markdown without the catalogue rows no fixture rule names. */
const markdownOf = (...args: Parameters<typeof renderMarkdown>) =>
  renderMarkdown(...args)
    .split("\n")
    .filter((l) => !l.startsWith("| **AICP-") || FIXTURE_REQUIREMENTS.some((id) => l.startsWith(`| **${id}** `)))
    .map((l) =>
      l
        .replace(/^\d+ requirements in the catalogue: /, "N requirements in the catalogue: ")
        .replace(/, \d+ with no rule\.$/, ", M with no rule."),
    )
    .join("\n");

const bodyOf = (html: string) => html.slice(html.indexOf("<body>"), html.indexOf("<script>"));

describe("each report's exact text", () => {
  it("text", () => {
    expect(renderText(REPORT)).toMatchSnapshot();
    expect(renderText(REPORT, { verbose: true })).toMatchSnapshot();
    expect(renderText(CLEAN)).toBe("1 rule over 1 resource in 1 module: 1 passed, 0 failed, 0 waived\n");
  });

  it("JUnit", () => {
    expect(renderJunit(REPORT)).toMatchSnapshot();
    expect(renderJunit(CLEAN)).toMatchSnapshot();
  });

  it("Markdown, from the report alone and with the record", () => {
    expect(
      markdownOf(REPORT, { version: "9.8.7", failOn: "recommended", configSource: "platform | prod", readSource: () => "x" }),
    ).toMatchSnapshot();
    expect(markdownOf(REPORT, { version: "9.8.7", evidence: RECORD, readSource: () => undefined })).toMatchSnapshot();
    expect(markdownOf(CLEAN, { version: "9.8.7", title: "Clean", evidence: CLEAN_RECORD })).toMatchSnapshot();
    expect(markdownOf(REPORT, { version: "9.8.7", evidence: COMMITTED_RECORD, readSource: () => undefined })).toMatchSnapshot();
  });

  it("SARIF", () => {
    expect(renderSarif(RECORD, RULES)).toMatchSnapshot();
    expect(renderSarif(CLEAN_RECORD, RULES)).toMatchSnapshot();
  });

  it("HTML", () => {
    expect(bodyOf(renderHtml(RECORD, { title: "Evidence <prod>" }))).toMatchSnapshot();
    expect(bodyOf(renderHtml(CLEAN_RECORD))).toMatchSnapshot();
    expect(bodyOf(renderHtml(COMMITTED_RECORD))).toMatchSnapshot();
  });
});

describe("the HTML page around its body", () => {
  // The style and script are module constants (static mutants, left out of the score) whose hashes html.test.ts
  // checks against the Content-Security-Policy; here they are placeholders, so only the page's frame is pinned.
  const frame = (html: string) =>
    html
      .replace(/<style>[\s\S]*?<\/style>/, "<style>STYLE</style>")
      .replace(/<script>[\s\S]*?<\/script>/, "<script>SCRIPT</script>")
      .replace(/'sha256-[A-Za-z0-9+/=]+'/g, "'sha256-HASH'")
      .replace(/<body>[\s\S]*<\/main>/, "<body>BODY</main>");

  it("has the document type, language, charset, policy, viewport and title, and ends with its script", () => {
    expect(frame(renderHtml(RECORD, { title: "Evidence <prod>" }))).toBe(
      [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-HASH'; script-src 'sha256-HASH'; img-src data:; form-action 'none'; base-uri 'none'">`,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Evidence &lt;prod&gt;</title><style>STYLE</style></head>",
        "<body>BODY</main><script>SCRIPT</script></body></html>",
        "",
      ].join("\n"),
    );
    expect(frame(renderHtml(CLEAN_RECORD))).toContain("<title>Compliance evidence</title>");
  });
});
