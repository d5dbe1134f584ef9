/**
 * `secure-ai-platform/testing`: assert compliance in a team's own Jest tests.
 *
 *   import { setupComplianceMatchers, stableSnapshot } from "secure-ai-platform/testing";
 *   setupComplianceMatchers();
 *   expect(stack).toMeetRequirement("AICP-DATA-01");
 *   expect(stack).toHaveNoFailingFindings();
 *   expect(stack).toPassRule("aws-s3-bucket-kms", bucket);
 *
 * The matchers run the same engine as synth over the stack's Terraform JSON
 * (after aspects, so waivers given in code count), and need no terraform binary.
 */
import { TerraformStack } from "cdktf";
import { invokeAspects } from "cdktf/lib/synthesize/synthesizer";
import { IConstruct } from "constructs";
import { requirementById } from "../lib/catalogue/requirements";
import { ComplianceAspectOptions } from "../lib/compliance/aspect";
import { check } from "../lib/compliance/engine";
import { Finding, Report } from "../lib/compliance/finding";
import { ALL_RULES, ruleById } from "../lib/rules";
import { addDocument } from "../lib/terraform/load";
import { isObject, Json, TfModule } from "../lib/terraform/model";

/** A stack, or its synthesized JSON (Testing.synth's string or the parsed object). */
export type Checkable = TerraformStack | string | Json;

export type CheckableOptions = Pick<ComplianceAspectOptions, "rules" | "waivers" | "now">;

function jsonOf(subject: Checkable): { json: Json; id: string } {
  if (TerraformStack.isStack(subject)) {
    // As synth does: aspects first (waivers given in code are stamped by one), and the `//` metadata kept,
    // which Testing.synth drops (it holds those waivers and each resource's construct path).
    invokeAspects(subject);
    return { json: JSON.parse(JSON.stringify(subject.toTerraform())) as Json, id: subject.node.id };
  }
  if (typeof subject === "string") return { json: JSON.parse(subject) as Json, id: "stack" };
  return { json: subject, id: "stack" };
}

/** The engine's report on one stack, as synth would judge it. */
export function complianceReport(subject: Checkable, options: CheckableOptions = {}): Report {
  const { json, id } = jsonOf(subject);
  const module = new TfModule(id);
  addDocument(module, json, `${id}/cdk.tf.json`);
  return check([module], { rules: options.rules ?? ALL_RULES, waivers: options.waivers, now: options.now });
}

/** The construct path cdktf records on each resource (`//.metadata.path`), by address. */
function constructPaths(subject: Checkable): Map<string, string> {
  const { json } = jsonOf(subject);
  const paths = new Map<string, string>();
  for (const [section, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    const group = isObject(json) ? json[section] : undefined;
    if (!isObject(group)) continue;
    for (const [type, byName] of Object.entries(group)) {
      if (!isObject(byName)) continue;
      for (const [name, body] of Object.entries(byName)) {
        const meta = isObject(body) && isObject(body["//"]) ? body["//"].metadata : undefined;
        if (isObject(meta) && typeof meta.path === "string") paths.set(`${prefix}${type}.${name}`, meta.path);
      }
    }
  }
  return paths;
}

const line = (f: Finding) => `  [${f.ruleId}] ${f.resource}: ${f.message}`;

type Result = { pass: boolean; message: () => string };

/** The matchers, for `expect.extend(complianceMatchers)`. */
export const complianceMatchers = {
  /** Every finding of every rule serving the requirement passes (or is waived), and there is at least one. */
  toMeetRequirement(subject: Checkable, requirementId: string, options: CheckableOptions = {}): Result {
    if (!requirementById(requirementId)) return { pass: false, message: () => `${requirementId} is not a requirement of the catalogue` };
    const findings = complianceReport(subject, options).findings.filter((f) => f.requirementIds.includes(requirementId));
    const failing = findings.filter((f) => f.status === "fail");
    if (findings.length === 0)
      return { pass: false, message: () => `no resource of the stack is checked for ${requirementId}: nothing shows it is met` };
    return failing.length === 0
      ? { pass: true, message: () => `expected ${requirementId} not to be met, but all ${findings.length} findings pass` }
      : {
          pass: false,
          message: () =>
            `${requirementId} is not met: ${failing.length} of ${findings.length} findings fail:\n${failing.map(line).join("\n")}`,
        };
  },

  /** No finding fails (mandatory or recommended; `{ severity: "mandatory" }` ignores recommended ones). */
  toHaveNoFailingFindings(subject: Checkable, options: CheckableOptions & { severity?: "mandatory" } = {}): Result {
    const failing = complianceReport(subject, options).findings.filter(
      (f) => f.status === "fail" && (options.severity !== "mandatory" || f.severity === "mandatory"),
    );
    return failing.length === 0
      ? { pass: true, message: () => "expected failing findings, but none fail" }
      : { pass: false, message: () => `${failing.length} findings fail:\n${failing.map(line).join("\n")}` };
  },

  /** The rule passes (or is waived) on every resource it judges below the construct (a construct or its path); at least one. */
  toPassRule(subject: Checkable, ruleId: string, construct?: IConstruct | string, options: CheckableOptions = {}): Result {
    if (!ruleById(ruleId) && !options.rules?.some((r) => r.id === ruleId))
      return { pass: false, message: () => `no rule has the id '${ruleId}'` };
    const scope = typeof construct === "string" ? construct : construct?.node.path;
    const paths = scope ? constructPaths(subject) : undefined;
    const below = (f: Finding) => !scope || (paths?.get(f.resource) ?? "").split("/").slice(0, scope.split("/").length).join("/") === scope;
    const findings = complianceReport(subject, options).findings.filter((f) => f.ruleId === ruleId && below(f));
    const where = scope ? ` on ${scope}` : "";
    if (findings.length === 0) return { pass: false, message: () => `${ruleId} judges no resource${where}` };
    const failing = findings.filter((f) => f.status === "fail");
    return failing.length === 0
      ? { pass: true, message: () => `expected ${ruleId} to fail${where}, but all ${findings.length} findings pass` }
      : { pass: false, message: () => `${ruleId} fails${where}:\n${failing.map(line).join("\n")}` };
  },
};

/** Registers the matchers with Jest's global `expect` (call once, e.g. in a setupFilesAfterEnv file). */
export function setupComplianceMatchers(): void {
  (globalThis as unknown as { expect: { extend(m: object): void } }).expect.extend(complianceMatchers);
}

/**
 * A stack's JSON for `toMatchSnapshot()`, without what changes from run to
 * run or machine to machine: the cdktf version in the metadata, and local
 * paths under the working directory or the temporary folder.
 */
export function stableSnapshot(subject: Checkable): Json {
  const { json } = jsonOf(subject);
  const copy = JSON.parse(JSON.stringify(json).split(process.cwd()).join("<cwd>")) as Json;
  const meta = isObject(copy) && isObject(copy["//"]) ? copy["//"].metadata : undefined;
  if (isObject(meta) && "version" in meta) meta.version = "<cdktf version>";
  return copy;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Every finding of the rules serving the requirement passes or is waived, and there is at least one. */
      toMeetRequirement(requirementId: string, options?: CheckableOptions): R;
      /** No finding fails. */
      toHaveNoFailingFindings(options?: CheckableOptions & { severity?: "mandatory" }): R;
      /** The rule passes on every resource it judges below the construct. */
      toPassRule(ruleId: string, construct?: IConstruct | string, options?: CheckableOptions): R;
    }
  }
}
