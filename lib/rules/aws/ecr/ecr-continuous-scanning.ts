import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { blocksOf, describe, resolve, stringList, valueAt } from "../../helpers";

/** ECR wildcard filters: `*` matches any run of characters. */
function filterMatches(filter: string, name: unknown): boolean {
  if (filter === "*") return true;
  if (typeof name !== "string" || name.includes("${")) return false;
  const pattern = filter
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${pattern}$`).test(name);
}

/** An aws_inspector2_enabler of the module that turns Inspector on for ECR, or why none is known to. */
function inspectorForEcr(repository: TfResource): { address: string } | { open: string } | undefined {
  let open: string | undefined;
  for (const enabler of repository.module.ofType("aws_inspector2_enabler")) {
    const types = valueAt(enabler, "resource_types");
    if (types.state !== "known") {
      open ??= `${enabler.address} resource_types is ${describe(types)}`;
      continue;
    }
    if (stringList(types.value as never).includes("ECR")) return { address: enabler.address };
  }
  return open ? { open } : undefined;
}

export const ecrContinuousScanning: Rule = {
  id: "aws-ecr-continuous-scanning",
  title: "Amazon Inspector rescans images as new vulnerabilities are published",
  requirements: ["AICP-INTEGRITY-09"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_ecr_repository"],
  remediation:
    'Add aws_inspector2_enabler with resource_types ["ECR"] and aws_ecr_registry_scanning_configuration { scan_type = "ENHANCED", rule { scan_frequency = "CONTINUOUS_SCAN", repository_filter { filter = "*", filter_type = "WILDCARD" } } } (ImageMirror does).',
  examples: {
    good: [
      `
      resource "aws_ecr_repository" "serving" {
        name = "serving"
      }

      resource "aws_ecr_registry_scanning_configuration" "registry" {
        scan_type = "ENHANCED"
        rule {
          scan_frequency = "CONTINUOUS_SCAN"
          repository_filter {
            filter      = "*"
            filter_type = "WILDCARD"
          }
        }
      }

      resource "aws_inspector2_enabler" "ecr" {
        account_ids    = ["111122223333"]
        resource_types = ["ECR"]
      }
    `,
    ],
    bad: [
      `
      resource "aws_ecr_repository" "serving" {
        name = "serving"
      }

      resource "aws_ecr_registry_scanning_configuration" "registry" {
        scan_type = "BASIC"
      }
    `,
    ],
  },
  check(repository) {
    const name = valueAt(repository, "name");
    const configs = repository.module.ofType("aws_ecr_registry_scanning_configuration");
    if (configs.length === 0)
      return fail(
        "no aws_ecr_registry_scanning_configuration: basic scanning checks an image once at push, never again when a CVE is published later",
      );
    let why = "";
    for (const config of configs) {
      const type = valueAt(config, "scan_type");
      if (type.state !== "known") return unresolved(`${config.address} scan_type is ${describe(type)}`);
      if (type.value !== "ENHANCED") {
        why = `${config.address} scan_type is ${describe(type)}: basic scanning rescans nothing`;
        continue;
      }
      const covering = blocksOf(config.body.rule).find((rule) => {
        const frequency = resolve(config, rule.scan_frequency);
        return (
          frequency.state === "known" &&
          frequency.value === "CONTINUOUS_SCAN" &&
          blocksOf(rule.repository_filter).some((f) => {
            const filter = resolve(config, f.filter);
            return (
              filter.state === "known" &&
              typeof filter.value === "string" &&
              filterMatches(filter.value, name.state === "known" ? name.value : undefined)
            );
          })
        );
      });
      if (!covering) {
        why = `${config.address} has no CONTINUOUS_SCAN rule whose filter covers this repository`;
        continue;
      }
      const inspector = inspectorForEcr(repository);
      if (inspector === undefined)
        return unresolved(
          `${config.address} asks for continuous scanning, but no aws_inspector2_enabler in the module turns Amazon Inspector on for ECR; whether it is on in the account is unknown`,
        );
      if ("open" in inspector) return unresolved(inspector.open);
      return pass(`${config.address} has Amazon Inspector (${inspector.address}) scan this repository continuously`);
    }
    return fail(why);
  },
};
