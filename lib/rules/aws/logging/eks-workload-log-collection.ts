import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { blocksOf, describe, isOutcome, valueAt } from "../../helpers";
import { nodeGroupAccelerator } from "../compute/eks-gpu-node-group-taint";
import { addonConfiguration, COLLECTOR_ADDON, collectorIdentity, collectorOutputs, ofCluster, roleMayWriteLogs, routeToLogs, untoleratedTaints } from "./log-collector";

const acceleratorGroups = (cluster: TfResource) => ofCluster(cluster, "aws_eks_node_group").filter((g) => nodeGroupAccelerator(g).kind !== "none");

/** Any failure fails with every failure's message; else any unresolved; else a pass naming what was checked. */
function combine(outcomes: Outcome[]): Outcome {
  const failed = outcomes.filter((o) => o.status === "fail");
  if (failed.length > 0) return fail(failed.map((o) => o.message).join("; "));
  return outcomes.find((o) => o.status === "unresolved") ?? pass(outcomes.map((o) => o.message).join("; "));
}

export const eksWorkloadLogCollection: Rule = {
  id: "aws-eks-workload-log-collection",
  title: "Clusters with GPU or Neuron node groups collect container logs into log groups the Terraform creates",
  requirements: ["AICP-AILOG-03"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_eks_cluster"],
  remediation: `Add the ${COLLECTOR_ADDON} add-on with a Pod Identity association for cloudwatch-agent whose role may write to log groups created in Terraform (auto_create_group off), the eks-pod-identity-agent add-on, and logs, ecr.api, ecr.dkr, eks-auth and s3 VPC endpoints with private DNS or a NAT gateway (WorkloadLogs and PrivateNetwork do all of this).`,
  effect: "the collector can deliver: it has its own identity allowed to write, Fluent Bit tolerates the accelerator nodes' taints, every group it writes to exists in the Terraform, and the VPC has a route to CloudWatch Logs, ECR and (for Pod Identity) eks-auth",
  applies: (cluster) => acceleratorGroups(cluster).length > 0,
  check(cluster) {
    const gpuGroups = acceleratorGroups(cluster);
    // Groups whose instance types are not known before apply count too: they may run accelerators.
    const named = gpuGroups.map((g) => { const a = nodeGroupAccelerator(g); return `${g.address}${a.kind === "unknown" ? " (may be; " : " ("}${"why" in a ? a.why : ""})`; }).join(", ");
    const addon = ofCluster(cluster, "aws_eks_addon").find((a) => a.body.addon_name === COLLECTOR_ADDON);
    if (!addon) return fail(`accelerator node groups ${named} run on this cluster, but no ${COLLECTOR_ADDON} add-on collects their container logs`);
    const config = addonConfiguration(addon);
    if (isOutcome(config)) return config;
    const containerLogs = (config.containerLogs ?? {}) as { enabled?: unknown };
    if (containerLogs.enabled === false || containerLogs.enabled === "false") return fail(`${addon.address} turns containerLogs off, so no container logs are collected`);

    const outcomes: Outcome[] = [];
    const name = valueAt(cluster, "name");
    if (name.state !== "known" || typeof name.value !== "string") return unresolved(`the cluster's name is ${describe(name)}, so the groups the collector writes to cannot be named`);
    const { groups, problems } = collectorOutputs(config, name.value);
    const existing = new Set(cluster.module.ofType("aws_cloudwatch_log_group").map((g) => g.body.name).filter((n): n is string => typeof n === "string"));
    const missing = groups.filter((g) => !existing.has(g));
    if (problems.length > 0) outcomes.push(unresolved(problems.join("; ")));
    if (missing.length > 0) outcomes.push(fail(`Fluent Bit writes to ${missing.join(", ")}, which this module does not create: it cannot write there, or creates them itself outside Terraform, with no customer-managed key or retention`));
    else outcomes.push(pass(`writes to ${groups.join(", ")}, all created here`));

    const taints = gpuGroups.flatMap((g) => blocksOf(g.body.taint).map((t) => ({ key: String(t.key), value: t.value === undefined ? undefined : String(t.value), effect: String(t.effect) })));
    const untolerated = untoleratedTaints(config, taints);
    if (untolerated.length > 0) outcomes.push(fail(`${addon.address} sets tolerations that do not tolerate ${untolerated.join(", ")}, so Fluent Bit does not run on those accelerator nodes`));

    const identity = collectorIdentity(addon, cluster);
    if (isOutcome(identity)) outcomes.push(identity);
    else {
      outcomes.push(routeToLogs(cluster, identity.podIdentity));
      if (identity.podIdentity && !ofCluster(cluster, "aws_eks_addon").some((a) => a.body.addon_name === "eks-pod-identity-agent")) {
        outcomes.push(fail(`${identity.via} needs the eks-pod-identity-agent add-on, which this cluster does not have, so the collector gets no credentials`));
      }
      outcomes.push(identity.role ? roleMayWriteLogs(identity.role) : unresolved(`the collector's role is ${identity.via}, outside this module, so what it may write cannot be checked`));
    }
    return combine(outcomes);
  },
};
