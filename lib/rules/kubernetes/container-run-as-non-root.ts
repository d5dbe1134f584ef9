import { fail, Outcome, Rule, unresolved } from "../../compliance/rule";
import { Json, JsonObject, TfResource } from "../../terraform/model";
import { Resolved } from "../../terraform/values";
import { asNumber, describe, firstBlock, isTrue, resolve } from "../helpers";
import { judgeContainers, podSpecOf, WORKLOAD_TYPES } from "./util";
import { deploymentExample } from "./container-examples";

type Field = "run_as_user" | "run_as_non_root";

/** A field of a security_context block; a block given as an expression leaves the field unknown. */
function contextField(workload: TfResource, owner: JsonObject | undefined, field: Field): Resolved {
  const context: Json | undefined = owner?.security_context;
  if (typeof context === "string") {
    const whole = resolve(workload, context);
    if (whole.state === "unknown" || whole.state === "reference") return whole;
  }
  return resolve(workload, firstBlock(context)?.[field]);
}

/** The effective value of a field: the container's when set, else the pod's, as Kubernetes applies them. */
function effective(
  workload: TfResource,
  container: JsonObject,
  pod: JsonObject | undefined,
  field: Field,
): { value: Resolved; where: string } {
  const own = contextField(workload, container, field);
  if (own.state !== "absent") return { value: own, where: `security_context.${field}` };
  return { value: contextField(workload, pod, field), where: `the pod's security_context.${field}` };
}

/** Whether one container runs as a non-root user: undefined when it does, else a failing or unresolved outcome. */
function judge(workload: TfResource, container: JsonObject, pod: JsonObject | undefined): Outcome | undefined {
  const user = effective(workload, container, pod, "run_as_user");
  const nonRoot = effective(workload, container, pod, "run_as_non_root");
  const uid = asNumber(user.value);
  if (uid === 0) return fail(`${user.where} is 0 (root)`);
  if (uid !== undefined && uid < 0) return fail(`${user.where} is ${uid}, not a user id`);
  if (uid !== undefined) return undefined;
  // With run_as_non_root the kubelet refuses to start the container as uid 0.
  if (isTrue(nonRoot.value)) return undefined;
  const open = [user, nonRoot].filter((f) => f.value.state === "unknown" || f.value.state === "reference");
  if (open.length > 0) return unresolved(open.map((f) => `${f.where} is ${describe(f.value)}`).join(", "));
  if (user.value.state === "known") return fail(`${user.where} is ${describe(user.value)}, not a user id`);
  if (nonRoot.value.state === "known")
    return fail(`${nonRoot.where} is ${describe(nonRoot.value)} and no run_as_user is set, so the image's user (often root) applies`);
  return fail(
    "neither run_as_non_root = true nor run_as_user > 0 is set on the container or the pod, so the image's user (often root) applies",
  );
}

export const containerRunAsNonRoot: Rule = {
  id: "k8s-container-run-as-non-root",
  title: "Containers run as a non-root user",
  requirements: ["AICP-TENANT-04"],
  severity: "mandatory",
  waivable: true,
  appliesTo: WORKLOAD_TYPES,
  checkov: ["CKV_K8S_23"],
  relations: {
    CKV_K8S_23: {
      relation: "partial",
      reason:
        "Checkov has no Terraform check of this id (checkov/terraform/checks/resource/kubernetes/ has none): CKV_K8S_23 judges Kubernetes manifests only (checkov/kubernetes/checks/resource/k8s/RootContainers.py), so on Terraform it judges nothing; on a manifest it passes run_as_non_root, or a run_as_user above 0, on the pod or on every container, as this rule does for the Terraform kubernetes resources of every workload type, init containers included",
    },
  },
  remediation:
    "Set security_context.run_as_non_root = true (or run_as_user above 0) on the pod or on every container and init_container; TenantNamespace's pod defaults do.",
  examples: {
    good: [deploymentExample()],
    // run_as_non_root left out and uid 0 asked for.
    bad: [
      deploymentExample({ allow_privilege_escalation: "false", privileged: "false", read_only_root_filesystem: "true", run_as_user: "0" }),
    ],
  },

  check(workload) {
    const spec = podSpecOf(workload);
    return judgeContainers(
      workload,
      (c) => judge(workload, c.block, spec),
      "every container runs as non-root (run_as_non_root = true or run_as_user > 0, on the container or the pod)",
    );
  },
};
