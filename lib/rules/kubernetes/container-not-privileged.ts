import { fail, Rule, unresolved } from "../../compliance/rule";
import { describe, isTrue } from "../helpers";
import { judgeContainers, securityContext, WORKLOAD_TYPES } from "./util";

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
                  allow_privilege_escalation = false
                  privileged                 = true
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
        const privileged = securityContext(workload, c, "privileged");
        if (isTrue(privileged)) return fail("security_context.privileged is true");
        if (privileged.state === "unknown" || privileged.state === "reference")
          return unresolved(`security_context.privileged is ${describe(privileged)}`);
        return undefined;
      },
      "no container runs privileged",
    ),
};
