import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, Json, JsonObject, TfResource } from "../../../terraform/model";
import { attached, blocksOf, describe, documentAt, firstBlock, resolve, valueAt } from "../../helpers";
import { loadBalancerType } from "./util";

/**
 * A field by Terraform (`rate_based_statement`) or WAF API (`RateBasedStatement`) spelling, so `rule` blocks and `rule_json` read alike.
 */
function field(block: JsonObject | undefined, name: string): Json | undefined {
  if (!block) return undefined;
  const want = name.replace(/_/g, "").toLowerCase();
  const key = Object.keys(block).find((k) => k.replace(/_/g, "").toLowerCase() === want);
  return key === undefined ? undefined : block[key];
}

// Actions that stop a client over the limit; count and allow only observe.
const LIMITING = ["block", "captcha", "challenge"];

/**
 * Custom aggregation keys whose value the client writes freely. A rate-based
 * rule keyed on these alone counts per value, so a client that sends a new
 * value with each request never reaches the limit, and WAF leaves a request
 * that lacks the component out of the count altogether (WAF API reference,
 * RateBasedStatementCustomKey: "Web requests that are missing any of the
 * components specified in the aggregation keys are omitted from the
 * rate-based rule evaluation and handling"). With an ip key beside them the
 * count still splits per source address, which the client cannot choose.
 */
const CLIENT_WRITTEN_KEYS = ["header", "cookie", "query_argument", "query_string"];

/** Why a rate-based statement's keys let a client escape its limit, or undefined when they do not (or cannot be read). */
function clientChosenKeys(acl: TfResource, rate: JsonObject): string | undefined {
  const type = resolve(acl, field(rate, "aggregate_key_type"));
  if (type.state !== "known" || String(type.value).toUpperCase() !== "CUSTOM_KEYS") return undefined;
  const keys = blocksOf(field(rate, "custom_key") ?? field(rate, "custom_keys"))
    .flatMap((key) => Object.keys(key))
    .map((k) => k.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase());
  if (keys.length === 0 || !keys.every((k) => CLIENT_WRITTEN_KEYS.includes(k))) return undefined;
  return `is keyed only on ${[...new Set(keys)].join(", ")}, values the client writes: a new value per request escapes the limit, and requests without one are not counted`;
}

/** The web ACL's rules from its `rule` blocks and its `rule_json`, or an outcome when they cannot be read. */
function rulesOf(acl: TfResource): JsonObject[] | Outcome {
  if (typeof acl.body.rule === "string") return unresolved(`${acl.address} rule is ${describe(resolve(acl, acl.body.rule))}`);
  const rules = blocksOf(acl.body.rule);
  const json = documentAt(acl, "rule_json");
  if (json.state === "unknown" || json.state === "reference") return unresolved(`${acl.address} rule_json is ${describe(json)}`);
  if (json.state === "known" && typeof json.value === "string") {
    try {
      const parsed = JSON.parse(json.value) as Json;
      rules.push(...(Array.isArray(parsed) ? parsed : [parsed]).filter(isObject));
    } catch {
      return unresolved(`${acl.address} rule_json is not JSON the engine can read`);
    }
  }
  return rules;
}

/** Whether the web ACL has a rate-based rule with a limit and an action that stops clients over it. */
function judgeAcl(acl: TfResource): Outcome {
  const rules = rulesOf(acl);
  if (!Array.isArray(rules)) return rules;
  const problems: string[] = [];
  let open: Outcome | undefined;
  for (const rule of rules) {
    const rate = firstBlock(field(firstBlock(field(rule, "statement")), "rate_based_statement"));
    if (!rate) continue;
    const name = JSON.stringify(field(rule, "name") ?? "?");
    const limit = resolve(acl, field(rate, "limit"));
    const action = firstBlock(field(rule, "action"));
    const kind = action ? Object.keys(action)[0]?.toLowerCase() : undefined;
    const escape = clientChosenKeys(acl, rate);
    if (limit.state === "absent") problems.push(`rate-based rule ${name} sets no limit`);
    else if (escape) problems.push(`rate-based rule ${name} ${escape}`);
    else if (limit.state !== "known") open ??= unresolved(`${acl.address} rate-based rule ${name} has limit ${describe(limit)}`);
    else if (!kind || !LIMITING.includes(kind))
      problems.push(`rate-based rule ${name} has action ${kind ?? "none"}, which does not stop clients over the limit`);
    else return pass(`${acl.address} rule ${name} applies ${kind} to clients over ${JSON.stringify(limit.value)} requests per window`);
  }
  if (open) return open;
  if (problems.length > 0) return fail(`${acl.address}: ${problems.join("; ")}`);
  return fail(`${acl.address} has no rate-based rule`);
}

export const lbWafRateLimited: Rule = {
  id: "aws-lb-waf-rate-limited",
  title: "Application load balancers sit behind a WAF web ACL with a rate-based rule",
  requirements: ["AICP-INFER-02"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_lb", "aws_alb"],
  checkov: ["CKV2_AWS_28"],
  relations: {
    CKV2_AWS_28: {
      relation: "partial",
      reason:
        "CKV2_AWS_28 passes an internal load balancer and any WAF association, aws_wafregional_web_acl_association included; this rule fails internal application load balancers without a WAFv2 web ACL, requires a blocking rate-based rule, and does not read WAF Classic associations",
    },
  },
  remediation:
    "Associate an aws_wafv2_web_acl with a rule whose statement is a rate_based_statement with a limit, keyed on the source IP (alone or among custom keys) rather than only on headers, cookies or query values the client writes, and whose action blocks (InferenceEntry does).",
  // WAF attaches to application load balancers only; an unknown type is judged so it comes out unresolved.
  examples: {
    good: [
      `
      resource "aws_lb" "inference" {
        name               = "inference"
        load_balancer_type = "application"
        internal           = true
        subnets            = ["subnet-0a1b2c3d", "subnet-1a2b3c4d"]
      }

      resource "aws_wafv2_web_acl" "inference" {
        name  = "inference"
        scope = "REGIONAL"
        default_action {
          allow {}
        }
        rule {
          name     = "per-client-rate"
          priority = 1
          action {
            block {}
          }
          statement {
            rate_based_statement {
              limit              = 1000
              aggregate_key_type = "IP"
            }
          }
          visibility_config {
            cloudwatch_metrics_enabled = true
            metric_name                = "per-client-rate"
            sampled_requests_enabled   = true
          }
        }
        visibility_config {
          cloudwatch_metrics_enabled = true
          metric_name                = "inference"
          sampled_requests_enabled   = true
        }
      }

      resource "aws_wafv2_web_acl_association" "inference" {
        resource_arn = aws_lb.inference.arn
        web_acl_arn  = aws_wafv2_web_acl.inference.arn
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

      resource "aws_wafv2_web_acl" "inference" {
        name  = "inference"
        scope = "REGIONAL"
        default_action {
          allow {}
        }
        rule {
          name     = "per-client-rate"
          priority = 1
          action {
            count {}
          }
          statement {
            rate_based_statement {
              limit              = 1000
              aggregate_key_type = "IP"
            }
          }
          visibility_config {
            cloudwatch_metrics_enabled = true
            metric_name                = "per-client-rate"
            sampled_requests_enabled   = true
          }
        }
        visibility_config {
          cloudwatch_metrics_enabled = true
          metric_name                = "inference"
          sampled_requests_enabled   = true
        }
      }

      resource "aws_wafv2_web_acl_association" "inference" {
        resource_arn = aws_lb.inference.arn
        web_acl_arn  = aws_wafv2_web_acl.inference.arn
      }
    `,
    ],
  },
  applies: (lb) => loadBalancerType(lb) !== "network" && loadBalancerType(lb) !== "gateway",
  check(lb) {
    if (loadBalancerType(lb) === undefined) return unresolved(`load_balancer_type is ${describe(valueAt(lb, "load_balancer_type"))}`);
    const associations = attached(lb, "aws_wafv2_web_acl_association", "resource_arn");
    if (associations.length === 0) return fail("no aws_wafv2_web_acl_association puts the load balancer behind a web ACL");
    const outcomes = associations.map((association): Outcome => {
      const acl = valueAt(association, "web_acl_arn");
      if (acl.state === "reference" && acl.target.type === "aws_wafv2_web_acl") return judgeAcl(acl.target);
      return unresolved(`${association.address} web_acl_arn is ${describe(acl)}, not a web ACL of the module`);
    });
    return (
      outcomes.find((o) => o.status === "pass") ??
      outcomes.find((o) => o.status === "unresolved") ??
      fail(outcomes.map((o) => o.message).join("; "))
    );
  },
};
