import { eksPrivateEndpoint } from "../../../../lib/rules/aws/eks/eks-private-endpoint";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-eks-private-endpoint", () => {
  it("passes a private-only endpoint and fails public ones, absent meaning public", () => {
    const findings = checkJson(eksPrivateEndpoint, {
      resource: {
        aws_eks_cluster: {
          private: { vpc_config: { endpoint_private_access: true, endpoint_public_access: false, subnet_ids: ["subnet-1"] } },
          listed: { vpc_config: [{ endpoint_private_access: "true", endpoint_public_access: "false" }] },
          absent: { vpc_config: { subnet_ids: ["subnet-1"] } },
          public: { vpc_config: { endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] } },
          no_private: { vpc_config: { endpoint_public_access: false } },
          unknown: { vpc_config: { endpoint_private_access: true, endpoint_public_access: "${var.public}" } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_eks_cluster.private": "pass",
      "aws_eks_cluster.listed": "pass",
      "aws_eks_cluster.absent": "fail",
      "aws_eks_cluster.public": "fail",
      "aws_eks_cluster.no_private": "fail",
      "aws_eks_cluster.unknown": "fail",
    });
    expect(findingFor(findings, "aws_eks_cluster.absent").message).toMatch(
      /endpoint_public_access is not set \(the provider default is true\)/,
    );
    expect(findingFor(findings, "aws_eks_cluster.public").message).toMatch(/the API server is public/);
    expect(findingFor(findings, "aws_eks_cluster.no_private").message).toMatch(/the private endpoint is off/);
    expect(findingFor(findings, "aws_eks_cluster.unknown").message).toMatch(/^unresolved: .*var\.public/);
  });

  it("cannot be waived: a waiver for it is refused, naming the waiver", () => {
    const check = () =>
      checkJson(eksPrivateEndpoint, { resource: { aws_eks_cluster: { public: { vpc_config: { endpoint_public_access: true } } } } }, [
        {
          rule: "aws-eks-private-endpoint",
          resource: "aws_eks_cluster.public",
          reason: "operators reach it from home",
          owner: "ops",
          expires: "2999-01-01",
          origin: "test",
        },
      ]);
    expect(check).toThrow(
      "test: the waiver for aws-eks-private-endpoint on aws_eks_cluster.public: rule aws-eks-private-endpoint cannot be waived",
    );
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      eksPrivateEndpoint,
      `resource "aws_eks_cluster" "private" {
         vpc_config {
           endpoint_private_access = true
           endpoint_public_access  = false
         }
       }
       resource "aws_eks_cluster" "default" {
         vpc_config {
           subnet_ids = ["subnet-1"]
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_eks_cluster.private": "pass", "aws_eks_cluster.default": "fail" });
  });
});
