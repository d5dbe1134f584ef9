// Every public entry resolves with its types, under node16, nodenext and bundler resolution.
import { App } from "cdktf";
import { definePlatform, PlatformStack, PlatformConfigInput, enforceCompliance, SecureBucket } from "secure-ai-platform";
import { PodIdentityRole, instanceCapabilities } from "secure-ai-platform/aws";
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
export const used = [enforceCompliance, SecureBucket, PodIdentityRole, instanceCapabilities, TenantNamespace, buildPlatform, loadConfigFile, check, complianceMatchers, stableSnapshot];
export type Reported = Report;
