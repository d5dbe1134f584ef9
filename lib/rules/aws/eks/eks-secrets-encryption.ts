import { fail, Rule, unresolved } from "../../../compliance/rule";
import { customerManagedKey, describe, resolve, stringList, valueAt } from "../../helpers";

export const eksSecretsEncryption: Rule = {
  id: "aws-eks-secrets-encryption",
  title: "EKS secrets are envelope-encrypted with a customer-managed key",
  requirements: ["AICP-DATA-06"],
  severity: "mandatory",
  waivable: false,
  appliesTo: ["aws_eks_cluster"],
  checkov: ["CKV_AWS_58"],
  trivy: ["AVD-AWS-0039"],
  relations: {
    CKV_AWS_58: {
      relation: "stricter",
      reason:
        'both fail a cluster without encryption_config.resources ["secrets"]; this rule also fails a provider key_arn that is not a customer-managed key',
    },
  },
  remediation: 'Add encryption_config { resources = ["secrets"], provider { key_arn = <a PlatformKey\'s arn> } }.',
  examples: {
    good: [
      `
      resource "aws_kms_key" "secrets" {
        enable_key_rotation = true
      }

      resource "aws_eks_cluster" "platform" {
        name     = "platform"
        role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
        vpc_config {
          subnet_ids = ["subnet-0a1b2c3d"]
        }
        encryption_config {
          resources = ["secrets"]
          provider {
            key_arn = aws_kms_key.secrets.arn
          }
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
      }
    `,
    ],
  },
  check(cluster) {
    const resources = valueAt(cluster, "encryption_config.resources");
    if (resources.state === "absent") return fail("no encryption_config: secrets are stored with EKS's default encryption only");
    if (resources.state !== "known") return unresolved(`encryption_config.resources is ${describe(resources)}`);
    const listed = Array.isArray(resources.value) ? resources.value : [resources.value];
    if (!stringList(listed).includes("secrets")) {
      const open = listed.map((v) => resolve(cluster, v)).find((v) => v.state !== "known");
      if (open) return unresolved(`encryption_config.resources includes ${describe(open)}`);
      return fail(`encryption_config.resources is ${describe(resources)}, without "secrets"`);
    }
    const key = customerManagedKey(cluster, "encryption_config.provider.key_arn");
    return { status: key.status, message: `secrets envelope encryption: ${key.message}` };
  },
};
