import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { describe, isTrue, valueAt } from "../../helpers";

export const eksAccessEntries: Rule = {
  id: "aws-eks-access-entries",
  title: "EKS cluster access goes through access entries only, without implicit creator admin",
  requirements: ["AICP-ACCESS-05"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_eks_cluster"],
  remediation:
    'Set access_config { authentication_mode = "API", bootstrap_cluster_creator_admin_permissions = false } and grant administrators with aws_eks_access_entry.',
  examples: {
    good: [
      `
      resource "aws_eks_cluster" "platform" {
        name     = "platform"
        role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
        vpc_config {
          subnet_ids = ["subnet-0a1b2c3d"]
        }
        access_config {
          authentication_mode                         = "API"
          bootstrap_cluster_creator_admin_permissions = false
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_eks_cluster" "platform" {
        name     = "platform"
        role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
        vpc_config {
          subnet_ids = ["subnet-0a1b2c3d"]
        }
        access_config {
          authentication_mode = "API_AND_CONFIG_MAP"
        }
      }
    `,
    ],
  },
  check(cluster) {
    const problems: string[] = [];
    // EKS API defaults: authentication_mode CONFIG_MAP, bootstrap admin true.
    const mode = valueAt(cluster, "access_config.authentication_mode");
    if (mode.state === "unknown" || mode.state === "reference") return unresolved(`access_config.authentication_mode is ${describe(mode)}`);
    if (mode.state === "absent") problems.push("access_config.authentication_mode is not set (the EKS default is CONFIG_MAP)");
    else if (mode.value !== "API") problems.push(`access_config.authentication_mode is ${describe(mode)}, expected "API"`);
    const bootstrap = valueAt(cluster, "access_config.bootstrap_cluster_creator_admin_permissions");
    if (bootstrap.state === "unknown" || bootstrap.state === "reference")
      return unresolved(`access_config.bootstrap_cluster_creator_admin_permissions is ${describe(bootstrap)}`);
    if (bootstrap.state === "absent")
      problems.push(
        "access_config.bootstrap_cluster_creator_admin_permissions is not set (the default is true: the creator becomes cluster admin)",
      );
    else if (isTrue(bootstrap))
      problems.push("access_config.bootstrap_cluster_creator_admin_permissions is true: the creator becomes cluster admin");
    if (problems.length > 0) return fail(problems.join("; "));
    return pass('authentication_mode is "API" and the cluster creator gets no implicit admin');
  },
};
