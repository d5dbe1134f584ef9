import { fail, Rule, unresolved } from "../../compliance/rule";
import { describe, isTrue } from "../helpers";
import { judgeContainers, securityContext, WORKLOAD_TYPES } from "./util";
import { deploymentExample, RESTRICTED_CONTEXT } from "./container-examples";

export const containerReadOnlyRootFs: Rule = {
  id: "k8s-container-read-only-root-fs",
  title: "Containers run with a read-only root file system",
  requirements: ["AICP-TENANT-04"],
  severity: "mandatory",
  waivable: true,
  appliesTo: WORKLOAD_TYPES,
  checkov: ["CKV_K8S_22"],
  relations: {
    CKV_K8S_22: {
      relation: "stricter",
      reason:
        "CKV_K8S_22 passes a container with no security_context at all; this rule fails it (the root filesystem is then writable), and judges every workload type (pods, deployments, stateful sets, daemon sets, jobs, cron jobs and their v1 forms) and init containers too",
    },
  },
  remediation:
    "Set security_context.read_only_root_filesystem = true on every container and init_container; mount emptyDir volumes where they must write.",
  examples: { good: [deploymentExample()], bad: [deploymentExample({ ...RESTRICTED_CONTEXT, read_only_root_filesystem: "false" })] },

  check: (workload) =>
    judgeContainers(
      workload,
      (c) => {
        const value = securityContext(workload, c, "read_only_root_filesystem");
        if (isTrue(value)) return undefined;
        if (value.state === "unknown" || value.state === "reference")
          return unresolved(`security_context.read_only_root_filesystem is ${describe(value)}`);
        return fail(`security_context.read_only_root_filesystem is ${describe(value)}`);
      },
      "every container has a read-only root file system",
    ),
};
