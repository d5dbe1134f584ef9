import { App, DISABLE_STACK_TRACE_IN_METADATA, TerraformStack } from "cdktf";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { REQUIREMENTS } from "../lib/catalogue/requirements";
import { enforceCompliance } from "../lib/compliance/aspect";
import { Report } from "../lib/compliance/finding";
import { EvidenceRecord } from "../lib/evidence/record";
import { moveInto, writeEvidenceFolder } from "../lib/evidence/write";
import { InputError } from "../lib/terraform/load";
import { PLATFORM_PLACEHOLDERS } from "./placeholders";
import { resolveConfig } from "./config/load";
import { platformConfigOf } from "./config/define";
import { PlatformConfig, PlatformConfigInput } from "./config/schema";
import { BootstrapStack, useStateBucket } from "./bootstrap-stack";
import { keepStackForRecovery } from "./recovery-record";
import { PlatformStack, PlatformStackOptions } from "./platform-stack";
import { WorkloadsStack } from "./workloads-stack";
import { AdmissionStack } from "./admission-stack";
import { AdmissionPolicyStack } from "./admission-policy-stack";

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

/**
 * Builds the platform's stacks into an app; the stacks users deploy. The config may be a literal: it is validated
 * here. `platform` gives the platform stack what a team already has (PlatformStackOptions), in code.
 */
export function buildPlatform(
  app: App,
  input: PlatformConfigInput | PlatformConfig,
  platform: PlatformStackOptions = {},
): TerraformStack[] {
  const config = platformConfigOf(input, "platform config");
  // The bootstrap stack creates the encrypted bucket every stack keeps its state in; it is applied first.
  const bootstrap = new BootstrapStack(app, "bootstrap", config);
  const platformStack = new PlatformStack(app, "platform", config, platform);
  const stacks: TerraformStack[] = [platformStack];
  // Each stack's kubernetes_manifest kinds exist before it plans: the charts' CRDs (admission), then the
  // constraint kind Gatekeeper makes from the template (admission-policy), then the constraints (workloads).
  let admissionPolicy: AdmissionPolicyStack | undefined;
  if (config.tenants.length > 0) {
    const admission = new AdmissionStack(app, "admission", platformStack, config);
    admissionPolicy = new AdmissionPolicyStack(app, "admission-policy", platformStack, admission, config);
    stacks.push(admission, admissionPolicy);
  }
  stacks.push(new WorkloadsStack(app, "workloads", platformStack, config, { admissionPolicy }));
  // Applied after the bootstrap stack, whose bucket keeps its state, its code and their backups.
  platformStack.addDependency(bootstrap);
  for (const stack of stacks) {
    useStateBucket(stack, bootstrap.location);
    keepStackForRecovery(stack, bootstrap.location, { region: config.region, config: stack === platformStack ? config : undefined });
  }
  return [bootstrap, ...stacks];
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
  // Annotations (a recommended rule's warning) carry no stack trace, so the same config synthesizes the same bytes.
  const app = new App({ outdir: staging, skipValidation: false, context: { [DISABLE_STACK_TRACE_IN_METADATA]: true } });
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
    for (const [file, document] of Object.entries(stack.serviceControlPolicies))
      writeFileSync(path.join(governance, file), JSON.stringify(JSON.parse(document.toJson()), null, 2) + "\n");
  }
  moveInto(staging, outdir);

  const configBytes = options.configFile ? readFileSync(options.configFile) : undefined;
  const written = writeEvidenceFolder(
    reports,
    stacks.map((s) => s.node.id),
    outdir,
    {
      title: `Compliance evidence: ${config.name}`,
      config: { source, file: options.configFile, content: configBytes, value: config },
      placeholders: PLATFORM_PLACEHOLDERS,
      now: options.now,
    },
  );
  const { report, evidence } = written;

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
    reports: written.files,
    nodeImages: stacks.flatMap((s) =>
      s instanceof PlatformStack
        ? Object.entries(s.pools).map(([pool, p]) => ({ pool, amiType: p.amiType, releaseVersion: p.releaseVersion }))
        : [],
    ),
  };
}

/** The short summary the main job prints. */
export function describeSummary(summary: SynthSummary): string {
  const { pass, fail, waived } = summary.report.summary;
  const lines = [
    `Synthesized ${summary.stacks.length} stack(s) from the ${summary.configSource} into ${summary.outdir}/:`,
    ...summary.stacks.map((s) => `  ${s.name}: ${s.resources} resources and data sources`),
    `Compliance: ${summary.requirementsMet} of ${summary.requirementsChecked} requirements met (${REQUIREMENTS.length} in the catalogue); ${pass} findings passed, ${fail} failed, ${waived} waived.`,
    // Failing findings that do not fail the synth (recommended ones), each named, so none goes unseen.
    ...(fail > 0
      ? [
          "Failing, not blocking the synth:",
          ...summary.report.findings
            .filter((f) => f.status === "fail")
            .map((f) => `  ${f.ruleId} on ${f.module}: ${f.resource}: ${f.message}`),
        ]
      : []),
    summary.report.waivers.length === 0 ? "Waivers: none" : "Waivers:",
    ...summary.report.waivers.map((w) => `  ${w.rule} on ${w.resource} until ${w.expires} (${w.owner}): ${w.reason}`),
    // What a landing zone brought in and no rule could see; listed only when there is some, never counted as passing.
    ...((summary.report.assumptions ?? []).length > 0
      ? ["Assumed, not checked:", ...(summary.report.assumptions ?? []).map((a) => `  ${a.subject} on ${a.module}: ${a.assumed}`)]
      : []),
    `Node images: ${summary.nodeImages.map((n) => `${n.pool} ${n.amiType} ${n.releaseVersion}`).join(", ")}`,
    `Deployment readiness: ${summary.evidence.readiness.deployable ? "ready" : "BLOCKED"}: ${summary.evidence.readiness.why}`,
    `Evidence: ${summary.reports.join(", ")}`,
  ];
  return lines.join("\n") + "\n";
}
