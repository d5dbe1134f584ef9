import { ecrImmutableTags as rule } from "../../../../lib/rules/aws/ecr/ecr-immutable-tags";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-ecr-immutable-tags", () => {
  it("passes IMMUTABLE only", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_ecr_repository: {
          immutable: { name: "models", image_tag_mutability: "IMMUTABLE" },
          exclusion: {
            name: "dev",
            image_tag_mutability: "IMMUTABLE_WITH_EXCLUSION",
            image_tag_mutability_exclusion_filter: [{ filter: "latest*", filter_type: "WILDCARD" }],
          },
          mutable: { name: "m", image_tag_mutability: "MUTABLE" },
          unset: { name: "u" },
          variable: { name: "v", image_tag_mutability: "${var.mutability}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_ecr_repository.immutable": "pass",
      "aws_ecr_repository.exclusion": "fail",
      "aws_ecr_repository.mutable": "fail",
      "aws_ecr_repository.unset": "fail",
      "aws_ecr_repository.variable": "fail",
    });
    expect(findingFor(findings, "aws_ecr_repository.exclusion").message).toMatch(
      /exclusion filters can still be overwritten, and only IMMUTABLE passes/,
    );
    expect(findingFor(findings, "aws_ecr_repository.unset").message).toMatch(/not set \(the default is MUTABLE\)/);
    expect(findingFor(findings, "aws_ecr_repository.variable").message).toMatch(/^unresolved: .*var\.mutability/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_ecr_repository" "good" {
         name = "good"
         image_tag_mutability = "IMMUTABLE"
       }
       resource "aws_ecr_repository" "bad" { name = "bad" }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_ecr_repository.good": "pass", "aws_ecr_repository.bad": "fail" });
  });
});
