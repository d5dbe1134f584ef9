import { eksSecretsEncryption } from "../../../../lib/rules/aws/eks/eks-secrets-encryption";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-eks-secrets-encryption", () => {
  const doc = {
    resource: {
      aws_kms_key: { secrets: { enable_key_rotation: true } },
      aws_eks_cluster: {
        cmk: { encryption_config: { resources: ["secrets"], provider: { key_arn: "${aws_kms_key.secrets.arn}" } } },
        listed: {
          encryption_config: [
            {
              resources: ["secrets"],
              provider: [{ key_arn: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }],
            },
          ],
        },
        none: { name: "none" },
        aws_key: {
          encryption_config: { resources: ["secrets"], provider: { key_arn: "arn:aws:kms:eu-west-1:111122223333:alias/aws/eks" } },
        },
        other_resources: { encryption_config: { resources: ["configmaps"], provider: { key_arn: "${aws_kms_key.secrets.arn}" } } },
        unknown_key: { encryption_config: { resources: ["secrets"], provider: { key_arn: "${var.key_arn}" } } },
        unknown_resources: { encryption_config: { resources: "${var.resources}", provider: { key_arn: "${aws_kms_key.secrets.arn}" } } },
      },
    },
  };

  it("requires secrets in encryption_config with a customer-managed key", () => {
    const findings = checkJson(eksSecretsEncryption, doc);
    expect(statuses(findings)).toEqual({
      "aws_eks_cluster.cmk": "pass",
      "aws_eks_cluster.listed": "pass",
      "aws_eks_cluster.none": "fail",
      "aws_eks_cluster.aws_key": "fail",
      "aws_eks_cluster.other_resources": "fail",
      "aws_eks_cluster.unknown_key": "fail",
      "aws_eks_cluster.unknown_resources": "fail",
    });
    expect(findingFor(findings, "aws_eks_cluster.cmk").message).toMatch(/aws_kms_key\.secrets/);
    expect(findingFor(findings, "aws_eks_cluster.none").message).toMatch(/no encryption_config/);
    expect(findingFor(findings, "aws_eks_cluster.aws_key").message).toMatch(/AWS-managed key/);
    expect(findingFor(findings, "aws_eks_cluster.other_resources").message).toMatch(/without "secrets"/);
    expect(findingFor(findings, "aws_eks_cluster.unknown_key").message).toMatch(/^unresolved: .*var\.key_arn/);
    expect(findingFor(findings, "aws_eks_cluster.unknown_resources").message).toMatch(/^unresolved: .*var\.resources/);
  });

  it("cannot be waived: a waiver for it is refused, naming the waiver", () => {
    const check = () =>
      checkJson(eksSecretsEncryption, doc, [
        {
          rule: "aws-eks-secrets-encryption",
          resource: "aws_eks_cluster.none",
          reason: "secrets are not used on this cluster",
          owner: "ops",
          expires: "2999-01-01",
          origin: "test",
        },
      ]);
    expect(check).toThrow(
      "test: the waiver for aws-eks-secrets-encryption on aws_eks_cluster.none: rule aws-eks-secrets-encryption cannot be waived",
    );
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      eksSecretsEncryption,
      `resource "aws_kms_key" "secrets" {}
       resource "aws_eks_cluster" "ok" {
         encryption_config {
           resources = ["secrets"]
           provider {
             key_arn = aws_kms_key.secrets.arn
           }
         }
       }
       resource "aws_eks_cluster" "plain" {}`,
    );
    expect(statuses(findings)).toEqual({ "aws_eks_cluster.ok": "pass", "aws_eks_cluster.plain": "fail" });
  });
});
