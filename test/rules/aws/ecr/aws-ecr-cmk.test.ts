import { ecrCmk as rule } from "../../../../lib/rules/aws/ecr/ecr-cmk";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-ecr-cmk", () => {
  it("passes KMS with a customer-managed key, fails AES256 and the AWS managed key", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_kms_key: { registry: {} },
        aws_ecr_repository: {
          list: { name: "a", encryption_configuration: [{ encryption_type: "KMS", kms_key: "${aws_kms_key.registry.arn}" }] },
          object: {
            name: "b",
            encryption_configuration: { encryption_type: "KMS_DSSE", kms_key: "arn:aws:kms:eu-west-1:111122223333:key/abcd" },
          },
          aws_managed: { name: "c", encryption_configuration: [{ encryption_type: "KMS" }] },
          aes: { name: "d", encryption_configuration: [{ encryption_type: "AES256" }] },
          unset: { name: "e" },
          variable: { name: "f", encryption_configuration: [{ encryption_type: "KMS", kms_key: "${var.key}" }] },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_ecr_repository.list": "pass",
      "aws_ecr_repository.object": "pass",
      "aws_ecr_repository.aws_managed": "fail",
      "aws_ecr_repository.aes": "fail",
      "aws_ecr_repository.unset": "fail",
      "aws_ecr_repository.variable": "fail",
    });
    expect(findingFor(findings, "aws_ecr_repository.list").message).toMatch(
      /KMS: encrypted with the customer-managed key aws_kms_key\.registry/,
    );
    expect(findingFor(findings, "aws_ecr_repository.aws_managed").message).toMatch(/kms_key is not set, so the AWS managed key aws\/ecr/);
    expect(findingFor(findings, "aws_ecr_repository.unset").message).toMatch(/the default is AES256/);
    expect(findingFor(findings, "aws_ecr_repository.variable").message).toMatch(/^unresolved: .*var\.key/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_kms_key" "registry" {}
       resource "aws_ecr_repository" "good" {
         name = "good"
         encryption_configuration {
           encryption_type = "KMS"
           kms_key         = aws_kms_key.registry.arn
         }
       }
       resource "aws_ecr_repository" "bad" { name = "bad" }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_ecr_repository.good": "pass", "aws_ecr_repository.bad": "fail" });
  });
});
