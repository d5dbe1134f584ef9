import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { attached, blocksOf, describe, firstBlock, rawAt, valueAt } from "../../helpers";
import { loadBalancerType } from "./util";

// jwt-validation checks a bearer token against the issuer's keys before the forward, as the other two authenticate first.
const AUTHENTICATING_ACTIONS = ["authenticate-oidc", "authenticate-cognito", "jwt-validation"];

/**
 * What one listener lets through without a client identity: "" when every
 * request is authenticated (mutual TLS in verify mode with a trust store, or
 * an authenticate-oidc/-cognito action before the forward), else why not.
 * Listeners that only redirect or answer fixed responses pass nothing on.
 */
function listenerProblem(listener: TfResource): string | Outcome {
  const actions = blocksOf(listener.body.default_action);
  const types = actions.map((a) => rawAt(a, "type"));
  if (types.some((t) => typeof t !== "string" || t.includes("${")))
    return unresolved(`${listener.address} default_action type is known only at apply`);
  if (!types.some((t) => t === "forward")) return "";
  const mutual = firstBlock(listener.body.mutual_authentication);
  if (mutual) {
    const mode = valueAt(listener, "mutual_authentication.mode");
    if (mode.state !== "known") return unresolved(`${listener.address} mutual_authentication.mode is ${describe(mode)}`);
    if (mode.value === "verify") {
      const store = valueAt(listener, "mutual_authentication.trust_store_arn");
      if (store.state === "absent") return `${listener.address} verifies clients against no trust store (trust_store_arn is not set)`;
      const expiry = valueAt(listener, "mutual_authentication.ignore_client_certificate_expiry");
      if (expiry.state === "known" && (expiry.value === true || expiry.value === "true"))
        return `${listener.address} accepts expired client certificates (ignore_client_certificate_expiry is true)`;
      return "";
    }
    if (mode.value === "passthrough")
      return `${listener.address} passes client certificates through unverified (mutual_authentication.mode is "passthrough"): the load balancer authenticates nobody`;
  }
  if (types.some((t) => AUTHENTICATING_ACTIONS.includes(String(t)))) return "";
  const protocol = valueAt(listener, "protocol");
  return `${listener.address} (${protocol.state === "known" ? String(protocol.value) : "protocol not set"}) forwards requests from clients it has not authenticated: no mutual TLS in verify mode and no authenticate-oidc or authenticate-cognito action`;
}

export const lbClientsAuthenticated: Rule = {
  id: "aws-lb-clients-authenticated",
  title: "Application load balancers forward only requests from authenticated clients",
  requirements: ["AICP-INFER-03"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_lb", "aws_alb"],
  effect:
    "Every listener that forwards to targets verifies each client's certificate against a trust store (mutual TLS, verify mode, expired certificates refused) or authenticates it with OIDC or Cognito first, so an unauthenticated client gets no answer from a model.",
  remediation:
    'Give each forwarding listener mutual_authentication { mode = "verify", trust_store_arn = <aws_lb_trust_store> } (InferenceEntry does), or an authenticate-oidc action before the forward on an HTTPS listener.',
  examples: {
    good: [
      `
      resource "aws_lb" "inference" {
        name               = "inference"
        load_balancer_type = "application"
        internal           = true
        subnets            = ["subnet-0a1b2c3d", "subnet-1a2b3c4d"]
      }

      resource "aws_lb_listener" "https" {
        load_balancer_arn = aws_lb.inference.arn
        port              = 443
        protocol          = "HTTPS"
        certificate_arn   = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666"
        mutual_authentication {
          mode            = "verify"
          trust_store_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:truststore/clients/0a1b2c3d4e5f6a7b"
        }
        default_action {
          type             = "forward"
          target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/inference/0a1b2c3d4e5f6a7b"
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_lb" "inference" {
        name               = "inference"
        load_balancer_type = "application"
        internal           = true
        subnets            = ["subnet-0a1b2c3d", "subnet-1a2b3c4d"]
      }

      resource "aws_lb_listener" "https" {
        load_balancer_arn = aws_lb.inference.arn
        port              = 443
        protocol          = "HTTPS"
        certificate_arn   = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666"
        default_action {
          type             = "forward"
          target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/inference/0a1b2c3d4e5f6a7b"
        }
      }
    `,
    ],
  },
  applies: (lb) => loadBalancerType(lb) !== "network" && loadBalancerType(lb) !== "gateway",
  check(lb) {
    const listeners = [...attached(lb, "aws_lb_listener", "load_balancer_arn"), ...attached(lb, "aws_alb_listener", "load_balancer_arn")];
    if (listeners.length === 0) return pass("the load balancer has no listener in the module, so it forwards nothing");
    const problems: string[] = [];
    const open: Outcome[] = [];
    for (const listener of listeners) {
      const problem = listenerProblem(listener);
      if (typeof problem !== "string") open.push(problem);
      else if (problem) problems.push(problem);
    }
    if (problems.length > 0) return fail(problems.join("; "));
    if (open.length > 0) return open[0];
    return pass(`every listener (${listeners.map((l) => l.address).join(", ")}) forwards only requests from authenticated clients`);
  },
};
