import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { blocksOf, describe, isTrue, resolve, valueAt } from "../../helpers";

const SCANNING = ["SCAN_ON_PUSH", "CONTINUOUS_SCAN"];

export const ecrScanOnPush: Rule = {
  id: "aws-ecr-scan-on-push",
  title: "ECR repositories scan images on push",
  requirements: ["AICP-INTEGRITY-01"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_ecr_repository"],
  checkov: ["CKV_AWS_163"],
  trivy: ["AVD-AWS-0030"],
  relations: {
    CKV_AWS_163: {
      relation: "partial",
      reason:
        "also passes a repository that an aws_ecr_registry_scanning_configuration rule scans on push or continuously, which CKV_AWS_163 (image_scanning_configuration.scan_on_push only) fails; otherwise the same verdicts",
    },
  },
  remediation:
    'Set image_scanning_configuration.scan_on_push = true, or add an aws_ecr_registry_scanning_configuration rule that scans on push for "*" (ModelRegistry does).',
  examples: {
    good: [
      `
      resource "aws_ecr_repository" "serving" {
        name = "serving"
        image_scanning_configuration {
          scan_on_push = true
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_ecr_repository" "serving" {
        name = "serving"
      }
    `,
    ],
  },
  check(repository) {
    const flag = valueAt(repository, "image_scanning_configuration.scan_on_push");
    if (isTrue(flag)) return pass("image_scanning_configuration.scan_on_push is true");
    const registry = registryRule(repository);
    if (registry) return pass(`${registry} scans this repository's images as they are pushed`);
    if (flag.state === "unknown" || flag.state === "reference")
      return unresolved(`image_scanning_configuration.scan_on_push is ${describe(flag)}`);
    return fail(
      `images are not scanned on push: image_scanning_configuration.scan_on_push is ${describe(flag)} and no registry scanning rule covers the repository`,
    );
  },
};

/** The registry scanning rule (account-wide) that scans this repository on push or continuously, if any. */
function registryRule(repository: TfResource): string | undefined {
  const name = valueAt(repository, "name");
  for (const config of repository.module.ofType("aws_ecr_registry_scanning_configuration")) {
    for (const [i, rule] of blocksOf(config.body.rule).entries()) {
      const frequency = resolve(config, rule.scan_frequency);
      if (frequency.state !== "known" || !SCANNING.includes(String(frequency.value))) continue;
      const filters = blocksOf(rule.repository_filter).map((f) => resolve(config, f.filter));
      const covers = filters.some(
        (f) =>
          f.state === "known" &&
          typeof f.value === "string" &&
          (f.value === "*" || matches(f.value, name.state === "known" ? name.value : undefined)),
      );
      if (covers) return `${config.address} rule ${i + 1} (${String(frequency.value)})`;
    }
  }
  return undefined;
}

/** ECR wildcard filters: `*` matches any run of characters. */
function matches(filter: string, name: unknown): boolean {
  if (typeof name !== "string" || name.indexOf("${") >= 0) return false;
  const pattern = filter
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${pattern}$`).test(name);
}
