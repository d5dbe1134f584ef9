import { eksControlPlaneLogging } from "../../../../lib/rules/aws/eks/eks-control-plane-logging";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-eks-control-plane-logging", () => {
  it("requires all five log types and names the missing ones", () => {
    const findings = checkJson(eksControlPlaneLogging, {
      resource: {
        aws_eks_cluster: {
          all: { enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"] },
          three: { enabled_cluster_log_types: ["api", "audit", "authenticator"] },
          none: {},
          unknown: { enabled_cluster_log_types: "${var.log_types}" },
          partly_unknown: { enabled_cluster_log_types: ["api", "audit", "${var.more}"] },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_eks_cluster.all": "pass",
      "aws_eks_cluster.three": "fail",
      "aws_eks_cluster.none": "fail",
      "aws_eks_cluster.unknown": "fail",
      "aws_eks_cluster.partly_unknown": "fail",
    });
    expect(findingFor(findings, "aws_eks_cluster.three").message).toBe("control-plane log types not enabled: controllerManager, scheduler");
    expect(findingFor(findings, "aws_eks_cluster.none").message).toMatch(/api, audit, authenticator, controllerManager, scheduler$/);
    expect(findingFor(findings, "aws_eks_cluster.unknown").message).toMatch(/^unresolved: .*var\.log_types/);
    expect(findingFor(findings, "aws_eks_cluster.partly_unknown").message).toMatch(
      /^unresolved: .*var\.more.*authenticator, controllerManager, scheduler/,
    );
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      eksControlPlaneLogging,
      `resource "aws_eks_cluster" "ok" {
         enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
       }
       resource "aws_eks_cluster" "audit_only" {
         enabled_cluster_log_types = ["audit"]
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_eks_cluster.ok": "pass", "aws_eks_cluster.audit_only": "fail" });
  });
});
