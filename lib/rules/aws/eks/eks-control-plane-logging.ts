import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { describe, resolve, valueAt } from "../../helpers";

const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export const eksControlPlaneLogging: Rule = {
  id: "aws-eks-control-plane-logging",
  title: "EKS clusters log all five control-plane streams",
  requirements: ["AICP-AUDIT-03"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_eks_cluster"],
  checkov: ["CKV_AWS_37"],
  trivy: ["AVD-AWS-0038"],
  relations: {
    CKV_AWS_37: {
      relation: "equivalent",
      reason:
        "both pass only when enabled_cluster_log_types holds all of api, audit, authenticator, controllerManager and scheduler; a list not known before apply is unresolved here",
    },
  },
  remediation: 'Set enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"].',
  examples: {
    good: [
      `
      resource "aws_eks_cluster" "platform" {
        name                      = "platform"
        role_arn                  = "arn:aws:iam::111122223333:role/eks-cluster"
        enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
        vpc_config {
          subnet_ids = ["subnet-0a1b2c3d"]
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_eks_cluster" "platform" {
        name                      = "platform"
        role_arn                  = "arn:aws:iam::111122223333:role/eks-cluster"
        enabled_cluster_log_types = ["api", "audit"]
        vpc_config {
          subnet_ids = ["subnet-0a1b2c3d"]
        }
      }
    `,
    ],
  },
  check(cluster) {
    const value = valueAt(cluster, "enabled_cluster_log_types");
    if (value.state === "unknown" || value.state === "reference") return unresolved(`enabled_cluster_log_types is ${describe(value)}`);
    const items = value.state === "known" && Array.isArray(value.value) ? value.value : [];
    const enabled = new Set<string>();
    const open: string[] = [];
    for (const item of items) {
      const type = resolve(cluster, item);
      if (type.state === "known" && typeof type.value === "string") enabled.add(type.value);
      else open.push(describe(type));
    }
    const missing = LOG_TYPES.filter((t) => !enabled.has(t));
    if (missing.length === 0) return pass("all five control-plane log types are enabled");
    if (open.length > 0)
      return unresolved(`enabled_cluster_log_types includes ${open.join(", ")}; not known to enable ${missing.join(", ")}`);
    return fail(`control-plane log types not enabled: ${missing.join(", ")}`);
  },
};
