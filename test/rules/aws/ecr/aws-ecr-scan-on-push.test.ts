import { ecrScanOnPush as rule } from "../../../../lib/rules/aws/ecr/ecr-scan-on-push";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-ecr-scan-on-push", () => {
  it("passes the repository flag in object or list form, fails it off or unset", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_ecr_repository: {
          object: { name: "a", image_scanning_configuration: { scan_on_push: true } },
          list: { name: "b", image_scanning_configuration: [{ scan_on_push: "true" }] },
          off: { name: "c", image_scanning_configuration: { scan_on_push: false } },
          unset: { name: "d" },
          variable: { name: "e", image_scanning_configuration: { scan_on_push: "${var.scan}" } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_ecr_repository.object": "pass",
      "aws_ecr_repository.list": "pass",
      "aws_ecr_repository.off": "fail",
      "aws_ecr_repository.unset": "fail",
      "aws_ecr_repository.variable": "fail",
    });
    expect(findingFor(findings, "aws_ecr_repository.unset").message).toMatch(/scan_on_push is not set and no registry scanning rule/);
    expect(findingFor(findings, "aws_ecr_repository.variable").message).toMatch(/^unresolved: .*var\.scan/);
  });

  it("accepts a registry scanning rule that covers the repository", () => {
    const findings = checkJson(rule, {
      resource: {
        aws_ecr_repository: { models: { name: "models-serving" }, other: { name: "tools" } },
        aws_ecr_registry_scanning_configuration: {
          registry: {
            scan_type: "ENHANCED",
            rule: [
              { scan_frequency: "MANUAL", repository_filter: [{ filter: "*", filter_type: "WILDCARD" }] },
              { scan_frequency: "CONTINUOUS_SCAN", repository_filter: [{ filter: "models-*", filter_type: "WILDCARD" }] },
            ],
          },
        },
      },
    });
    expect(statuses(findings)).toEqual({ "aws_ecr_repository.models": "pass", "aws_ecr_repository.other": "fail" });
    expect(findingFor(findings, "aws_ecr_repository.models").message).toMatch(
      /aws_ecr_registry_scanning_configuration\.registry rule 2 \(CONTINUOUS_SCAN\)/,
    );
  });

  it("reads HCL, including a registry rule for every repository", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_ecr_repository" "repo" { name = "anything" }
       resource "aws_ecr_registry_scanning_configuration" "all" {
         scan_type = "BASIC"
         rule {
           scan_frequency = "SCAN_ON_PUSH"
           repository_filter {
             filter      = "*"
             filter_type = "WILDCARD"
           }
         }
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_ecr_repository.repo": "pass" });
    const alone = await checkHcl(rule, `resource "aws_ecr_repository" "repo" { name = "anything" }`);
    expect(statuses(alone)).toEqual({ "aws_ecr_repository.repo": "fail" });
  });
});
