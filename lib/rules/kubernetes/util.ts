import { fail, Outcome, pass, unresolved } from "../../compliance/rule";
import { isObject, Json, JsonObject, TfModule, TfResource } from "../../terraform/model";
import { blocksOf, describe, firstBlock, rawAt, resolve } from "../helpers";

export const NAMESPACE_TYPES = ["kubernetes_namespace_v1", "kubernetes_namespace"];
export const NETWORK_POLICY_TYPES = ["kubernetes_network_policy_v1", "kubernetes_network_policy"];
export const RESOURCE_QUOTA_TYPES = ["kubernetes_resource_quota_v1", "kubernetes_resource_quota"];
export const ROLE_BINDING_TYPES = ["kubernetes_role_binding_v1", "kubernetes_role_binding"];
export const CLUSTER_ROLE_BINDING_TYPES = ["kubernetes_cluster_role_binding_v1", "kubernetes_cluster_role_binding"];

/** Where each workload type keeps its pod spec. */
const POD_SPEC_PATHS: Record<string, string> = {
  kubernetes_pod_v1: "spec",
  kubernetes_pod: "spec",
  kubernetes_deployment_v1: "spec.template.spec",
  kubernetes_deployment: "spec.template.spec",
  kubernetes_daemon_set_v1: "spec.template.spec",
  kubernetes_daemonset: "spec.template.spec",
  kubernetes_stateful_set_v1: "spec.template.spec",
  kubernetes_stateful_set: "spec.template.spec",
  kubernetes_job_v1: "spec.template.spec",
  kubernetes_job: "spec.template.spec",
  kubernetes_cron_job_v1: "spec.job_template.spec.template.spec",
  kubernetes_cron_job: "spec.job_template.spec.template.spec",
};

/** Resource types that run pods. */
export const WORKLOAD_TYPES: readonly string[] = Object.keys(POD_SPEC_PATHS);

/** The label namespaces carry when they belong to a tenant. */
export const TENANT_LABEL = "saip.io/tenant";

/** The pod spec of a workload (`spec`, `spec.template.spec` or `spec.job_template.spec.template.spec`). */
export function podSpecOf(workload: TfResource): JsonObject | undefined {
  return firstBlock(rawAt(workload.body, POD_SPEC_PATHS[workload.type]));
}

/** Why a workload's pod spec cannot be read. */
export function unreadablePodSpec(workload: TfResource): Outcome {
  const path = POD_SPEC_PATHS[workload.type];
  // Name the step that is not a block: usually a variable or a function call.
  let current: Json | undefined = workload.body;
  let at = "";
  for (const key of path.split(".")) {
    const block = firstBlock(current);
    if (!block) break;
    at = at ? `${at}.${key}` : key;
    current = block[key];
  }
  return unresolved(`the pod spec at ${path} cannot be read: ${at} is ${describe(resolve(workload, current))}`);
}

export interface Container {
  /** `container "app"`, for messages. */
  readonly label: string;
  readonly block: JsonObject;
}

/** Every container and init container of a pod spec. */
export function containersOf(workload: TfResource, spec: JsonObject): Container[] {
  const found: Container[] = [];
  for (const kind of ["init_container", "container"]) {
    blocksOf(spec[kind]).forEach((block, i) => {
      const name = resolve(workload, block.name);
      found.push({ label: `${kind} ${name.state === "known" ? JSON.stringify(name.value) : `#${i + 1}`}`, block });
    });
  }
  return found;
}

/**
 * Judges every container of a workload: `judge` returns a problem (fail or
 * unresolved) or nothing. Any failure fails; otherwise any unknown leaves it unresolved.
 */
export function judgeContainers(workload: TfResource, judge: (c: Container) => Outcome | undefined, verified: string): Outcome {
  const spec = podSpecOf(workload);
  if (!spec) return unreadablePodSpec(workload);
  for (const kind of ["init_container", "container"]) {
    if (typeof spec[kind] === "string") return unresolved(`${kind} is ${describe(resolve(workload, spec[kind]))}`);
  }
  const problems = containersOf(workload, spec).flatMap((c) => {
    const outcome = judge(c);
    return outcome ? [{ status: outcome.status, message: `${c.label}: ${outcome.message}` }] : [];
  });
  const failed = problems.filter((p) => p.status === "fail").map((p) => p.message);
  if (failed.length > 0) return fail(failed.join("; "));
  const open = problems.filter((p) => p.status === "unresolved").map((p) => p.message);
  if (open.length > 0) return unresolved(open.join("; "));
  return pass(verified);
}

/** A field of a container's security_context, resolved. */
export function securityContext(workload: TfResource, container: Container, field: string) {
  return resolve(workload, firstBlock(container.block.security_context)?.[field]);
}

/** `metadata.labels` of an object, or the expression that hides them. */
export function labelsOf(resource: TfResource): { labels: JsonObject } | { unknown: string } {
  const labels = resolve(resource, rawAt(resource.body, "metadata.labels"));
  if (labels.state === "absent") return { labels: {} };
  if (labels.state === "known" && isObject(labels.value)) return { labels: labels.value };
  return { unknown: `metadata.labels is ${describe(labels)}` };
}

/** Whether a namespace is a tenant's: true, false, or undefined when its labels are unknown. */
export function isTenantNamespace(ns: TfResource): boolean | undefined {
  const found = labelsOf(ns);
  return "labels" in found ? TENANT_LABEL in found.labels : undefined;
}

/** The literal name of a namespace, when it has one. */
export function namespaceName(ns: TfResource): string | undefined {
  const name = resolve(ns, rawAt(ns.body, "metadata.name"));
  return name.state === "known" && typeof name.value === "string" && name.value.indexOf("${") < 0 ? name.value : undefined;
}

/** The `metadata.namespace` an object is in, raw. */
export const namespaceOf = (object: TfResource): Json | undefined => rawAt(object.body, "metadata.namespace");

/**
 * How an object's `metadata.namespace` names a namespace resource. cdktf
 * renders `ns.metadata.name` as `${kubernetes_namespace_v1.x.metadata[0].name}`,
 * which the engine's reference parsing (TYPE.NAME.ATTR only) reports as
 * unknown, so references are matched on the raw string: `metadata[0].name`,
 * `metadata.0.name` or `id` (a namespace's id is its name). Literal names
 * match namespaces with that literal name; an absent namespace is the
 * provider's default, "default".
 */
const NAMESPACE_REFERENCE = /^\$\{\s*(kubernetes_namespace(?:_v1)?\.[\w-]+)\.(?:metadata(?:\[0\]|\.0)\.name|id)\s*\}$/;

interface NamespaceIndex {
  readonly byNamespace: Map<string, TfResource[]>;
  /** Objects whose namespace cannot be told from the module: a variable, a function or a resource outside it. */
  readonly unknown: TfResource[];
}

/** Objects of `types` grouped by the namespace resource they live in, built once per module. */
function namespaceIndex(module: TfModule, types: readonly string[]): NamespaceIndex {
  return module.cached(`kubernetes-namespace-index:${types.join(",")}`, () => {
    const byName = new Map<string, TfResource[]>();
    for (const ns of NAMESPACE_TYPES.flatMap((t) => module.ofType(t))) {
      const name = namespaceName(ns);
      if (name !== undefined) byName.set(name, [...(byName.get(name) ?? []), ns]);
    }
    const index: NamespaceIndex = { byNamespace: new Map(), unknown: [] };
    const add = (ns: TfResource, object: TfResource) =>
      index.byNamespace.set(ns.address, [...(index.byNamespace.get(ns.address) ?? []), object]);
    for (const object of types.flatMap((t) => module.ofType(t))) {
      const value = namespaceOf(object);
      if (value === undefined || value === null) (byName.get("default") ?? []).forEach((ns) => add(ns, object));
      else if (typeof value !== "string") index.unknown.push(object);
      else if (value.indexOf("${") < 0) (byName.get(value) ?? []).forEach((ns) => add(ns, object));
      else {
        const target = module.get(NAMESPACE_REFERENCE.exec(value)?.[1] ?? "");
        if (target) add(target, object);
        else index.unknown.push(object);
      }
    }
    return index;
  });
}

/** Objects of `types` in the module that live in `ns`, and those whose namespace cannot be told. */
export function objectsIn(ns: TfResource, types: readonly string[]): { found: TfResource[]; unknown: TfResource[] } {
  const index = namespaceIndex(ns.module, types);
  return { found: index.byNamespace.get(ns.address) ?? [], unknown: index.unknown };
}
