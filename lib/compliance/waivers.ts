import { promises as fs } from "node:fs";
import type { z } from "zod";
import { InputError } from "../terraform/load";
import { isObject, TfResource } from "../terraform/model";

export const MIN_REASON_LENGTH = 20;

function schemasWith(zod: typeof z) {
  const fields = {
    rule: zod.string().min(1, "must name a rule id"),
    reason: zod.string().trim().min(MIN_REASON_LENGTH, `must explain the waiver in at least ${MIN_REASON_LENGTH} characters`),
    owner: zod.string().trim().min(1, "must name who owns the waiver"),
    expires: zod
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
      .refine(
        (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
        "is not a real date",
      ),
  };
  return {
    /** A waiver as written in a waivers file. */
    waiverFileEntry: zod.strictObject({ ...fields, resource: zod.string().min(1, "must name a resource address or glob") }),
    /** A waiver as it travels inside synthesized JSON, on the resource it waives. */
    embeddedWaiver: zod.strictObject({ ...fields, construct: zod.string().optional() }),
  };
}

let schemas: ReturnType<typeof schemasWith> | undefined;

/**
 * The waiver schemas, built on first use: loading zod is a fifth of `saip check`'s start-up, and a check
 * with no waivers file and no waivers in code never needs it.
 */
export function waiverSchemas(): ReturnType<typeof schemasWith> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  schemas ??= schemasWith((require("zod") as typeof import("zod")).z);
  return schemas;
}

export type WaiverFields = z.infer<ReturnType<typeof schemasWith>["embeddedWaiver"]>;

/** A waiver and where it came from. `resource` is an address or a glob over addresses. */
export interface Waiver {
  readonly rule: string;
  readonly resource: string;
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
  /** The waivers file, or the source of the synthesized JSON for waivers made in code. */
  readonly origin: string;
}

/** True once the expiry day has passed (a waiver holds through its expiry date, in UTC). */
export function isExpired(waiver: Pick<Waiver, "expires">, now: Date): boolean {
  return now.getTime() >= Date.parse(`${waiver.expires}T00:00:00Z`) + 24 * 3600 * 1000;
}

const globCache = new Map<string, RegExp>();
/** Exact address, or a glob where `*` matches any run of characters and `?` one character. */
export function matchesResource(pattern: string, address: string): boolean {
  // Stryker disable next-line ConditionalExpression,StringLiteral: a literal address's glob (dots escaped) matches it alone too
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern === address;
  let regex = globCache.get(pattern);
  // Stryker disable next-line ConditionalExpression: without the cache the same expression is compiled again
  if (!regex) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    regex = new RegExp(`^${source}$`);
    globCache.set(pattern, regex);
  }
  return regex.test(address);
}

function formatIssues(where: string, error: z.ZodError): string {
  return error.issues.map((issue) => `${where}${issue.path.length ? "." + issue.path.join(".") : ""}: ${issue.message}`).join("; ");
}

/** Reads a waivers file (YAML or JSON): a list of waivers, or `{ waivers: [...] }`. */
export async function loadWaiverFile(file: string): Promise<Waiver[]> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    throw new InputError(`${file}: cannot read waivers: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  // Loaded here: a check with no waivers file (and every test of one rule) need not load a YAML parser.
  const { parse: parseYaml } = await import("yaml");
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: false });
  } catch (error) {
    throw new InputError(`${file}: malformed waivers file: ${(error as Error).message.split("\n")[0]}`);
  }
  const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.waivers) ? doc.waivers : undefined;
  if (!list) throw new InputError(`${file}: a waivers file must be a list of waivers or an object with a 'waivers' list.`);
  const problems: string[] = [];
  const waivers: Waiver[] = [];
  list.forEach((entry, index) => {
    const parsed = waiverSchemas().waiverFileEntry.safeParse(entry);
    if (parsed.success) waivers.push({ ...parsed.data, origin: file });
    else problems.push(formatIssues(`waivers[${index}]`, parsed.error));
  });
  if (problems.length > 0) throw new InputError(`${file}: ${problems.join("; ")}`);
  return waivers;
}

/** The construct paths `Waivers.of(construct)` recorded beside each embedded waiver, in the same order. */
export function embeddedWaiverConstructs(resource: TfResource): Array<string | undefined> {
  const meta = resource.body["//"];
  const list = isObject(meta) && Array.isArray(meta.saip_waivers) ? meta.saip_waivers : [];
  return list.map((entry) => (isObject(entry) && typeof entry.construct === "string" ? entry.construct : undefined));
}

/** Waivers a construct-level API wrote into a resource's `//` metadata. */
export function embeddedWaivers(resource: TfResource): Waiver[] {
  const meta = resource.body["//"];
  const list = isObject(meta) ? meta.saip_waivers : undefined;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new InputError(`${resource.source}: ${resource.address}: '//.saip_waivers' must be a list.`);
  return list.map((entry, index) => {
    const parsed = waiverSchemas().embeddedWaiver.safeParse(entry);
    if (!parsed.success)
      throw new InputError(`${resource.source}: ${formatIssues(`${resource.address} saip_waivers[${index}]`, parsed.error)}`);
    const { construct: _construct, ...rest } = parsed.data;
    return { ...rest, resource: resource.address, origin: resource.source };
  });
}
