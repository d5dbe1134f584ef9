import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadWaiverFile, matchesResource, MIN_REASON_LENGTH } from "../../lib/compliance/waivers";

const dir = mkdtempSync(path.join(tmpdir(), "waiver-fields-"));
const GOOD = {
  rule: "aws-kms-key-rotation",
  resource: "aws_kms_key.legacy",
  reason: "Imported key material from the HSM; rotated by hand each quarter",
  owner: "crypto-team",
  expires: "2030-06-30",
};
let n = 0;
/** Loads a waivers file holding one entry: GOOD with `change` applied. */
function load(change: Record<string, unknown>) {
  const file = path.join(dir, `w${++n}.json`);
  writeFileSync(file, JSON.stringify([{ ...GOOD, ...change }]));
  return { file, result: loadWaiverFile(file) };
}

describe("waiver fields", () => {
  it("takes a complete entry as written", async () => {
    const { file, result } = load({ resource: "ab" });
    await expect(result).resolves.toEqual([{ ...GOOD, resource: "ab", origin: file }]);
  });

  it.each([
    [{ rule: "" }, "waivers[0].rule: must name a rule id"],
    [{ resource: "" }, "waivers[0].resource: must name a resource address or glob"],
    [{ resource: undefined }, "waivers[0].resource:"],
    // Padding does not count: a reason must say something in its own words.
    [
      { reason: `  ${"x".repeat(MIN_REASON_LENGTH - 1)}  ` },
      `waivers[0].reason: must explain the waiver in at least ${MIN_REASON_LENGTH} characters`,
    ],
    [{ reason: " ".repeat(40) }, `waivers[0].reason: must explain the waiver in at least ${MIN_REASON_LENGTH} characters`],
    [{ owner: "   " }, "waivers[0].owner: must name who owns the waiver"],
    [{ expires: "x2030-06-30" }, "waivers[0].expires: must be a date as YYYY-MM-DD"],
    [{ expires: "2030-06-30x" }, "waivers[0].expires: must be a date as YYYY-MM-DD"],
    [{ expires: "2030-02-30" }, "waivers[0].expires: is not a real date"],
  ])("refuses %j, naming the field", async (change, message) => {
    const { file, result } = load(change);
    await expect(result).rejects.toThrow(`${file}: ${message}`);
  });

  it("takes a reason of exactly the shortest length, after trimming", async () => {
    const reason = "y".repeat(MIN_REASON_LENGTH);
    await expect(load({ reason: `  ${reason} ` }).result).resolves.toEqual([expect.objectContaining({ reason })]);
  });
});

describe("matchesResource", () => {
  it("matches an address without wildcards only exactly, dots included", () => {
    expect(matchesResource("aws_s3_bucket.a", "aws_s3_bucket.a")).toBe(true);
    expect(matchesResource("aws_s3_bucket.a", "aws_s3_bucketXa")).toBe(false);
    expect(matchesResource("aws_s3_bucket.a", "aws_s3_bucket.ab")).toBe(false);
  });
});
