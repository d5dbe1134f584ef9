import { fail, pass, Rule, unresolved } from "../../compliance/rule";
import { describe, isTrue, resolve } from "../helpers";
import { podSpecOf, unreadablePodSpec, WORKLOAD_TYPES } from "./util";
import { deploymentExample, RESTRICTED_CONTEXT } from "./container-examples";

const HOST_FIELDS = ["host_pid", "host_ipc", "host_network"];

export const podNoHostNamespaces: Rule = {
  id: "k8s-pod-no-host-namespaces",
  title: "Pods do not share the host's PID, IPC or network namespace",
  requirements: ["AICP-TENANT-04"],
  severity: "mandatory",
  waivable: true,
  appliesTo: WORKLOAD_TYPES,
  checkov: ["CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19"],
  relations: {
    CKV_K8S_17: {
      relation: "stricter",
      reason: "both fail host_pid = true; CKV_K8S_17 judges kubernetes_pod only, this rule every workload type",
    },
    CKV_K8S_18: {
      relation: "stricter",
      reason:
        "both fail host_ipc = true; CKV_K8S_18 judges kubernetes_pod and kubernetes_deployment (and v1), this rule every workload type",
    },
    CKV_K8S_19: {
      relation: "stricter",
      reason:
        "both fail host_network = true; CKV_K8S_19 judges kubernetes_pod and kubernetes_deployment (and v1), this rule every workload type",
    },
  },
  remediation: "Remove host_pid, host_ipc and host_network (or set them false) from the pod spec.",
  examples: {
    good: [deploymentExample()],
    bad: [deploymentExample(RESTRICTED_CONTEXT, { podSpec: "              host_network = true" })],
  },
  check(workload) {
    const spec = podSpecOf(workload);
    if (!spec) return unreadablePodSpec(workload);
    const shared: string[] = [];
    const open: string[] = [];
    for (const field of HOST_FIELDS) {
      const value = resolve(workload, spec[field]);
      if (isTrue(value)) shared.push(`${field} is true`);
      else if (value.state === "unknown" || value.state === "reference") open.push(`${field} is ${describe(value)}`);
    }
    if (shared.length > 0) return fail(`the pod shares host namespaces: ${shared.join(", ")}`);
    if (open.length > 0) return unresolved(open.join(", "));
    return pass("host_pid, host_ipc and host_network are not true");
  },
};
