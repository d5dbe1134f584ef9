import { fail, Rule, unresolved } from "../../compliance/rule";
import { describe } from "../helpers";
import { judgeContainers, securityContext, WORKLOAD_TYPES } from "./util";

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
  examples: {
    good: [
      `
      resource "kubernetes_deployment_v1" "inference" {
        metadata {
          name      = "inference"
          namespace = "team-a"
        }
        spec {
          selector {
            match_labels = { app = "inference" }
          }
          template {
            metadata {
              labels = { app = "inference" }
            }
            spec {
              container {
                name  = "server"
                image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/serving@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                security_context {
                  allow_privilege_escalation = false
                  privileged                 = false
                  read_only_root_filesystem  = true
                  run_as_non_root            = true
                  capabilities {
                    drop = ["ALL"]
                  }
                }
              }
            }
          }
        }
      }
    `,
    ],
    bad: [
      `
      resource "kubernetes_deployment_v1" "inference" {
        metadata {
          name      = "inference"
          namespace = "team-a"
        }
        spec {
          selector {
            match_labels = { app = "inference" }
          }
          template {
            metadata {
              labels = { app = "inference" }
            }
            spec {
              container {
                name  = "server"
                image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/serving@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                security_context {
                  allow_privilege_escalation = true
                  privileged                 = false
                  read_only_root_filesystem  = true
                  run_as_non_root            = true
                  capabilities {
                    drop = ["ALL"]
                  }
                }
              }
            }
          }
        }
      }
    `,
    ],
  },
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
