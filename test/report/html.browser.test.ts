import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { saip } from "../cli/run";

const CHROMIUM = "/usr/bin/chromium";
const PLAIN = path.join(__dirname, "../fixtures/terraform/plain");
const WAIVERS = path.join(__dirname, "../fixtures/waivers/plain.yaml");
/** Screenshots for people to look at (ignored by git), not for pixel comparison. */
const ARTIFACTS = path.join(__dirname, "../../test-artifacts");

const present = existsSync(CHROMIUM);
if (!present) console.warn(`skipping the HTML report browser test: ${CHROMIUM} is absent (apt-get install chromium, as .ci/run does)`);

(present ? describe : describe.skip)("the HTML report in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];
  let record: {
    summary: { pass: number; fail: number; waived: number };
    requirements: Array<{ status: string }>;
    findings: Array<{ status: string; ruleId: string; requirementIds: string[]; resource: string }>;
    waivers: Array<{ owner: string; daysLeft: number }>;
  };

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "saip-html-"));
    const html = path.join(dir, "report.html");
    const json = path.join(dir, "evidence.json");
    // One record, two renderings of it: the page must show the record's numbers.
    await saip("check", PLAIN, "--waivers", WAIVERS, "--format", "evidence", "--output", json);
    record = JSON.parse(readFileSync(json, "utf8"));
    await saip("check", PLAIN, "--waivers", WAIVERS, "--format", "html", "--output", html);
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on("request", (r) => requests.push(r.url()));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pathToFileURL(html).href);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const count = async (name: string) => Number(await page.textContent(`[data-count="${name}"]`));
  const shownRows = () => page.locator("#findings-table tbody tr:not([hidden])").count();

  it("fits a laptop screen: no page-wide horizontal scrolling at 1100 pixels, long addresses and messages wrap", async () => {
    await page.setViewportSize({ width: 1100, height: 760 });
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1100);
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });

  it("shows the record's finding and requirement counts", async () => {
    expect(await count("pass")).toBe(record.summary.pass);
    expect(await count("fail")).toBe(record.summary.fail);
    expect(await count("waived")).toBe(record.summary.waived);
    const statuses = (s: string) => record.requirements.filter((r) => r.status === s).length;
    expect(await count("requirements-met")).toBe(statuses("met"));
    expect(await count("requirements-not-met")).toBe(statuses("not met"));
    expect(await count("requirements-waived")).toBe(statuses("waived"));
    expect(await count("requirements")).toBe(record.requirements.length);
    expect(await shownRows()).toBe(record.findings.length);
    expect(await page.locator("#requirements tbody tr").count()).toBe(record.requirements.length);
  });

  it("puts the verdict and deployment readiness at the top", async () => {
    expect(await page.textContent("#verdict")).toMatch(/^FAIL: \d+ mandatory findings fail \(fail-on mandatory\)$/);
    expect(await page.textContent("#readiness-verdict")).toMatch(/^Deployment: (ready|BLOCKED): /);
    const top = await page.locator("header").boundingBox();
    expect(top!.y).toBeLessThan(50);
  });

  it("filters findings by status, rule, requirement and resource, and says how many it shows", async () => {
    await page.selectOption("#f-status", "fail");
    const failed = record.findings.filter((f) => f.status === "fail");
    expect(await shownRows()).toBe(failed.length);
    expect(await page.textContent("#shown-count")).toBe(String(failed.length));
    await page.selectOption("#f-rule", "aws-eks-private-endpoint");
    expect(await shownRows()).toBe(failed.filter((f) => f.ruleId === "aws-eks-private-endpoint").length);
    await page.click("#filters button[type=reset]");
    await page.waitForFunction((n) => document.getElementById("shown-count")?.textContent === String(n), record.findings.length);
    const requirement = record.findings[0].requirementIds[0];
    await page.selectOption("#f-requirement", requirement);
    expect(await shownRows()).toBe(record.findings.filter((f) => f.requirementIds.includes(requirement)).length);
    await page.click("#filters button[type=reset]");
    await page.fill("#f-resource", "aws_eks_cluster.main");
    expect(await shownRows()).toBe(record.findings.filter((f) => f.resource.includes("aws_eks_cluster.main")).length);
    await page.selectOption("#f-status", "waived");
    await page.fill("#f-resource", "");
    expect(await shownRows()).toBe(record.summary.waived);
  });

  it("lists every waiver with owner and days left, and remediation for every failing rule", async () => {
    const waivers = page.locator("#waivers tbody tr");
    expect(await waivers.count()).toBe(record.waivers.length);
    expect(await waivers.first().textContent()).toContain(`crypto-team`);
    expect(await waivers.first().textContent()).toContain(`${record.waivers[0].daysLeft} days`);
    const failingRules = new Set(record.findings.filter((f) => f.status === "fail").map((f) => f.ruleId));
    expect(await page.locator("#remediation ol > li").count()).toBe(failingRules.size);
  });

  it("makes no network request and runs without script errors under its own Content-Security-Policy", async () => {
    expect(requests.filter((url) => !url.startsWith("file://"))).toEqual([]);
    expect(requests).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it("prints to PDF with the filters hidden", async () => {
    await page.emulateMedia({ media: "print" });
    expect(await page.isVisible("#filters")).toBe(false);
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    await page.emulateMedia({ media: "screen" });
  });

  it("saves a screenshot for people to look at", async () => {
    await page.click("#filters button[type=reset]");
    await page.evaluate(() => window.scrollTo(0, 0));
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, "report-html.png");
    await page.screenshot({ path: file, fullPage: false });
    expect(existsSync(file)).toBe(true);
  });
});
