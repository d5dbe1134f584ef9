import { rmSync } from "node:fs";
import * as path from "node:path";
import { EvidenceFolder, EvidenceFolderOptions, writeEvidenceFolder } from "../evidence/write";
import { Annotations, App, Aspects, IAspect, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { ALL_RULES } from "../rules";
import { addDocument } from "../terraform/load";
import { isObject, Json, TfModule } from "../terraform/model";
import { check } from "./engine";
import { Report } from "./finding";
import { Rule } from "./rule";
import { describeUnusedWaiver, unusedWaivers } from "./waiver-problems";
import { Waiver } from "./waivers";

export interface ComplianceAspectOptions {
  /** Rules to run. @default every rule of the catalogue */
  readonly rules?: readonly Rule[];
  /** Waivers from outside the code (waivers made with `Waivers.of()` travel in the JSON). @default none */
  readonly waivers?: readonly Waiver[];
  /** Called with each stack's report, e.g. to write evidence files. @default none */
  readonly onReport?: (stack: TerraformStack, report: Report) => void;
  /** Where findings say each stack's JSON is. @default - `<app outdir>/stacks/<stack>/cdk.tf.json`, relative to the working directory */
  readonly sourceOf?: (stack: TerraformStack) => string;
  /** Time waivers expire against. @default now */
  readonly now?: Date;
  /** Fail synth when a waiver matches no failing finding (otherwise it is a warning). @default false */
  readonly failOnUnusedWaivers?: boolean;
}

/**
 * Runs the compliance rules inside synth, like cdk-nag's packs: every
 * failing mandatory finding becomes an error annotation (so `app.synth()`
 * and `cdktf synth` fail), every failing recommended one a warning.
 *
 * It checks the stack's Terraform JSON as it will be written, after every
 * aspect and `addOverride`, by registering a validation on each stack (which
 * cdktf runs after all aspects, just before writing).
 */
export class ComplianceAspect implements IAspect {
  private readonly seen = new WeakSet<TerraformStack>();
  /** Each stack's module, built once: a stack checked later reads those it depends on as its upstream. */
  private readonly modules = new Map<TerraformStack, TfModule>();
  /** The evidence folder the last synth wrote, when enforceCompliance was asked to write one. */
  evidence?: EvidenceFolder;

  constructor(private readonly options: ComplianceAspectOptions = {}) {}

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || this.seen.has(node)) return;
    this.seen.add(node);
    const stack = node;
    stack.node.addValidation({ validate: () => this.checkStack(stack) });
  }

  /** Checks one stack's JSON and annotates its constructs; returns no validation errors (annotations carry them). */
  checkStack(stack: TerraformStack): string[] {
    const json = stackJson(stack);
    const report = checkStackJson(stack, this.options, json, this.modules);
    const byPath = new Map(stack.node.findAll().map((c) => [c.node.path, c]));
    for (const finding of report.findings) {
      if (finding.status !== "fail") continue;
      const path = constructPathOf(json, finding.resource) ?? stack.node.path;
      const target = byPath.get(path) ?? stack;
      const text = `[${finding.ruleId}] ${finding.resource}: ${finding.message} (${finding.requirementIds.join(", ")})`;
      if (finding.severity === "mandatory") Annotations.of(target).addError(text);
      else Annotations.of(target).addWarning(text);
    }
    for (const waiver of unusedWaivers(report)) {
      const text = describeUnusedWaiver(waiver);
      if (this.options.failOnUnusedWaivers) Annotations.of(stack).addError(text);
      else Annotations.of(stack).addWarning(text);
    }
    this.options.onReport?.(stack, report);
    return [];
  }
}

/** The stack's Terraform JSON, exactly as the synthesizer will write it. */
export function stackJson(stack: TerraformStack): Json {
  return JSON.parse(JSON.stringify(stack.toTerraform())) as Json;
}

/** Where the synthesizer writes a stack, relative to the working directory, for findings to point at. */
export function stackSource(stack: TerraformStack): string {
  const outdir = App.of(stack).outdir;
  return path.relative(process.cwd(), path.join(outdir, "stacks", stack.node.id, "cdk.tf.json")) || "cdk.tf.json";
}

/**
 * Runs the engine over one stack's JSON. The stacks it depends on (cdktf's
 * `dependencies`: cross-stack references and `addDependency`) are applied
 * before it, so its rules read them as context (TfModule.upstream); only
 * this stack's resources are judged. `modules` caches the modules built.
 */
export function checkStackJson(
  stack: TerraformStack,
  options: ComplianceAspectOptions = {},
  json: Json = stackJson(stack),
  modules: Map<TerraformStack, TfModule> = new Map(),
): Report {
  const module = stackModule(stack, options, modules, json);
  return check([module], { rules: options.rules ?? ALL_RULES, waivers: options.waivers, now: options.now });
}

function stackModule(
  stack: TerraformStack,
  options: ComplianceAspectOptions,
  modules: Map<TerraformStack, TfModule>,
  json?: Json,
): TfModule {
  const known = modules.get(stack);
  if (known) return known;
  const module = new TfModule(stack.node.id);
  addDocument(module, json ?? stackJson(stack), options.sourceOf?.(stack) ?? stackSource(stack));
  modules.set(stack, module);
  for (const dependency of stack.dependencies) module.upstream.push(stackModule(dependency, options, modules));
  return module;
}

function constructPathOf(json: Json, address: string): string | undefined {
  if (!isObject(json)) return undefined;
  const parts = address.split(".");
  const [section, type, name] = parts[0] === "data" ? ["data", parts[1], parts[2]] : ["resource", parts[0], parts[1]];
  const group = json[section];
  const body = isObject(group) && isObject(group[type]) ? group[type][name] : undefined;
  const meta = isObject(body) && isObject(body["//"]) ? body["//"].metadata : undefined;
  return isObject(meta) && typeof meta.path === "string" ? meta.path : undefined;
}

export interface EnforceComplianceOptions extends ComplianceAspectOptions {
  /**
   * Write `<outdir>/compliance/` (evidence record, JSON, Markdown, SARIF,
   * JUnit and HTML reports) when `app.synth()` succeeds, as `npm run synth`
   * does for the reference platform. @default false
   */
  readonly evidence?: boolean | EvidenceFolderOptions;
}

/**
 * Attaches the compliance check to every stack of an app. cdktf 0.21 runs
 * aspects from each stack down, so an aspect added with `Aspects.of(app)`
 * never runs; this adds it to each stack instead. Call it after the stacks
 * are created: a stack created later is reported as unchecked when the app
 * validates.
 */
export function enforceCompliance(app: App, options: EnforceComplianceOptions = {}): ComplianceAspect {
  const reports: Report[] = [];
  const onReport = (stack: TerraformStack, report: Report) => {
    reports.push(report);
    options.onReport?.(stack, report);
  };
  const aspect = new ComplianceAspect(options.evidence ? { ...options, onReport } : options);
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  if (stacks.length === 0) throw new Error("enforceCompliance: the app has no stacks yet; create them first.");
  if (options.evidence) {
    const evidenceOptions = options.evidence === true ? {} : options.evidence;
    const synth = app.synth.bind(app);
    // After the stacks are written (their bytes are digested), the same folder `npm run synth` writes.
    // An earlier run's evidence goes first, so a failed synth never leaves it beside new stacks.
    app.synth = () => {
      reports.length = 0;
      rmSync(path.join(app.outdir, "compliance"), { recursive: true, force: true });
      synth();
      aspect.evidence = writeEvidenceFolder(
        reports,
        stacks.map((s) => s.node.id),
        app.outdir,
        { rules: options.rules, now: options.now, ...evidenceOptions },
      );
    };
  }
  for (const stack of stacks) Aspects.of(stack).add(aspect);
  app.node.addValidation({
    validate: () =>
      app.node
        .findAll()
        .filter(TerraformStack.isStack)
        .filter((stack) => !stacks.includes(stack))
        .map((stack) => `stack '${stack.node.id}' was created after enforceCompliance() and was not checked`),
  });
  return aspect;
}
