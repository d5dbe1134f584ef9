import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Testing } from "cdktf";
import { AccessLogBucket } from "../../constructs/aws/access-log-bucket";
import { PlatformKey } from "../../constructs/aws/platform-key";
import { SecureBucket } from "../../constructs/aws/secure-bucket";
import { Waivers } from "../../lib/compliance/construct-waivers";
import { SecureStack } from "../../lib/secure-stack";
import { complianceReport, setupComplianceMatchers, stableSnapshot } from "../../testing";

setupComplianceMatchers();

/** A team's stack: a bucket built with SecureBucket, and one made by hand without encryption. */
function teamStacks() {
  const app = Testing.app();
  const good = new SecureStack(app, "good");
  const key = new PlatformKey(good, "DatasetsKey", { purpose: "datasets", administrators: ["arn:aws:iam::111122223333:role/key-admin"] });
  const bucket = new SecureBucket(good, "DatasetsBucket", {
    purpose: "datasets",
    key,
    accessLogs: new AccessLogBucket(good, "AccessLogs"),
  });
  const bad = new SecureStack(app, "bad");
  const raw = new S3Bucket(bad, "RawBucket", { bucket: "team-raw-data" });
  return { good, bad, bucket, raw };
}

const { good, bad, bucket, raw } = teamStacks();
const failure = (assertion: () => void): string => {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the assertion passed");
};

describe("compliance matchers", () => {
  it("toMeetRequirement passes on a SecureBucket and fails, naming the finding, on a bare bucket", () => {
    expect(good).toMeetRequirement("AICP-DATA-01");
    expect(bad).not.toMeetRequirement("AICP-DATA-01");
    expect(failure(() => expect(bad).toMeetRequirement("AICP-DATA-01"))).toMatch(
      /AICP-DATA-01 is not met: \d+ of \d+ findings fail:\n.*\[aws-s3-bucket-cmk-encryption\] aws_s3_bucket\.raw_bucket/,
    );
    expect(failure(() => expect(good).toMeetRequirement("AICP-NOPE-99"))).toMatch(/AICP-NOPE-99 is not a requirement of the catalogue/);
  });

  it("toHaveNoFailingFindings lists what fails", () => {
    expect(failure(() => expect(bad).toHaveNoFailingFindings())).toMatch(/findings fail:\n.*aws_s3_bucket\.raw_bucket/);
    expect(bad).not.toHaveNoFailingFindings();
  });

  it("toPassRule judges one rule on one construct", () => {
    expect(good).toPassRule("aws-s3-bucket-cmk-encryption", bucket);
    expect(bad).not.toPassRule("aws-s3-bucket-cmk-encryption", raw);
    expect(failure(() => expect(bad).toPassRule("aws-s3-bucket-cmk-encryption", raw))).toMatch(
      /aws-s3-bucket-cmk-encryption fails on bad\/RawBucket:\n.*raw_bucket/,
    );
    expect(failure(() => expect(good).toPassRule("aws-s3-bucket-cmk-encryption", "good/Nothing"))).toMatch(
      /judges no resource on good\/Nothing/,
    );
    expect(failure(() => expect(good).toPassRule("aws-s3-bucket-kms-typo"))).toMatch(/no rule has the id 'aws-s3-bucket-kms-typo'/);
  });

  it("accepts synthesized JSON as well as a stack", () => {
    expect(Testing.synth(good)).toMeetRequirement("AICP-DATA-01");
  });

  it("stableSnapshot leaves out the cdktf version", () => {
    const snapshot = stableSnapshot(good) as { "//": { metadata: { version: string } } };
    expect(snapshot["//"].metadata.version).toBe("<cdktf version>");
  });
});

describe("waivers that cannot be wrong silently", () => {
  it("a waiver in code for a rule that does not exist is an error naming the construct", () => {
    const app = Testing.app();
    const stack = new SecureStack(app, "typo");
    new S3Bucket(stack, "A", { bucket: "a-bucket" });
    new S3Bucket(stack, "B", { bucket: "b-bucket" });
    Waivers.of(stack).add({
      rule: "aws-s3-bucket-cmk-encryptoin",
      reason: "A reason long enough to be accepted",
      owner: "data-team",
      expires: "2099-01-01",
    });
    // One line however many resources carry the waiver.
    expect(() => complianceReport(stack)).toThrow(
      /^typo\/cdk\.tf\.json: the waiver for aws-s3-bucket-cmk-encryptoin on construct typo: no rule has the id 'aws-s3-bucket-cmk-encryptoin' \(did you mean 'aws-s3-bucket-cmk-encryption'\?\)$/,
    );
  });

  it("a waiver for an unwaivable rule is an error, not a matched waiver", () => {
    const app = Testing.app();
    const stack = new SecureStack(app, "unwaivable");
    new S3Bucket(stack, "A", { bucket: "a-bucket" });
    Waivers.of(stack).add({
      rule: "aws-eks-private-endpoint",
      reason: "A reason long enough to be accepted",
      owner: "ops",
      expires: "2099-01-01",
    });
    expect(() => complianceReport(stack)).toThrow(
      /the waiver for aws-eks-private-endpoint on construct unwaivable: rule aws-eks-private-endpoint cannot be waived/,
    );
  });
});
