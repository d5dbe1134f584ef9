import { fail, Rule, unresolved } from "../../compliance/rule";
import { describe, isTrue } from "../helpers";
import { judgeContainers, securityContext, WORKLOAD_TYPES } from "./util";
import { deploymentExample, RESTRICTED_CONTEXT } from "./container-examples";

export const containerNotPrivileged: Rule = {
  id: "k8s-container-not-privileged",
  title: "Containers do not run privileged",
  requirements: ["AICP-TENANT-04"],
  severity: "mandatory",
  waivable: true,
  appliesTo: WORKLOAD_TYPES,
  checkov: ["CKV_K8S_16"],
  relations: {
    CKV_K8S_16: {
      relation: "stricter",
      reason:
        "both fail security_context.privileged = true; CKV_K8S_16 reads the containers of kubernetes_pod and kubernetes_deployment (and their v1 forms) only, this rule judges every workload type (pods, deployments, stateful sets, daemon sets, jobs, cron jobs and their v1 forms) and init containers too",
    },
  },
  remediation:
    "Remove security_context.privileged = true from every container and init_container; GPU access goes through the device plugin, not privilege.",
  examples: { good: [deploymentExample()], bad: [deploymentExample({ ...RESTRICTED_CONTEXT, privileged: "true" })] },

  check: (workload) =>
    judgeContainers(
      workload,
      (c) => {
        const privileged = securityContext(workload, c, "privileged");
        if (isTrue(privileged)) return fail("security_context.privileged is true");
        if (privileged.state === "unknown" || privileged.state === "reference")
          return unresolved(`security_context.privileged is ${describe(privileged)}`);
        return undefined;
      },
      "no container runs privileged",
    ),
};
