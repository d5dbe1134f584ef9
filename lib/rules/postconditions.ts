import { Json, TfResource } from "../terraform/model";
import { blocksOf } from "./helpers";

/**
 * Lifecycle postconditions make the plan stop where a fact does not hold, so a
 * rule may count a fact about what the module only reads (a data source) when
 * a postcondition requires it. Conditions are compared whitespace removed and
 * `${...}` unwrapped, as cdktf and hcl2json write them alike.
 */
const compact = (text: string) => text.replace(/^\$\{([\s\S]*)\}$/, "$1").replace(/\s+/g, "");

/** The data source an item such as `${data.aws_subnet.private.id}` reads, when it is in the module. */
export function readDataSource(resource: TfResource, item: Json | undefined, type: string): TfResource | undefined {
  if (typeof item !== "string") return undefined;
  const match = new RegExp(`^\\$\\{\\s*(data\\.${type}\\.[\\w-]+)\\.id\\s*\\}$`).exec(item);
  return match ? resource.module.get(match[1]) : undefined;
}

/** The data source's postconditions, whitespace removed and `${...}` unwrapped. */
export function postconditions(source: TfResource): string[] {
  return blocksOf(source.body.lifecycle)
    .flatMap((l) => blocksOf(l.postcondition))
    .flatMap((c) => (typeof c.condition === "string" ? [compact(c.condition)] : []));
}

/** Whether one of the postconditions is `condition` (or, for a `== false` test, its negation). */
export function requires(source: TfResource, condition: string): boolean {
  const wanted = new Set([compact(condition)]);
  const negated = /^(self\.[\w.]+)==false$/.exec(compact(condition));
  if (negated) wanted.add(`!${negated[1]}`);
  const affirmed = /^(self\.[\w.]+)==true$/.exec(compact(condition));
  if (affirmed) wanted.add(affirmed[1]);
  return postconditions(source).some((c) => wanted.has(c));
}
