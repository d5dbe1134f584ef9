import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Lazy, TerraformOutput, Testing } from "cdktf";
import { AccessLogBucket, ELB_LOG_DELIVERY_SERVICE } from "../../../constructs/aws/access-log-bucket";
import { InferenceEntry, InferenceEntryProps } from "../../../constructs/aws/inference-entry";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { SecureStack } from "../../../lib/secure-stack";

const ADMIN = "arn:aws:iam::111122223333:role/key-admin";
const CERT = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d";

type Rule = {
  name: string;
  priority: number;
  action?: object;
  override_action?: object;
  statement: Record<string, Record<string, unknown>>;
  visibility_config: object;
};

function synthEntry(props: Partial<InferenceEntryProps> = {}, before?: (stack: SecureStack, entry: InferenceEntry) => void) {
  const stack = new SecureStack(Testing.app(), "test");
  const logsKey = new PlatformKey(stack, "LogsKey", { purpose: "logs", administrators: [ADMIN] });
  const accessLogs = new AccessLogBucket(stack, "AccessLogs");
  const entry = new InferenceEntry(stack, "InferenceEntry", {
    region: "eu-west-1",
    vpcId: "vpc-0123",
    vpcCidr: "10.0.0.0/16",
    subnetIds: ["subnet-a", "subnet-b"],
    allowedCidrs: ["10.20.0.0/16", "192.168.10.0/24"],
    certificateArn: CERT,
    clientCertificateAuthorities: { bucket: "client-ca", key: "bundle.pem" },
    accessLogs,
    logsKey,
    ...props,
  });
  before?.(stack, entry);
  const synth = Testing.synth(stack);
  return { entry, synth, resources: JSON.parse(synth).resource };
}

function webAcl(resources: Record<string, Record<string, Record<string, unknown>>>) {
  return Object.values(resources.aws_wafv2_web_acl)[0] as {
    rule: Rule[];
    default_action: object;
    scope: string;
    visibility_config: object;
    name: string;
  };
}

describe("InferenceEntry", () => {
  it("is an internal, deletion-protected application load balancer that drops malformed requests", () => {
    const { synth, resources } = synthEntry();
    expect(synth).toHaveResourceWithProperties(Lb, {
      name: "saip-inference",
      load_balancer_type: "application",
      internal: true,
      subnets: ["subnet-a", "subnet-b"],
      security_groups: ["${aws_security_group.inference_entry_security_group.id}"],
      drop_invalid_header_fields: true,
      desync_mitigation_mode: "strictest",
      enable_deletion_protection: true,
      enable_waf_fail_open: false,
    });
    expect(Object.keys(resources.aws_lb)).toEqual(["inference_entry"]);
  });

  it("writes access logs to the bucket once its policy lets Elastic Load Balancing write them", () => {
    const { synth, resources } = synthEntry();
    expect(synth).toHaveResourceWithProperties(Lb, {
      access_logs: { bucket: "${aws_s3_bucket.access_logs.bucket}", prefix: "load-balancers/saip-inference", enabled: true },
      depends_on: ["aws_s3_bucket_policy.access_logs_policy"],
    });
    const statements = JSON.parse(resources.aws_s3_bucket_policy.access_logs_policy.policy as string).Statement;
    // eu-west-1 opened before August 2022: ELB writes there as its regional account.
    expect(statements).toContainEqual({
      Sid: "LoadBalancerLogDelivery1",
      Effect: "Allow",
      Principal: { AWS: "arn:${data.aws_partition.aws_context_partition.partition}:iam::156460612806:root" },
      Action: "s3:PutObject",
      Resource:
        "${aws_s3_bucket.access_logs.arn}/load-balancers/saip-inference/AWSLogs/${data.aws_caller_identity.aws_context_account.account_id}/*",
    });
  });

  // The request records: access logs (time, client, path, status, trace_id, conn_trace_id) joined on conn_trace_id with
  // connection logs (the client certificate's subject and serial, and whether mutual TLS verified it).
  it("writes connection logs, which record each caller's client certificate, to the same bucket", () => {
    const { synth, resources } = synthEntry();
    expect(synth).toHaveResourceWithProperties(Lb, {
      connection_logs: { bucket: "${aws_s3_bucket.access_logs.bucket}", prefix: "load-balancer-connections/saip-inference", enabled: true },
    });
    const statements = JSON.parse(resources.aws_s3_bucket_policy.access_logs_policy.policy as string).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: "LoadBalancerLogDelivery2",
        Resource:
          "${aws_s3_bucket.access_logs.arn}/load-balancer-connections/saip-inference/AWSLogs/${data.aws_caller_identity.aws_context_account.account_id}/*",
      }),
    );
  });

  it("grants the log delivery service principal in Regions opened since August 2022", () => {
    const { resources } = synthEntry({ region: "eu-central-2", name: "llm" });
    const statements = JSON.parse(resources.aws_s3_bucket_policy.access_logs_policy.policy as string).Statement;
    const delivery = statements.find((s: { Sid: string }) => s.Sid === "LoadBalancerLogDelivery1");
    expect(delivery).toEqual({
      Sid: "LoadBalancerLogDelivery1",
      Effect: "Allow",
      Principal: { Service: ELB_LOG_DELIVERY_SERVICE },
      Action: "s3:PutObject",
      Resource: "${aws_s3_bucket.access_logs.arn}/load-balancers/llm/AWSLogs/${data.aws_caller_identity.aws_context_account.account_id}/*",
      Condition: { StringEquals: { "aws:SourceAccount": "${data.aws_caller_identity.aws_context_account.account_id}" } },
    });
  });

  it("refuses to plan when the provider deploys to another Region than the one given", () => {
    const lb = synthEntry({ region: "ap-southeast-3" }).resources.aws_lb.inference_entry as {
      lifecycle: { precondition: Array<{ condition: string; error_message: string }> };
    };
    expect(lb.lifecycle.precondition).toEqual([
      {
        condition: '${(data.aws_region.aws_context_region.region == "ap-southeast-3")}',
        error_message: expect.stringMatching(/region is ap-southeast-3 but the AWS provider deploys to another Region/),
      },
    ]);
  });

  it("admits HTTPS only from the allowed ranges, one rule resource each, and sends only to the VPC on the target port", () => {
    const { synth, resources } = synthEntry();
    const group = Object.values(resources.aws_security_group)[0] as Record<string, unknown>;
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
    for (const cidr of ["10.20.0.0/16", "192.168.10.0/24"]) {
      expect(synth).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
        cidr_ipv4: cidr,
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
      });
    }
    expect(Object.keys(resources.aws_vpc_security_group_ingress_rule)).toEqual([
      "inference_entry_https_from_clients1",
      "inference_entry_https_from_clients2",
    ]);
    expect(Object.values(resources.aws_vpc_security_group_egress_rule)).toEqual([
      expect.objectContaining({ cidr_ipv4: "10.0.0.0/16", ip_protocol: "tcp", from_port: 8080, to_port: 8080 }),
    ]);
    expect(synth).toHaveResource(SecurityGroup);
  });

  it("lets the serving nodes' groups admit the target port from the entry's group, so requests and health checks reach the pods", () => {
    const { resources } = synthEntry({ targetSecurityGroupIds: ["sg-nodes"], targetPort: 9443 });
    expect(resources.aws_vpc_security_group_ingress_rule.inference_entry_target_port_from_entry1).toMatchObject({
      security_group_id: "sg-nodes",
      referenced_security_group_id: "${aws_security_group.inference_entry_security_group.id}",
      ip_protocol: "tcp",
      from_port: 9443,
      to_port: 9443,
    });
  });

  it("terminates TLS 1.3 on 443 and forwards over TLS to pod IPs that pass a health check", () => {
    const { synth } = synthEntry();
    expect(synth).toHaveResourceWithProperties(LbListener, {
      port: 443,
      protocol: "HTTPS",
      certificate_arn: CERT,
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
      routing_http_response_server_enabled: false,
      default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.inference_entry_target_group.arn}" }],
    });
    expect(synth).toHaveResourceWithProperties(LbTargetGroup, {
      target_type: "ip",
      protocol: "HTTPS",
      port: 8080,
      vpc_id: "vpc-0123",
      health_check: { enabled: true, protocol: "HTTPS", port: "traffic-port", path: "/healthz", matcher: "200" },
    });
  });

  it("uses the given target port and health check path", () => {
    const { synth } = synthEntry({ targetPort: 8443, healthCheckPath: "/v2/health/ready" });
    expect(synth).toHaveResourceWithProperties(LbTargetGroup, {
      port: 8443,
      health_check: { enabled: true, protocol: "HTTPS", port: "traffic-port", path: "/v2/health/ready", matcher: "200" },
    });
    expect(synth).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { from_port: 8443, to_port: 8443 });
  });

  it("rate-limits each client IP with a blocking rule, 1000 requests per 5 minutes by default", () => {
    const acl = webAcl(synthEntry().resources);
    expect(acl.scope).toBe("REGIONAL");
    expect(acl.default_action).toEqual({ allow: {} });
    const rate = acl.rule.find((r) => r.statement.rate_based_statement);
    expect(rate).toMatchObject({
      action: { block: {} },
      statement: { rate_based_statement: { limit: 1000, aggregate_key_type: "IP", evaluation_window_sec: 300 } },
    });
  });

  it("takes the rate limit and window from props", () => {
    const acl = webAcl(synthEntry({ rateLimit: 200, evaluationWindowSec: 60 }).resources);
    expect(acl.rule[0].statement.rate_based_statement).toEqual({ limit: 200, aggregate_key_type: "IP", evaluation_window_sec: 60 });
  });

  it("runs the AWS common and known-bad-inputs rule groups with their own block actions", () => {
    const acl = webAcl(synthEntry().resources);
    for (const group of ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"]) {
      const rule = acl.rule.find((r) => r.statement.managed_rule_group_statement?.name === group);
      expect(rule).toMatchObject({
        override_action: { none: {} },
        statement: { managed_rule_group_statement: { name: group, vendor_name: "AWS" } },
      });
    }
    expect(new Set(acl.rule.map((r) => r.priority)).size).toBe(acl.rule.length);
  });

  it("only counts the common rule set's 8 KB body limit, which would refuse ordinary prompts and images, and blocks the rest", () => {
    const acl = webAcl(synthEntry().resources);
    const common = acl.rule.find((r) => r.statement.managed_rule_group_statement?.name === "AWSManagedRulesCommonRuleSet");
    expect(common?.statement.managed_rule_group_statement.rule_action_override).toEqual([
      { name: "SizeRestrictions_BODY", action_to_use: { count: {} } },
    ]);
    const badInputs = acl.rule.find((r) => r.statement.managed_rule_group_statement?.name === "AWSManagedRulesKnownBadInputsRuleSet");
    expect(badInputs?.statement.managed_rule_group_statement.rule_action_override).toBeUndefined();
  });

  it("records metrics and sampled requests for every rule and the web ACL", () => {
    const acl = webAcl(synthEntry().resources);
    for (const config of [acl.visibility_config, ...acl.rule.map((r) => r.visibility_config)]) {
      expect(config).toMatchObject({
        cloudwatch_metrics_enabled: true,
        sampled_requests_enabled: true,
        metric_name: expect.stringMatching(/^saip-inference/),
      });
    }
  });

  it("protects the load balancer with the web ACL", () => {
    expect(synthEntry().synth).toHaveResourceWithProperties(Wafv2WebAclAssociation, {
      resource_arn: "${aws_lb.inference_entry.arn}",
      web_acl_arn: "${aws_wafv2_web_acl.inference_entry_web_acl.arn}",
    });
  });

  it("logs WAF decisions to an encrypted aws-waf-logs- group with the Authorization header redacted", () => {
    const { synth, resources } = synthEntry({ name: "llm-entry" });
    expect(synth).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "aws-waf-logs-llm-entry",
      kms_key_id: "${aws_kms_key.logs_key.arn}",
      retention_in_days: 365,
    });
    expect(synth).toHaveResourceWithProperties(Wafv2WebAclLoggingConfiguration, {
      resource_arn: "${aws_wafv2_web_acl.inference_entry_web_acl.arn}",
      log_destination_configs: ["${aws_cloudwatch_log_group.inference_entry_waf_log_group.arn}"],
      redacted_fields: [{ single_header: { name: "authorization" } }],
    });
    const keyPolicy = JSON.parse((Object.values(resources.aws_kms_key)[0] as { policy: string }).policy);
    expect(keyPolicy.Statement.map((s: { Sid: string }) => s.Sid)).toContain("CloudWatchLogsUse");
  });

  it("exposes the load balancer, target group, web ACL and security group", () => {
    const { synth } = synthEntry({}, (stack, entry) => {
      const outputs = {
        lbArn: entry.loadBalancerArn,
        lbDns: entry.loadBalancerDnsName,
        tg: entry.targetGroupArn,
        acl: entry.webAclArn,
        sg: entry.securityGroupId,
      };
      Object.entries(outputs).forEach(([id, value]) => new TerraformOutput(stack, id, { value }));
    });
    const values = Object.fromEntries(
      Object.entries(JSON.parse(synth).output as Record<string, { value: string }>).map(([k, o]) => [k, o.value]),
    );
    expect(values).toEqual({
      lb_arn: "${aws_lb.inference_entry.arn}",
      lb_dns: "${aws_lb.inference_entry.dns_name}",
      tg: "${aws_lb_target_group.inference_entry_target_group.arn}",
      acl: "${aws_wafv2_web_acl.inference_entry_web_acl.arn}",
      sg: "${aws_security_group.inference_entry_security_group.id}",
    });
  });

  it.each<[Partial<InferenceEntryProps>, RegExp]>([
    [
      { region: "Europe" },
      /InferenceEntry: region must be a Region name known at synth, such as 'eu-west-1' \(not a token\), got 'Europe'/,
    ],
    [{ region: Lazy.stringValue({ produce: () => "eu-west-1" }) }, /region must be a Region name known at synth/],
    [{ subnetIds: ["subnet-a"] }, /InferenceEntry: subnetIds must name at least two distinct private subnets .*got \[subnet-a\]/],
    [{ subnetIds: ["subnet-a", "subnet-a"] }, /subnetIds must name at least two distinct/],
    [{ allowedCidrs: [] }, /InferenceEntry: allowedCidrs must name at least one client range, got \[\]/],
    [{ allowedCidrs: ["0.0.0.0/0"] }, /InferenceEntry: allowedCidrs must not admit every address, got '0.0.0.0\/0'/],
    [{ allowedCidrs: ["10.0.0.0/8", "example.com"] }, /allowedCidrs must hold IPv4 CIDR blocks, got 'example.com'/],
    [{ allowedCidrs: ["10.0.0.1/8"] }, /allowedCidrs must hold IPv4 CIDR blocks, got '10.0.0.1\/8'.*host bits/],
    [{ vpcCidr: "10.0.0.0/33" }, /vpcCidr must be an IPv4 CIDR block, got '10.0.0.0\/33'/],
    [{ certificateArn: "" }, /certificateArn must name the listener's certificate/],
    [{ rateLimit: 5 }, /rateLimit must be a whole number from 10 to 2000000000, got 5/],
    [{ evaluationWindowSec: 30 }, /evaluationWindowSec must be one of 60, 120, 300, 600, got 30/],
    [{ targetPort: 70000 }, /targetPort must be a whole number from 1 to 65535, got 70000/],
    [{ healthCheckPath: "healthz" }, /healthCheckPath must start with '\/'.*got 'healthz'/],
    [{ name: "internal-models" }, /name must be 1 to 32 letters.*got 'internal-models'/],
    [{ name: "a-name-that-is-far-too-long-for-an-alb" }, /name must be 1 to 32 letters/],
  ])("rejects %p", (props, message) => {
    expect(() => synthEntry(props)).toThrow(message);
  });
});

describe("InferenceEntry client authentication and containment", () => {
  it("verifies every client's certificate against a trust store of the configured CA bundle, refusing expired ones", () => {
    const { resources } = synthEntry();
    expect(Object.values(resources.aws_lb_trust_store)).toEqual([
      expect.objectContaining({
        name: "saip-inference-clients",
        ca_certificates_bundle_s3_bucket: "client-ca",
        ca_certificates_bundle_s3_key: "bundle.pem",
      }),
    ]);
    const listener = Object.values(resources.aws_lb_listener)[0] as { mutual_authentication: unknown };
    expect(listener.mutual_authentication).toEqual({
      mode: "verify",
      trust_store_arn: "${aws_lb_trust_store.inference_entry_client_trust_store.arn}",
      ignore_client_certificate_expiry: false,
    });
  });

  it("sends to the serving nodes' security groups only, not the whole VPC, when they are named", () => {
    const { resources } = synthEntry({ targetSecurityGroupIds: ["sg-nodes"] });
    const egress = Object.values(resources.aws_vpc_security_group_egress_rule) as Array<Record<string, unknown>>;
    expect(egress).toEqual([expect.objectContaining({ referenced_security_group_id: "sg-nodes", from_port: 8080, to_port: 8080 })]);
    expect(egress[0].cidr_ipv4).toBeUndefined();
  });

  it("refuses a CA bundle location that cannot be one", () => {
    expect(() => synthEntry({ clientCertificateAuthorities: { bucket: "Not_A_Bucket", key: "bundle.pem" } })).toThrow(
      "InferenceEntry: clientCertificateAuthorities.bucket must be an S3 bucket name, got 'Not_A_Bucket'.",
    );
    expect(() => synthEntry({ clientCertificateAuthorities: { bucket: "client-ca", key: "" } })).toThrow(
      "clientCertificateAuthorities.key must name the CA bundle's object, got ''.",
    );
  });
});
