import * as path from "node:path";
import { loadTerraform } from "../../lib/terraform/load";
import { valueAt } from "../../lib/terraform/values";
import { saip } from "../cli/run";

const FIXTURES = path.join(__dirname, "../fixtures/terraform/module-idioms");

interface Finding {
  ruleId: string;
  resource: string;
  status: string;
  unresolved?: boolean;
  message: string;
}

/** One `saip check` per example folder, shared by the tests of that folder. */
const runs = new Map<string, Promise<{ code: number; stderr: string; findings: Finding[] }>>();
function checkExample(example: string) {
  if (!runs.has(example)) {
    runs.set(
      example,
      saip("check", path.join(FIXTURES, example), "--format", "json").then((run) => ({
        code: run.code,
        stderr: run.stderr,
        findings: run.code === 2 ? [] : (JSON.parse(run.stdout) as { findings: Finding[] }).findings,
      })),
    );
  }
  return runs.get(example)!;
}

async function verdicts(example: string) {
  const { findings } = await checkExample(example);
  const of = (rule: string, resource: string) => {
    const found = findings.filter((f) => f.ruleId === rule && f.resource === resource);
    if (found.length !== 1) throw new Error(`${example}: ${found.length} findings of ${rule} on ${resource}`);
    return found[0];
  };
  return { findings, of };
}

const EXAMPLES = [
  "bucket/examples/logs-and-data",
  "network/examples/flow-logs",
  "network/examples/minimal",
  "cluster/examples/gpu-inference",
];

/** Modules written for this project in the style of community modules (see the fixtures' README). */
describe("module idioms: examples calling their root module with source = ../../", () => {
  it.each(EXAMPLES)("%s: checks without crashing or exit 2, with findings inside the module", async (example) => {
    const { code, stderr, findings } = await checkExample(example);
    expect({ code, stderr }).toEqual({ code: 1, stderr: "" });
    expect(findings.filter((f) => f.resource.startsWith("module.")).length).toBeGreaterThan(0);
  });

  it("bucket: judges both module calls with merged policy documents, the block named through the policy's id, and the key by name", async () => {
    const { findings, of } = await verdicts("bucket/examples/logs-and-data");
    expect(new Set(findings.filter((f) => f.resource.startsWith("module.")).map((f) => f.resource.split(".aws_")[0]))).toEqual(
      new Set(["module.data_bucket", "module.log_bucket"]),
    );
    // Every value is known before apply except what the rules follow as references.
    expect(findings.filter((f) => f.unresolved).map((f) => `${f.ruleId} ${f.resource}`)).toEqual([]);
    // The TLS-deny document comes in through source_policy_documents, the caller's through override_policy_documents.
    expect(of("aws-s3-bucket-tls-only", "module.data_bucket.aws_s3_bucket.this[0]")).toMatchObject({
      status: "pass",
      message: expect.stringContaining('statement "RefuseRequestsWithoutTls" denies every request made without TLS'),
    });
    expect(of("aws-s3-bucket-policy-no-public-allow", "module.data_bucket.aws_s3_bucket_policy.this[0]")).toMatchObject({ status: "pass" });
    // The public access block names the bucket through aws_s3_bucket_policy.this[0].id.
    expect(of("aws-s3-bucket-public-access-block", "module.data_bucket.aws_s3_bucket.this[0]")).toMatchObject({ status: "pass" });
    expect(of("aws-s3-bucket-public-access-block", "module.log_bucket.aws_s3_bucket_public_access_block.this[0]")).toMatchObject({
      status: "fail",
      message: expect.stringContaining("leaves ignore_public_acls false"),
    });
    expect(of("aws-s3-bucket-cmk-encryption", "module.data_bucket.aws_s3_bucket.this[0]")).toMatchObject({
      status: "pass",
      message: expect.stringContaining("customer-managed key aws_kms_key.objects"),
    });
    expect(of("aws-s3-bucket-versioning", "module.log_bucket.aws_s3_bucket.this[0]")).toMatchObject({ status: "fail" });
    expect(of("aws-s3-bucket-versioning", "module.data_bucket.aws_s3_bucket.this[0]")).toMatchObject({ status: "pass" });
    // The log bucket's tags merge the caller's saip:role with the module's own; the data bucket logs into it through an output.
    expect(of("aws-s3-bucket-access-logging", "module.log_bucket.aws_s3_bucket.this[0]")).toMatchObject({
      status: "pass",
      message: expect.stringMatching(/^exempt: it is declared a log bucket/),
    });
    expect(of("aws-s3-bucket-access-logging", "module.data_bucket.aws_s3_bucket.this[0]")).toMatchObject({
      status: "pass",
      message: expect.stringContaining("module.log_bucket.aws_s3_bucket_policy.this[0].id"),
    });
  });

  it("network: one subnet per map entry, flow log and default group only where the call asks", async () => {
    const flow = await verdicts("network/examples/flow-logs");
    expect(flow.findings.filter((f) => f.ruleId === "aws-subnet-no-public-ip").map((f) => `${f.resource} ${f.status}`)).toEqual([
      'module.network.aws_subnet.this["edge"] pass',
      'module.network.aws_subnet.this["private-a"] pass',
      'module.network.aws_subnet.this["private-b"] pass',
      'module.network.aws_subnet.this["private-c"] pass',
    ]);
    expect(flow.of("aws-vpc-flow-logs", "module.network.aws_vpc.this")).toMatchObject({
      status: "pass",
      message: "module.network.aws_flow_log.this[0] records ALL traffic of the VPC",
    });
    expect(flow.of("aws-cloudwatch-log-group-cmk", "module.network.aws_cloudwatch_log_group.flow[0]")).toMatchObject({
      status: "pass",
      message: expect.stringContaining("aws_kms_key.logs"),
    });
    expect(flow.of("aws-default-security-group-closed", "module.network.aws_vpc.this")).toMatchObject({ status: "pass" });
    expect(flow.findings.filter((f) => f.unresolved)).toEqual([]);

    const minimal = await verdicts("network/examples/minimal");
    expect(minimal.of("aws-vpc-flow-logs", "module.network.aws_vpc.this")).toMatchObject({
      status: "fail",
      message: "no aws_flow_log in the module has vpc_id referring to module.network.aws_vpc.this",
    });
    expect(minimal.of("aws-default-security-group-closed", "module.network.aws_vpc.this")).toMatchObject({
      status: "fail",
      message: expect.stringContaining("module.network.aws_default_security_group.this keeps 1 ingress rule"),
    });
    // A count of zero creates nothing: no NAT gateway, log group or flow-log role.
    expect(minimal.findings.some((f) => /aws_cloudwatch_log_group|aws_iam_role/.test(f.resource))).toBe(false);
    expect(minimal.findings.filter((f) => f.unresolved)).toEqual([]);
  });

  it("network: subnet addresses, zones and tags evaluated from cidrsubnet, element over a slice, and merge", async () => {
    // The one folder whose values are read directly, since no rule's message states them.
    const [module] = await loadTerraform([path.join(FIXTURES, "network/examples/flow-logs")]);
    const resource = (address: string) => module.resources.find((r) => r.address === address)!;
    const subnets = module.resources.filter((r) => r.type === "aws_subnet");
    expect(subnets.map((r) => [r.address, valueAt(r, "cidr_block"), valueAt(r, "availability_zone")])).toEqual([
      ['module.network.aws_subnet.this["edge"]', { state: "known", value: "10.0.3.0/24" }, { state: "known", value: "eu-west-1a" }],
      ['module.network.aws_subnet.this["private-a"]', { state: "known", value: "10.0.0.0/20" }, { state: "known", value: "eu-west-1a" }],
      ['module.network.aws_subnet.this["private-b"]', { state: "known", value: "10.0.16.0/20" }, { state: "known", value: "eu-west-1b" }],
      ['module.network.aws_subnet.this["private-c"]', { state: "known", value: "10.0.32.0/20" }, { state: "known", value: "eu-west-1c" }],
    ]);
    expect(valueAt(resource('module.network.aws_subnet.this["edge"]'), "tags")).toEqual({
      state: "known",
      value: { "managed-by": "network-module", environment: "test", Name: "idioms-flow-edge", tier: "public" },
    });
    // The NAT gateway sits in the first public subnet, found with element() over a filtered for.
    const nat = valueAt(resource("module.network.aws_nat_gateway.this[0]"), "subnet_id");
    expect(nat.state === "reference" && nat.target.address).toBe('module.network.aws_subnet.this["edge"]');
  });

  it("cluster: node groups of a nested module called with for_each, with their launch templates, user data and the network's subnets", async () => {
    const { findings, of } = await verdicts("cluster/examples/gpu-inference");
    const template = 'module.cluster.module.node_group["gpu"].aws_launch_template.this[0]';
    expect(of("aws-launch-template-imdsv2", template)).toMatchObject({ status: "pass" });
    expect(of("aws-launch-template-imds-hop-limit", template)).toMatchObject({
      status: "pass",
      message: "metadata_options.http_put_response_hop_limit is 1",
    });
    expect(of("aws-launch-template-ebs-cmk", template)).toMatchObject({
      status: "pass",
      message: expect.stringContaining("aws_kms_key.cluster"),
    });
    const groups = findings.filter((f) => f.ruleId === "aws-eks-node-group-release-pinned").map((f) => f.resource);
    expect(groups).toEqual([
      'module.cluster.module.node_group["general"].aws_eks_node_group.this',
      'module.cluster.module.node_group["gpu"].aws_eks_node_group.this',
    ]);
    const gpu = 'module.cluster.module.node_group["gpu"].aws_eks_node_group.this';
    // The template's %{ if } adds the NVIDIA toolkit setting only to the GPU group's base64encode(templatefile(...)) user data.
    expect(of("aws-eks-gpu-node-group-device-injection", gpu)).toMatchObject({
      status: "pass",
      message: expect.stringContaining("accept-nvidia-visible-devices-envvar-when-unprivileged = false"),
    });
    expect(of("aws-eks-gpu-node-group-taint", gpu)).toMatchObject({ status: "pass" });
    // The subnets come from module.network's output; the nodes get no public IP because those subnets give none.
    expect(of("aws-launch-template-no-public-ip", gpu)).toMatchObject({
      status: "pass",
      message: expect.stringContaining("module.network.aws_subnet.this"),
    });
    expect(of("aws-eks-control-plane-logging", "module.cluster.aws_eks_cluster.this")).toMatchObject({ status: "pass" });
    expect(of("aws-eks-secrets-encryption", "module.cluster.aws_eks_cluster.this")).toMatchObject({
      status: "pass",
      message: expect.stringContaining("aws_kms_key.cluster"),
    });
    expect(
      of(
        "aws-iam-policy-no-admin",
        'module.cluster.module.node_group["gpu"].aws_iam_role_policy_attachment.node["AmazonEKSWorkerNodePolicy"]',
      ),
    ).toMatchObject({ status: "pass" });
    // The one unresolved finding is the rule's own limit on AL2023 (it does not read the device plugin's configuration).
    expect(findings.filter((f) => f.unresolved).map((f) => `${f.ruleId} ${f.resource}`)).toEqual([
      `aws-eks-gpu-node-group-no-shared-time-slicing ${gpu}`,
    ]);
  });
});
