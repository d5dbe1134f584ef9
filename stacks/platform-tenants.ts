import { AccessRole } from "../constructs/aws/access-role";
import { PodIdentityRole } from "../constructs/aws/pod-identity-role";
import { pascalCase } from "../lib/naming";
import type { PlatformStack } from "./platform-stack";

/**
 * Each tenant's workload roles, their grants under the tenant's prefix of the shared buckets, the role its people
 * assume to read its container logs, and their way into the cluster. Made once the stores, logs and cluster exist.
 */
export function addTenantAccess(stack: PlatformStack): void {
  const { config, cluster } = stack;
  // Inference reads models; training reads datasets and models and writes checkpoints (the ai-on-eks split),
  // each tenant only under its own `<tenant>/` prefix of the shared buckets.
  for (const tenant of config.tenants) {
    const role = (purpose: "inference" | "training") =>
      new PodIdentityRole(stack, `${pascalCase(tenant.name)}${pascalCase(purpose)}Role`, {
        clusterName: cluster.clusterName,
        namespace: tenant.name,
        serviceAccount: purpose,
      });
    const roles = { inference: role("inference"), training: role("training") };
    const own = { prefix: `${tenant.name}/` };
    stack.buckets.models?.grantRead(roles.inference, own);
    stack.buckets.models?.grantRead(roles.training, own);
    stack.buckets.datasets?.grantRead(roles.training, own);
    stack.buckets.checkpoints?.grantReadWrite(roles.training, own);
    stack.tenantRoles[tenant.name] = roles;
    const readerPrefix = `${tenant.name}-logs-`;
    const reader = new AccessRole(stack, `${pascalCase(tenant.name)}LogReader`, {
      job: `Reads the container logs of tenant ${tenant.name}`,
      principalArns: tenant.principalArns,
      namePrefix: readerPrefix.length <= 38 ? readerPrefix : "saip-tenant-logs-",
    });
    stack.workloadLogs.grantRead(tenant.name, reader);
    stack.tenantLogReaders[tenant.name] = reader;
    // The enclave's pod fetches the tenant's wrapped weights; only the attested enclave can unwrap them.
    stack.enclaveWorkloadRoles.filter((r) => r.namespace === tenant.name).forEach((r) => stack.buckets.models?.grantRead(r, own));
    // Under authentication mode API, the tenant's people reach the cluster only through these entries;
    // the groups carry no access policy, so they can do only what the namespace's RoleBindings allow.
    tenant.principalArns.forEach((arn) => cluster.mapToGroups(arn, tenant.groups));
  }
}
