// Every public entry resolves with its types, under node16, nodenext and bundler resolution.
import { App } from "cdktf";
import { definePlatform, PlatformStack, PlatformConfigInput, enforceCompliance, SecureBucket } from "secure-ai-platform";
import {
  AccessLogBucket,
  AuditTrail,
  granteeFromRoleArn,
  PlatformKey,
  PodIdentityRole,
  PrivateNetwork,
  instanceCapabilities,
} from "secure-ai-platform/aws";
import type { Grant, IAccessLogBucket, IAuditTrail, IPlatformKey, IPrivateNetwork, ISecureBucket } from "secure-ai-platform/aws";
import { TenantNamespace } from "secure-ai-platform/kubernetes";
import { buildPlatform, loadConfigFile, DEFAULT_CONFIG } from "secure-ai-platform/stacks";
import { check, Report } from "secure-ai-platform/compliance";
import { complianceMatchers, stableSnapshot } from "secure-ai-platform/testing";

// A literal is a config: the stack applies the defaults.
const literal: PlatformConfigInput = DEFAULT_CONFIG;
export const config = definePlatform(literal);
export function build(app: App): PlatformStack {
  return new PlatformStack(app, "platform", { ...DEFAULT_CONFIG, name: "team-ml" });
}
export const used = [
  enforceCompliance,
  SecureBucket,
  PodIdentityRole,
  instanceCapabilities,
  TenantNamespace,
  buildPlatform,
  loadConfigFile,
  check,
  complianceMatchers,
  stableSnapshot,
];
export type Reported = Report;
// What a landing zone has, imported by ARN or id, in the props' interface types; grants return what they made.
export function landingZone(platform: PlatformStack): {
  key: IPlatformKey;
  grant: Grant;
  bucket: ISecureBucket;
  logs: IAccessLogBucket;
  trail: IAuditTrail;
  network: IPrivateNetwork;
} {
  const key = PlatformKey.fromKeyArn(platform, "LzKey", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  const logs = AccessLogBucket.fromBucketName(platform, "LzLogs", "lz-log-archive-111122223333");
  const bucket = new SecureBucket(platform, "LzStore", { purpose: "features", key, accessLogs: logs });
  const grant = bucket.grantRead(granteeFromRoleArn("arn:aws:iam::111122223333:role/reader"));
  const trail = AuditTrail.fromTrailArn(platform, "LzTrail", "arn:aws:cloudtrail:eu-west-1:111122223333:trail/org");
  return { key, grant, bucket, logs, trail, network: platform.network };
}
export const imports = [PrivateNetwork.fromVpcAttributes];
