import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import { IMAGE_POLICY_NAME, imageBindingManifests, imagePolicyManifest } from "../../lib/rules/kubernetes/image-policy";

/**
 * Admits a pod in a tenant namespace, or a platform namespace labelled
 * `saip.io/image-policy=enforced`, only when every container's image is in
 * a private ECR registry and named by digest: a ValidatingAdmissionPolicy
 * (GA in Kubernetes 1.30, run by the EKS API server itself, so it cannot be
 * down while the API server is up) bound with Deny. The rules on Terraform
 * see only pods declared there; this sees every pod, whoever creates it.
 *
 * One per cluster, as `kubernetes_manifest` (the provider has no typed
 * resource for admission policies), which needs the cluster's API at plan.
 */
export class ImageAdmissionPolicy extends Construct {
  readonly policyName: string = IMAGE_POLICY_NAME;
  /** The bindings: objects that rely on the policy can depend on them. */
  readonly bindings: Manifest[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const policy = new Manifest(this, "Resource", { manifest: imagePolicyManifest(this.policyName) });
    this.bindings = imageBindingManifests(this.policyName).map(
      (manifest, i) => new Manifest(this, i === 0 ? "TenantsBinding" : "PlatformBinding", { manifest, dependsOn: [policy] }),
    );
  }
}
