import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { describe, isTrue, valueAt } from "../../helpers";

export const eksPrivateEndpoint: Rule = {
  id: "aws-eks-private-endpoint",
  title: "EKS API server endpoint is private only",
  requirements: ["AICP-ACCESS-02"],
  severity: "mandatory",
  waivable: false,
  appliesTo: ["aws_eks_cluster"],
  checkov: ["CKV_AWS_39", "CKV_AWS_38"],
  trivy: ["AVD-AWS-0040", "AVD-AWS-0041"],
  relations: {
    CKV_AWS_39: {
      relation: "stricter",
      reason: "both fail endpoint_public_access true or unset; this rule also fails a cluster whose private endpoint is off",
    },
    CKV_AWS_38: {
      relation: "stricter",
      reason:
        "CKV_AWS_38 passes a public endpoint limited by public_access_cidrs without 0.0.0.0/0; AICP-ACCESS-02 demands a private endpoint, so this rule fails every public one",
    },
  },
  remediation:
    "Set vpc_config.endpoint_private_access = true and vpc_config.endpoint_public_access = false; reach the API from inside the VPC.",
  examples: {
    good: [
      `
      resource "aws_eks_cluster" "platform" {
        name     = "platform"
        role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
        vpc_config {
          subnet_ids              = ["subnet-0a1b2c3d"]
          endpoint_private_access = true
          endpoint_public_access  = false
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
          subnet_ids = ["subnet-0a1b2c3d"] # the public endpoint is on by default
        }
      }
    `,
    ],
  },
  check(cluster) {
    // The provider's default for endpoint_public_access is true, so absent means public.
    const publicAccess = valueAt(cluster, "vpc_config.endpoint_public_access");
    const privateAccess = valueAt(cluster, "vpc_config.endpoint_private_access");
    if (publicAccess.state === "unknown" || publicAccess.state === "reference")
      return unresolved(`vpc_config.endpoint_public_access is ${describe(publicAccess)}`);
    const isPublic = publicAccess.state === "absent" || publicAccess.value === true || publicAccess.value === "true";
    if (isPublic)
      return fail(
        `the API server is public: vpc_config.endpoint_public_access is ${describe(publicAccess)} (the provider default is true)`,
      );
    if (!isTrue(privateAccess))
      return fail(`the private endpoint is off: vpc_config.endpoint_private_access is ${describe(privateAccess)}`);
    return pass("the API server has a private endpoint only");
  },
};
