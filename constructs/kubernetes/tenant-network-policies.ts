import { NetworkPolicyV1, NetworkPolicyV1SpecEgress, NetworkPolicyV1SpecIngress } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ComplexList, Fn, ITerraformDependable, TerraformIterator } from "cdktf";
import { Construct } from "constructs";

/** Set by the API server on every namespace and equal to its name, so it cannot be forged with a label. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** The EKS Pod Identity agent answers pods on this link-local address, port 80. */
export const POD_IDENTITY_AGENT_CIDR = "169.254.170.23/32";

export interface TenantNetworkPoliciesProps {
  /** The namespace, as a reference to the namespace resource so policies wait for it. */
  readonly namespace: string;
  /** The namespace's literal name, for namespace selectors. */
  readonly tenant: string;
  /** CIDR blocks of the VPC endpoints pods may reach on TCP 443; none creates no policy. */
  readonly endpointCidrs: readonly string[];
  /** What shows the cluster's CNI enforces the policies (the vpc-cni add-on or a gate on it); the policies wait for it. @default - none */
  readonly enforcement?: ITerraformDependable;
  /**
   * Entries of the region's S3 prefix list (`com.amazonaws.<region>.s3`, read with
   * `data.aws_ec2_managed_prefix_list`): the S3 gateway endpoint routes to those public
   * ranges, so pods reach their buckets only if a policy admits them on TCP 443.
   * @default - none: pods reach no S3
   */
  readonly s3PrefixListEntries?: ComplexList;
  /** Where the inference entry's requests come from, and the port they go to on serving pods. @default - no entry */
  readonly inferenceEntry?: InferenceEntryTraffic;
}

/** Pods labelled so serve models behind the inference entry: the only pods its traffic may reach. */
export const MODEL_SERVER_LABEL = { "saip.io/serves": "inference" } as const;

export interface InferenceEntryTraffic {
  /** Ranges the load balancer's network interfaces live in (the private subnets). */
  readonly sourceCidrs: readonly string[];
  /** The target port. */
  readonly port: number;
}

/**
 * Adds the namespace's network policies to `scope`: one that denies all
 * ingress and egress of every pod, and separate policies that each allow one
 * kind of traffic. Policies are additive, so the deny stays in force for
 * everything else. Returns the default-deny policy.
 */
export function addTenantNetworkPolicies(scope: Construct, props: TenantNetworkPoliciesProps): NetworkPolicyV1 {
  const policy = (
    policyId: string,
    name: string,
    types: string[],
    rules: { ingress?: NetworkPolicyV1SpecIngress[]; egress?: NetworkPolicyV1SpecEgress[] },
  ) =>
    new NetworkPolicyV1(scope, policyId, {
      metadata: { name, namespace: props.namespace, labels: { "saip.io/tenant": props.tenant } },
      spec: { podSelector: {}, policyTypes: types, ...rules },
      dependsOn: props.enforcement ? [props.enforcement] : undefined,
    });

  // No rules at all: an empty rule (`egress {}`) would allow everything.
  const defaultDeny = policy("DefaultDeny", "default-deny", ["Ingress", "Egress"], {});

  policy("AllowDns", "allow-dns", ["Egress"], {
    egress: [
      {
        // Namespace and pod selector in one peer: CoreDNS pods in kube-system only.
        to: [
          {
            namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: "kube-system" } },
            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
          },
        ],
        ports: [
          { port: "53", protocol: "UDP" },
          { port: "53", protocol: "TCP" },
        ],
      },
    ],
  });

  const sameNamespace = { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: props.tenant } } };
  policy("AllowSameNamespace", "allow-same-namespace", ["Ingress", "Egress"], {
    ingress: [{ from: [sameNamespace] }],
    egress: [{ to: [sameNamespace] }],
  });

  // The load balancer is no pod: without this its requests and health checks meet the default deny. Only
  // serving pods, only the target port; other tenants cannot use it, as their egress is denied there.
  if (props.inferenceEntry && props.inferenceEntry.sourceCidrs.length > 0) {
    const entry = props.inferenceEntry;
    new NetworkPolicyV1(scope, "AllowInferenceEntry", {
      metadata: { name: "allow-inference-entry", namespace: props.namespace, labels: { "saip.io/tenant": props.tenant } },
      spec: {
        podSelector: { matchLabels: { ...MODEL_SERVER_LABEL } },
        policyTypes: ["Ingress"],
        ingress: [
          { from: entry.sourceCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ port: String(entry.port), protocol: "TCP" }] },
        ],
      },
      dependsOn: props.enforcement ? [props.enforcement] : undefined,
    });
  }

  // An egress rule with no peers would allow port 443 anywhere, so no endpoints means no policy.
  if (props.endpointCidrs.length > 0) {
    policy("AllowVpcEndpoints", "allow-vpc-endpoints", ["Egress"], {
      egress: [{ to: props.endpointCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ port: "443", protocol: "TCP" }] }],
    });
  }

  // One policy per range of the prefix list (known only at plan): a NetworkPolicy peer takes CIDRs, not a prefix list.
  if (props.s3PrefixListEntries) {
    const range = TerraformIterator.fromComplexList(props.s3PrefixListEntries, "cidr");
    new NetworkPolicyV1(scope, "AllowS3", {
      forEach: range,
      metadata: {
        name: `allow-s3-${Fn.replace(Fn.replace(range.getString("cidr"), ".", "-"), "/", "-")}`,
        namespace: props.namespace,
        labels: { "saip.io/tenant": props.tenant },
      },
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{ to: [{ ipBlock: { cidr: range.getString("cidr") } }], ports: [{ port: "443", protocol: "TCP" }] }],
      },
      dependsOn: props.enforcement ? [props.enforcement] : undefined,
    });
  }

  // Pods with a WorkloadIdentity fetch credentials from the node's agent; the agent only
  // answers for service accounts that have an association, so others gain nothing.
  policy("AllowPodIdentityAgent", "allow-pod-identity-agent", ["Egress"], {
    egress: [{ to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [{ port: "80", protocol: "TCP" }] }],
  });
  return defaultDeny;
}
