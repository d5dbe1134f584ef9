// `secure-ai-platform/stacks`: the stacks a team deploys, the config they take, and the main job.
export { BootstrapStack, stateLocation, useStateBucket } from "./bootstrap-stack";
export type { StateLocation } from "./bootstrap-stack";
export { PlatformStack } from "./platform-stack";
export type { PlatformStackOptions } from "./platform-stack";
export type { InStack, PlatformStackProps } from "./platform-stack-props";
export { WorkloadsStack, needsNvidiaDevicePlugin } from "./workloads-stack";
export { buildPlatform, describeSummary, synthesizePlatform } from "./synth";
export type { SynthOptions, SynthSummary } from "./synth";
export { definePlatform } from "./config/define";
export { loadConfigFile, parseConfig, resolveConfig } from "./config/load";
export { platformConfigJsonSchema } from "./config/json-schema";
export { DEFAULT_CONFIG } from "./config/default";
export { DEVICE_PLUGIN_REPOSITORIES, PLACEHOLDER_DIGESTS, PLACEHOLDER_REGISTRY_ACCOUNT, platformConfigSchema } from "./config/schema";
export type { NodePoolConfig, PlatformConfig, PlatformConfigInput, TenantConfig } from "./config/schema";
export { PLATFORM_PLACEHOLDERS } from "./placeholders";
