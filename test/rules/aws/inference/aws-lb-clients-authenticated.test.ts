import { lbClientsAuthenticated as rule } from "../../../../lib/rules/aws/inference/lb-clients-authenticated";
import { checkHcl, checkJson, findingFor } from "../../harness";
import { synthInferenceEntry } from "./synth-entry";

const forward = [{ type: "forward", target_group_arn: "${aws_lb_target_group.t.arn}" }];
function listener(body: object) {
  return findingFor(
    checkJson(rule, {
      resource: {
        aws_lb: { entry: { internal: true } },
        aws_lb_trust_store: { clients: {} },
        aws_lb_listener: {
          https: { load_balancer_arn: "${aws_lb.entry.arn}", port: 443, protocol: "HTTPS", default_action: forward, ...body },
        },
      },
    }),
    "aws_lb.entry",
  );
}
const verify = { mutual_authentication: [{ mode: "verify", trust_store_arn: "${aws_lb_trust_store.clients.arn}" }] };

describe("aws-lb-clients-authenticated", () => {
  it("passes the inference entry: mutual TLS in verify mode against its trust store", () => {
    const doc = synthInferenceEntry();
    const finding = findingFor(checkJson(rule, doc), Object.keys(doc.resource.aws_lb).map((n) => `aws_lb.${n}`)[0]);
    expect(finding.status).toBe("pass");
  });

  it("passes verify mode, an OIDC action before the forward, and listeners that forward nothing", () => {
    expect(listener(verify).status).toBe("pass");
    expect(
      listener({
        default_action: [
          { type: "authenticate-oidc", order: 1, authenticate_oidc: [{}] },
          { ...forward[0], order: 2 },
        ],
      }).status,
    ).toBe("pass");
    expect(
      listener({
        protocol: "HTTP",
        port: 80,
        default_action: [{ type: "redirect", redirect: [{ protocol: "HTTPS", port: "443", status_code: "HTTP_301" }] }],
      }).status,
    ).toBe("pass");
  });

  it("fails a listener that forwards unauthenticated clients, passes certificates through unverified, or accepts expired ones", () => {
    expect(listener({}).message).toMatch(/aws_lb_listener\.https \(HTTPS\) forwards requests from clients it has not authenticated/);
    expect(listener({ mutual_authentication: [{ mode: "passthrough" }] }).message).toMatch(/passes client certificates through unverified/);
    expect(listener({ mutual_authentication: [{ mode: "verify" }] }).message).toMatch(/verifies clients against no trust store/);
    expect(
      listener({
        mutual_authentication: [
          { mode: "verify", trust_store_arn: "${aws_lb_trust_store.clients.arn}", ignore_client_certificate_expiry: true },
        ],
      }).message,
    ).toMatch(/accepts expired client certificates/);
  });

  it("leaves modes and actions known only at apply unresolved", () => {
    expect(listener({ mutual_authentication: [{ mode: "${var.mode}" }] }).unresolved).toBe(true);
    expect(listener({ default_action: [{ type: "${var.action}" }] }).unresolved).toBe(true);
  });

  it("reads HCL", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_lb" "open" { internal = true }
       resource "aws_lb_listener" "open" {
         load_balancer_arn = aws_lb.open.arn
         protocol = "HTTPS"
         default_action {
           type = "forward"
           target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/t/1"
         }
       }
       resource "aws_lb" "mtls" { internal = true }
       resource "aws_lb_listener" "mtls" {
         load_balancer_arn = aws_lb.mtls.arn
         protocol = "HTTPS"
         default_action {
           type = "forward"
           target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/t/1"
         }
         mutual_authentication {
           mode = "verify"
           trust_store_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:truststore/clients/1"
         }
       }`,
    );
    expect(findingFor(hcl, "aws_lb.open").status).toBe("fail");
    expect(findingFor(hcl, "aws_lb.mtls").status).toBe("pass");
  });
});
