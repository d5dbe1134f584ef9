// `secure-ai-platform/stacks`: the stacks a team deploys, the config they take, and the main job.
export { BootstrapStack, stateLocation, useStateBucket } from "./bootstrap-stack";
export type { StateLocation } from "./bootstrap-stack";
export { PlatformStack } from "./platform-stack";
export { AdmissionStack } from "./admission-stack";
export { AdmissionPolicyStack } from "./admission-policy-stack";
export { clusterProviders } from "./cluster-access";
export type { ClusterProvidersOptions } from "./cluster-access";
export { WorkloadsStack, needsNvidiaDevicePlugin } from "./workloads-stack";
export type { WorkloadsStackOptions } from "./workloads-stack";
export { buildPlatform, describeSummary, synthesizePlatform } from "./synth";
export type { SynthOptions, SynthSummary } from "./synth";
export { definePlatform } from "./config/define";
export { loadConfigFile, parseConfig, resolveConfig } from "./config/load";
export { platformConfigJsonSchema } from "./config/json-schema";
export { DEFAULT_CONFIG } from "./config/default";
export { DEVICE_PLUGIN_REPOSITORIES, PLACEHOLDER_DIGESTS, PLACEHOLDER_REGISTRY_ACCOUNT, platformConfigSchema } from "./config/schema";
export type { NodePoolConfig, PlatformConfig, PlatformConfigInput, TenantConfig } from "./config/schema";
export { PLATFORM_PLACEHOLDERS } from "./placeholders";
