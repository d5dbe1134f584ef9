import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Testing } from "cdktf";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { fluentBitApplicationConfig, WorkloadLogs } from "../../../constructs/aws/workload-logs";
import { collectorOutputs, untoleratedTaints } from "../../../lib/rules/aws/logging/log-collector";
import { SecureStack } from "../../../lib/secure-stack";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, Record<string, Record<string, any>>>;

function synth(tenants = ["alpha", "beta"]): { doc: Doc; logs: WorkloadLogs } {
  const stack = new SecureStack(Testing.app(), "test");
  const key = new PlatformKey(stack, "LogsKey", { purpose: "logs", administrators: ["arn:aws:iam::111122223333:role/key-admin"] });
  const logs = new WorkloadLogs(stack, "WorkloadLogs", { clusterName: "gpu", tenants, key, retentionInDays: 731 });
  const reader = new IamRole(stack, "AlphaReader", { assumeRolePolicy: "{}" });
  logs.grantRead("alpha", { roleArn: reader.arn, roleName: reader.name });
  return { doc: JSON.parse(Testing.synth(stack)).resource, logs };
}

describe("WorkloadLogs", () => {
  const { doc } = synth();
  const addon = doc.aws_eks_addon.workload_logs_addon;
  // Terraform would read Fluent Bit's ${AWS_REGION} as an interpolation: it is escaped as $${AWS_REGION}.
  const config = JSON.parse(addon.configuration_values.replace(/\$\$\{/g, "${"));
  const pipeline: string = config.containerLogs.fluentBit.config.extraFiles["application-log.conf"];

  it("creates one encrypted group per tenant, one for the platform and one for Container Insights, kept for the audit retention", () => {
    const groups = Object.values(doc.aws_cloudwatch_log_group);
    expect(groups.map((g) => g.name).sort()).toEqual([
      "/aws/containerinsights/gpu/performance",
      "/saip/gpu/workloads/alpha",
      "/saip/gpu/workloads/beta",
      "/saip/gpu/workloads/platform",
    ]);
    for (const g of groups)
      expect(g).toMatchObject({ kms_key_id: "${aws_kms_key.logs_key.arn}", retention_in_days: 731, tags: { "saip:log-kind": "workload" } });
    // CloudWatch Logs may use the key for this account's log groups only.
    const keyPolicy = JSON.parse(doc.aws_kms_key.logs_key.policy).Statement.find((s: { Sid: string }) => s.Sid === "CloudWatchLogsUse");
    expect(keyPolicy.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toMatch(/:logs:.*:log-group:\*$/);
  });

  it("escapes Fluent Bit's variables from Terraform", () => {
    expect(addon.configuration_values).toContain("log_stream_prefix   $${HOST_NAME}-");
    expect(addon.configuration_values.replace(/\$\$\{/g, "")).not.toContain("${");
    expect(config.containerLogs.fluentBit.config.extraFiles["application-log.conf"]).toContain("region              ${AWS_REGION}");
  });

  it("routes each tenant namespace to its own group, everything else to the platform group, and creates no group itself", () => {
    expect(pipeline).toMatch(/Rule +\$kubernetes\['namespace_name'\] \^\(alpha\|beta\)\$ tenant\.\$kubernetes\['namespace_name'\] false/);
    expect(pipeline).toMatch(/Match +tenant\.alpha\n.*\n +log_group_name +\/saip\/gpu\/workloads\/alpha/);
    expect(pipeline).toMatch(/Match +application\.\*\n.*\n +log_group_name +\/saip\/gpu\/workloads\/platform/);
    expect(pipeline).not.toMatch(/auto_create_group +true/);
    // Labels reach every record; a pod cannot annotate itself out of the record.
    expect(pipeline).toMatch(/Labels +On/);
    expect(pipeline).toMatch(/K8S-Logging\.Exclude Off/);
    // The compliance rule reads the same groups from the add-on's configuration.
    expect(collectorOutputs(config, "gpu")).toEqual({
      groups: ["/saip/gpu/workloads/alpha", "/saip/gpu/workloads/beta", "/saip/gpu/workloads/platform"],
      problems: [],
    });
    expect(fluentBitApplicationConfig({ platform: "/p", tenants: {} })).not.toMatch(/rewrite_tag/);
  });

  it("runs Fluent Bit on every tainted pool and Container Insights without Application Signals", () => {
    expect(config.tolerations).toBeUndefined();
    expect(
      untoleratedTaints(config, [
        { key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" },
        { key: "saip.io/tenant", value: "alpha", effect: "NO_SCHEDULE" },
      ]),
    ).toEqual([]);
    expect(config.agent.config).toEqual({ logs: { metrics_collected: { kubernetes: { enhanced_container_insights: true } } } });
  });

  it("gives the collector its own Pod Identity role that writes to these groups only", () => {
    expect(addon.pod_identity_association).toEqual([
      { role_arn: "${aws_iam_role.workload_logs_collector_role.arn}", service_account: "cloudwatch-agent" },
    ]);
    const trust = JSON.parse(doc.aws_iam_role.workload_logs_collector_role.assume_role_policy).Statement[0];
    expect(trust.Condition.StringEquals).toMatchObject({
      "aws:RequestTag/kubernetes-namespace": "amazon-cloudwatch",
      "aws:RequestTag/kubernetes-service-account": "cloudwatch-agent",
    });
    const [write] = JSON.parse(doc.aws_iam_role_policy.workload_logs_collector_policy.policy).Statement;
    expect(write.Action).toEqual(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]);
    expect(write.Resource.every((r: string) => /^\$\{aws_cloudwatch_log_group\.workload_logs_\w+\.arn\}(:log-stream:\*)?$/.test(r))).toBe(
      true,
    );
    // The CloudWatch agent reads its own node's tags and volumes (Container Insights receiver, ec2tags.go and
    // ebsvolume.go): EC2 Describe actions take no resource ARNs, so only the Region narrows them.
    const [, node] = JSON.parse(doc.aws_iam_role_policy.workload_logs_collector_policy.policy).Statement;
    expect(node).toEqual({
      Sid: "ReadOwnNodeTagsAndVolumes",
      Effect: "Allow",
      Action: ["ec2:DescribeTags", "ec2:DescribeVolumes"],
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": "${data.aws_region.aws_context_region.region}" } },
    });
    expect(addon.depends_on).toEqual(
      expect.arrayContaining(["aws_iam_role_policy.workload_logs_collector_policy", "aws_cloudwatch_log_group.workload_logs_tenant_alpha"]),
    );
  });

  it("lets a tenant's reader read its own group and nothing else", () => {
    const [read] = JSON.parse(doc.aws_iam_role_policy.workload_logs_read_alpha.policy).Statement;
    expect(read).toEqual({
      Sid: "ReadOwnWorkloadLogs",
      Effect: "Allow",
      Action: ["logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents"],
      Resource: [
        "${aws_cloudwatch_log_group.workload_logs_tenant_alpha.arn}",
        "${aws_cloudwatch_log_group.workload_logs_tenant_alpha.arn}:log-stream:*",
      ],
    });
  });

  it("refuses tenants that are not namespace names, and grants for unknown tenants", () => {
    expect(() => synth(["alpha", "alpha"])).toThrow(
      "test/WorkloadLogs: tenants must be distinct namespace names (DNS labels, not 'platform'), got [alpha, alpha].",
    );
    expect(() => synth(["platform"])).toThrow(/tenants must be distinct namespace names/);
    const { logs } = synth(["beta", "alpha"]);
    expect(() => logs.grantRead("gamma", { roleArn: "arn", roleName: "r" })).toThrow(
      "test/WorkloadLogs: no log group for tenant 'gamma'; tenants are [beta, alpha].",
    );
  });
});
