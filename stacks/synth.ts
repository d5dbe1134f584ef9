import { App, TerraformStack } from "cdktf";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { REQUIREMENTS } from "../lib/catalogue/requirements";
import { enforceCompliance } from "../lib/compliance/aspect";
import { Report, summarize } from "../lib/compliance/finding";
import { renderJson } from "../lib/report/json";
import { renderMarkdown } from "../lib/report/markdown";
import { renderSarif } from "../lib/report/sarif";
import { renderEvidenceJson } from "../lib/report/evidence-json";
import { renderHtml } from "../lib/report/html";
import { renderJunit } from "../lib/report/junit";
import { buildEvidence } from "../lib/evidence/build";
import { EvidenceRecord, EVIDENCE_SCHEMA_FILE, evidenceJsonSchema } from "../lib/evidence/record";
import { reportOf } from "../lib/evidence/report-of";
import { addDocument, InputError } from "../lib/terraform/load";
import { Json, TfModule } from "../lib/terraform/model";
import { PLATFORM_PLACEHOLDERS } from "./placeholders";
import { ALL_RULES } from "../lib/rules";
import { packageVersion } from "../lib/version";
import { resolveConfig } from "./config/load";
import { PlatformConfig } from "./config/schema";
import { BootstrapStack, useStateBucket } from "./bootstrap-stack";
import { PlatformStack } from "./platform-stack";
import { WorkloadsStack } from "./workloads-stack";

export interface SynthOptions {
  /** A platform config file (YAML or JSON). @default the embedded reference platform */
  readonly configFile?: string;
  /** Where to synthesize. @default "cdktf.out" */
  readonly outdir?: string;
  /** The time the evidence record names. @default now, or SOURCE_DATE_EPOCH when set */
  readonly now?: Date;
}

export interface SynthSummary {
  readonly configSource: string;
  readonly outdir: string;
  readonly stacks: ReadonlyArray<{ readonly name: string; readonly resources: number }>;
  readonly report: Report;
  /** The run's evidence record (compliance/evidence.json). */
  readonly evidence: EvidenceRecord;
  readonly requirementsMet: number;
  readonly requirementsChecked: number;
  readonly reports: readonly string[];
  /** Each pool's node image and pinned release, as the node groups run them. */
  readonly nodeImages: ReadonlyArray<{ readonly pool: string; readonly amiType: string; readonly releaseVersion: string }>;
}

/** Builds the platform's stacks into an app; the stacks users deploy. */
export function buildPlatform(app: App, config: PlatformConfig): TerraformStack[] {
  // The bootstrap stack creates the encrypted bucket every stack keeps its state in; it is applied first.
  const bootstrap = new BootstrapStack(app, "bootstrap", config);
  const platform = new PlatformStack(app, "platform", config);
  const stacks = [platform, new WorkloadsStack(app, "workloads", platform, config)];
  for (const stack of stacks) useStateBucket(stack, bootstrap.location);
  return [bootstrap, ...stacks];
}

/**
 * Moves every file synth wrote into the output folder, file by file, so what
 * terraform keeps there (`.terraform/`, lock files) stays.
 */
function moveFiles(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) moveFiles(source, target);
    else renameSync(source, target);
  }
}

/** The run's evidence record: the stacks as written, with their digests, the config, and what blocks deployment. */
function evidenceOf(report: Report, stacks: readonly TerraformStack[], outdir: string, configFile: string | undefined, source: string, config: PlatformConfig, now?: Date): EvidenceRecord {
  const files = stacks.map((stack) => {
    const file = path.relative(process.cwd(), path.join(outdir, "stacks", stack.node.id, "cdk.tf.json"));
    return { module: stack.node.id, file, content: readFileSync(file) };
  });
  const modules = files.map((f) => {
    const module = new TfModule(f.module);
    addDocument(module, JSON.parse(f.content.toString()) as Json, f.file);
    return module;
  });
  const configBytes = configFile ? readFileSync(configFile) : undefined;
  return buildEvidence(report, {
    rules: ALL_RULES,
    modules,
    files,
    version: packageVersion(),
    now,
    config: { source, file: configFile, content: configBytes, value: config },
    placeholders: PLATFORM_PLACEHOLDERS,
  });
}

/** Merges the per-stack reports into one for the whole app. */
function mergeReports(reports: readonly Report[]): Report {
  const findings = reports.flatMap((r) => r.findings);
  return { version: 1, summary: summarize(findings), findings, waivers: reports.flatMap((r) => r.waivers), modules: reports.flatMap((r) => r.modules), rulesRun: reports[0]?.rulesRun ?? 0, rules: reports[0]?.rules };
}

/**
 * The main job: validates the config, synthesizes every stack with the
 * compliance check inside synth, and writes the evidence reports. A bad
 * config throws before anything is written.
 */
export function synthesizePlatform(options: SynthOptions = {}): SynthSummary {
  const { config, source } = resolveConfig(options.configFile);
  const outdir = options.outdir ?? "cdktf.out";
  // Synthesized beside the output folder and moved over it only when synth succeeds, so a failed
  // synth leaves the last good stacks and their evidence as they were, never a mix.
  const staging = `${outdir.replace(/[\\/]+$/, "")}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const app = new App({ outdir: staging, skipValidation: false });
  let stacks: TerraformStack[];
  try {
    stacks = buildPlatform(app, config);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Constructs reject what the schema cannot see (an instance type a pool cannot run on); still the config's fault.
    throw new InputError(`${source}: ${(error as Error).message}`);
  }
  const reports: Report[] = [];
  const finalSource = (stack: TerraformStack) => path.relative(process.cwd(), path.join(outdir, "stacks", stack.node.id, "cdk.tf.json"));
  enforceCompliance(app, { onReport: (_stack, report) => reports.push(report), sourceOf: finalSource });
  try {
    app.synth();
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  // The service control policies, beside the stacks: JSON an organization's management account attaches.
  const governance = path.join(staging, "governance");
  for (const stack of stacks) {
    if (!(stack instanceof PlatformStack)) continue;
    mkdirSync(governance, { recursive: true });
    for (const [file, document] of Object.entries(stack.serviceControlPolicies)) writeFileSync(path.join(governance, file), JSON.stringify(JSON.parse(document.toJson()), null, 2) + "\n");
  }
  moveFiles(staging, outdir);
  rmSync(staging, { recursive: true, force: true });

  const report = mergeReports(reports);
  const evidence = evidenceOf(report, stacks, outdir, options.configFile, source, config, options.now);
  const dir = path.join(outdir, "compliance");
  const title = `Compliance evidence: ${config.name}`;
  // Every report but report.json (kept in its version-1 shape for its readers) is rendered from the one evidence record.
  const files: Array<[string, string]> = [
    ["evidence.json", renderEvidenceJson(evidence)],
    [EVIDENCE_SCHEMA_FILE, JSON.stringify(evidenceJsonSchema(), null, 2) + "\n"],
    ["report.json", renderJson(report)],
    ["report.md", renderMarkdown(reportOf(evidence), { title, configSource: source, version: evidence.tool.version, evidence })],
    ["report.sarif", renderSarif(evidence, ALL_RULES)],
    ["report.junit.xml", renderJunit(reportOf(evidence))],
    ["report.html", renderHtml(evidence, { title })],
  ];
  // Written to a temporary folder and moved into place, so a reader never sees half a set.
  const reportStaging = `${dir}.tmp-${process.pid}`;
  mkdirSync(reportStaging, { recursive: true });
  for (const [name, text] of files) writeFileSync(path.join(reportStaging, name), text);
  rmSync(dir, { recursive: true, force: true });
  renameSync(reportStaging, dir);

  // The record's statuses: a requirement met because what it protects exists and nothing breaks it counts too.
  const checked = evidence.requirements.filter((req) => req.status !== "not applicable" && req.status !== "not checked");
  const met = checked.filter((req) => req.status === "met");
  return {
    configSource: source,
    outdir,
    stacks: stacks.map((s) => ({ name: s.node.id, resources: report.modules.find((m) => m.id === s.node.id)?.resources ?? 0 })),
    report,
    evidence,
    requirementsMet: met.length,
    requirementsChecked: checked.length,
    reports: files.map(([name]) => path.join(dir, name)),
    nodeImages: stacks.flatMap((s) => (s instanceof PlatformStack ? Object.entries(s.pools).map(([pool, p]) => ({ pool, amiType: p.amiType, releaseVersion: p.releaseVersion })) : [])),
  };
}

/** The short summary the main job prints. */
export function describeSummary(summary: SynthSummary): string {
  const { pass, fail, waived } = summary.report.summary;
  const lines = [
    `Synthesized ${summary.stacks.length} stack(s) from the ${summary.configSource} into ${summary.outdir}/:`,
    ...summary.stacks.map((s) => `  ${s.name}: ${s.resources} resources and data sources`),
    `Compliance: ${summary.requirementsMet} of ${summary.requirementsChecked} requirements met (${REQUIREMENTS.length} in the catalogue); ${pass} findings passed, ${fail} failed, ${waived} waived.`,
    summary.report.waivers.length === 0 ? "Waivers: none" : "Waivers:",
    ...summary.report.waivers.map((w) => `  ${w.rule} on ${w.resource} until ${w.expires} (${w.owner}): ${w.reason}`),
    `Node images: ${summary.nodeImages.map((n) => `${n.pool} ${n.amiType} ${n.releaseVersion}`).join(", ")}`,
    `Deployment readiness: ${summary.evidence.readiness.deployable ? "ready" : "BLOCKED"}: ${summary.evidence.readiness.why}`,
    `Evidence: ${summary.reports.join(", ")}`,
  ];
  return lines.join("\n") + "\n";
}
