import * as path from "node:path";
import { saip } from "../cli/run";

const REAL = path.join(__dirname, "../fixtures/terraform/real");

interface Finding { ruleId: string; resource: string; status: string; unresolved: boolean; message: string }

async function checkFolder(folder: string): Promise<{ code: number; findings: Finding[] }> {
  const run = await saip("check", path.join(REAL, folder), "--format", "json");
  return { code: run.code, findings: JSON.parse(run.stdout).findings };
}

/** Examples of terraform-aws-modules, each calling its root module with `source = "../../"` (see the fixtures' README). */
describe("real modules: terraform-aws-modules examples", () => {
  it("s3-bucket complete: judges the buckets inside both module calls, with few unresolved findings", async () => {
    const { code, findings } = await checkFolder("s3-bucket/examples/complete");
    expect(code).toBe(1);
    const inModule = findings.filter((f) => f.resource.startsWith("module."));
    expect(new Set(inModule.map((f) => f.resource.split(".aws_")[0]))).toEqual(new Set(["module.log_bucket", "module.s3_bucket"]));
    // The target is at most 20% unresolved over these examples; this one has none.
    expect(findings.filter((f) => f.unresolved).map((f) => `${f.ruleId} ${f.resource}`)).toEqual([]);
    const verdict = (rule: string, resource: string) => findings.find((f) => f.ruleId === rule && f.resource === resource);
    // The bucket policy merges the module's TLS documents (source_policy_documents) with the caller's own.
    expect(verdict("aws-s3-bucket-tls-only", "module.s3_bucket.aws_s3_bucket.this[0]")).toMatchObject({ status: "pass", message: expect.stringMatching(/"denyInsecureTransport" denies every request made without TLS/) });
    expect(verdict("aws-s3-bucket-policy-no-public-allow", "module.s3_bucket.aws_s3_bucket_policy.this[0]")).toMatchObject({ status: "pass" });
    // The public access block names the bucket through the policy's id, which is the bucket's name.
    expect(verdict("aws-s3-bucket-public-access-block", "module.s3_bucket.aws_s3_bucket.this[0]")).toMatchObject({ status: "pass" });
    expect(verdict("aws-s3-bucket-public-access-block", "module.log_bucket.aws_s3_bucket_public_access_block.this[0]")).toMatchObject({ status: "fail" });
    expect(verdict("aws-s3-bucket-cmk-encryption", "module.s3_bucket.aws_s3_bucket.this[0]")).toMatchObject({ status: "pass", message: expect.stringMatching(/aws_kms_key\.objects/) });
    expect(verdict("aws-s3-bucket-versioning", "module.log_bucket.aws_s3_bucket.this[0]")).toMatchObject({ status: "fail" });
  });
});
