import { eksAccessEntries } from "../../../../lib/rules/aws/eks/eks-access-entries";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-eks-access-entries", () => {
  it("requires API authentication without bootstrap creator admin", () => {
    const findings = checkJson(eksAccessEntries, {
      resource: {
        aws_eks_cluster: {
          good: { access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false } },
          listed: { access_config: [{ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: "false" }] },
          none: {},
          mixed: { access_config: { authentication_mode: "API_AND_CONFIG_MAP", bootstrap_cluster_creator_admin_permissions: false } },
          bootstrap_default: { access_config: { authentication_mode: "API" } },
          unknown: { access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: "${var.bootstrap}" } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_eks_cluster.good": "pass",
      "aws_eks_cluster.listed": "pass",
      "aws_eks_cluster.none": "fail",
      "aws_eks_cluster.mixed": "fail",
      "aws_eks_cluster.bootstrap_default": "fail",
      "aws_eks_cluster.unknown": "fail",
    });
    expect(findingFor(findings, "aws_eks_cluster.none").message).toMatch(/default is CONFIG_MAP.*default is true/);
    expect(findingFor(findings, "aws_eks_cluster.mixed").message).toBe(
      'access_config.authentication_mode is "API_AND_CONFIG_MAP", expected "API"',
    );
    expect(findingFor(findings, "aws_eks_cluster.bootstrap_default").message).toMatch(
      /bootstrap_cluster_creator_admin_permissions is not set/,
    );
    expect(findingFor(findings, "aws_eks_cluster.unknown").message).toMatch(/^unresolved: .*var\.bootstrap/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      eksAccessEntries,
      `resource "aws_eks_cluster" "ok" {
         access_config {
           authentication_mode                         = "API"
           bootstrap_cluster_creator_admin_permissions = false
         }
       }
       resource "aws_eks_cluster" "legacy" {
         access_config {
           authentication_mode = "CONFIG_MAP"
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_eks_cluster.ok": "pass", "aws_eks_cluster.legacy": "fail" });
  });
});
