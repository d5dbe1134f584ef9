import { DefaultServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/default-service-account-v1";
import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { ComplexList, ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { parseCidr } from "../aws/cidr";
import { PLACEMENT_LABEL_KEY } from "../../lib/rules/kubernetes/placement-policy";
import { DedicatedPool, dedicatedTenantPool, PodPlacement, placementFor, podSpecDefaults } from "./pod-placement";
import { addTenantNetworkPolicies, InferenceEntryTraffic } from "./tenant-network-policies";

export interface TenantQuota {
  /** Sum of CPU requests. @default "32" */
  readonly requestsCpu?: string;
  /** Sum of CPU limits. @default "64" */
  readonly limitsCpu?: string;
  /** Sum of memory requests. @default "128Gi" */
  readonly requestsMemory?: string;
  /** Sum of memory limits. @default "256Gi" */
  readonly limitsMemory?: string;
  /** Pods not yet finished. @default 50 */
  readonly pods?: number;
  /** Services (never LoadBalancer or NodePort: those are capped at 0). @default 10 */
  readonly services?: number;
  /** @default 50 */
  readonly secrets?: number;
  /** @default 50 */
  readonly configMaps?: number;
  /** @default 10 */
  readonly persistentVolumeClaims?: number;
}

/** Requests and limits containers get when their spec names none (the quota makes pods without them fail). */
export interface ContainerDefaults {
  /** @default "250m" */
  readonly cpuRequest?: string;
  /** @default "512Mi" */
  readonly memoryRequest?: string;
  /** @default "1" */
  readonly cpuLimit?: string;
  /** @default "2Gi" */
  readonly memoryLimit?: string;
}

export interface TenantNamespaceProps {
  /** The tenant, which names the namespace: a DNS label, not `default` or `kube-*`. */
  readonly name: string;
  /** Groups (from EKS access entries) bound to the tenant-developer role; never `system:` groups. */
  readonly groups: string[];
  /** GPUs the namespace's pods may request in total (`requests.nvidia.com/gpu`); 0 or more. */
  readonly gpuQuota: number;
  /**
   * CIDR blocks of the VPC's interface endpoints, reachable on TCP 443. An S3 gateway
   * endpoint routes to S3's public ranges, which a block of the VPC does not cover.
   */
  readonly endpointCidrs: string[];
  /** Pod Security Standards version the enforce, audit and warn labels pin. @default "v1.33" */
  readonly podSecurityVersion?: string;
  /**
   * The tenant's own GPU pool: `dedicatedTenantPool(name)`, the label and taint
   * `saip.io/tenant=<name>` a NodePool with `tenant` gets, which is what the
   * TenantPlacementPolicy enforces. @default - none: the tenant shares pools
   */
  readonly dedicatedPool?: DedicatedPool;
  /**
   * What the network policies wait for: the vpc-cni add-on itself when the
   * cluster is in the same stack, or `networkPolicyGate()` (a read of the
   * add-on that fails the plan unless it enforces NetworkPolicies) when it is
   * not. Without either, the compliance check cannot tell the policies are enforced.
   * @default - none
   */
  readonly networkPolicyEnforcement?: ITerraformDependable;
  /**
   * The admission policy bindings and constraints that judge the tenant's pods: the binding that gives the
   * tenant's groups their role waits for them, so no pod of theirs is admitted before they are in force.
   * @default - none
   */
  readonly admission?: ITerraformDependable[];
  /**
   * The inference entry's traffic to the tenant's serving pods (labelled MODEL_SERVER_LABEL), admitted on
   * its target port from the ranges its load balancer lives in. @default - the entry reaches no pod
   */
  readonly inferenceEntry?: InferenceEntryTraffic;
  /**
   * Entries of the region's S3 prefix list (`data.aws_ec2_managed_prefix_list`
   * `com.amazonaws.<region>.s3`), so pods reach S3 through the gateway endpoint
   * once network policies are enforced. @default - none: pods reach no S3
   */
  readonly s3PrefixListEntries?: ComplexList;
  /** Caps besides GPUs. @default - the TenantQuota defaults */
  readonly quota?: TenantQuota;
  /** Requests and limits for containers that name none. @default - the ContainerDefaults defaults */
  readonly containerDefaults?: ContainerDefaults;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const QUANTITY = /^\d+(\.\d+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/;
const ALL_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"];

/**
 * A tenant's namespace on a shared cluster: the restricted Pod Security
 * Standard enforced (audit and warn too) at a pinned version, a default-deny
 * network policy with separate allowances (DNS, the namespace itself, the VPC
 * endpoints, the Pod Identity agent), a quota on GPUs, compute and objects
 * with no LoadBalancer or NodePort services, default container requests and
 * limits, a `default` service account that mounts no token, and a
 * namespaced developer role bound to the tenant's groups.
 *
 * Placement: the namespace is labelled `saip.io/tenant=<name>` and
 * `saip.io/placement=dedicated|shared`, which the cluster's
 * TenantPlacementPolicy (a ValidatingAdmissionPolicy) reads to deny pods that
 * set `nodeName`, tolerate another tenant's taint, or, with a dedicated pool,
 * do not select it. Workloads get the placement from their spec
 * (`podPlacement` / `tenantPodSpecDefaults()`): EKS enables neither the
 * PodNodeSelector nor the PodTolerationRestriction admission plugin, so
 * namespace annotations (`scheduler.alpha.kubernetes.io/...`) would be
 * ignored and none are set.
 */
export class TenantNamespace extends Construct {
  /** The namespace's name, as a reference: objects that use it wait for the namespace. */
  readonly namespaceName: string;
  /** The tenant's name, literal. */
  readonly tenant: string;
  /** `default`, managed so it mounts no API token. */
  readonly serviceAccountName: string;
  /** Node selector and tolerations every workload of the tenant must carry. */
  readonly podPlacement: PodPlacement;
  /** `tenant-developer`, as a reference, for more bindings in the namespace. */
  readonly developerRoleName: string;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    const fail = (message: string): never => {
      throw new Error(`${this.node.path}: ${message}`);
    };
    const name = props.name;
    if (!DNS_LABEL.test(name) || name === "default" || name.startsWith("kube-")) {
      fail(`name must be a DNS label (lower-case letters, digits and '-', at most 63) other than 'default' and 'kube-*', got '${name}'.`);
    }
    if (props.groups.length === 0) fail("groups must name at least one group, got [].");
    const badGroup = props.groups.find((g) => g.trim() === "" || g.startsWith("system:"));
    if (badGroup !== undefined) fail(`groups must not be empty or a 'system:' group (those hold every user or node), got '${badGroup}'.`);
    if (!Number.isInteger(props.gpuQuota) || props.gpuQuota < 0)
      fail(`gpuQuota must be a whole number of 0 or more, got ${props.gpuQuota}.`);
    const version = props.podSecurityVersion ?? "v1.33";
    if (!/^v1\.\d{1,2}$/.test(version)) fail(`podSecurityVersion must pin a version such as 'v1.33' ('latest' moves), got '${version}'.`);
    if (Token.isUnresolved(props.endpointCidrs))
      fail("endpointCidrs must be a list whose length is known at synth, not one list reference.");
    for (const cidr of props.endpointCidrs.filter((c) => !Token.isUnresolved(c))) {
      let prefix = 0;
      try {
        prefix = parseCidr(cidr).prefixLength;
      } catch (e) {
        fail(`endpointCidrs: ${(e as Error).message}`);
      }
      if (prefix < 8) fail(`endpointCidrs must be VPC ranges (/8 or longer), got '${cidr}'.`);
    }
    const quota = this.quotaValues(props.quota ?? {}, fail);
    const limits = this.containerLimits(props.containerDefaults ?? {}, fail);
    this.tenant = name;
    this.podPlacement = placementFor(this.node.path, props.dedicatedPool);
    if (props.dedicatedPool) {
      const expected = dedicatedTenantPool(name);
      const { label, taint } = props.dedicatedPool;
      if (
        label !== expected.label ||
        taint.key !== expected.taint.key ||
        taint.value !== expected.taint.value ||
        !["NoSchedule", "NO_SCHEDULE"].includes(taint.effect)
      ) {
        fail(
          `dedicatedPool must be dedicatedTenantPool('${name}') (label and NoSchedule taint saip.io/tenant=${name}), which admission enforces, got label '${label}' and taint '${taint.key}=${taint.value}:${taint.effect}'.`,
        );
      }
    }

    const psa = Object.fromEntries(
      ["enforce", "audit", "warn"].flatMap((mode) => [
        [`pod-security.kubernetes.io/${mode}`, "restricted"],
        [`pod-security.kubernetes.io/${mode}-version`, version],
      ]),
    );
    const placement = props.dedicatedPool ? "dedicated" : "shared";
    const namespace = new NamespaceV1(this, "Resource", {
      metadata: { name, labels: { "saip.io/tenant": name, [PLACEMENT_LABEL_KEY]: placement, ...psa } },
    });
    const ns = (this.namespaceName = namespace.metadata.name);
    const labels = { "saip.io/tenant": name };

    addTenantNetworkPolicies(this, {
      namespace: ns,
      tenant: name,
      endpointCidrs: props.endpointCidrs,
      enforcement: props.networkPolicyEnforcement,
      s3PrefixListEntries: props.s3PrefixListEntries,
      inferenceEntry: props.inferenceEntry,
    });

    new ResourceQuotaV1(this, "Quota", {
      metadata: { name: "tenant-quota", namespace: ns, labels },
      // Extended resources cannot be overcommitted (request = limit), and Kubernetes
      // accepts only `requests.` quota items for them, so this caps GPU limits too.
      spec: {
        hard: { "requests.nvidia.com/gpu": String(props.gpuQuota), ...quota, "services.loadbalancers": "0", "services.nodeports": "0" },
      },
    });
    new LimitRangeV1(this, "LimitRange", {
      metadata: { name: "container-defaults", namespace: ns, labels },
      spec: {
        limit: [
          {
            type: "Container",
            defaultRequest: { cpu: limits.cpuRequest, memory: limits.memoryRequest },
            default: { cpu: limits.cpuLimit, memory: limits.memoryLimit },
          },
        ],
      },
    });
    const account = new DefaultServiceAccountV1(this, "DefaultServiceAccount", {
      metadata: { namespace: ns },
      automountServiceAccountToken: false,
    });
    this.serviceAccountName = account.metadata.name;

    // Namespaced rights only: no escalate, bind or impersonate, no wildcards, secrets readable by name but never listed.
    const role = new RoleV1(this, "DeveloperRole", {
      metadata: { name: "tenant-developer", namespace: ns, labels },
      rule: [
        { apiGroups: [""], resources: ["pods", "services", "configmaps"], verbs: ALL_VERBS },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
        { apiGroups: ["apps"], resources: ["deployments"], verbs: ALL_VERBS },
        { apiGroups: ["batch"], resources: ["jobs"], verbs: ALL_VERBS },
        { apiGroups: [""], resources: ["secrets"], verbs: ["get", "create", "update", "delete"] },
      ],
    });
    this.developerRoleName = role.metadata.name;
    new RoleBindingV1(this, "DeveloperBinding", {
      metadata: { name: "tenant-developer", namespace: ns, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
      subject: props.groups.map((group) => ({ kind: "Group", name: group, apiGroup: "rbac.authorization.k8s.io" })),
      dependsOn: props.admission?.length ? props.admission : undefined,
    });
  }

  /**
   * Pod spec fields for the tenant's workloads, named as provider-kubernetes
   * pod specs name them: node selector and tolerations of `podPlacement`, no
   * API token, and the pod-level part of the restricted standard. Spread into
   * `spec.template.spec`, and give containers `restrictedContainerSecurityContext()`.
   */
  tenantPodSpecDefaults() {
    return podSpecDefaults(this.podPlacement);
  }

  private quotaValues(q: TenantQuota, fail: (m: string) => never): Record<string, string> {
    const quantities: Record<string, string> = {
      "requests.cpu": q.requestsCpu ?? "32",
      "limits.cpu": q.limitsCpu ?? "64",
      "requests.memory": q.requestsMemory ?? "128Gi",
      "limits.memory": q.limitsMemory ?? "256Gi",
    };
    const counts: Record<string, number> = {
      pods: q.pods ?? 50,
      services: q.services ?? 10,
      secrets: q.secrets ?? 50,
      configmaps: q.configMaps ?? 50,
      persistentvolumeclaims: q.persistentVolumeClaims ?? 10,
    };
    for (const [key, value] of Object.entries(quantities)) {
      if (!QUANTITY.test(value)) fail(`quota ${key} must be a Kubernetes quantity such as '32' or '128Gi', got '${value}'.`);
    }
    for (const [key, value] of Object.entries(counts)) {
      if (!Number.isInteger(value) || value < 0) fail(`quota ${key} must be a whole number of 0 or more, got ${value}.`);
    }
    return { ...quantities, ...Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, String(v)])) };
  }

  private containerLimits(d: ContainerDefaults, fail: (m: string) => never): Required<ContainerDefaults> {
    const values = {
      cpuRequest: d.cpuRequest ?? "250m",
      memoryRequest: d.memoryRequest ?? "512Mi",
      cpuLimit: d.cpuLimit ?? "1",
      memoryLimit: d.memoryLimit ?? "2Gi",
    };
    for (const [key, value] of Object.entries(values)) {
      if (!QUANTITY.test(value)) fail(`containerDefaults.${key} must be a Kubernetes quantity such as '500m' or '1Gi', got '${value}'.`);
    }
    return values;
  }
}
