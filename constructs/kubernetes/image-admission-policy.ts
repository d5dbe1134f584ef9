import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { IMAGE_POLICY_NAME, imageBindingManifests, imagePolicyManifest } from "../../lib/rules/kubernetes/image-policy";

export interface ImageAdmissionPolicyProps {
  /** The platform's account, whose ECR alone is admitted: 12 digits, or the token of the account the platform deploys into. */
  readonly account: string;
  /** The platform's region, whose ECR endpoint alone is admitted (e.g. eu-west-1). */
  readonly region: string;
}

/**
 * Admits a pod in a tenant namespace, or a platform namespace labelled
 * `saip.io/image-policy=enforced`, only when every container's image is in
 * the platform's own private ECR (its account and region) and named by
 * digest: a ValidatingAdmissionPolicy (GA in Kubernetes 1.30, run by the EKS
 * API server itself, so it cannot be down while the API server is up) bound
 * with Deny. The rules on Terraform see only pods declared there; this sees
 * every pod, whoever creates it.
 *
 * One per cluster, as `kubernetes_manifest` (the provider has no typed
 * resource for admission policies), which needs the cluster's API at plan.
 */
export class ImageAdmissionPolicy extends Construct {
  readonly policyName: string = IMAGE_POLICY_NAME;
  /** The bindings: objects that rely on the policy can depend on them. */
  readonly bindings: Manifest[];

  constructor(scope: Construct, id: string, props: ImageAdmissionPolicyProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.account) && !/^[0-9]{12}$/.test(props.account)) {
      throw new Error(`${this.node.path}: account '${props.account}' is not a 12-digit AWS account ID.`);
    }
    if (!Token.isUnresolved(props.region) && !/^[a-z]{2}(-[a-z]+)+-[0-9]+$/.test(props.region)) {
      throw new Error(`${this.node.path}: region '${props.region}' is not an AWS region such as eu-west-1.`);
    }
    const policy = new Manifest(this, "Resource", {
      manifest: imagePolicyManifest({ account: props.account, region: props.region }, this.policyName),
    });
    this.bindings = imageBindingManifests(this.policyName).map(
      (manifest, i) => new Manifest(this, i === 0 ? "TenantsBinding" : "PlatformBinding", { manifest, dependsOn: [policy] }),
    );
  }
}
