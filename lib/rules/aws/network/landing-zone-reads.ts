import { Json, TfResource } from "../../../terraform/model";
import { blocksOf } from "../../helpers";

/**
 * Landing-zone resources the module reads through data sources rather than
 * manages (PrivateNetwork.fromVpcAttributes). A fact about them counts only
 * when a lifecycle postcondition makes the plan stop where it does not hold.
 */

/** The condition a landing zone's subnet is read with: the plan stops on a subnet that maps public IPs. */
export const PRIVATE_SUBNET_CONDITION = "self.map_public_ip_on_launch == false";
/**
 * The conditions a landing zone's endpoint is read with: it exists, is available and, for an interface endpoint, answers the service's own
 * name.
 */
export const ENDPOINT_AVAILABLE_CONDITION = 'self.state == "available"';
export const ENDPOINT_PRIVATE_DNS_CONDITION = "self.private_dns_enabled == true";

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

/** The VPC id a subnet read is pinned to by its postcondition `self.vpc_id == "vpc-..."`. */
export function pinnedVpcId(subnet: TfResource): string | undefined {
  for (const condition of postconditions(subnet)) {
    const match = /^self\.vpc_id=="(vpc-[0-9a-f]+)"$/.exec(condition);
    if (match) return match[1];
  }
  return undefined;
}
