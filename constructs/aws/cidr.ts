/** IPv4 CIDR arithmetic for carving subnets out of a VPC range; pure, so it is tested on its own. */

export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number. */
  readonly network: number;
  readonly prefixLength: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; throws when the text is not a CIDR block or has host bits set. */
export function parseCidr(cidr: string): Ipv4Cidr {
  const match = CIDR.exec(cidr);
  if (!match) throw new Error(`'${cidr}' is not an IPv4 CIDR block such as 10.0.0.0/16.`);
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255) || prefixLength > 32) {
    throw new Error(`'${cidr}' is not an IPv4 CIDR block: octets run to 255 and prefixes to 32.`);
  }
  // Multiplication rather than bit shifts: JavaScript's bitwise operators are signed 32-bit.
  const network = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (network % blockSize(prefixLength) !== 0) {
    throw new Error(
      `'${cidr}' has host bits set; the block starts at ${formatCidr({ network: network - (network % blockSize(prefixLength)), prefixLength })}.`,
    );
  }
  return { network, prefixLength };
}

export function formatCidr(cidr: Ipv4Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.network / 2 ** shift) % 256);
  return `${octets.join(".")}/${cidr.prefixLength}`;
}

/** How many blocks of `prefixLength` fit in `cidr`. */
export function subnetCapacity(cidr: string, prefixLength: number): number {
  const parent = parseCidr(cidr);
  return prefixLength < parent.prefixLength ? 0 : 2 ** (prefixLength - parent.prefixLength);
}

/** The first `count` consecutive blocks of `/prefixLength` inside `cidr`, in address order. */
export function splitCidr(cidr: string, count: number, prefixLength: number): string[] {
  const parent = parseCidr(cidr);
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`The number of subnets must be a whole number of at least 1, got ${count}.`);
  }
  if (!Number.isInteger(prefixLength) || prefixLength < parent.prefixLength || prefixLength > 32) {
    throw new Error(`A subnet prefix length for ${cidr} must be a whole number from ${parent.prefixLength} to 32, got ${prefixLength}.`);
  }
  const capacity = 2 ** (prefixLength - parent.prefixLength);
  if (count > capacity) {
    throw new Error(`${cidr} holds ${capacity} subnets of /${prefixLength}, not ${count}.`);
  }
  const size = blockSize(prefixLength);
  return Array.from({ length: count }, (_, i) => formatCidr({ network: parent.network + i * size, prefixLength }));
}

function blockSize(prefixLength: number): number {
  return 2 ** (32 - prefixLength);
}

/** Whether two IPv4 CIDR blocks share any address; false when either is not a valid block. */
export function overlaps(a: string, b: string): boolean {
  try {
    const [x, y] = [parseCidr(a), parseCidr(b)];
    const size = (c: Ipv4Cidr) => 2 ** (32 - c.prefixLength);
    return x.network < y.network + size(y) && y.network < x.network + size(x);
  } catch {
    return false;
  }
}
