/**
 * Where a tenant's pods may run: the node selector and tolerations that put
 * them on the tenant's dedicated GPU pool, as plain data for pod specs.
 */

export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";

export interface Toleration {
  readonly key: string;
  readonly operator: "Exists" | "Equal";
  /** Absent for `Exists`. */
  readonly value?: string;
  readonly effect: TaintEffect;
}

export interface PodPlacement {
  /** Labels a node must carry; empty when the tenant has no dedicated pool. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
}

export interface DedicatedPoolTaint {
  readonly key: string;
  readonly value: string;
  /** Kubernetes names, or the EKS node group names (`NO_SCHEDULE`) a NodePool's `taints` use. */
  readonly effect: TaintEffect | "NO_SCHEDULE" | "PREFER_NO_SCHEDULE" | "NO_EXECUTE";
}

/** A node pool dedicated to one tenant: the label its nodes carry and the taint that keeps other pods off. */
export interface DedicatedPool {
  /** `key=value`, e.g. `saip.io/tenant=team-a`. */
  readonly label: string;
  readonly taint: DedicatedPoolTaint;
}

/**
 * GPU nodes carry `nvidia.com/gpu=true:NoSchedule` (NodePool). EKS's
 * ExtendedResourceToleration plugin adds this toleration to pods that request
 * `nvidia.com/gpu`; pods on a dedicated GPU pool that request none (sidecars,
 * data loaders) need it from their spec.
 */
export const GPU_TOLERATION: Toleration = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };

/** The pool a NodePool with `tenant: <tenant>` creates: label and NoSchedule taint `saip.io/tenant=<tenant>`. */
export function dedicatedTenantPool(tenant: string): DedicatedPool {
  return { label: `saip.io/tenant=${tenant}`, taint: { key: "saip.io/tenant", value: tenant, effect: "NoSchedule" } };
}

const EFFECTS: Record<string, TaintEffect> = {
  NoSchedule: "NoSchedule",
  PreferNoSchedule: "PreferNoSchedule",
  NoExecute: "NoExecute",
  NO_SCHEDULE: "NoSchedule",
  PREFER_NO_SCHEDULE: "PreferNoSchedule",
  NO_EXECUTE: "NoExecute",
};
// A qualified name with an optional DNS-subdomain prefix, and a label value (both at most 63 characters per part).
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** Checks a dedicated pool and works out the placement; throws `<path>: dedicatedPool...` on the first problem. */
export function placementFor(path: string, pool: DedicatedPool | undefined): PodPlacement {
  if (!pool) return { nodeSelector: {}, tolerations: [GPU_TOLERATION] };
  const [key, value, extra] = pool.label.split("=");
  if (extra !== undefined || value === undefined || !LABEL_KEY.test(key) || !LABEL_VALUE.test(value)) {
    throw new Error(`${path}: dedicatedPool.label must be one node label as key=value, e.g. 'saip.io/tenant=team-a', got '${pool.label}'.`);
  }
  const { taint } = pool;
  if (!LABEL_KEY.test(taint.key) || !LABEL_VALUE.test(taint.value)) {
    throw new Error(`${path}: dedicatedPool.taint must have a label-like key and value, got '${taint.key}=${taint.value}'.`);
  }
  const effect = EFFECTS[taint.effect];
  if (!effect)
    throw new Error(`${path}: dedicatedPool.taint.effect must be NoSchedule, PreferNoSchedule or NoExecute, got '${taint.effect}'.`);
  const tolerations: Toleration[] = [{ key: taint.key, operator: "Equal", value: taint.value, effect }];
  if (taint.key !== GPU_TOLERATION.key) tolerations.push(GPU_TOLERATION);
  return { nodeSelector: { [key]: value }, tolerations };
}

/**
 * Namespace annotations read by the PodNodeSelector and
 * PodTolerationRestriction admission plugins, which merge them into every
 * pod of the namespace. Documentation only: EKS enables neither plugin, so
 * there the annotations do nothing; TenantNamespace sets none and placement
 * is enforced by TenantPlacementPolicy. The rule
 * k8s-namespace-placement-enforced fails a namespace that relies on them.
 */
export function placementAnnotations(placement: PodPlacement): Record<string, string> {
  if (Object.keys(placement.nodeSelector).length === 0) return {};
  return {
    "scheduler.alpha.kubernetes.io/node-selector": Object.entries(placement.nodeSelector)
      .map(([k, v]) => `${k}=${v}`)
      .join(","),
    "scheduler.alpha.kubernetes.io/defaultTolerations": JSON.stringify(placement.tolerations),
  };
}

/**
 * The container security context the restricted Pod Security Standard asks
 * for, plus a read-only root file system: spread it into every container.
 */
export function restrictedContainerSecurityContext() {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Pod spec fields (provider-kubernetes names) for a tenant's workloads; see `TenantNamespace.tenantPodSpecDefaults`. */
export function podSpecDefaults(placement: PodPlacement) {
  return {
    nodeSelector: { ...placement.nodeSelector },
    toleration: placement.tolerations.map((t) => ({ ...t })),
    // Workloads that need the Kubernetes API mount a token on purpose.
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
  };
}
