// The team's own Jest test, with the library's matchers.
/* global test, expect */
"use strict";
const { Testing, TerraformStack } = require("cdktf");
const { S3Bucket } = require("@cdktf/provider-aws/lib/s3-bucket");
const { SecureBucket, PlatformKey, AccessLogBucket } = require("secure-ai-platform/aws");
const { setupComplianceMatchers } = require("secure-ai-platform/testing");

setupComplianceMatchers();

test("the feature store meets the data-at-rest requirement; a bare bucket does not", () => {
  const app = Testing.app();
  const stack = new TerraformStack(app, "features");
  const key = new PlatformKey(stack, "FeaturesKey", { purpose: "features", administrators: ["arn:aws:iam::111122223333:role/key-admin"] });
  const store = new SecureBucket(stack, "FeatureStore", { purpose: "features", key, accessLogs: new AccessLogBucket(stack, "AccessLogs") });
  expect(stack).toMeetRequirement("AICP-DATA-01");
  expect(stack).toPassRule("aws-s3-bucket-cmk-encryption", store);
  const bare = new TerraformStack(app, "bare");
  new S3Bucket(bare, "Raw", { bucketPrefix: "raw" });
  expect(bare).not.toMeetRequirement("AICP-DATA-01");
});
