/**
 * Synthetic Terraform JSON shaped like the platform's output: a repeating
 * unit of buckets with their configuration resources, keys, log groups,
 * security groups with rules, launch templates, node groups and namespaces,
 * so rules, references and attachments all do real work.
 */
type Body = Record<string, unknown>;

function unit(i: number): Array<[string, string, Body]> {
  const key = `key_${i}`;
  const bucket = `bucket_${i}`;
  const sg = `sg_${i}`;
  const lt = `lt_${i}`;
  const meta = (path: string) => ({ "//": { metadata: { path: `platform/${path}`, uniqueId: path } } });
  return [
    [
      "aws_kms_key",
      key,
      {
        ...meta(key),
        enable_key_rotation: true,
        deletion_window_in_days: 30,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }],
        }),
      },
    ],
    ["aws_s3_bucket", bucket, { ...meta(bucket), bucket_prefix: `data-${i}-` }],
    [
      "aws_s3_bucket_versioning",
      `${bucket}_versioning`,
      { bucket: `\${aws_s3_bucket.${bucket}.id}`, versioning_configuration: { status: "Enabled" } },
    ],
    [
      "aws_s3_bucket_server_side_encryption_configuration",
      `${bucket}_encryption`,
      {
        bucket: `\${aws_s3_bucket.${bucket}.id}`,
        rule: [
          {
            apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: `\${aws_kms_key.${key}.arn}` },
            bucket_key_enabled: true,
          },
        ],
      },
    ],
    [
      "aws_s3_bucket_public_access_block",
      `${bucket}_pab`,
      {
        bucket: `\${aws_s3_bucket.${bucket}.id}`,
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      },
    ],
    [
      "aws_s3_bucket_policy",
      `${bucket}_policy`,
      {
        bucket: `\${aws_s3_bucket.${bucket}.id}`,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [`\${aws_s3_bucket.${bucket}.arn}`, `\${aws_s3_bucket.${bucket}.arn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      },
    ],
    ["aws_cloudwatch_log_group", `logs_${i}`, { name: `/saip/${i}`, kms_key_id: `\${aws_kms_key.${key}.arn}`, retention_in_days: 365 }],
    ["aws_security_group", sg, { vpc_id: "${aws_vpc.main.id}", description: "bench" }],
    [
      "aws_vpc_security_group_ingress_rule",
      `${sg}_https`,
      { security_group_id: `\${aws_security_group.${sg}.id}`, cidr_ipv4: "10.0.0.0/16", from_port: 443, to_port: 443, ip_protocol: "tcp" },
    ],
    [
      "aws_launch_template",
      lt,
      {
        metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1, http_endpoint: "enabled" },
        block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: true, kms_key_id: `\${aws_kms_key.${key}.arn}` } }],
      },
    ],
    [
      "aws_eks_node_group",
      `ng_${i}`,
      {
        cluster_name: "main",
        node_role_arn: "arn:aws:iam::111122223333:role/node",
        subnet_ids: ["subnet-1"],
        launch_template: { id: `\${aws_launch_template.${lt}.id}`, version: `\${aws_launch_template.${lt}.latest_version}` },
        scaling_config: { min_size: 0, desired_size: 0, max_size: 2 },
        ami_type: "AL2023_x86_64_NVIDIA",
        taint: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
      },
    ],
    [
      "kubernetes_namespace_v1",
      `ns_${i}`,
      { metadata: [{ name: `tenant-${i}`, labels: { "pod-security.kubernetes.io/enforce": "restricted", "saip.io/tenant": `t${i}` } }] },
    ],
    [
      "kubernetes_network_policy_v1",
      `ns_${i}_deny`,
      {
        metadata: [{ name: "default-deny", namespace: `\${kubernetes_namespace_v1.ns_${i}.metadata[0].name}` }],
        spec: [{ pod_selector: [{}], policy_types: ["Ingress", "Egress"] }],
      },
    ],
  ];
}

export const RESOURCES_PER_UNIT = unit(0).length;

/** A Terraform JSON document with about `count` resources (rounded up to whole units). */
export function generateTerraform(count: number): object {
  const resource: Record<string, Record<string, Body>> = {
    aws_vpc: { main: { cidr_block: "10.0.0.0/16" } },
    aws_flow_log: { main: { vpc_id: "${aws_vpc.main.id}", traffic_type: "ALL" } },
  };
  for (let i = 0; resourceCount(resource) < count; i++) {
    for (const [type, name, body] of unit(i)) (resource[type] ??= {})[name] = body;
  }
  return { "//": { metadata: { stackName: "bench", version: "0.21.0" } }, resource };
}

function resourceCount(resource: Record<string, Record<string, Body>>): number {
  let n = 0;
  for (const type in resource) n += Object.keys(resource[type]).length;
  return n;
}
