import { fail, Outcome, pass, unresolved } from "../../../compliance/rule";
import { isObject, Json, JsonObject, TfResource } from "../../../terraform/model";
import { attached, blocksOf, describe, documentAt, isOutcome, isTrue, resolve, valueAt } from "../../helpers";
import { readDataSource, requires } from "../../postconditions";
import { ENDPOINT_AVAILABLE_CONDITION, ENDPOINT_PRIVATE_DNS_CONDITION, pinnedVpcId } from "../network/landing-zone-reads";
import { coversAction } from "../../policies/actions";
import { isEffect, readPolicies } from "../../policies/statements";

// What the amazon-cloudwatch-observability add-on needs to deliver container logs, read from the Terraform.

export const COLLECTOR_ADDON = "amazon-cloudwatch-observability";
export const COLLECTOR_NAMESPACE = "amazon-cloudwatch";
export const COLLECTOR_SERVICE_ACCOUNT = "cloudwatch-agent";

/**
 * The add-on's own pipeline files and the groups their outputs write to when
 * not overridden (its Helm chart's values.yaml, containerLogs.fluentBit.config.extraFiles),
 * each with auto_create_group on.
 */
const DEFAULT_PIPELINES: Record<string, string> = {
  "application-log.conf": "/aws/containerinsights/${CLUSTER_NAME}/application",
  "dataplane-log.conf": "/aws/containerinsights/${CLUSTER_NAME}/dataplane",
  "host-log.conf": "/aws/containerinsights/${CLUSTER_NAME}/host",
};

/** Resources of `type` that belong to `cluster` through `cluster_name`, by reference or by its literal name. */
export const ofCluster = (cluster: TfResource, type: string): TfResource[] => attached(cluster, type, "cluster_name", "name");

/** Environment variables the add-on's Fluent Bit DaemonSet sets, which its pipeline files refer to. */
const FLUENT_BIT_VARIABLES = /\$\{(AWS_REGION|CLUSTER_NAME|HOST_NAME|HOSTNAME|READ_FROM_HEAD|READ_FROM_TAIL|CI_VERSION)\}/g;

/** The add-on's configuration as an object; an outcome when it cannot be read before apply. */
export function addonConfiguration(addon: TfResource): JsonObject | Outcome {
  const value = documentAt(addon, "configuration_values");
  if (value.state === "absent") return {};
  if (value.state !== "known" || typeof value.value !== "string")
    return unresolved(`${addon.address} configuration_values is ${describe(value)}`);
  // Fluent Bit's own ${AWS_REGION} is written `$${AWS_REGION}` so Terraform leaves it literal; synthesized JSON
  // holds the escape, Terraform the loader has evaluated holds the literal. Either is one of the variables the
  // add-on's DaemonSet sets, which no Terraform reference can be; any other ${...} is Terraform's.
  const text = value.value.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
  if (/\$\{/.test(value.value.replace(/\$\$\{/g, "").replace(FLUENT_BIT_VARIABLES, ""))) {
    return unresolved(`${addon.address} configuration_values holds Terraform interpolations, known only after apply`);
  }
  try {
    const parsed = JSON.parse(text) as Json;
    return isObject(parsed) ? parsed : fail(`${addon.address} configuration_values is not a JSON object`);
  } catch {
    return unresolved(`${addon.address} configuration_values is not JSON the engine can read (YAML, or a function call)`);
  }
}

const at = (obj: Json | undefined, ...keys: string[]): Json | undefined =>
  keys.reduce<Json | undefined>((o, k) => (isObject(o) ? o[k] : undefined), obj);

/**
 * The log groups Fluent Bit writes to: every `log_group_name` of the pipeline
 * files after the configuration's extraFiles replace the defaults, with
 * `${CLUSTER_NAME}` (the add-on sets it to the cluster's name) filled in.
 */
export function collectorOutputs(config: JsonObject, clusterName: string): { groups: string[]; problems: string[] } {
  const files: Record<string, string> = { ...DEFAULT_PIPELINES };
  const extra = at(config, "containerLogs", "fluentBit", "config", "extraFiles");
  const groups: string[] = [];
  const problems: string[] = [];
  const pipelines: Record<string, string | undefined> = Object.fromEntries(Object.keys(files).map((k) => [k, undefined]));
  if (isObject(extra)) for (const [name, text] of Object.entries(extra)) if (typeof text === "string") pipelines[name] = text;
  for (const [name, text] of Object.entries(pipelines)) {
    if (text === undefined) {
      groups.push(files[name].replace("${CLUSTER_NAME}", clusterName));
      continue;
    }
    if (/^\s*log_group_template\s/im.test(text))
      problems.push(`${name} names its groups with log_group_template, at run time, so they cannot be matched to the Terraform`);
    for (const match of text.matchAll(/^\s*log_group_name\s+(\S+)\s*$/gim)) groups.push(match[1].replace("${CLUSTER_NAME}", clusterName));
  }
  return { groups: [...new Set(groups)], problems };
}

/** Whether the configured tolerations (if any) let Fluent Bit onto nodes with these taints; the default tolerates all. */
export function untoleratedTaints(config: JsonObject, taints: ReadonlyArray<{ key: string; value?: string; effect: string }>): string[] {
  const lists = [at(config, "tolerations"), at(config, "containerLogs", "fluentBit", "tolerations")].filter((l) => l !== undefined);
  if (lists.length === 0) return [];
  // The Fluent Bit DaemonSet takes its own list when set, else the common one.
  const tolerations = blocksOf(lists[lists.length - 1]);
  const effectOf = (e: string) =>
    e.replace("NO_SCHEDULE", "NoSchedule").replace("NO_EXECUTE", "NoExecute").replace("PREFER_NO_SCHEDULE", "PreferNoSchedule");
  return taints
    .filter(
      (taint) =>
        !tolerations.some((t) => {
          const keyOk = t.key === undefined || t.key === taint.key;
          const valueOk = t.operator === "Exists" || t.value === (taint.value ?? "");
          const effectOk = t.effect === undefined || t.effect === "" || t.effect === effectOf(taint.effect);
          return (t.key !== undefined || t.operator === "Exists") && keyOk && valueOk && effectOk;
        }),
    )
    .map((t) => `${t.key}${t.value ? `=${t.value}` : ""}:${effectOf(t.effect)}`);
}

/** The role the collector runs as, from the add-on's Pod Identity association, an association resource or its IRSA role. */
export function collectorIdentity(
  addon: TfResource,
  cluster: TfResource,
): { role?: TfResource; via: string; podIdentity: boolean } | Outcome {
  const candidates: Array<{ value: Json | undefined; via: string; podIdentity: boolean }> = [];
  for (const block of blocksOf(addon.body.pod_identity_association)) {
    if (block.service_account === COLLECTOR_SERVICE_ACCOUNT)
      candidates.push({ value: block.role_arn, via: `${addon.address} pod_identity_association`, podIdentity: true });
  }
  for (const association of ofCluster(cluster, "aws_eks_pod_identity_association")) {
    if (association.body.namespace === COLLECTOR_NAMESPACE && association.body.service_account === COLLECTOR_SERVICE_ACCOUNT) {
      candidates.push({ value: association.body.role_arn, via: association.address, podIdentity: true });
    }
  }
  if (addon.body.service_account_role_arn !== undefined)
    candidates.push({
      value: addon.body.service_account_role_arn,
      via: `${addon.address} service_account_role_arn (IRSA)`,
      podIdentity: false,
    });
  if (candidates.length === 0) {
    return fail(
      `${addon.address} gives the ${COLLECTOR_SERVICE_ACCOUNT} service account no role (no Pod Identity association, no IRSA role), so Fluent Bit would write with whatever the node role allows, if anything`,
    );
  }
  const { value, via, podIdentity } = candidates[0];
  const role = resolve(addon, value);
  if (role.state === "reference" && role.target.type === "aws_iam_role") return { role: role.target, via, podIdentity };
  return { via: `${via} (${describe(role)})`, podIdentity };
}

/**
 * What the CloudWatch agent asks EC2 about its own node: its tags (the Auto Scaling group name) and attached
 * volumes (the EBS volume id of each disk metric), as its Container Insights receiver does
 * (opentelemetry-collector-contrib, receiver/awscontainerinsightreceiver/internal/host/ec2tags.go, ebsvolume.go).
 */
export const COLLECTOR_EC2_READS = ["ec2:DescribeTags", "ec2:DescribeVolumes"] as const;

/** Whether the role's policies in the module allow each action: the actions not allowed, or an outcome when unreadable. */
function roleAllows(role: TfResource, actions: readonly string[]): { missing: string[]; granted: string[] } | Outcome {
  const inline = attached(role, "aws_iam_role_policy", "role", "name");
  const { statements, unreadable } = readPolicies(inline);
  blocksOf(role.body.inline_policy).forEach((block) =>
    readPolicies([{ ...role, body: block }]).statements.forEach((s) => statements.push(s)),
  );
  const allows = statements.filter((s) => isEffect(s.statement, "Allow"));
  const grant = (action: string) => allows.find((s) => coversAction(s.source, s.statement, action) === true);
  const missing = actions.filter((a) => !grant(a));
  if (missing.length === 0) return { missing, granted: [...new Set(actions.map((a) => grant(a)!.label))] };
  const managed = attached(role, "aws_iam_role_policy_attachment", "role", "name").find((a) =>
    String(a.body.policy_arn).endsWith(":policy/CloudWatchAgentServerPolicy"),
  );
  // CloudWatchAgentServerPolicy allows logs:PutLogEvents, ec2:DescribeTags and ec2:DescribeVolumes on "*".
  if (managed) return pass(`${role.address} has CloudWatchAgentServerPolicy (${managed.address})`);
  const unknown = allows.some((s) => missing.some((a) => coversAction(s.source, s.statement, a) === "unknown"));
  if (unknown || unreadable.length > 0) return unresolved(`${role.address}'s policies cannot all be read before apply`);
  const attachments = attached(role, "aws_iam_role_policy_attachment", "role", "name");
  if (attachments.length > 0)
    return unresolved(
      `${role.address} has managed policies (${attachments.map((a) => a.address).join(", ")}) whose content this module does not show`,
    );
  return { missing, granted: [] };
}

/** Whether the role's policies in the module allow logs:PutLogEvents. */
export function roleMayWriteLogs(role: TfResource): Outcome {
  const allowed = roleAllows(role, ["logs:PutLogEvents"]);
  if (isOutcome(allowed)) return allowed;
  if (allowed.missing.length > 0)
    return fail(`${role.address} has no policy that allows logs:PutLogEvents, so Fluent Bit is refused every write`);
  return pass(`${role.address} may write log events (${allowed.granted.join(", ")})`);
}

/** Whether the role lets the CloudWatch agent read its node's tags and volumes, without which its records lack them. */
export function roleMayDescribeNode(role: TfResource): Outcome {
  const allowed = roleAllows(role, COLLECTOR_EC2_READS);
  if (isOutcome(allowed)) return allowed;
  if (allowed.missing.length > 0)
    return fail(
      `${role.address} has no policy that allows ${allowed.missing.join(" and ")}, so the CloudWatch agent's records lack the node's Auto Scaling group and EBS volume ids`,
    );
  return pass(`${role.address} may read its node's tags and volumes (${allowed.granted.join(", ")})`);
}

/**
 * The endpoints a collector without NAT needs: Logs, ECR and the S3 gateway for its images, EC2 for the agent's
 * reads of its node, eks-auth for Pod Identity.
 */
const endpointsNeeded = (podIdentity: boolean) => ["logs", "ecr.api", "ecr.dkr", "s3", "ec2", ...(podIdentity ? ["eks-auth"] : [])];

/** What the collector cannot do without the first missing endpoint that matters most. */
const withoutEndpoint = (missing: string[]) =>
  missing.includes("logs")
    ? "reach CloudWatch Logs"
    : missing.includes("eks-auth")
      ? "get credentials"
      : missing.some((m) => m.startsWith("ecr") || m === "s3")
        ? "pull its images"
        : "read its node's tags and volumes from EC2";

/**
 * Whether the cluster's VPC, where the module shows it, lets the collector
 * work: through a NAT gateway, or through interface endpoints with private DNS
 * (Fluent Bit calls logs.<region>.amazonaws.com, and only private DNS makes
 * that name reach the endpoint) for CloudWatch Logs, for ECR with the S3
 * gateway its image layers come through (the add-on's images are pulled like
 * any other), for EC2, which the CloudWatch agent asks about its node, and for eks-auth, which the Pod Identity agent calls
 * (AssumeRoleForPodIdentity) when the collector's role comes through Pod Identity.
 */
export function routeToLogs(cluster: TfResource, podIdentity: boolean): Outcome {
  const subnets = valueAt(cluster, "vpc_config.subnet_ids");
  const read =
    subnets.state === "known" && Array.isArray(subnets.value) ? readDataSource(cluster, subnets.value[0], "aws_subnet") : undefined;
  if (read) return routeThroughReadEndpoints(read, podIdentity);
  const first = subnets.state === "known" && Array.isArray(subnets.value) ? resolve(cluster, subnets.value[0]) : subnets;
  if (first.state !== "reference" || first.target.type !== "aws_subnet")
    return unresolved(
      `the cluster's subnets (${describe(first)}) are not aws_subnet resources in this module, so its route to CloudWatch Logs cannot be seen`,
    );
  const vpc = valueAt(first.target, "vpc_id");
  if (vpc.state !== "reference" || vpc.target.type !== "aws_vpc")
    return unresolved(`${first.target.address} vpc_id is ${describe(vpc)}, not an aws_vpc in this module`);
  const inVpc = (type: string) => attached(vpc.target, type, "vpc_id");
  const gateway = inVpc("aws_internet_gateway")[0];
  if (gateway && vpc.target.module.ofType("aws_nat_gateway").length > 0)
    return pass(`${vpc.target.address} reaches CloudWatch Logs through a NAT gateway and ${gateway.address}`);
  const endpoints = inVpc("aws_vpc_endpoint");
  const endpoint = (service: string) =>
    endpoints.find((e) => typeof e.body.service_name === "string" && e.body.service_name.endsWith(`.${service}`));
  const needed = endpointsNeeded(podIdentity);
  const missing = needed.filter((service) => !endpoint(service));
  if (missing.length > 0)
    return fail(
      `${vpc.target.address} has no NAT gateway and no ${missing.join(", ")} endpoint, so the collector cannot ${withoutEndpoint(missing)}`,
    );
  const noDns = needed
    .filter((service) => service !== "s3")
    .map(endpoint)
    .filter((e): e is TfResource => e !== undefined && !isTrue(valueAt(e, "private_dns_enabled")));
  if (noDns.length > 0)
    return fail(
      `${noDns.map((e) => e.address).join(", ")} ${noDns.length > 1 ? "have" : "has"} private_dns_enabled off, so the service names the collector calls do not resolve to ${noDns.length > 1 ? "them" : "it"}`,
    );
  return pass(
    `${vpc.target.address} reaches CloudWatch Logs through ${endpoint("logs")!.address}, and ECR, EC2${podIdentity ? " and eks-auth" : ""} through their endpoints`,
  );
}

/**
 * A landing zone's VPC: the route counts where the module reads each endpoint
 * the collector needs in the subnet's VPC with postconditions that stop the
 * plan unless it is available with private DNS (PrivateNetwork.fromVpcAttributes
 * does, with egress "none"); a route through NAT cannot be seen from here.
 */
function routeThroughReadEndpoints(subnet: TfResource, podIdentity: boolean): Outcome {
  const vpcId = pinnedVpcId(subnet);
  if (!vpcId)
    return unresolved(
      `the cluster's subnet ${subnet.address} is read from outside the module and not pinned to a VPC by a postcondition, so its route to CloudWatch Logs cannot be seen`,
    );
  const reads = subnet.module.ofType("aws_vpc_endpoint").filter((e) => e.mode === "data" && e.body.vpc_id === vpcId);
  const endpoint = (service: string) =>
    reads.find((e) => typeof e.body.service_name === "string" && e.body.service_name.endsWith(`.${service}`));
  const needed = endpointsNeeded(podIdentity);
  const unproven = needed.filter((service) => {
    const e = endpoint(service);
    return !e || !requires(e, ENDPOINT_AVAILABLE_CONDITION) || (service !== "s3" && !requires(e, ENDPOINT_PRIVATE_DNS_CONDITION));
  });
  if (unproven.length > 0) {
    return unresolved(
      `${vpcId} is the landing zone's; the module does not read its ${unproven.join(", ")} endpoint${unproven.length > 1 ? "s" : ""} with postconditions requiring them available with private DNS, and a NAT route cannot be seen, so the collector's route to CloudWatch Logs is unknown`,
    );
  }
  return pass(
    `the landing zone's ${vpcId} has ${needed.join(", ")} endpoints, each read with a postcondition that stops the plan unless it is available${needed.length > 1 ? " (with private DNS where it is an interface)" : ""}`,
  );
}
