import { Json, TfResource } from "../../../terraform/model";
import { describe, resolve, valueAt } from "../../helpers";

/**
 * Whether a range admits the internet: a prefix of 0 or 1 bits, IPv4 or IPv6.
 * A /1 is half of all addresses, and two of them (0.0.0.0/1 and 128.0.0.0/1)
 * admit everyone as 0.0.0.0/0 does.
 */
export function isOpenCidr(cidr: string): boolean {
  const match = /^([0-9a-fA-F.:]+)\/(\d+)$/.exec(cidr.trim());
  return match !== null && (match[1].includes(".") || match[1].includes(":")) && Number(match[2]) <= 1;
}

export interface CidrScan {
  /** Open ranges found (`0.0.0.0/0`, `128.0.0.0/1`). */
  readonly open: string[];
  /** Expressions whose range cannot be known before apply. */
  readonly unknown: string[];
}

/**
 * The open ranges in a CIDR argument (one string or a list). A reference to
 * another resource's literal range (`${aws_vpc.main.cidr_block}`) is read
 * through, since that is how VPC-internal rules are usually written.
 */
export function scanCidrs(resource: TfResource, value: Json | undefined, into: CidrScan = { open: [], unknown: [] }): CidrScan {
  const whole = resolve(resource, value);
  if (whole.state === "absent") return into;
  if (whole.state === "known" && Array.isArray(whole.value)) {
    for (const item of whole.value) scanCidrs(resource, item, into);
    return into;
  }
  let text: Json | undefined;
  if (whole.state === "known") text = whole.value;
  else if (whole.state === "reference") {
    const target = resolve(whole.target, whole.target.body[whole.attribute]);
    if (target.state === "known") text = target.value;
  }
  if (typeof text === "string" && text.indexOf("${") < 0) {
    if (isOpenCidr(text)) into.open.push(text.trim());
  } else {
    into.unknown.push(describe(whole));
  }
  return into;
}

/** The security group a rule resource opens, for messages: its address, its literal id, or the expression. */
export function groupNamed(rule: TfResource): string {
  const group = valueAt(rule, "security_group_id");
  if (group.state === "reference") return group.target.address;
  if (group.state === "known") return String(group.value);
  return `the group ${describe(group)}`;
}

/** `tcp 22-22`, `all traffic` and the like, for messages. */
export function portsOf(resource: TfResource, block: { [key: string]: Json } | undefined, protocolKey: string): string {
  const protocol = resolve(resource, block?.[protocolKey]);
  const from = resolve(resource, block?.from_port);
  const to = resolve(resource, block?.to_port);
  const proto = protocol.state === "known" ? String(protocol.value) : "?";
  if (proto === "-1" || proto === "all") return "all traffic";
  const range =
    from.state === "known"
      ? to.state === "known" && to.value !== from.value
        ? `${from.value}-${to.value}`
        : String(from.value)
      : "all ports";
  return `${proto} ${range}`;
}
