import fc from "fast-check";
import { formatCidr, parseCidr, splitCidr, subnetCapacity } from "../../../constructs/aws/cidr";

describe("parseCidr", () => {
  it("reads the network address and prefix", () => {
    expect(parseCidr("10.0.0.0/16")).toEqual({ network: 10 * 2 ** 24, prefixLength: 16 });
    expect(parseCidr("255.255.255.255/32")).toEqual({ network: 2 ** 32 - 1, prefixLength: 32 });
  });

  it.each([
    ["10.0.0.0", /not an IPv4 CIDR block such as/],
    ["10.0.0/16", /not an IPv4 CIDR block such as/],
    ["10.0.0.256/24", /octets run to 255/],
    ["10.0.0.0/33", /prefixes to 32/],
    [" 10.0.0.0/16", /not an IPv4 CIDR block/],
    ["10.0.1.0/16", /'10.0.1.0\/16' has host bits set; the block starts at 10.0.0.0\/16/],
  ])("rejects %p", (text, message) => {
    expect(() => parseCidr(text)).toThrow(message);
  });
});

describe("splitCidr", () => {
  it("carves consecutive equal blocks from the start of the range", () => {
    expect(splitCidr("10.0.0.0/16", 3, 20)).toEqual(["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]);
    expect(splitCidr("192.168.4.0/24", 2, 26)).toEqual(["192.168.4.0/26", "192.168.4.64/26"]);
  });

  it("handles addresses above 128.0.0.0 without sign errors", () => {
    expect(splitCidr("172.31.0.0/16", 2, 17)).toEqual(["172.31.0.0/17", "172.31.128.0/17"]);
    expect(splitCidr("240.0.0.0/4", 2, 5)).toEqual(["240.0.0.0/5", "248.0.0.0/5"]);
  });

  it("can fill the range exactly", () => {
    expect(splitCidr("10.0.0.0/24", 4, 26)).toHaveLength(4);
  });

  it.each([
    [["10.0.0.0/16", 17, 20] as const, /10.0.0.0\/16 holds 16 subnets of \/20, not 17/],
    [["10.0.0.0/16", 2, 15] as const, /prefix length for 10.0.0.0\/16 must be a whole number from 16 to 32, got 15/],
    [["10.0.0.0/16", 2, 20.5] as const, /got 20.5/],
    [["10.0.0.0/16", 0, 20] as const, /at least 1, got 0/],
    [["10.0.0.1/16", 2, 20] as const, /host bits set/],
  ])("rejects %p", ([cidr, count, prefix], message) => {
    expect(() => splitCidr(cidr, count, prefix)).toThrow(message);
  });

  it("gives blocks that are aligned, disjoint and inside the parent", () => {
    const arb = fc.record({ base: fc.integer({ min: 8, max: 28 }), extra: fc.integer({ min: 0, max: 4 }), seed: fc.nat() });
    fc.assert(
      fc.property(arb, ({ base, extra, seed }) => {
        const size = 2 ** (32 - base);
        const parent = formatCidr({ network: (seed % 2 ** base) * size, prefixLength: base });
        const prefix = base + extra;
        const count = subnetCapacity(parent, prefix);
        const blocks = splitCidr(parent, count, prefix).map(parseCidr);
        const start = parseCidr(parent).network;
        blocks.forEach((b, i) => {
          expect(b.network).toBe(start + i * 2 ** (32 - prefix));
          expect(b.network + 2 ** (32 - prefix)).toBeLessThanOrEqual(start + size);
        });
      }),
    );
  });
});

describe("subnetCapacity", () => {
  it("counts the blocks that fit, and none when the block is larger than the range", () => {
    expect(subnetCapacity("10.0.0.0/16", 20)).toBe(16);
    expect(subnetCapacity("10.0.0.0/16", 15)).toBe(0);
  });
});
