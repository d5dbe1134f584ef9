/**
 * A team's own compliance test, as it would sit in their project: the
 * feature store they added must meet the platform's requirements on its own,
 * before it joins the platform stack. It runs in this repository's npm test.
 */
import { TerraformStack, Testing } from "cdktf";
import { AccessLogBucket, PlatformKey } from "secure-ai-platform/aws";
import { setupComplianceMatchers, stableSnapshot } from "secure-ai-platform/testing";
import { FeatureStoreBucket } from "./feature-store-bucket";

setupComplianceMatchers();

function featureStack() {
  const stack = new TerraformStack(Testing.app(), "features");
  const key = new PlatformKey(stack, "DatasetsKey", { purpose: "datasets", administrators: ["arn:aws:iam::111122223333:role/key-admin"] });
  const logs = new AccessLogBucket(stack, "AccessLogs");
  const store = new FeatureStoreBucket(stack, "FeatureStore", { key, accessLogs: logs });
  return { stack, store };
}

describe("the team's feature store", () => {
  const { stack, store } = featureStack();

  it("keeps its data encrypted under the platform's key and private", () => {
    expect(stack).toMeetRequirement("AICP-DATA-01");
    expect(stack).toPassRule("aws-s3-bucket-cmk-encryption", store);
    expect(stack).toPassRule("aws-s3-bucket-public-access-block", store);
  });

  it("fails no mandatory rule", () => {
    expect(stack).toHaveNoFailingFindings({ severity: "mandatory" });
  });

  it("is what the team reviewed", () => {
    expect(stableSnapshot(stack)).toMatchSnapshot();
  });
});
