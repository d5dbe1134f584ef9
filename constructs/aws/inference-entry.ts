import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbTrustStore } from "@cdktf/provider-aws/lib/lb-trust-store";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Wafv2WebAcl, Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Op, Token } from "cdktf";
import { Construct } from "constructs";
import { AccessLogBucket } from "./access-log-bucket";
import { AwsContext } from "./aws-context";
import { parseCidr } from "./cidr";
import { EncryptedLogGroup } from "./encrypted-log-group";
import { PlatformKey } from "./platform-key";

/**
 * TLS 1.3 and the restricted set of TLS 1.2 suites, with hybrid post-quantum
 * key exchange: the policy the Elastic Load Balancing guide ("Security
 * policies for your Application Load Balancer") recommends.
 */
export const INFERENCE_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

/** Windows a WAF rate-based rule can count over, in seconds. */
export const WAF_EVALUATION_WINDOWS = [60, 120, 300, 600] as const;

export interface InferenceEntryProps {
  /**
   * Region the entry deploys into (the AWS provider's Region), as a literal
   * such as "eu-west-1". It decides which principal may write the access
   * logs, which differs by Region and must be known at synth; a plan-time
   * precondition checks it against the provider's Region.
   */
  readonly region: string;
  /** VPC of the model-serving pods. */
  readonly vpcId: string;
  /** The VPC's IPv4 range: the only destination the load balancer may send to. */
  readonly vpcCidr: string;
  /** Private subnets for the load balancer, in at least two availability zones. */
  readonly subnetIds: string[];
  /** Client ranges admitted on 443 (never 0.0.0.0/0). */
  readonly allowedCidrs: string[];
  /** ACM certificate of the HTTPS listener. */
  readonly certificateArn: string;
  /**
   * Where the PEM bundle of the certificate authorities that issue clients' certificates lies in S3. The
   * listener verifies every client's certificate against it (mutual TLS, verify mode) before a request is
   * forwarded, so only holders of such a certificate reach the model servers. Elastic Load Balancing reads
   * the object as the caller of CreateTrustStore (the deploying role), once.
   */
  readonly clientCertificateAuthorities: { readonly bucket: string; readonly key: string; readonly objectVersion?: string };
  /**
   * Bucket for the load balancer's access logs, written under `load-balancers/<name>/` (SSE-S3, the only encryption ALB log delivery
   * supports).
   */
  readonly accessLogs: AccessLogBucket;
  /** Key that encrypts the WAF log group. */
  readonly logsKey: PlatformKey;
  /** Requests one client IP may send per evaluation window before WAF blocks it (model extraction needs volume). @default 1000 */
  readonly rateLimit?: number;
  /** Window the rate limit counts over: 60, 120, 300 or 600 seconds. @default 300 */
  readonly evaluationWindowSec?: number;
  /** Port the model servers listen on, with TLS. @default 8080 */
  readonly targetPort?: number;
  /**
   * Security groups of the nodes whose pods serve the models (with the VPC CNI, pods use their node's groups):
   * each admits the target port from the entry's group, so requests and health checks reach the pods.
   * @default - none: the caller admits the entry's group itself
   */
  readonly targetSecurityGroupIds?: string[];
  /** Path the load balancer health-checks on each target. @default "/healthz" */
  readonly healthCheckPath?: string;
  /**
   * Names the load balancer, web ACL and `aws-waf-logs-<name>` log group; at most 32 letters, digits and dashes. @default "saip-inference"
   */
  readonly name?: string;
  /** Tags for every resource. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * The internal HTTPS entry to model serving (EN 304 223 5.2.2-2, TS 104 033
 * inference protection): an internal Application Load Balancer reachable on
 * 443 from named client ranges only, clients authenticated by their
 * certificates (mutual TLS against a trust store), TLS 1.3 at the front and
 * TLS to the pods, and a WAF web ACL that rate-limits each client IP (against model
 * extraction by query volume) and blocks common exploits and known bad
 * inputs, with its logs encrypted and the Authorization header redacted.
 * Access logs go to the given bucket. Targets are pod IPs (`target_type = "ip"`), registered by the AWS Load
 * Balancer Controller through a TargetGroupBinding on `targetGroupArn`; the platform does not install the
 * controller, so until a team does, the listener has no healthy target and answers 503.
 */
export class InferenceEntry extends Construct {
  readonly loadBalancerArn: string;
  readonly loadBalancerDnsName: string;
  readonly targetGroupArn: string;
  readonly webAclArn: string;
  readonly securityGroupId: string;
  /** Port the load balancer sends requests and health checks to on the pods. */
  readonly targetPort: number;
  /** The trust store the listener verifies clients' certificates against. */
  readonly trustStoreArn: string;

  constructor(scope: Construct, id: string, props: InferenceEntryProps) {
    super(scope, id);
    const name = props.name ?? "saip-inference";
    const rateLimit = props.rateLimit ?? 1000;
    const window = props.evaluationWindowSec ?? 300;
    const targetPort = (this.targetPort = props.targetPort ?? 8080);
    const healthCheckPath = props.healthCheckPath ?? "/healthz";
    this.validate(props, { name, rateLimit, window, targetPort, healthCheckPath });
    const tags = props.tags;

    const group = new SecurityGroup(this, "SecurityGroup", {
      vpcId: props.vpcId,
      description: "Inference entry: HTTPS from allowed clients, traffic to the VPC on the target port",
      tags,
    });
    props.allowedCidrs.forEach(
      (cidr, i) =>
        new VpcSecurityGroupIngressRule(this, `HttpsFromClients${i + 1}`, {
          securityGroupId: group.id,
          description: "HTTPS from an allowed client range",
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrIpv4: cidr,
          tags,
        }),
    );
    // To the serving nodes' groups only (security group to security group); the VPC's range only when none is named.
    const targetGroups = props.targetSecurityGroupIds ?? [];
    (targetGroups.length > 0 ? targetGroups : [undefined]).forEach(
      (targetGroup, i) =>
        new VpcSecurityGroupEgressRule(this, targetGroup === undefined ? "TargetPortToVpc" : `TargetPortToServers${i + 1}`, {
          securityGroupId: group.id,
          description: "Requests and health checks to the model servers",
          ipProtocol: "tcp",
          fromPort: targetPort,
          toPort: targetPort,
          ...(targetGroup === undefined ? { cidrIpv4: props.vpcCidr } : { referencedSecurityGroupId: targetGroup }),
          tags,
        }),
    );
    this.securityGroupId = group.id;
    (props.targetSecurityGroupIds ?? []).forEach(
      (targetGroup, i) =>
        new VpcSecurityGroupIngressRule(this, `TargetPortFromEntry${i + 1}`, {
          securityGroupId: targetGroup,
          description: "Requests and health checks from the inference entry",
          ipProtocol: "tcp",
          fromPort: targetPort,
          toPort: targetPort,
          referencedSecurityGroupId: group.id,
          tags,
        }),
    );

    const logPrefix = `load-balancers/${name}`;
    const connectionLogPrefix = `load-balancer-connections/${name}`;
    // One bucket policy grants both prefixes.
    const logsPolicy = props.accessLogs.allowLoadBalancerLogs(logPrefix, props.region);
    props.accessLogs.allowLoadBalancerLogs(connectionLogPrefix, props.region);
    const providerRegion = AwsContext.of(this).region;
    const lb = new Lb(this, "Resource", {
      name,
      loadBalancerType: "application",
      internal: true,
      ipAddressType: "ipv4",
      subnets: props.subnetIds,
      securityGroups: [group.id],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "strictest",
      enableDeletionProtection: true,
      // If WAF cannot be reached, requests are refused rather than passed uninspected.
      enableWafFailOpen: false,
      accessLogs: { bucket: props.accessLogs.bucketName, prefix: logPrefix, enabled: true },
      // The request records: each access log entry holds the time, client, request line (the model's path),
      // status codes, target, trace_id (the X-Amzn-Trace-Id the ALB forwards to the pod) and conn_trace_id; each
      // connection log entry holds, under the same conn_trace_id, the client certificate's subject, serial and
      // validity and whether mutual TLS verified it: together, who called which model when, with what result.
      // Neither holds a request or response body (ELB user guide, "Access logs" and "Connection logs").
      connectionLogs: { bucket: props.accessLogs.bucketName, prefix: connectionLogPrefix, enabled: true },
      // ELB tests that it may write when logging is turned on.
      dependsOn: [logsPolicy],
      lifecycle: {
        precondition: [
          {
            condition: Op.eq(providerRegion, props.region),
            errorMessage: `InferenceEntry region is ${props.region} but the AWS provider deploys to another Region; the access log bucket policy names the wrong writer.`,
          },
        ],
      },
      tags,
    });
    this.loadBalancerArn = lb.arn;
    this.loadBalancerDnsName = lb.dnsName;

    const targets = new LbTargetGroup(this, "TargetGroup", {
      vpcId: props.vpcId,
      targetType: "ip",
      protocol: "HTTPS",
      port: targetPort,
      healthCheck: { enabled: true, protocol: "HTTPS", port: "traffic-port", path: healthCheckPath, matcher: "200" },
      // No fixed name, so a changed port can replace the group before the old one is released.
      lifecycle: { createBeforeDestroy: true },
      tags,
    });
    this.targetGroupArn = targets.arn;

    const trustStore = new LbTrustStore(this, "ClientTrustStore", {
      // Trust store names are at most 32 characters, like the load balancer's.
      name: `${name.slice(0, 24)}-clients`,
      caCertificatesBundleS3Bucket: props.clientCertificateAuthorities.bucket,
      caCertificatesBundleS3Key: props.clientCertificateAuthorities.key,
      caCertificatesBundleS3ObjectVersion: props.clientCertificateAuthorities.objectVersion,
      tags,
    });
    this.trustStoreArn = trustStore.arn;
    new LbListener(this, "HttpsListener", {
      loadBalancerArn: lb.arn,
      port: 443,
      protocol: "HTTPS",
      certificateArn: props.certificateArn,
      sslPolicy: INFERENCE_TLS_POLICY,
      // verify: the handshake fails without a certificate the trust store's authorities issued (and not expired).
      mutualAuthentication: { mode: "verify", trustStoreArn: trustStore.arn, ignoreClientCertificateExpiry: false },
      routingHttpResponseServerEnabled: false,
      defaultAction: [{ type: "forward", targetGroupArn: targets.arn }],
      tags,
    });

    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    const managed = (priority: number, ruleGroup: string, countOnly: string[] = []): Wafv2WebAclRule => ({
      name: ruleGroup,
      priority,
      overrideAction: { none: {} },
      statement: {
        managed_rule_group_statement: {
          name: ruleGroup,
          vendor_name: "AWS",
          ...(countOnly.length ? { rule_action_override: countOnly.map((rule) => ({ name: rule, action_to_use: { count: {} } })) } : {}),
        },
      },
      visibilityConfig: visibility(`${name}-${ruleGroup}`),
    });
    const acl = new Wafv2WebAcl(this, "WebAcl", {
      name,
      scope: "REGIONAL",
      description: "Rate limit per client IP and AWS managed protections for model serving",
      defaultAction: { allow: {} },
      rule: [
        {
          name: "rate-limit-per-ip",
          priority: 0,
          action: { block: {} },
          // Keyed on the source IP, though pods behind one node or NAT share it, because nothing WAF can key on names
          // the authenticated client. The listener verifies the client's certificate, but WAF has no field for it:
          // its custom keys are request components (header, cookie, query, path, method), IP, forwarded IP, ASN,
          // labels and the JA3/JA4 fingerprints (WAF API reference, RateBasedStatementCustomKey). The
          // X-Amzn-Mtls-Clientcert-* headers are what the load balancer adds for the targets (ELB guide, "Mutual
          // authentication with TLS"); no AWS document says WAF sees them, and a header WAF does see is one the
          // client writes, so a client would get a fresh count per invented value, and WAF omits requests lacking a
          // key component from the count. JA4 names the client's TLS stack, shared by every client built on it and
          // chosen by the client. Limiting per certificate belongs to the model server, which reads the ALB's headers.
          // The statement block is untyped in the provider, so it is written in Terraform's snake_case.
          statement: { rate_based_statement: { limit: rateLimit, aggregate_key_type: "IP", evaluation_window_sec: window } },
          visibilityConfig: visibility(`${name}-rate-limit-per-ip`),
        },
        // The common rule set blocks request bodies over 8 KB (SizeRestrictions_BODY), ordinary for prompts,
        // embeddings and images, which would leave the entry refusing real inference; that rule only counts.
        managed(1, "AWSManagedRulesCommonRuleSet", ["SizeRestrictions_BODY"]),
        managed(2, "AWSManagedRulesKnownBadInputsRuleSet"),
      ],
      visibilityConfig: visibility(name),
      tags,
    });
    this.webAclArn = acl.arn;
    new Wafv2WebAclAssociation(this, "WebAclAssociation", { resourceArn: lb.arn, webAclArn: acl.arn });

    // WAF delivers only to log groups named aws-waf-logs-*, and adds the log group's resource policy itself.
    const wafLogs = new EncryptedLogGroup(this, "WafLogGroup", { name: `aws-waf-logs-${name}`, key: props.logsKey, tags });
    new Wafv2WebAclLoggingConfiguration(this, "WafLogging", {
      resourceArn: acl.arn,
      logDestinationConfigs: [wafLogs.logGroupArn],
      redactedFields: [{ singleHeader: { name: "authorization" } }],
    });
  }

  private validate(
    props: InferenceEntryProps,
    v: { name: string; rateLimit: number; window: number; targetPort: number; healthCheckPath: string },
  ): void {
    const path = this.node.path;
    if (Token.isUnresolved(props.region) || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(props.region)) {
      throw new Error(`${path}: region must be a Region name known at synth, such as 'eu-west-1' (not a token), got '${props.region}'.`);
    }
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(v.name) || v.name.startsWith("internal-")) {
      throw new Error(
        `${path}: name must be 1 to 32 letters, digits and dashes, not starting or ending with a dash or starting with 'internal-', got '${v.name}'.`,
      );
    }
    if (!Token.isUnresolved(props.subnetIds) && (props.subnetIds.length < 2 || new Set(props.subnetIds).size !== props.subnetIds.length)) {
      throw new Error(
        `${path}: subnetIds must name at least two distinct private subnets (in different zones), got [${props.subnetIds.join(", ")}].`,
      );
    }
    if (props.allowedCidrs.length === 0) {
      throw new Error(`${path}: allowedCidrs must name at least one client range, got [].`);
    }
    for (const cidr of props.allowedCidrs) {
      if (Token.isUnresolved(cidr)) continue;
      let prefixLength: number;
      try {
        prefixLength = parseCidr(cidr).prefixLength;
      } catch (e) {
        throw new Error(`${path}: allowedCidrs must hold IPv4 CIDR blocks, got '${cidr}': ${(e as Error).message}`, { cause: e });
      }
      if (prefixLength === 0) throw new Error(`${path}: allowedCidrs must not admit every address, got '${cidr}'.`);
    }
    if (!Token.isUnresolved(props.vpcCidr)) {
      try {
        parseCidr(props.vpcCidr);
      } catch (e) {
        throw new Error(`${path}: vpcCidr must be an IPv4 CIDR block, got '${props.vpcCidr}': ${(e as Error).message}`, { cause: e });
      }
    }
    const authorities = props.clientCertificateAuthorities;
    if (!Token.isUnresolved(authorities.bucket) && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(authorities.bucket)) {
      throw new Error(`${path}: clientCertificateAuthorities.bucket must be an S3 bucket name, got '${authorities.bucket}'.`);
    }
    if (authorities.key === "") throw new Error(`${path}: clientCertificateAuthorities.key must name the CA bundle's object, got ''.`);
    if (props.certificateArn === "") {
      throw new Error(`${path}: certificateArn must name the listener's certificate, got ''.`);
    }
    if (!Number.isInteger(v.rateLimit) || v.rateLimit < 10 || v.rateLimit > 2_000_000_000) {
      throw new Error(`${path}: rateLimit must be a whole number from 10 to 2000000000, got ${v.rateLimit}.`);
    }
    if (!(WAF_EVALUATION_WINDOWS as readonly number[]).includes(v.window)) {
      throw new Error(`${path}: evaluationWindowSec must be one of ${WAF_EVALUATION_WINDOWS.join(", ")}, got ${v.window}.`);
    }
    if (!Number.isInteger(v.targetPort) || v.targetPort < 1 || v.targetPort > 65535) {
      throw new Error(`${path}: targetPort must be a whole number from 1 to 65535, got ${v.targetPort}.`);
    }
    if (!/^\/[\x21-\x7e]{0,1023}$/.test(v.healthCheckPath)) {
      throw new Error(
        `${path}: healthCheckPath must start with '/' and be at most 1024 printable characters without spaces, got '${v.healthCheckPath}'.`,
      );
    }
  }
}
