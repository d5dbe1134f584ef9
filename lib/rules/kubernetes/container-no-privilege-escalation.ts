import { fail, Rule, unresolved } from "../../compliance/rule";
import { describe } from "../helpers";
import { judgeContainers, securityContext, WORKLOAD_TYPES } from "./util";
import { deploymentExample, RESTRICTED_CONTEXT } from "./container-examples";

export const containerNoPrivilegeEscalation: Rule = {
  id: "k8s-container-no-privilege-escalation",
  title: "Containers set allow_privilege_escalation = false",
  requirements: ["AICP-TENANT-04"],
  severity: "mandatory",
  waivable: true,
  appliesTo: WORKLOAD_TYPES,
  checkov: ["CKV_K8S_20"],
  relations: {
    CKV_K8S_20: {
      relation: "stricter",
      reason:
        "CKV_K8S_20 (kubernetes_pod only) fails an explicit allow_privilege_escalation = true; this rule also fails it unset, since Kubernetes then allows escalation, and judges every workload type (pods, deployments, stateful sets, daemon sets, jobs, cron jobs and their v1 forms) and init containers too",
    },
  },
  remediation: "Set security_context.allow_privilege_escalation = false on every container and init_container.",
  examples: { good: [deploymentExample()], bad: [deploymentExample({ ...RESTRICTED_CONTEXT, allow_privilege_escalation: "true" })] },

  check: (workload) =>
    judgeContainers(
      workload,
      (c) => {
        // Kubernetes allows escalation unless it is turned off explicitly.
        const value = securityContext(workload, c, "allow_privilege_escalation");
        if (value.state === "known" && (value.value === false || value.value === "false")) return undefined;
        if (value.state === "unknown" || value.state === "reference")
          return unresolved(`security_context.allow_privilege_escalation is ${describe(value)}`);
        return fail(
          `security_context.allow_privilege_escalation is ${describe(value)}${value.state === "absent" ? " (Kubernetes then allows escalation)" : ""}`,
        );
      },
      "every container sets allow_privilege_escalation = false",
    ),
};
