// `secure-ai-platform/kubernetes`: the in-cluster building blocks (deep provider-kubernetes imports only).
export * from "./device-plugins";
export * from "./gpu-device-admission-policy";
export * from "./image-admission-policy";
export {
  GPU_TOLERATION,
  dedicatedTenantPool,
  placementAnnotations,
  placementFor,
  podSpecDefaults,
  restrictedContainerSecurityContext,
} from "./pod-placement";
export type { DedicatedPool, DedicatedPoolTaint, PodPlacement, Toleration, TaintEffect as PodTaintEffect } from "./pod-placement";
export * from "./priority-classes";
export * from "./signature-verifier";
export * from "./tenant-namespace";
export * from "./tenant-network-policies";
export * from "./tenant-placement-policy";
export * from "./workload-identity";
