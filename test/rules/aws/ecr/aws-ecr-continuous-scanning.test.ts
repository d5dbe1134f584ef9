import { ecrContinuousScanning } from "../../../../lib/rules/aws/ecr/ecr-continuous-scanning";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const continuous = (filter: string) => ({
  scan_type: "ENHANCED",
  rule: [{ scan_frequency: "CONTINUOUS_SCAN", repository_filter: [{ filter, filter_type: "WILDCARD" }] }],
});
const check = (resource: object) =>
  checkJson(ecrContinuousScanning, { resource: { aws_ecr_repository: { serving: { name: "serving/llm" } }, ...resource } });
const finding = (resource: object) => findingFor(check(resource), "aws_ecr_repository.serving");

describe("aws-ecr-continuous-scanning", () => {
  it("passes enhanced continuous scanning that covers the repository, with Inspector on for ECR", () => {
    expect(
      finding({
        aws_inspector2_enabler: { ecr: { account_ids: ["111122223333"], resource_types: ["ECR"] } },
        aws_ecr_registry_scanning_configuration: { s: continuous("serving/*") },
      }),
    ).toMatchObject({
      status: "pass",
      message:
        "aws_ecr_registry_scanning_configuration.s has Amazon Inspector (aws_inspector2_enabler.ecr) scan this repository continuously",
    });
  });

  it("fails basic scanning, no configuration, and a filter that misses the repository", () => {
    expect(finding({}).message).toMatch(/^no aws_ecr_registry_scanning_configuration: basic scanning checks an image once/);
    expect(
      finding({
        aws_ecr_registry_scanning_configuration: {
          s: {
            scan_type: "BASIC",
            rule: [{ scan_frequency: "SCAN_ON_PUSH", repository_filter: [{ filter: "*", filter_type: "WILDCARD" }] }],
          },
        },
      }).message,
    ).toMatch(/scan_type is "BASIC": basic scanning rescans nothing/);
    const missed = finding({
      aws_inspector2_enabler: { ecr: { resource_types: ["ECR"] } },
      aws_ecr_registry_scanning_configuration: { s: continuous("training/*") },
    });
    expect(missed).toMatchObject({
      status: "fail",
      message: "aws_ecr_registry_scanning_configuration.s has no CONTINUOUS_SCAN rule whose filter covers this repository",
    });
  });

  it("leaves it unresolved when Inspector is not turned on in the module, or the scan type is a variable", () => {
    expect(finding({ aws_ecr_registry_scanning_configuration: { s: continuous("*") } }).message).toMatch(
      /^unresolved: .*no aws_inspector2_enabler in the module turns Amazon Inspector on for ECR/,
    );
    expect(finding({ aws_ecr_registry_scanning_configuration: { s: { scan_type: "${var.scan}" } } }).message).toMatch(
      /^unresolved: .*scan_type is .*var\.scan/,
    );
    expect(
      statuses(
        check({
          aws_inspector2_enabler: { ecr: { resource_types: "${var.types}" } },
          aws_ecr_registry_scanning_configuration: { s: continuous("*") },
        }),
      ),
    ).toEqual({ "aws_ecr_repository.serving": "fail" });
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      ecrContinuousScanning,
      `resource "aws_ecr_repository" "serving" { name = "serving" }
       resource "aws_inspector2_enabler" "ecr" {
         account_ids    = ["111122223333"]
         resource_types = ["ECR"]
       }
       resource "aws_ecr_registry_scanning_configuration" "this" {
         scan_type = "ENHANCED"
         rule {
           scan_frequency = "CONTINUOUS_SCAN"
           repository_filter {
             filter      = "*"
             filter_type = "WILDCARD"
           }
         }
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_ecr_repository.serving": "pass" });
  });
});
