import { lbAccessLogs } from "../../../../lib/rules/aws/inference/lb-access-logs";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";
import { synthInferenceEntry } from "./synth-entry";

describe("aws-lb-access-logs", () => {
  it("requires access_logs enabled with a bucket", () => {
    const findings = checkJson(lbAccessLogs, {
      resource: {
        aws_s3_bucket: { logs: {} },
        aws_lb: {
          by_reference: { access_logs: { bucket: "${aws_s3_bucket.logs.id}", enabled: true } },
          by_name: { access_logs: [{ bucket: "my-logs", prefix: "alb", enabled: "true" }] },
          not_enabled: { access_logs: { bucket: "${aws_s3_bucket.logs.id}" } },
          disabled: { access_logs: [{ bucket: "my-logs", enabled: false }] },
          no_bucket: { access_logs: { enabled: true } },
          none: {},
          network: { load_balancer_type: "network", access_logs: { bucket: "my-logs", enabled: true } },
          gateway: { load_balancer_type: "gateway" },
          unknown_switch: { access_logs: { bucket: "my-logs", enabled: "${var.logs}" } },
          unknown_bucket: { access_logs: { bucket: "${var.bucket}", enabled: true } },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_lb.by_reference": "pass",
      "aws_lb.by_name": "pass",
      "aws_lb.not_enabled": "fail",
      "aws_lb.disabled": "fail",
      "aws_lb.no_bucket": "fail",
      "aws_lb.none": "fail",
      "aws_lb.network": "pass",
      "aws_lb.unknown_switch": "fail",
      "aws_lb.unknown_bucket": "fail",
    });
    const message = (name: string) => findingFor(findings, `aws_lb.${name}`).message;
    expect(message("by_reference")).toBe("access logs go to aws_s3_bucket.logs");
    expect(message("not_enabled")).toMatch(/access_logs\.enabled is not set \(the provider default is false\)/);
    expect(message("disabled")).toMatch(/access_logs\.enabled is false/);
    expect(message("no_bucket")).toMatch(/access_logs\.bucket is not set/);
    expect(message("none")).toMatch(/access_logs is not set/);
    expect(message("unknown_switch")).toMatch(/^unresolved: access_logs\.enabled is .*var\.logs/);
    expect(message("unknown_bucket")).toMatch(/^unresolved: access_logs\.bucket is .*var\.bucket/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      lbAccessLogs,
      `resource "aws_s3_bucket" "logs" {}
       resource "aws_lb" "logged" {
         access_logs {
           bucket  = aws_s3_bucket.logs.id
           enabled = true
         }
       }
       resource "aws_alb" "silent" {
         access_logs { bucket = aws_s3_bucket.logs.id }
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_lb.logged": "pass", "aws_alb.silent": "fail" });
  });

  it("passes InferenceEntry's load balancer, in Regions of either kind", () => {
    for (const region of ["us-east-1", "ap-southeast-4"]) {
      const json = synthInferenceEntry(region);
      const findings = checkJson(lbAccessLogs, json);
      expect(statuses(findings)).toEqual({ "aws_lb.inference_entry": "pass" });
      expect(findingFor(findings, "aws_lb.inference_entry").message).toBe("access logs go to aws_s3_bucket.access_logs");
    }
    const json = synthInferenceEntry();
    delete json.resource.aws_lb.inference_entry.access_logs;
    expect(statuses(checkJson(lbAccessLogs, json))).toEqual({ "aws_lb.inference_entry": "fail" });
  });
});
