import { Testing } from "cdktf";
import { AccessLogBucket } from "../../../../constructs/aws/access-log-bucket";
import { InferenceEntry } from "../../../../constructs/aws/inference-entry";
import { PlatformKey } from "../../../../constructs/aws/platform-key";
import { SecureStack } from "../../../../lib/secure-stack";

/** The Terraform JSON of one InferenceEntry with its log bucket and key, for rules to judge. */
export function synthInferenceEntry(region = "eu-west-1"): { resource: Record<string, Record<string, Record<string, unknown>>> } {
  const stack = new SecureStack(Testing.app(), "test");
  const logsKey = new PlatformKey(stack, "LogsKey", { purpose: "logs", administrators: ["arn:aws:iam::111122223333:role/key-admin"] });
  new InferenceEntry(stack, "InferenceEntry", {
    region,
    vpcId: "vpc-0123",
    vpcCidr: "10.0.0.0/16",
    subnetIds: ["subnet-a", "subnet-b"],
    allowedCidrs: ["10.20.0.0/16"],
    certificateArn: "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d",
    clientCertificateAuthorities: { bucket: "client-ca", key: "bundle.pem" },
    accessLogs: new AccessLogBucket(stack, "AccessLogs"),
    logsKey,
  });
  return JSON.parse(Testing.synth(stack));
}
