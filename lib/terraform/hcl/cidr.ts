import { EvalError } from "./value";

/** IPv4 CIDR arithmetic for cidrsubnet, cidrhost and cidrnetmask (IPv6 prefixes are not evaluated). */
function parse(prefix: string): { base: number; bits: number } {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(prefix.trim());
  if (!m) throw new EvalError(`${JSON.stringify(prefix)} is not an IPv4 CIDR prefix`);
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) throw new EvalError(`${JSON.stringify(prefix)} is not an IPv4 CIDR prefix`);
  const address = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (address & mask) >>> 0, bits };
}

const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

export function cidrSubnet(prefix: string, newbits: number, netnum: number): string {
  const { base, bits } = parse(prefix);
  const total = bits + newbits;
  if (!Number.isInteger(newbits) || newbits < 0 || total > 32) throw new EvalError(`cidrsubnet: cannot extend /${bits} by ${newbits} bits`);
  if (!Number.isInteger(netnum) || netnum < 0 || netnum >= 2 ** newbits)
    throw new EvalError(`cidrsubnet: ${netnum} does not fit in ${newbits} bits`);
  return `${dotted(base + netnum * 2 ** (32 - total))}/${total}`;
}

export function cidrHost(prefix: string, hostnum: number): string {
  const { base, bits } = parse(prefix);
  const size = 2 ** (32 - bits);
  const n = hostnum < 0 ? size + hostnum : hostnum;
  if (!Number.isInteger(n) || n < 0 || n >= size) throw new EvalError(`cidrhost: ${hostnum} is outside ${prefix}`);
  return dotted(base + n);
}

export function cidrNetmask(prefix: string): string {
  const { bits } = parse(prefix);
  return dotted(bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);
}
