import { DataAwsEcrAuthorizationToken } from "@cdktf/provider-aws/lib/data-aws-ecr-authorization-token";
import { HelmProviderRegistries } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1, NetworkPolicyV1SpecEgress, NetworkPolicyV1SpecIngress } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ComplexList, Fn, ITerraformDependable, TerraformIterator } from "cdktf";
import { Construct } from "constructs";
import { formatCidr, parseCidr } from "../aws/cidr";
import { NAMESPACE_NAME_LABEL } from "./tenant-network-policies";
import { COLLECTOR_NAMESPACE } from "../../lib/rules/aws/logging/log-collector";
import { GATEKEEPER_IGNORE_LABEL, VERIFIER_NAMESPACE } from "../../lib/rules/kubernetes/signature-policy";

/** Chart versions the platform was built against; the CI publisher pushes exactly these to the mirror. */
export const VERIFIER_CHARTS = { gatekeeper: "3.18.2", ratify: "1.15.2" } as const;
/** The service account Ratify's chart creates, which the verifier's IAM role trusts (IRSA). */
export const RATIFY_SERVICE_ACCOUNT = "ratify-admin";
/** Where the CI publisher copies the verifier's charts (`helm push`) and images (`crane copy`), by repository. */
export const VERIFIER_REPOSITORIES = {
  charts: "mirror/charts",
  gatekeeper: "mirror/openpolicyagent/gatekeeper",
  ratify: "mirror/ratify-project/ratify",
  signerPlugin: "mirror/aws-signer/notation-plugin",
} as const;

export type VerifierImage = Exclude<keyof typeof VERIFIER_REPOSITORIES, "charts">;

export interface SignatureVerifierProps {
  /** The private registry host, `<account>.dkr.ecr.<region>.amazonaws.com`, charts and images come from. */
  readonly registryHost: string;
  /** The platform's region: Ratify's ECR client and the Signer plugin call that region's endpoints. */
  readonly region: string;
  /** The IAM role Ratify's service account assumes (SignatureVerifierRole.roleArn). */
  readonly roleArn: string;
  /** AWS Signer's Notation root certificate (PEM), as AWS publishes it; the trust store holds only this. */
  readonly signerRootCertificate: string;
  /** The tag and digest of each controller's image in its mirror repository, `v1.4.0@sha256:<64 hex>`. */
  readonly images: Record<"gatekeeper" | "ratify", string>;
  /** What the verifier's network policies admit besides its own namespace and DNS. */
  readonly network: VerifierNetwork;
}

export interface VerifierNetwork {
  /**
   * The VPC's range: the API server's network interfaces (which call the webhook, and which the controllers
   * call) and the interface endpoints (ECR, STS) live there.
   */
  readonly vpcCidr: string;
  /**
   * The cluster's service range: Gatekeeper and Ratify call the API server through the `kubernetes` service's
   * address (its first), and the VPC CNI judges that address, before it is translated, against ipBlock peers.
   */
  readonly serviceCidr: string;
  /** Entries of the region's S3 prefix list: signature blobs download from ECR's layer bucket through the S3 gateway endpoint. */
  readonly s3PrefixListEntries: ComplexList;
  /** What shows the CNI enforces network policies; the policies wait for it. @default - none */
  readonly enforcement?: ITerraformDependable;
  /**
   * Whether the VPC routes to the internet (network.egress "nat"): Ratify's pods may then reach AWS Signer's
   * revocation endpoint (verification.signer.<region>.amazonaws.com) on 443, and revocation is enforced.
   * Without a route, Notation skips the revocation check (no interface endpoint is known to serve that host),
   * and still verifies the signature, its chain to AWS Signer's root and the trusted profile.
   * @default false
   */
  readonly internetEgress?: boolean;
}

const restricted = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: "RuntimeDefault" },
};

/**
 * Namespaces the webhook never judges, so what runs there restarts while Gatekeeper is down: EKS's add-ons, the
 * GuardDuty runtime agent and the workload log collector (COLLECTOR_NAMESPACE). The signature constraints select
 * none of them.
 */
export const VERIFIER_EXEMPT_NAMESPACES = ["kube-system", "amazon-guardduty", COLLECTOR_NAMESPACE] as const;

/**
 * The helm provider's login to the platform's ECR, for `HelmProvider({ registries: [...] })`: charts are pulled
 * from there with a token read at every plan. Given to the provider rather than to each release, because a
 * release logs in on update with the token saved in its state, which ECR expires after 12 hours
 * (hashicorp/terraform-provider-helm#1660).
 */
export function verifierRegistryLogin(scope: Construct, registryHost: string): HelmProviderRegistries {
  const token = new DataAwsEcrAuthorizationToken(scope, "VerifierRegistryToken", {});
  return { url: `oci://${registryHost}`, username: token.userName, password: token.password };
}

/**
 * Verifies every image's AWS Signer signature before a pod starts, with the
 * pattern the AWS Signer Developer Guide names for EKS ("Verify an image in
 * Amazon EKS or Kubernetes clusters"): Gatekeeper as the admission webhook,
 * Ratify as its external data provider, and the AWS Signer plugin for
 * Notation, which checks the signing profile and, where Ratify can reach
 * AWS Signer (internet egress), its revocation.
 *
 * Both charts and every image come from the platform's private ECR, pinned
 * by version and digest (the mirror repositories the CI publisher fills);
 * the helm provider logs in to that registry (verifierRegistryLogin), and
 * nothing is pulled while synthesizing.
 *
 * The webhook fails closed (failurePolicy Fail): a Ratify that is down, slow
 * or unreachable refuses pods rather than admitting unverified images.
 * Gatekeeper never judges its own namespace or kube-system, so the
 * verifier and EKS's add-ons can always be rescheduled and the cluster heals.
 *
 * What Ratify verifies and the constraint template are custom resources of
 * these charts, which kubernetes_manifest can plan only once the charts'
 * CRDs exist: they are SignatureVerificationPolicy's, in a stack applied
 * after this one, and the constraints SignatureConstraints', in the stack
 * after that (README, "Signatures verified at admission").
 */
export class SignatureVerifier extends Construct {
  readonly namespace: string = VERIFIER_NAMESPACE;
  readonly gatekeeper: Release;
  readonly ratify: Release;

  constructor(scope: Construct, id: string, props: SignatureVerifierProps) {
    super(scope, id);
    for (const [name, image] of Object.entries(props.images)) {
      if (!/^[\w][\w.-]{0,127}@sha256:[0-9a-f]{64}$/.test(image))
        throw new Error(`${this.node.path}: images.${name} must be <tag>@sha256:<64 hex>, got '${image}'.`);
    }
    const repo = (name: keyof typeof VERIFIER_REPOSITORIES) => `${props.registryHost}/${VERIFIER_REPOSITORIES[name]}`;
    const namespace = new NamespaceV1(this, "Namespace", {
      metadata: {
        name: VERIFIER_NAMESPACE,
        labels: {
          [GATEKEEPER_IGNORE_LABEL]: "no-self-managing",
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
        },
      },
    });
    const policies = this.addNetworkPolicies(props.network, namespace);
    // The helm provider holds the registry login (verifierRegistryLogin): a release's own would go stale in its state.
    const chart = { repository: `oci://${repo("charts")}`, namespace: VERIFIER_NAMESPACE, atomic: true, wait: true };
    const resources = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { memory } });

    this.gatekeeper = new Release(this, "Gatekeeper", {
      ...chart,
      name: "gatekeeper",
      chart: "gatekeeper",
      version: VERIFIER_CHARTS.gatekeeper,
      values: [
        JSON.stringify({
          image: { repository: repo("gatekeeper"), release: props.images.gatekeeper, pullPolicy: "IfNotPresent" },
          replicas: 3,
          // The CRD hook job would run gatekeeper-crds under the same tag and digest, which no such image has: Helm
          // installs the chart's crds/ on first install instead (an upgrade that changes CRDs applies them by hand).
          upgradeCRDs: { enabled: false },
          // Unverified images must not start when the webhook cannot answer; Ratify's own timeout is 5 s.
          validatingWebhookFailurePolicy: "Fail",
          validatingWebhookTimeoutSeconds: 5,
          // Only pods (and debug containers) wait for the webhook, so a Gatekeeper that is down blocks nothing else.
          validatingWebhookCustomRules: [
            { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods", "pods/ephemeralcontainers"] },
          ],
          // kube-system, the GuardDuty agent's and the log collector's namespaces are never judged, so CoreDNS, EKS's
          // add-ons, the runtime monitoring agent and the collector restart while Gatekeeper is down.
          validatingWebhookExemptNamespacesLabels: { [NAMESPACE_NAME_LABEL]: [...VERIFIER_EXEMPT_NAMESPACES] },
          enableExternalData: true,
          disableMutation: true,
          // The hooks run kubectl and curl images from upstream registries; the namespace is labelled here instead.
          postInstall: { labelNamespace: { enabled: false }, probeWebhook: { enabled: false } },
          postUpgrade: { labelNamespace: { enabled: false } },
          preUninstall: { deleteWebhookConfigurations: { enabled: false } },
          pdb: { controllerManager: { minAvailable: 2 } },
          enableRuntimeDefaultSeccompProfile: true,
          controllerManager: {
            resources: resources("100m", "512Mi"),
            securityContext: restricted,
            exemptNamespaces: [...VERIFIER_EXEMPT_NAMESPACES],
          },
          audit: { resources: resources("100m", "512Mi"), securityContext: restricted },
        }),
      ],
      dependsOn: [namespace, ...policies],
    });

    this.ratify = new Release(this, "Ratify", {
      ...chart,
      name: "ratify",
      chart: "ratify",
      version: VERIFIER_CHARTS.ratify,
      values: [
        JSON.stringify({
          image: { repository: repo("ratify"), tag: props.images.ratify, pullPolicy: "IfNotPresent" },
          // As for Gatekeeper: the CRD hook would run ratify-crds under Ratify's digest; Helm installs crds/ instead.
          upgradeCRDs: { enabled: false },
          replicaCount: 2,
          resources: resources("600m", "512Mi"),
          enableRuntimeDefaultSeccompProfile: true,
          notationCerts: [props.signerRootCertificate],
          // The chart's Notation verifier is off: its template keeps only the trust policy's level, and the
          // platform's (SignatureVerificationPolicy's NotationVerifier) needs the revocation override on a VPC without egress. The
          // inline certificate the chart still makes from notationCerts[0] is named ratify-notation-inline-cert-0.
          notation: { enabled: false },
          cosign: { enabled: false },
          oras: { authProviders: { awsEcrBasicEnabled: true } },
          serviceAccount: { create: true, name: RATIFY_SERVICE_ACCOUNT, annotations: { "eks.amazonaws.com/role-arn": props.roleArn } },
          env: [{ name: "AWS_REGION", value: props.region }],
          // Images are admitted by digest only (saip-image-provenance), so nothing is mutated.
          provider: { enableMutation: false, timeout: { validationTimeoutSeconds: 5 } },
          // The AWS Signer plugin is loaded from the mirror as an OCI artifact (Ratify's dynamic plugins).
          featureFlags: { RATIFY_EXPERIMENTAL_DYNAMIC_PLUGINS: true, RATIFY_CERT_ROTATION: true },
          gatekeeper: { namespace: VERIFIER_NAMESPACE },
        }),
      ],
      dependsOn: [this.gatekeeper],
    });
  }

  /**
   * Denies all traffic of the namespace but: within it (Gatekeeper to Ratify), DNS, the webhook port from the
   * VPC (the API server calls Gatekeeper through its network interfaces there), HTTPS to the VPC (the API
   * server, the ECR and STS endpoints), to the kubernetes service and to S3's ranges (signature blobs).
   */
  private addNetworkPolicies(network: VerifierNetwork, namespaceResource: NamespaceV1): NetworkPolicyV1[] {
    // By reference, so each policy waits for the namespace (a literal name would race it on the first apply).
    const ns = namespaceResource.metadata.name;
    const policy = (
      id: string,
      name: string,
      types: string[],
      rules: { ingress?: NetworkPolicyV1SpecIngress[]; egress?: NetworkPolicyV1SpecEgress[] },
    ) =>
      new NetworkPolicyV1(this, id, {
        metadata: { name, namespace: ns },
        spec: { podSelector: {}, policyTypes: types, ...rules },
        dependsOn: network.enforcement ? [network.enforcement] : undefined,
      });
    const vpc = [{ ipBlock: { cidr: network.vpcCidr } }];
    const services = parseCidr(network.serviceCidr);
    const apiService = [{ ipBlock: { cidr: formatCidr({ network: services.network + 1, prefixLength: 32 }) } }];
    const same = [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: VERIFIER_NAMESPACE } } }];
    const range = TerraformIterator.fromComplexList(network.s3PrefixListEntries, "cidr");
    const signer = network.internetEgress
      ? [
          new NetworkPolicyV1(this, "AllowSignerRevocation", {
            metadata: { name: "allow-ratify-to-aws-signer", namespace: ns },
            // Ratify's pods only, HTTPS only: the Signer plugin's GetRevocationStatus has no endpoint in the VPC.
            spec: {
              podSelector: { matchLabels: { "app.kubernetes.io/name": "ratify" } },
              policyTypes: ["Egress"],
              egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [network.vpcCidr] } }], ports: [{ port: "443", protocol: "TCP" }] }],
            },
            dependsOn: network.enforcement ? [network.enforcement] : undefined,
          }),
        ]
      : [];
    return [
      ...signer,
      policy("DefaultDeny", "default-deny", ["Ingress", "Egress"], {}),
      policy("AllowDns", "allow-dns", ["Egress"], {
        egress: [
          {
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
      }),
      policy("AllowSameNamespace", "allow-same-namespace", ["Ingress", "Egress"], { ingress: [{ from: same }], egress: [{ to: same }] }),
      policy("AllowWebhook", "allow-webhook-from-api-server", ["Ingress"], {
        ingress: [{ from: vpc, ports: [{ port: "8443", protocol: "TCP" }] }],
      }),
      policy("AllowVpcHttps", "allow-vpc-https", ["Egress"], { egress: [{ to: vpc, ports: [{ port: "443", protocol: "TCP" }] }] }),
      // The controllers reach the API server at the kubernetes service's address; without this they never start
      // (amazon-network-policy-controller-k8s resolves ipBlock peers before the service address is translated).
      policy("AllowApiServer", "allow-api-server", ["Egress"], { egress: [{ to: apiService, ports: [{ port: "443", protocol: "TCP" }] }] }),
      // One policy per range (known only at plan): a NetworkPolicy peer takes CIDRs, not a prefix list.
      new NetworkPolicyV1(this, "AllowS3", {
        forEach: range,
        metadata: {
          name: `allow-s3-${Fn.replace(Fn.replace(range.getString("cidr"), ".", "-"), "/", "-")}`,
          namespace: ns,
        },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [{ to: [{ ipBlock: { cidr: range.getString("cidr") } }], ports: [{ port: "443", protocol: "TCP" }] }],
        },
        dependsOn: network.enforcement ? [network.enforcement] : undefined,
      }),
    ];
  }
}
