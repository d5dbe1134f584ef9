import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { describe, valueAt } from "../../helpers";

export const ecrImmutableTags: Rule = {
  id: "aws-ecr-immutable-tags",
  title: "ECR repositories make every image tag immutable",
  requirements: ["AICP-INTEGRITY-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_ecr_repository"],
  checkov: ["CKV_AWS_51"],
  trivy: ["AVD-AWS-0031"],
  relations: {
    CKV_AWS_51: {
      relation: "equivalent",
      reason:
        'both pass image_tag_mutability "IMMUTABLE" only, so IMMUTABLE_WITH_EXCLUSION and the MUTABLE default fail; a value not known before apply is unresolved here',
    },
  },
  remediation: 'Set image_tag_mutability = "IMMUTABLE" without exclusion filters (ModelRegistry does).',
  examples: {
    good: [
      `
      resource "aws_ecr_repository" "serving" {
        name                 = "serving"
        image_tag_mutability = "IMMUTABLE"
      }
    `,
    ],
    bad: [
      `
      resource "aws_ecr_repository" "serving" {
        name = "serving" # MUTABLE by default
      }
    `,
    ],
  },
  check(repository) {
    const value = valueAt(repository, "image_tag_mutability");
    if (value.state === "unknown" || value.state === "reference") return unresolved(`image_tag_mutability is ${describe(value)}`);
    const mode = value.state === "known" ? String(value.value) : "MUTABLE";
    if (mode === "IMMUTABLE") return pass('image_tag_mutability is "IMMUTABLE": no tag can be overwritten');
    // IMMUTABLE_WITH_EXCLUSION leaves the tags matching its filters overwritable, so only IMMUTABLE counts.
    if (mode === "IMMUTABLE_WITH_EXCLUSION")
      return fail(
        'image_tag_mutability is "IMMUTABLE_WITH_EXCLUSION": tags matching the exclusion filters can still be overwritten, and only IMMUTABLE passes',
      );
    return fail(
      `tags can be overwritten: image_tag_mutability is ${describe(value)}${value.state === "absent" ? " (the default is MUTABLE)" : ""}`,
    );
  },
};
