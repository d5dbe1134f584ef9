import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { DATA_BUCKETS, NETWORK_EGRESS, PUBLISHED_BUCKETS, TRAINING_FILE_SYSTEM_KINDS } from "../../constructs/aws/choices";
import { ALERT_PROTOCOLS } from "../../constructs/aws/alert-subscription";
import { NODE_ADDONS, WORKLOAD_ADDONS } from "../../constructs/aws/eks-addons";
import { CAPACITY_TYPES, CONFIDENTIAL_MODES, NODE_POOL_PURPOSES, TAINT_EFFECTS } from "../../constructs/aws/node-pool-props";
import { AMI_FAMILIES } from "../../constructs/aws/instance-types";
import { FINDING_STATUSES } from "../../lib/compliance/finding";
import { OUTCOME_STATUSES, SEVERITIES } from "../../lib/compliance/rule";

const ROOT = path.resolve(__dirname, "../..");

/**
 * Each list of allowed values is written once, as an `as const` array that the
 * config schema, the props' types and the checks derive from. Written out again
 * (as an array or a union type), the copies drift: a value added to one is
 * refused by another. This finds a list spelt out anywhere else in the sources.
 */
const LISTS: Record<string, readonly string[]> = {
  NODE_POOL_PURPOSES,
  CONFIDENTIAL_MODES,
  CAPACITY_TYPES,
  TAINT_EFFECTS,
  ALERT_PROTOCOLS,
  NETWORK_EGRESS,
  TRAINING_FILE_SYSTEM_KINDS,
  DATA_BUCKETS,
  PUBLISHED_BUCKETS,
  NODE_ADDONS,
  WORKLOAD_ADDONS,
  SEVERITIES,
  FINDING_STATUSES,
  OUTCOME_STATUSES,
  AMI_FAMILIES,
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The list written as an array (`"a", "b"`) or a union (`"a" | "b"`), in its order. */
export function spellings(values: readonly string[]): RegExp {
  const quoted = values.map((v) => `["']${escape(v)}["']`);
  return new RegExp(`${quoted.join("\\s*,\\s*")}|${quoted.join("\\s*\\|\\s*")}`, "g");
}

function sources(): string[] {
  return ["lib", "constructs", "stacks"].flatMap((dir) =>
    (readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]).filter((f) => f.endsWith(".ts")).map((f) => path.join(dir, f)),
  );
}

describe("lists of allowed values", () => {
  const texts = sources().map((file) => ({ file, text: readFileSync(path.join(ROOT, file), "utf8") }));

  it.each(Object.entries(LISTS))("%s is written out once, where it is declared", (_name, values) => {
    const pattern = spellings(values);
    const places = texts.flatMap(({ file, text }) => (text.match(pattern) ?? []).map(() => file));
    expect(places).toHaveLength(1);
  });

  it("finds a copy as an array or a union type", () => {
    const pattern = spellings(["none", "nat"]);
    expect(`z.enum(["none", "nat"])`.match(pattern)).toHaveLength(1);
    expect(`egress?: "none" | "nat";`.match(pattern)).toHaveLength(1);
    expect(`z.enum(NETWORK_EGRESS)`.match(pattern)).toBeNull();
  });
});
