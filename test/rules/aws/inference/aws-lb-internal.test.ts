import { lbInternal } from "../../../../lib/rules/aws/inference/lb-internal";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";
import { synthInferenceEntry } from "./synth-entry";

describe("aws-lb-internal", () => {
  it("passes internal load balancers and fails internet-facing ones, the provider default", () => {
    const findings = checkJson(lbInternal, {
      resource: {
        aws_lb: {
          internal: { internal: true },
          public: { internal: false },
          defaulted: { load_balancer_type: "network" },
          text: { internal: "true" },
          unknown: { internal: "${var.internal}" },
        },
        aws_alb: { legacy: { internal: false } },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_lb.internal": "pass",
      "aws_lb.public": "fail",
      "aws_lb.defaulted": "fail",
      "aws_lb.text": "pass",
      "aws_lb.unknown": "fail",
      "aws_alb.legacy": "fail",
    });
    expect(findingFor(findings, "aws_lb.public").message).toBe("the load balancer is internet-facing: internal is false");
    expect(findingFor(findings, "aws_lb.defaulted").message).toMatch(/internal is not set \(the provider default is false\)/);
    expect(findingFor(findings, "aws_lb.unknown").message).toMatch(/^unresolved: internal is .*var\.internal/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(lbInternal, `resource "aws_lb" "private" { internal = true }\nresource "aws_lb" "public" {}`);
    expect(statuses(findings)).toEqual({ "aws_lb.private": "pass", "aws_lb.public": "fail" });
  });

  it("passes InferenceEntry's load balancer", () => {
    const json = synthInferenceEntry();
    expect(statuses(checkJson(lbInternal, json))).toEqual({ "aws_lb.inference_entry": "pass" });
    json.resource.aws_lb.inference_entry.internal = false;
    expect(statuses(checkJson(lbInternal, json))).toEqual({ "aws_lb.inference_entry": "fail" });
  });
});
