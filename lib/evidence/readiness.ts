import { isObject, Json } from "../terraform/model";
import { EvidenceRecord, ReadinessBlocker } from "./record";

type Kind = ReadinessBlocker["kind"];

/** A value that stands in for one only the deploying team knows. */
export interface Placeholder {
  readonly kind: Kind;
  /** The exact value, or a pattern for a family of values. */
  readonly match: string | RegExp;
  readonly why: string;
}

/**
 * Placeholders any config may carry: the account ids AWS documentation uses
 * in its examples (111122223333, 123456789012, 444455556666, 777788889999),
 * ACM's example certificate id, and RFC 2606's example domains (mail to them
 * reaches no one, so SNS subscriptions are never confirmed).
 */
export const COMMON_PLACEHOLDERS: readonly Placeholder[] = [
  {
    kind: "documentation account",
    match: /(?<!\d)(111122223333|123456789012|444455556666|777788889999)(?!\d)/,
    why: "an account id from AWS's documentation: principals and registries in it are not yours, so policies name no one who exists and images cannot be pulled",
  },
  {
    kind: "example certificate",
    match: /arn:aws[a-z-]*:acm:[a-z0-9-]*:\d*:certificate\/0{8}-0{4}-[0-9a-f]{4}-[0-9a-f]{4}-0{12}/,
    why: "an example ACM certificate ARN: the load balancer listener cannot be created with a certificate that does not exist",
  },
  {
    kind: "example address",
    match: /[\w.+-]+@(?:[a-z0-9-]+\.)*example\.(?:com|net|org)\b/i,
    why: "an address in a domain reserved for examples (RFC 2606): the subscription is never confirmed, so alerts reach no one",
  },
];

function matches(p: Placeholder, text: string): string | undefined {
  if (typeof p.match === "string") return text.includes(p.match) ? p.match : undefined;
  return p.match.exec(text)?.[0];
}

/** Every string leaf of a JSON value with its path (`nodePools[2].name`). */
function* leaves(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === "string") yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* leaves(v, `${path}[${i}]`);
  else if (isObject(value as Json)) for (const [k, v] of Object.entries(value as object)) yield* leaves(v, path ? `${path}.${k}` : k);
}

/**
 * Deployment readiness: each placeholder found, with the config fields and the
 * synthesized resources that hold it. The design can meet every requirement
 * and still not be deployable: a placeholder blocks deployment until replaced.
 */
export function readiness(
  placeholders: readonly Placeholder[],
  config: unknown,
  stacks: ReadonlyArray<{ readonly module: string; readonly doc: Json }>,
): EvidenceRecord["readiness"] {
  const found = new Map<string, ReadinessBlocker & { fields: string[]; resources: string[] }>();
  const note = (p: Placeholder, value: string, where: "fields" | "resources", at: string) => {
    const key = `${p.kind}\u0000${value}`;
    const entry = found.get(key) ?? { kind: p.kind, value, why: p.why, fields: [], resources: [] };
    if (!entry[where].includes(at)) entry[where].push(at);
    found.set(key, entry);
  };
  for (const [field, text] of config === undefined ? [] : leaves(config, "")) {
    for (const p of placeholders) {
      const value = matches(p, text);
      if (value) note(p, value, "fields", field);
    }
  }
  for (const { module, doc } of stacks) {
    for (const section of ["resource", "data"] as const) {
      const byType = isObject(doc) ? doc[section] : undefined;
      if (!isObject(byType)) continue;
      for (const [type, byName] of Object.entries(byType)) {
        if (!isObject(byName)) continue;
        for (const [name, body] of Object.entries(byName)) {
          const address = section === "data" ? `data.${type}.${name}` : `${type}.${name}`;
          const text = JSON.stringify(body);
          for (const p of placeholders) {
            const value = matches(p, text);
            if (value) note(p, value, "resources", `${module}: ${address}`);
          }
        }
      }
    }
  }
  const blockers = [...found.values()];
  const why =
    blockers.length === 0
      ? "no placeholder found in the config or the stacks"
      : `${blockers.length} placeholder value${blockers.length === 1 ? "" : "s"} must be replaced before deploying: ${[...new Set(blockers.map((b) => b.kind))].join(", ")}`;
  return { deployable: blockers.length === 0, why, blockers };
}
