import { addressFrom, isObject, Json, JsonObject, TfResource } from "../../terraform/model";
import { describe, resolve, stringList } from "../helpers";

// Reading ValidatingAdmissionPolicies and their bindings from kubernetes_manifest resources.
// Shared by the admission rules (placement, image provenance, signatures).

const API_VERSION = "admissionregistration.k8s.io/v1";

/** One validation of a ValidatingAdmissionPolicy, as the platform's policies write them. */
export interface AdmissionValidation {
  readonly expression: string;
  readonly message: string;
  readonly reason: "Forbidden";
}

export interface Manifest {
  readonly resource: TfResource;
  readonly body: JsonObject;
  /** Its address as findings on the resource asked about name it (with its stack, when applied before that one). */
  readonly where: string;
}

/**
 * `kubernetes_manifest` objects of `kind` (in one of `apiVersions`), and those whose manifest cannot be read,
 * in the resource's module and the modules applied before it (TfModule.upstream).
 */
export function manifests(
  resource: TfResource,
  kind: string,
  apiVersions: readonly string[] = [API_VERSION],
): { found: Manifest[]; unknown: string[] } {
  const found: Manifest[] = [];
  const unknown: string[] = [];
  for (const m of resource.module.ofTypeInScope("kubernetes_manifest")) {
    const where = addressFrom(m, resource.module);
    const manifest = resolve(m, m.body.manifest);
    if (manifest.state !== "known" || !isObject(manifest.value)) {
      unknown.push(`${where} manifest is ${describe(manifest)}`);
      continue;
    }
    const body = manifest.value;
    if (body.kind === kind && apiVersions.includes(String(body.apiVersion))) found.push({ resource: m, body, where });
    else if (typeof body.kind !== "string" || (body.kind === kind && typeof body.apiVersion !== "string"))
      unknown.push(`${where} kind or apiVersion is not literal`);
  }
  return { found, unknown };
}

export const at = (value: Json | undefined, path: string): Json | undefined => {
  let current = value;
  for (const key of path.split(".")) current = isObject(current) ? current[key] : undefined;
  return current;
};
export const objects = (value: Json | undefined): JsonObject[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** Whether a binding's namespaceSelector selects `labels`: true, false, or a reason it cannot be told. */
export function selects(binding: JsonObject, labels: JsonObject): boolean | string {
  const resources = at(binding, "spec.matchResources");
  if (at(resources, "objectSelector") !== undefined && Object.keys(at(resources, "objectSelector") as JsonObject).length > 0) return false;
  if (at(resources, "excludeResourceRules") !== undefined) return "it excludes resources";
  const selector = at(resources, "namespaceSelector");
  if (selector === undefined) return true;
  if (!isObject(selector)) return "its namespaceSelector is not literal";
  const matchLabels = selector.matchLabels;
  if (isObject(matchLabels) && !Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  for (const expression of objects(selector.matchExpressions)) {
    const key = String(expression.key);
    const values = stringList(expression.values);
    const present = key in labels;
    const ok =
      expression.operator === "Exists"
        ? present
        : expression.operator === "DoesNotExist"
          ? !present
          : expression.operator === "In"
            ? present && values.includes(String(labels[key]))
            : expression.operator === "NotIn"
              ? !present || !values.includes(String(labels[key]))
              : undefined;
    if (ok === undefined) return `its namespaceSelector uses operator ${JSON.stringify(expression.operator)}`;
    if (!ok) return false;
  }
  return true;
}
