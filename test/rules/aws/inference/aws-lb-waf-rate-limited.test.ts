import { lbWafRateLimited } from "../../../../lib/rules/aws/inference/lb-waf-rate-limited";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";
import { synthInferenceEntry } from "./synth-entry";

const visibility = { cloudwatch_metrics_enabled: true, sampled_requests_enabled: true, metric_name: "m" };
const rateRule = (action: object, limit: unknown = 500) => ({
  name: "rate",
  priority: 0,
  action,
  statement: { rate_based_statement: { limit, aggregate_key_type: "IP" } },
  visibility_config: visibility,
});
const acl = (...rule: object[]) => ({ scope: "REGIONAL", default_action: { allow: {} }, rule, visibility_config: visibility });
const associate = (lb: string, webAcl: string) => ({
  resource_arn: `\${aws_lb.${lb}.arn}`,
  web_acl_arn: `\${aws_wafv2_web_acl.${webAcl}.arn}`,
});

describe("aws-lb-waf-rate-limited", () => {
  it("requires a web ACL with a rate-based rule that stops clients over the limit", () => {
    const findings = checkJson(lbWafRateLimited, {
      resource: {
        aws_wafv2_web_acl: {
          blocking: acl(rateRule({ block: {} })),
          // Blocks written as lists, the way HCL parses them.
          listed: {
            ...acl(),
            rule: [{ name: "rate", action: [{ captcha: [{}] }], statement: [{ rate_based_statement: [{ limit: 100 }] }] }],
          },
          counting: acl(rateRule({ count: {} })),
          no_limit: acl({ ...rateRule({ block: {} }), statement: { rate_based_statement: { aggregate_key_type: "IP" } } }),
          managed_only: acl({
            name: "common",
            override_action: { none: {} },
            statement: { managed_rule_group_statement: { name: "AWSManagedRulesCommonRuleSet", vendor_name: "AWS" } },
          }),
          json_rules: {
            ...acl(),
            rule_json: JSON.stringify([
              {
                Name: "rate",
                Priority: 0,
                Action: { Block: {} },
                Statement: { RateBasedStatement: { Limit: 300, AggregateKeyType: "IP" } },
              },
            ]),
          },
          unknown_limit: acl(rateRule({ block: {} }, "${var.limit}")),
        },
        aws_lb: {
          blocking: {},
          listed: {},
          counting: {},
          no_limit: {},
          managed_only: {},
          json_rules: {},
          unknown_limit: {},
          bare: {},
          network: { load_balancer_type: "network" },
          unknown_type: { load_balancer_type: "${var.type}" },
          unknown_acl: {},
        },
        aws_wafv2_web_acl_association: {
          blocking: associate("blocking", "blocking"),
          listed: associate("listed", "listed"),
          counting: associate("counting", "counting"),
          no_limit: associate("no_limit", "no_limit"),
          managed_only: associate("managed_only", "managed_only"),
          json_rules: associate("json_rules", "json_rules"),
          unknown_limit: associate("unknown_limit", "unknown_limit"),
          unknown_acl: { resource_arn: "${aws_lb.unknown_acl.arn}", web_acl_arn: "${var.web_acl_arn}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_lb.blocking": "pass",
      "aws_lb.listed": "pass",
      "aws_lb.counting": "fail",
      "aws_lb.no_limit": "fail",
      "aws_lb.managed_only": "fail",
      "aws_lb.json_rules": "pass",
      "aws_lb.unknown_limit": "fail",
      "aws_lb.bare": "fail",
      "aws_lb.unknown_type": "fail",
      "aws_lb.unknown_acl": "fail",
    });
    const message = (name: string) => findingFor(findings, `aws_lb.${name}`).message;
    expect(message("blocking")).toBe('aws_wafv2_web_acl.blocking rule "rate" applies block to clients over 500 requests per window');
    expect(message("listed")).toMatch(/applies captcha to clients over 100/);
    expect(message("json_rules")).toMatch(/aws_wafv2_web_acl\.json_rules rule "rate" applies block to clients over 300/);
    expect(message("counting")).toMatch(/rate-based rule "rate" has action count, which does not stop clients/);
    expect(message("no_limit")).toMatch(/rate-based rule "rate" sets no limit/);
    expect(message("managed_only")).toBe("aws_wafv2_web_acl.managed_only has no rate-based rule");
    expect(message("unknown_limit")).toMatch(/^unresolved: .*limit .*var\.limit/);
    expect(message("bare")).toMatch(/no aws_wafv2_web_acl_association/);
    expect(message("unknown_type")).toMatch(/^unresolved: load_balancer_type is .*var\.type/);
    expect(message("unknown_acl")).toMatch(/^unresolved: aws_wafv2_web_acl_association\.unknown_acl web_acl_arn is .*var\.web_acl_arn/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      lbWafRateLimited,
      `resource "aws_lb" "entry" { internal = true }
       resource "aws_alb" "open" {}
       resource "aws_wafv2_web_acl" "entry" {
         scope = "REGIONAL"
         default_action {
           allow {}
         }
         rule {
           name     = "rate"
           priority = 0
           action {
             block {}
           }
           statement {
             rate_based_statement {
               limit              = 1000
               aggregate_key_type = "IP"
             }
           }
         }
       }
       resource "aws_wafv2_web_acl_association" "entry" {
         resource_arn = aws_lb.entry.arn
         web_acl_arn  = aws_wafv2_web_acl.entry.arn
       }`,
    );
    expect(statuses(findings)).toEqual({ "aws_lb.entry": "pass", "aws_alb.open": "fail" });
  });

  it("fails a rate-based rule keyed only on values the client writes, and passes one that also keys on the source IP", async () => {
    const keyed = (...keys: string[]) => `
      resource "aws_lb" "entry" { internal = true }
      resource "aws_wafv2_web_acl" "entry" {
        scope = "REGIONAL"
        default_action {
          allow {}
        }
        rule {
          name     = "per-client"
          priority = 0
          action {
            block {}
          }
          statement {
            rate_based_statement {
              limit              = 1000
              aggregate_key_type = "CUSTOM_KEYS"
              ${keys.join("\n")}
            }
          }
        }
      }
      resource "aws_wafv2_web_acl_association" "entry" {
        resource_arn = aws_lb.entry.arn
        web_acl_arn  = aws_wafv2_web_acl.entry.arn
      }`;
    const header = `custom_key {
                header {
                  name = "x-amzn-mtls-clientcert-serial-number"
                  text_transformation {
                    priority = 0
                    type     = "NONE"
                  }
                }
              }`;
    const [headerOnly] = await checkHcl(lbWafRateLimited, keyed(header));
    expect(headerOnly.status).toBe("fail");
    expect(headerOnly.message).toMatch(
      /rate-based rule "per-client" is keyed only on header, values the client writes: a new value per request escapes the limit, and requests without one are not counted/,
    );
    const [withIp] = await checkHcl(lbWafRateLimited, keyed(header, "custom_key {\n ip {}\n }"));
    expect(withIp.status).toBe("pass");
    // The WAF API's spelling in rule_json reads the same.
    const findings = checkJson(lbWafRateLimited, {
      resource: {
        aws_lb: { entry: {} },
        aws_wafv2_web_acl: {
          entry: {
            ...acl(),
            rule_json: JSON.stringify([
              {
                Name: "per-client",
                Action: { Block: {} },
                Statement: {
                  RateBasedStatement: {
                    Limit: 300,
                    AggregateKeyType: "CUSTOM_KEYS",
                    CustomKeys: [{ Cookie: { Name: "session", TextTransformations: [] } }, { QueryArgument: { Name: "key" } }],
                  },
                },
              },
            ]),
          },
        },
        aws_wafv2_web_acl_association: { entry: associate("entry", "entry") },
      },
    });
    expect(findingFor(findings, "aws_lb.entry").message).toMatch(/keyed only on cookie, query_argument, values the client writes/);
  });

  it("passes InferenceEntry's load balancer, and fails it when the rate rule only counts", () => {
    const json = synthInferenceEntry();
    expect(statuses(checkJson(lbWafRateLimited, json))).toEqual({ "aws_lb.inference_entry": "pass" });
    const rules = json.resource.aws_wafv2_web_acl.inference_entry_web_acl.rule as Array<Record<string, unknown>>;
    rules[0].action = { count: {} };
    expect(statuses(checkJson(lbWafRateLimited, json))).toEqual({ "aws_lb.inference_entry": "fail" });
  });
});
