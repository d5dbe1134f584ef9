import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { customerManagedKey, describe, valueAt } from "../../helpers";

const KMS_TYPES = ["KMS", "KMS_DSSE"];

export const ecrCmk: Rule = {
  id: "aws-ecr-cmk",
  title: "ECR repositories encrypt images with a customer-managed KMS key",
  requirements: ["AICP-DATA-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_ecr_repository"],
  checkov: ["CKV_AWS_136"],
  trivy: ["AVD-AWS-0033"],
  relations: {
    CKV_AWS_136: {
      relation: "partial",
      reason:
        'fails encryption_type KMS without a customer-managed kms_key (the aws/ecr key), which CKV_AWS_136 passes; and passes KMS_DSSE with a customer key, which CKV_AWS_136 (expecting exactly "KMS") fails',
    },
  },
  remediation:
    'Set encryption_configuration with encryption_type = "KMS" and kms_key set to a customer-managed key (ModelRegistry uses the keyring\'s registry key).',
  examples: {
    good: [
      `
      resource "aws_kms_key" "registry" {
        enable_key_rotation = true
      }

      resource "aws_ecr_repository" "models" {
        name = "models"
        encryption_configuration {
          encryption_type = "KMS"
          kms_key         = aws_kms_key.registry.arn
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_ecr_repository" "models" {
        name = "models"
        encryption_configuration {
          encryption_type = "KMS" # without kms_key: the AWS managed key aws/ecr
        }
      }
    `,
    ],
  },
  check(repository) {
    const type = valueAt(repository, "encryption_configuration.encryption_type");
    if (type.state === "unknown" || type.state === "reference")
      return unresolved(`encryption_configuration.encryption_type is ${describe(type)}`);
    if (type.state === "absent" || !KMS_TYPES.includes(String(type.value))) {
      return fail(
        `images are encrypted with AES256 (SSE-S3), not a customer-managed key: encryption_configuration.encryption_type is ${describe(type)}${type.state === "absent" ? " (the default is AES256)" : ""}`,
      );
    }
    if (valueAt(repository, "encryption_configuration.kms_key").state === "absent") {
      return fail("encryption_configuration.kms_key is not set, so the AWS managed key aws/ecr encrypts images");
    }
    const key = customerManagedKey(repository, "encryption_configuration.kms_key");
    return key.status === "pass" ? pass(`${String(type.value)}: ${key.message}`) : key;
  },
};
