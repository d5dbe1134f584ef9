import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import { PLACEMENT_POLICY_NAME, placementBindingManifest, placementPolicyManifest } from "../../lib/rules/kubernetes/placement-policy";

/**
 * Enforces tenant placement at admission, with a ValidatingAdmissionPolicy
 * and its binding (GA in Kubernetes 1.30, run by the EKS API server). EKS does
 * not enable the PodNodeSelector and PodTolerationRestriction admission
 * plugins, so namespace annotations cannot do this there. In every namespace
 * labelled `saip.io/tenant`, a pod is denied when it is created with
 * `spec.nodeName`, when it tolerates another tenant's `saip.io/tenant` taint
 * (or any taint through an empty key), or, for a tenant with a dedicated pool
 * (`saip.io/placement=dedicated`), when it does not select that pool.
 *
 * One per cluster. Written as `kubernetes_manifest`, because the Kubernetes
 * provider has no typed resource for admission policies; like every
 * `kubernetes_manifest`, it needs the cluster's API at plan time.
 */
export class TenantPlacementPolicy extends Construct {
  readonly policyName: string = PLACEMENT_POLICY_NAME;
  /** The binding: objects that rely on placement can depend on it. */
  readonly binding: Manifest;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const policy = new Manifest(this, "Resource", { manifest: placementPolicyManifest(this.policyName) });
    // The binding names the policy by name, so it waits for the policy it puts in force.
    this.binding = new Manifest(this, "Binding", { manifest: placementBindingManifest(this.policyName), dependsOn: [policy] });
  }
}
