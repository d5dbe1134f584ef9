import type { z } from "zod";
import { InputError } from "../terraform/load";
import { isObject, TfModule } from "../terraform/model";

/**
 * What a stack relies on but the check cannot see: a resource brought in by
 * ARN or id (a landing zone's VPC, key or trail) is judged by nothing here,
 * so what it must provide is stated, reported beside the findings like a
 * waiver, and never counted as passing.
 */
function schemaWith(zod: typeof z): z.ZodType<Assumption> {
  return zod.strictObject({
    /** What was brought in, e.g. "existing VPC vpc-0abc". */
    subject: zod.string().trim().min(1, "must name what was brought in"),
    /** What it is assumed to provide, e.g. "flow logs, endpoints and routing". */
    assumed: zod.string().trim().min(10, "must say what is assumed in at least 10 characters"),
    /** The construct that brought it in. */
    construct: zod.string().optional(),
  });
}

let schema: ReturnType<typeof schemaWith> | undefined;

/**
 * The schema of one assumption, built on first use: loading zod is a third of `saip check`'s start-up,
 * and a stack that records no assumptions never needs it (the JUnit and text reports load this file too).
 */
export function assumptionEntry(): ReturnType<typeof schemaWith> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  schema ??= schemaWith((require("zod") as typeof import("zod")).z);
  return schema;
}

/** One assumption: what was brought in, what it is assumed to provide, and the construct that brought it in. */
export interface Assumption {
  /** What was brought in, e.g. "existing VPC vpc-0abc". */
  subject: string;
  /** What it is assumed to provide, e.g. "flow logs, endpoints and routing". */
  assumed: string;
  /** The construct that brought it in. */
  construct?: string;
}

/** An assumption as reports list it: with the module (stack) that made it. */
export interface AssumptionRecord extends Assumption {
  readonly module: string;
}

/** The assumptions a module's JSON carries; malformed ones are bad input, not ignored. */
export function moduleAssumptions(module: TfModule): AssumptionRecord[] {
  const meta = module.terraform["//"];
  const list = isObject(meta) ? meta.saip_assumptions : undefined;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new InputError(`${module.id}: terraform '//.saip_assumptions' must be a list.`);
  return list.map((entry, index) => {
    const parsed = assumptionEntry().safeParse(entry);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "entry"} ${i.message}`).join("; ");
      throw new InputError(`${module.id}: terraform '//.saip_assumptions[${index}]': ${problems}`);
    }
    return { ...parsed.data, module: module.id };
  });
}

/** One line per assumption, the same words in every format. */
export function describeAssumption(a: AssumptionRecord): string {
  return `${a.subject}: ${a.assumed} (assumed, not checked; module ${a.module}${a.construct ? `, from ${a.construct}` : ""})`;
}
