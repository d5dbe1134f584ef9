import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { AwsContext } from "./aws-context";
import { CLOUDWATCH_AGENT_NAMESPACE, CLOUDWATCH_AGENT_SERVICE_ACCOUNT, cloudWatchObservabilityAddon } from "./eks-addons";
import { EncryptedLogGroup } from "./encrypted-log-group";
import { Grantee } from "./grantee";
import { PlatformKey } from "./platform-key";
import { PodIdentityRole } from "./pod-identity-role";
import { PolicyDocument } from "./policy-document";
import { WORKLOAD_LOG_TAG } from "../../lib/rules/aws/logging/util";
import { COLLECTOR_EC2_READS } from "../../lib/rules/aws/logging/log-collector";

export { WORKLOAD_LOG_TAG };

/** Where a tenant's container logs go; platform namespaces (kube-system, amazon-cloudwatch, ...) go to `platform`. */
export const workloadLogGroupName = (clusterName: string, tenant: string) => `/saip/${clusterName}/workloads/${tenant}`;
export const PLATFORM_LOG_GROUP = "platform";

/**
 * The CloudWatch agent's Container Insights metrics travel as embedded-metric
 * log events to this group, which it would otherwise create itself,
 * unencrypted and never expiring (CloudWatch User Guide, Container Insights
 * "performance log events").
 */
export const performanceLogGroupName = (clusterName: string) => `/aws/containerinsights/${clusterName}/performance`;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Fluent Bit's pipeline for container logs, replacing the add-on's
 * application-log.conf (its Helm chart @INCLUDEs every `extraFiles` entry,
 * and overriding a default file is how a default pipeline is replaced).
 *
 * - Every container log file on the node is tailed, the collector's own too.
 * - The kubernetes filter adds the pod's namespace, name, labels
 *   (`app.kubernetes.io/*`, `saip.io/tenant`) and container to each record.
 *   `K8S-Logging.Exclude Off`: a pod cannot annotate itself out of the record.
 *   JSON a container prints is parsed under `log_processed`, so it cannot
 *   overwrite the `kubernetes` metadata routing relies on.
 * - rewrite_tag moves records of tenant namespaces to `tenant.<namespace>`
 *   (and drops the original), so each lands in its tenant's group only;
 *   everything else goes to the platform group.
 * - auto_create_group off: the groups are Terraform's, with our key and
 *   retention, and the collector may not create others.
 */
export function fluentBitApplicationConfig(groups: { platform: string; tenants: Record<string, string> }): string {
  const tenants = Object.keys(groups.tenants);
  const output = (match: string, group: string) => [
    "[OUTPUT]",
    "  Name                cloudwatch_logs",
    `  Match               ${match}`,
    "  region              ${AWS_REGION}",
    `  log_group_name      ${group}`,
    "  log_stream_prefix   ${HOST_NAME}-",
    "  auto_create_group   false",
    "",
  ];
  return [
    "[INPUT]",
    "  Name                tail",
    "  Tag                 application.*",
    "  Path                /var/log/containers/*.log",
    "  multiline.parser    docker, cri",
    "  DB                  /var/fluent-bit/state/flb_container.db",
    "  Mem_Buf_Limit       50MB",
    "  Skip_Long_Lines     On",
    "  Refresh_Interval    10",
    "  Rotate_Wait         30",
    "  storage.type        filesystem",
    "  Read_from_Head      ${READ_FROM_HEAD}",
    "",
    "[FILTER]",
    "  Name                kubernetes",
    "  Match               application.*",
    "  Kube_URL            https://kubernetes.default.svc:443",
    "  Kube_Tag_Prefix     application.var.log.containers.",
    "  Merge_Log           On",
    "  Merge_Log_Key       log_processed",
    "  K8S-Logging.Parser  Off",
    "  K8S-Logging.Exclude Off",
    "  Labels              On",
    "  Annotations         Off",
    "  Use_Kubelet         On",
    "  Kubelet_Port        10250",
    "  Buffer_Size         0",
    "",
    ...(tenants.length
      ? [
          "[FILTER]",
          "  Name                 rewrite_tag",
          "  Match                application.*",
          `  Rule                 $kubernetes['namespace_name'] ^(${tenants.join("|")})$ tenant.$kubernetes['namespace_name'] false`,
          "  Emitter_Name         tenant_logs",
          "  Emitter_Storage.type filesystem",
          "",
        ]
      : []),
    ...tenants.flatMap((t) => output(`tenant.${t}`, groups.tenants[t])),
    ...output("application.*", groups.platform),
  ].join("\n");
}

/**
 * The add-on's configuration: the container log pipeline of fluentBitApplicationConfig; the node
 * journal and host file pipelines left out (AL2023 and Bottlerocket keep no
 * /var/log/messages or /var/log/secure, and their outputs would create groups
 * of their own); the CloudWatch agent with Container Insights only, without
 * Application Signals and traces, which would need the X-Ray and Application
 * Signals endpoints this VPC does not have. Container Insights reaches
 * CloudWatch as log events, through the logs endpoint, so no `monitoring`
 * endpoint is needed. Tolerations stay the add-on's default, `operator:
 * Exists`, so Fluent Bit runs on every tainted pool (GPU, tenant-dedicated,
 * confidential).
 */
export function cloudWatchObservabilityConfiguration(groups: {
  platform: string;
  tenants: Record<string, string>;
}): Record<string, unknown> {
  return {
    containerLogs: {
      enabled: true,
      fluentBit: {
        config: {
          extraFiles: {
            "application-log.conf": fluentBitApplicationConfig(groups),
            "dataplane-log.conf": "# not collected: the container pipeline carries aws-node and kube-proxy; node journals stay on the node",
            "host-log.conf": "# not collected: AL2023 and Bottlerocket nodes keep no host log files there",
          },
        },
      },
    },
    agent: { config: { logs: { metrics_collected: { kubernetes: { enhanced_container_insights: true } } } } },
  };
}

export interface WorkloadLogsProps {
  /** Name of the EKS cluster, known at synth (log group names and the Pod Identity trust use it). */
  readonly clusterName: string;
  /** Tenants, by namespace: each gets its own log group. */
  readonly tenants: string[];
  /** The platform's logs key; CloudWatch Logs is allowed to use it for this account's log groups. */
  readonly key: PlatformKey;
  /** Days the groups keep events: the audit retention. @default 365 */
  readonly retentionInDays?: number;
  /** What the add-on waits for: the Pod Identity agent add-on and node groups its controller can run on. */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Add-on version (Pod Identity needs 3.1.0 or later); the platform stack pins EKS_ADDON_VERSIONS.
   * @default - EKS's default for the cluster's Kubernetes version
   */
  readonly addonVersion?: string;
  readonly tags?: Record<string, string>;
}

/**
 * Container logs of every node into per-tenant CloudWatch log groups, as
 * evidence of what ran: the Amazon CloudWatch Observability add-on (Fluent
 * Bit on every node, the CloudWatch agent), its role through Pod Identity
 * allowed to write to these groups only, and the groups created here,
 * encrypted with the logs key and kept for the audit retention. Tenants read
 * their own group through `grantRead`.
 */
export class WorkloadLogs extends Construct {
  readonly groups: Record<string, EncryptedLogGroup> = {};
  readonly platformGroup: EncryptedLogGroup;
  readonly performanceGroup: EncryptedLogGroup;
  readonly role: PodIdentityRole;
  readonly addon: EksAddon;

  constructor(scope: Construct, id: string, props: WorkloadLogsProps) {
    super(scope, id);
    if (Token.isUnresolved(props.clusterName))
      throw new Error(`${this.node.path}: clusterName must be known at synth; log group names are built from it.`);
    const bad = props.tenants.find((t) => !DNS_LABEL.test(t) || t === PLATFORM_LOG_GROUP);
    if (bad !== undefined || new Set(props.tenants).size !== props.tenants.length) {
      throw new Error(
        `${this.node.path}: tenants must be distinct namespace names (DNS labels, not '${PLATFORM_LOG_GROUP}'), got [${props.tenants.join(", ")}].`,
      );
    }
    const group = (gid: string, name: string, tenant?: string) =>
      new EncryptedLogGroup(this, gid, {
        name,
        key: props.key,
        retentionInDays: props.retentionInDays,
        tags: { ...props.tags, [WORKLOAD_LOG_TAG.key]: WORKLOAD_LOG_TAG.value, ...(tenant ? { "saip:tenant": tenant } : {}) },
      });
    for (const tenant of props.tenants)
      this.groups[tenant] = group(`Tenant-${tenant}`, workloadLogGroupName(props.clusterName, tenant), tenant);
    this.platformGroup = group("Platform", workloadLogGroupName(props.clusterName, PLATFORM_LOG_GROUP));
    this.performanceGroup = group("Performance", performanceLogGroupName(props.clusterName));

    this.role = new PodIdentityRole(this, "CollectorRole", {
      clusterName: props.clusterName,
      namespace: CLOUDWATCH_AGENT_NAMESPACE,
      serviceAccount: CLOUDWATCH_AGENT_SERVICE_ACCOUNT,
      tags: props.tags,
    });
    const all = [...Object.values(this.groups), this.platformGroup, this.performanceGroup];
    // No logs:CreateLogGroup, and nothing outside these groups: Fluent Bit's outputs create streams and put
    // events (Fluent Bit manual, "Amazon CloudWatch" output); its older Go plugin, and the CloudWatch agent, also
    // describe streams (fluent/fluent-bit-docs#913). Besides, the agent reads what EC2 says of its node, nothing else.
    const policy = new IamRolePolicy(this, "CollectorPolicy", {
      role: this.role.roleName,
      namePrefix: "workload-logs-write-",
      policy: new PolicyDocument([
        {
          Sid: "WriteWorkloadLogGroups",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: all.flatMap((g) => [g.logGroupArn, `${g.logGroupArn}:log-stream:*`]),
        },
        {
          // The CloudWatch agent's Container Insights receiver reads its own node's tags (DescribeTags filtered by
          // resource-id, for the Auto Scaling group name) and attached volumes (DescribeVolumes filtered by
          // attachment.instance-id, for the EBS volume id of each disk metric): opentelemetry-collector-contrib,
          // receiver/awscontainerinsightreceiver/internal/host/ec2tags.go and ebsvolume.go; CloudWatchAgentServerPolicy
          // grants the same two. EC2 Describe actions take no resource-level permissions, so Resource is "*"
          // (Service Authorization Reference, Amazon EC2); the call goes to this Region's ec2 endpoint only.
          Sid: "ReadOwnNodeTagsAndVolumes",
          Effect: "Allow",
          Action: [...COLLECTOR_EC2_READS],
          Resource: "*",
          Condition: { StringEquals: { "aws:RequestedRegion": AwsContext.of(this).region } },
        },
      ]).toJson(),
    });
    // Literal names, not the groups' tokens: the compliance rule matches them to the groups in the Terraform.
    const groups = {
      platform: workloadLogGroupName(props.clusterName, PLATFORM_LOG_GROUP),
      tenants: Object.fromEntries(props.tenants.map((t) => [t, workloadLogGroupName(props.clusterName, t)])),
    };
    this.addon = cloudWatchObservabilityAddon(this, "Addon", {
      clusterName: props.clusterName,
      roleArn: this.role.roleArn,
      // Terraform reads JSON strings as templates: `$${` keeps Fluent Bit's own ${AWS_REGION} and ${HOST_NAME} literal.
      configurationValues: JSON.stringify(cloudWatchObservabilityConfiguration(groups)).replace(/\$\{/g, "$$$${").replace(/%\{/g, "%%{"),
      // The groups exist before Fluent Bit writes, since it may not create them.
      dependsOn: [policy, ...all.map((g) => g.node.findChild("Resource") as CloudwatchLogGroup), ...(props.dependsOn ?? [])],
      addonVersion: props.addonVersion,
      tags: props.tags,
    });
  }

  /** Lets an auditor read every group here (each named, no wildcard), for investigations across tenants. */
  grantReadAll(grantee: Grantee): void {
    const all = [...Object.values(this.groups), this.platformGroup, this.performanceGroup];
    new IamRolePolicy(this, `ReadAll-${Construct.isConstruct(grantee) ? grantee.node.id : grantee.roleName}`, {
      role: grantee.roleName,
      namePrefix: "workload-logs-read-",
      policy: new PolicyDocument([
        {
          Sid: "ReadWorkloadLogs",
          Effect: "Allow",
          Action: ["logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents"],
          Resource: all.flatMap((g) => [g.logGroupArn, `${g.logGroupArn}:log-stream:*`]),
        },
      ]).toJson(),
    });
  }

  /**
   * Lets the grantee read one tenant's container logs and nothing else: no
   * other group, and no Logs Insights, whose GetQueryResults and
   * DescribeQueries take no log group and would show other tenants' queries.
   * Reading needs no KMS permission: CloudWatch Logs decrypts with its own
   * grant on the key.
   */
  grantRead(tenant: string, grantee: Grantee): void {
    const group = this.groups[tenant];
    if (!group)
      throw new Error(`${this.node.path}: no log group for tenant '${tenant}'; tenants are [${Object.keys(this.groups).join(", ")}].`);
    new IamRolePolicy(this, `Read-${Construct.isConstruct(grantee) ? grantee.node.id : tenant}`, {
      role: grantee.roleName,
      namePrefix: "workload-logs-read-",
      policy: new PolicyDocument([
        {
          Sid: "ReadOwnWorkloadLogs",
          Effect: "Allow",
          Action: ["logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents"],
          Resource: [group.logGroupArn, `${group.logGroupArn}:log-stream:*`],
        },
      ]).toJson(),
    });
  }
}
