import type { AdmissionValidation } from "./admission";

/**
 * The image provenance policy as data: the ValidatingAdmissionPolicy that
 * ImageAdmissionPolicy deploys and the exact CEL the rule
 * k8s-image-admission-enforced recognises, so the two cannot drift apart.
 *
 * Every container of a pod (containers, init and ephemeral containers) must
 * name an image by digest in the platform's own private ECR: its account and
 * region, written into the CEL. IAM does not narrow it: node roles carry
 * AmazonEC2ContainerRegistryReadOnly (every repository), and the ECR
 * endpoints' policies limit the caller, not the registry, so an image in
 * another account's repository whose policy lets everyone pull would run if
 * admission let it through.
 * CEL string escapes have no `\.`, so dots are written `[.]`.
 */

export const IMAGE_POLICY_NAME = "saip-image-provenance";
/** Namespaces besides tenants' where the policy is in force: label a platform namespace `saip.io/image-policy=enforced`. */
export const IMAGE_POLICY_LABEL_KEY = "saip.io/image-policy";
export const IMAGE_POLICY_LABEL_VALUE = "enforced";

/** The one registry the policy admits: the platform's account and region (literal, or the Terraform reference that gives them). */
export interface ImageRegistry {
  readonly account: string;
  readonly region: string;
}

/** An image by digest in that registry: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repository>@sha256:<64 hex>`. */
export function privateEcrByDigest(registry: ImageRegistry): string {
  return `^${registry.account}[.]dkr[.]ecr(-fips)?[.]${registry.region}[.]amazonaws[.]com([.]cn)?/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$`;
}

/** The three validations: containers, init containers and ephemeral (debug) containers. */
export function imageValidations(registry: ImageRegistry): AdmissionValidation[] {
  const every = (list: string, optional: boolean) =>
    `${optional ? `!has(object.spec.${list}) || ` : ""}object.spec.${list}.all(c, c.image.matches('${privateEcrByDigest(registry)}'))`;
  return [
    {
      expression: every("containers", false),
      message: "Every container image must come from the platform's private ECR, by digest (<registry>/<repository>@sha256:<digest>).",
      reason: "Forbidden",
    },
    {
      expression: every("initContainers", true),
      message: "Every init container image must come from the platform's private ECR, by digest.",
      reason: "Forbidden",
    },
    {
      expression: every("ephemeralContainers", true),
      message: "Every ephemeral (debug) container image must come from the platform's private ECR, by digest.",
      reason: "Forbidden",
    },
  ];
}

/** The policy's manifest. Ephemeral containers arrive through their own subresource, which it matches too. */
export function imagePolicyManifest(registry: ImageRegistry, name = IMAGE_POLICY_NAME) {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: { name, labels: { "app.kubernetes.io/part-of": "saip" } },
    spec: {
      // An evaluation error rejects the pod rather than letting an unchecked image through.
      failurePolicy: "Fail",
      matchConstraints: {
        resourceRules: [
          { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods", "pods/ephemeralcontainers"] },
        ],
      },
      validations: imageValidations(registry),
    },
  };
}

/**
 * The bindings that put it in force with Deny: one for tenant namespaces
 * (labelled saip.io/tenant) and one for platform namespaces labelled
 * saip.io/image-policy=enforced. kube-system is left out: EKS's add-ons run
 * there from EKS's own registry account, by tag, and EKS manages them.
 */
export function imageBindingManifests(policyName = IMAGE_POLICY_NAME) {
  const binding = (suffix: string, matchExpressions: object[]) => ({
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name: `${policyName}-${suffix}`, labels: { "app.kubernetes.io/part-of": "saip" } },
    spec: { policyName, validationActions: ["Deny"], matchResources: { namespaceSelector: { matchExpressions } } },
  });
  return [
    binding("tenants", [{ key: "saip.io/tenant", operator: "Exists" }]),
    binding("platform", [{ key: IMAGE_POLICY_LABEL_KEY, operator: "In", values: [IMAGE_POLICY_LABEL_VALUE] }]),
  ];
}
