import { efsCmk as rule } from "../../../../lib/rules/aws/filesystems/efs-cmk";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-efs-cmk", () => {
  it("passes encryption with a customer-managed key, fails the rest", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_kms_key: { fs: {} },
        aws_efs_file_system: {
          cmk: { encrypted: true, kms_key_id: "${aws_kms_key.fs.arn}" },
          aws_managed: { encrypted: true },
          plain: {},
          off: { encrypted: false, kms_key_id: "${aws_kms_key.fs.arn}" },
          variable: { encrypted: "${var.encrypted}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_efs_file_system.cmk": "pass",
      "aws_efs_file_system.aws_managed": "fail",
      "aws_efs_file_system.plain": "fail",
      "aws_efs_file_system.off": "fail",
      "aws_efs_file_system.variable": "fail",
    });
    expect(findingFor(findings, "aws_efs_file_system.cmk").message).toMatch(/aws_kms_key\.fs/);
    expect(findingFor(findings, "aws_efs_file_system.aws_managed").message).toMatch(/aws\/elasticfilesystem/);
    expect(findingFor(findings, "aws_efs_file_system.plain").message).toMatch(/encrypted is not set \(the default is false\)/);
    expect(findingFor(findings, "aws_efs_file_system.variable").message).toMatch(/^unresolved: .*var\.encrypted/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_kms_key" "fs" {}
       resource "aws_efs_file_system" "good" {
         encrypted  = true
         kms_key_id = aws_kms_key.fs.arn
       }
       resource "aws_efs_file_system" "bad" { encrypted = true }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_efs_file_system.good": "pass", "aws_efs_file_system.bad": "fail" });
  });
});
