import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { blocksOf, describe, isOutcome, valueAt } from "../../helpers";
import { nodeGroupAccelerator } from "../compute/eks-gpu-node-group-taint";
import {
  addonConfiguration,
  COLLECTOR_ADDON,
  collectorIdentity,
  collectorOutputs,
  ofCluster,
  roleMayDescribeNode,
  roleMayWriteLogs,
  routeToLogs,
  untoleratedTaints,
} from "./log-collector";

const acceleratorGroups = (cluster: TfResource) =>
  ofCluster(cluster, "aws_eks_node_group").filter((g) => nodeGroupAccelerator(g).kind !== "none");

/** Any failure fails with every failure's message; else any unresolved; else a pass naming what was checked. */
function combine(outcomes: Outcome[]): Outcome {
  const failed = outcomes.filter((o) => o.status === "fail");
  if (failed.length > 0) return fail(failed.map((o) => o.message).join("; "));
  return outcomes.find((o) => o.status === "unresolved") ?? pass(outcomes.map((o) => o.message).join("; "));
}

/** A private GPU cluster whose collector can deliver, as Terraform JSON; `collector: false` leaves the add-on out. */
function example(collector: boolean): string {
  const endpoint = (service: string) => ({
    vpc_id: "${aws_vpc.main.id}",
    service_name: `com.amazonaws.eu-west-1.${service}`,
    ...(service === "s3" ? { vpc_endpoint_type: "Gateway" } : { vpc_endpoint_type: "Interface", private_dns_enabled: true }),
  });
  const output =
    "[OUTPUT]\n  Name cloudwatch_logs\n  Match application.*\n  region $${AWS_REGION}\n  log_group_name /saip/gpu/workloads/platform\n  auto_create_group false\n";
  const addons: Record<string, unknown> = {
    pod_identity_agent: { cluster_name: "${aws_eks_cluster.gpu.name}", addon_name: "eks-pod-identity-agent" },
  };
  if (collector) {
    addons.logs = {
      cluster_name: "${aws_eks_cluster.gpu.name}",
      addon_name: COLLECTOR_ADDON,
      configuration_values: JSON.stringify({
        containerLogs: {
          enabled: true,
          fluentBit: {
            config: { extraFiles: { "application-log.conf": output, "dataplane-log.conf": "# off", "host-log.conf": "# off" } },
          },
        },
      }),
      pod_identity_association: [{ role_arn: "${aws_iam_role.collector.arn}", service_account: "cloudwatch-agent" }],
    };
  }
  return JSON.stringify(
    {
      resource: {
        aws_vpc: { main: { cidr_block: "10.0.0.0/16" } },
        aws_subnet: { a: { vpc_id: "${aws_vpc.main.id}", cidr_block: "10.0.0.0/20" } },
        aws_vpc_endpoint: Object.fromEntries(
          ["logs", "ecr.api", "ecr.dkr", "ec2", "eks-auth", "s3"].map((service) => [service.replace(/[.-]/g, "_"), endpoint(service)]),
        ),
        aws_eks_cluster: {
          gpu: { name: "gpu", role_arn: "arn:aws:iam::111122223333:role/eks", vpc_config: { subnet_ids: ["${aws_subnet.a.id}"] } },
        },
        aws_eks_node_group: {
          gpu: {
            cluster_name: "${aws_eks_cluster.gpu.name}",
            ami_type: "AL2023_x86_64_NVIDIA",
            taint: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
          },
        },
        aws_iam_role: {
          collector: {
            assume_role_policy: JSON.stringify({
              Statement: [
                { Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] },
              ],
            }),
          },
        },
        aws_iam_role_policy: {
          collector: {
            role: "${aws_iam_role.collector.name}",
            policy: JSON.stringify({
              Statement: [
                {
                  Effect: "Allow",
                  Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                  Resource: "${aws_cloudwatch_log_group.platform.arn}:*",
                },
                { Effect: "Allow", Action: ["ec2:DescribeTags", "ec2:DescribeVolumes"], Resource: "*" },
              ],
            }),
          },
        },
        aws_cloudwatch_log_group: { platform: { name: "/saip/gpu/workloads/platform" } },
        aws_eks_addon: addons,
      },
    },
    null,
    2,
  );
}

export const eksWorkloadLogCollection: Rule = {
  id: "aws-eks-workload-log-collection",
  title: "Clusters with GPU or Neuron node groups collect container logs into log groups the Terraform creates",
  requirements: ["AICP-AILOG-03"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_eks_cluster"],
  remediation: `Add the ${COLLECTOR_ADDON} add-on with a Pod Identity association for cloudwatch-agent whose role may write to log groups created in Terraform (auto_create_group off) and read its node's tags and volumes (ec2:DescribeTags, ec2:DescribeVolumes), the eks-pod-identity-agent add-on, and logs, ecr.api, ecr.dkr, ec2, eks-auth and s3 VPC endpoints with private DNS or a NAT gateway (WorkloadLogs and PrivateNetwork do all of this).`,
  effect:
    "the collector can deliver: it has its own identity allowed to write and to read its node's tags and volumes, Fluent Bit tolerates the accelerator nodes' taints, every group it writes to exists in the Terraform, and the VPC has a route to CloudWatch Logs, ECR, EC2 and (for Pod Identity) eks-auth",
  examples: { good: [example(true)], bad: [example(false)] },
  applies: (cluster) => acceleratorGroups(cluster).length > 0,
  check(cluster) {
    const gpuGroups = acceleratorGroups(cluster);
    // Groups whose instance types are not known before apply count too: they may run accelerators.
    const named = gpuGroups
      .map((g) => {
        const a = nodeGroupAccelerator(g);
        return `${g.address}${a.kind === "unknown" ? " (may be; " : " ("}${"why" in a ? a.why : ""})`;
      })
      .join(", ");
    const addon = ofCluster(cluster, "aws_eks_addon").find((a) => a.body.addon_name === COLLECTOR_ADDON);
    if (!addon)
      return fail(`accelerator node groups ${named} run on this cluster, but no ${COLLECTOR_ADDON} add-on collects their container logs`);
    const config = addonConfiguration(addon);
    if (isOutcome(config)) return config;
    const containerLogs = (config.containerLogs ?? {}) as { enabled?: unknown };
    if (containerLogs.enabled === false || containerLogs.enabled === "false")
      return fail(`${addon.address} turns containerLogs off, so no container logs are collected`);

    const outcomes: Outcome[] = [];
    const name = valueAt(cluster, "name");
    if (name.state !== "known" || typeof name.value !== "string")
      return unresolved(`the cluster's name is ${describe(name)}, so the groups the collector writes to cannot be named`);
    const { groups, problems } = collectorOutputs(config, name.value);
    const existing = new Set(
      cluster.module
        .ofType("aws_cloudwatch_log_group")
        .map((g) => g.body.name)
        .filter((n): n is string => typeof n === "string"),
    );
    const missing = groups.filter((g) => !existing.has(g));
    if (problems.length > 0) outcomes.push(unresolved(problems.join("; ")));
    if (missing.length > 0)
      outcomes.push(
        fail(
          `Fluent Bit writes to ${missing.join(", ")}, which this module does not create: it cannot write there, or creates them itself outside Terraform, with no customer-managed key or retention`,
        ),
      );
    else outcomes.push(pass(`writes to ${groups.join(", ")}, all created here`));

    const taints = gpuGroups.flatMap((g) =>
      blocksOf(g.body.taint).map((t) => ({
        key: String(t.key),
        value: t.value === undefined ? undefined : String(t.value),
        effect: String(t.effect),
      })),
    );
    const untolerated = untoleratedTaints(config, taints);
    if (untolerated.length > 0)
      outcomes.push(
        fail(
          `${addon.address} sets tolerations that do not tolerate ${untolerated.join(", ")}, so Fluent Bit does not run on those accelerator nodes`,
        ),
      );

    const identity = collectorIdentity(addon, cluster);
    if (isOutcome(identity)) outcomes.push(identity);
    else {
      outcomes.push(routeToLogs(cluster, identity.podIdentity));
      if (identity.podIdentity && !ofCluster(cluster, "aws_eks_addon").some((a) => a.body.addon_name === "eks-pod-identity-agent")) {
        outcomes.push(
          fail(
            `${identity.via} needs the eks-pod-identity-agent add-on, which this cluster does not have, so the collector gets no credentials`,
          ),
        );
      }
      if (identity.role) outcomes.push(roleMayWriteLogs(identity.role), roleMayDescribeNode(identity.role));
      else
        outcomes.push(unresolved(`the collector's role is ${identity.via}, outside this module, so what it may write cannot be checked`));
    }
    return combine(outcomes);
  },
};
