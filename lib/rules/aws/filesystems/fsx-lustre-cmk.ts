import { fail, Rule, unresolved } from "../../../compliance/rule";
import { customerManagedKey, describe, valueAt } from "../../helpers";
import { lustreDeploymentType } from "./util";

export const fsxLustreCmk: Rule = {
  id: "aws-fsx-lustre-cmk",
  title: "FSx for Lustre file systems are encrypted with a customer-managed KMS key",
  requirements: ["AICP-DATA-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_fsx_lustre_file_system"],
  checkov: ["CKV_AWS_190"],
  relations: {
    CKV_AWS_190: {
      relation: "stricter",
      reason:
        "CKV_AWS_190 (checkov/terraform/checks/resource/aws/LustreFSEncryptedWithCMK.py) fails an aws_fsx_lustre_file_system with no kms_key_id and passes any value of it; this rule fails the same file systems, and also fails scratch deployment types (which ignore kms_key_id) and a key that is not customer-managed, and leaves one not known before apply unresolved",
    },
  },
  remediation:
    "Use a PERSISTENT_1 or PERSISTENT_2 deployment type with kms_key_id set to a customer-managed key (TrainingFileSystem uses PERSISTENT_2 with the checkpoints key).",
  examples: {
    good: [
      `
      resource "aws_kms_key" "data" {
        enable_key_rotation = true
      }

      resource "aws_fsx_lustre_file_system" "training" {
        storage_capacity            = 1200
        subnet_ids                  = ["subnet-0a1b2c3d"]
        deployment_type             = "PERSISTENT_2"
        per_unit_storage_throughput = 125
        kms_key_id                  = aws_kms_key.data.arn
      }
    `,
    ],
    bad: [
      `
      resource "aws_fsx_lustre_file_system" "training" {
        storage_capacity            = 1200
        subnet_ids                  = ["subnet-0a1b2c3d"]
        deployment_type             = "PERSISTENT_2"
        per_unit_storage_throughput = 125
      }
    `,
    ],
  },
  check(fs) {
    const deployment = lustreDeploymentType(fs);
    if (!deployment.type) return unresolved(`deployment_type is ${describe(deployment.value)}`);
    // Scratch file systems ignore kms_key_id and are always encrypted with an FSx-managed key.
    if (deployment.scratch) {
      return fail(
        `deployment_type is ${deployment.type}${deployment.value.state === "absent" ? " (the default)" : ""}: scratch file systems cannot use a customer-managed key`,
      );
    }
    if (valueAt(fs, "kms_key_id").state === "absent")
      return fail("kms_key_id is not set, so the AWS managed key aws/fsx encrypts the file system");
    return customerManagedKey(fs, "kms_key_id");
  },
};
