import { TfModule, TfResource } from "../terraform/model";
import { isTenantNamespace, NAMESPACE_TYPES } from "../rules/kubernetes/util";

/**
 * What a requirement protects, for rules that judge only what could break it.
 * `k8s-no-cluster-binding-to-tenant-groups` judges cluster role bindings; with
 * none, the tenants it protects still exist and the requirement is met, not
 * "not applicable". Rules absent here protect what they judge.
 */
export interface Scope {
  /** What the rule found none of, e.g. "no cluster role binding exists". */
  readonly absent: string;
  /** What makes the requirement apply, e.g. "tenant namespaces". */
  readonly protects: string;
  find(module: TfModule): readonly TfResource[];
}

export const SCOPES: Readonly<Record<string, Scope>> = {
  "k8s-no-cluster-binding-to-tenant-groups": {
    absent: "no cluster role binding exists, so none grants cluster-wide rights to a tenant's groups",
    protects: "tenant namespaces",
    find: (module) => NAMESPACE_TYPES.flatMap((t) => module.ofType(t)).filter((ns) => isTenantNamespace(ns) === true),
  },
};
