// A team's app: the library's constructs in the team's own stack, checked inside synth, evidence written.
"use strict";
const assert = require("node:assert");
const { App, TerraformStack } = require("cdktf");
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
const { enforceCompliance, SecureBucket, PlatformKey, AccessLogBucket } = require("secure-ai-platform");

// One copy of constructs and cdktf: the library's requires resolve to the team's own.
const fromLibrary = (name) => require.resolve(name, { paths: [require.resolve("secure-ai-platform")] });
assert.strictEqual(fromLibrary("constructs"), require.resolve("constructs"));
assert.strictEqual(fromLibrary("cdktf"), require.resolve("cdktf"));

const app = new App({ outdir: "cdktf.out" });
const stack = new TerraformStack(app, "features");
new AwsProvider(stack, "aws", { region: "eu-west-1" });
const key = new PlatformKey(stack, "FeaturesKey", { purpose: "features", administrators: ["arn:aws:iam::111122223333:role/key-admin"] });
new SecureBucket(stack, "FeatureStore", { purpose: "features", key, accessLogs: new AccessLogBucket(stack, "AccessLogs") });
const aspect = enforceCompliance(app, { evidence: { title: "Feature store evidence" } });
app.synth();
process.stdout.write(
  `consumer app: ${aspect.evidence.files.length} evidence files, ${aspect.evidence.report.summary.pass} findings passed\n`,
);
