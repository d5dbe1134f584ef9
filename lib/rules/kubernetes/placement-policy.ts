import type { AdmissionValidation } from "./admission";

/**
 * The tenant placement policy as data: the ValidatingAdmissionPolicy that
 * TenantPlacementPolicy deploys and the exact CEL the rule
 * k8s-namespace-placement-enforced recognises. One definition, so the
 * construct and the rule cannot drift apart. The CEL reads the tenant from
 * the namespace's `saip.io/tenant` label, which tenants cannot change (their
 * role has no rights on namespaces), and whether the tenant has a dedicated
 * pool from its `saip.io/placement` label.
 */

export const PLACEMENT_POLICY_NAME = "saip-tenant-placement";
export const TENANT_LABEL_KEY = "saip.io/tenant";
/** `dedicated` on namespaces whose tenant has its own pool; `shared` otherwise. */
export const PLACEMENT_LABEL_KEY = "saip.io/placement";

/** Variables the validations read: the namespace's tenant, and whether it has a dedicated pool. */
export const PLACEMENT_VARIABLES: ReadonlyArray<{ readonly name: string; readonly expression: string }> = [
  {
    name: "tenant",
    expression: `has(namespaceObject.metadata.labels) && '${TENANT_LABEL_KEY}' in namespaceObject.metadata.labels ? namespaceObject.metadata.labels['${TENANT_LABEL_KEY}'] : ''`,
  },
  {
    name: "dedicated",
    expression: `has(namespaceObject.metadata.labels) && '${PLACEMENT_LABEL_KEY}' in namespaceObject.metadata.labels && namespaceObject.metadata.labels['${PLACEMENT_LABEL_KEY}'] == 'dedicated'`,
  },
];

/**
 * - nodeName: a pod created with `spec.nodeName` skips the scheduler, and the
 *   kubelet admits it despite NoSchedule taints, so it could sit on any
 *   tenant's node. Only CREATE is judged: the scheduler sets nodeName through
 *   the binding subresource, and later updates of a scheduled pod carry it.
 * - tolerations: taints keep tenants apart only if no pod tolerates another
 *   tenant's taint; a toleration with an empty key and `Exists` tolerates
 *   every taint, so every toleration must name its key.
 * - dedicated pool: the tenant's pods must select its pool's label, so its
 *   workloads and data stay on its own nodes.
 */
export const PLACEMENT_VALIDATIONS: readonly AdmissionValidation[] = [
  {
    expression: "request.operation != 'CREATE' || !has(object.spec.nodeName) || object.spec.nodeName == ''",
    message: "Pods in tenant namespaces are placed by the scheduler: spec.nodeName would bypass the taints that keep tenants apart.",
    reason: "Forbidden",
  },
  {
    expression:
      `!has(object.spec.tolerations) || object.spec.tolerations.all(t, has(t.key) && t.key != '' && ` +
      `(t.key != '${TENANT_LABEL_KEY}' || ((!has(t.operator) || t.operator == 'Equal') && has(t.value) && t.value == variables.tenant)))`,
    message: `A pod may tolerate only its own tenant's ${TENANT_LABEL_KEY} taint (operator Equal, value the tenant), and every toleration must name a key.`,
    reason: "Forbidden",
  },
  {
    expression:
      `!variables.dedicated || (has(object.spec.nodeSelector) && '${TENANT_LABEL_KEY}' in object.spec.nodeSelector && ` +
      `object.spec.nodeSelector['${TENANT_LABEL_KEY}'] == variables.tenant)`,
    message: `Pods of a tenant with a dedicated pool must select it with spec.nodeSelector ${TENANT_LABEL_KEY}=<tenant>.`,
    reason: "Forbidden",
  },
];

/** The policy's manifest, as the Kubernetes API takes it. */
export function placementPolicyManifest(name = PLACEMENT_POLICY_NAME) {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: { name, labels: { "app.kubernetes.io/part-of": "saip" } },
    spec: {
      // An error evaluating the CEL rejects the pod rather than letting it through.
      failurePolicy: "Fail",
      matchConstraints: {
        resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }],
      },
      variables: PLACEMENT_VARIABLES.map((v) => ({ ...v })),
      validations: PLACEMENT_VALIDATIONS.map((v) => ({ ...v })),
    },
  };
}

/** The binding that puts the policy in force, denying, in every namespace with a tenant label. */
export function placementBindingManifest(policyName = PLACEMENT_POLICY_NAME) {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name: policyName, labels: { "app.kubernetes.io/part-of": "saip" } },
    spec: {
      policyName,
      validationActions: ["Deny"],
      matchResources: { namespaceSelector: { matchExpressions: [{ key: TENANT_LABEL_KEY, operator: "Exists" }] } },
    },
  };
}

/** Whitespace-insensitive form of a CEL expression, for comparing. */
export const normalizeCel = (expression: string): string => expression.replace(/\s+/g, " ").trim();
