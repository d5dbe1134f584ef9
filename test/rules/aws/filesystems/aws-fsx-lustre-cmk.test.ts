import { fsxLustreCmk as rule } from "../../../../lib/rules/aws/filesystems/fsx-lustre-cmk";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const base = { storage_capacity: 1200, subnet_ids: ["subnet-1"] };

describe("aws-fsx-lustre-cmk", () => {
  it("passes persistent file systems with a customer-managed key, fails scratch and AWS-managed", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_kms_key: { fs: {} },
        aws_fsx_lustre_file_system: {
          cmk: { ...base, deployment_type: "PERSISTENT_2", kms_key_id: "${aws_kms_key.fs.arn}" },
          aws_managed: { ...base, deployment_type: "PERSISTENT_1" },
          scratch: { ...base, deployment_type: "SCRATCH_2", kms_key_id: "${aws_kms_key.fs.arn}" },
          default: { ...base },
          variable: { ...base, deployment_type: "PERSISTENT_2", kms_key_id: "${var.key}" },
          type_variable: { ...base, deployment_type: "${var.type}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_fsx_lustre_file_system.cmk": "pass",
      "aws_fsx_lustre_file_system.aws_managed": "fail",
      "aws_fsx_lustre_file_system.scratch": "fail",
      "aws_fsx_lustre_file_system.default": "fail",
      "aws_fsx_lustre_file_system.variable": "fail",
      "aws_fsx_lustre_file_system.type_variable": "fail",
    });
    expect(findingFor(findings, "aws_fsx_lustre_file_system.scratch").message).toMatch(
      /SCRATCH_2: scratch file systems cannot use a customer-managed key/,
    );
    expect(findingFor(findings, "aws_fsx_lustre_file_system.default").message).toMatch(/SCRATCH_1 \(the default\)/);
    expect(findingFor(findings, "aws_fsx_lustre_file_system.aws_managed").message).toMatch(/aws\/fsx/);
    expect(findingFor(findings, "aws_fsx_lustre_file_system.variable").message).toMatch(/^unresolved: kms_key_id .*var\.key/);
    expect(findingFor(findings, "aws_fsx_lustre_file_system.type_variable").message).toMatch(/^unresolved: deployment_type .*var\.type/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_kms_key" "fs" {}
       resource "aws_fsx_lustre_file_system" "good" {
         storage_capacity = 1200
         subnet_ids       = ["subnet-1"]
         deployment_type  = "PERSISTENT_2"
         kms_key_id       = aws_kms_key.fs.arn
       }
       resource "aws_fsx_lustre_file_system" "scratch" {
         storage_capacity = 1200
         subnet_ids       = ["subnet-1"]
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_fsx_lustre_file_system.good": "pass", "aws_fsx_lustre_file_system.scratch": "fail" });
  });
});
