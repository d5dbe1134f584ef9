import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import {
  SignatureVerifier,
  SignatureVerifierProps,
  VERIFIER_CHARTS,
  verifierRegistryLogin,
} from "../../../constructs/kubernetes/signature-verifier";
import { SecureStack } from "../../../lib/secure-stack";

const digest = (c: string) => c.repeat(64);
const stackWithProps = () => {
  const stack = new SecureStack(Testing.app(), "test");
  const s3PrefixListEntries = new DataAwsEc2ManagedPrefixList(stack, "S3", { name: "com.amazonaws.eu-west-1.s3" }).entries;
  return { stack, network: { vpcCidr: "10.0.0.0/16", serviceCidr: "172.20.0.0/16", s3PrefixListEntries } };
};
const props: Omit<SignatureVerifierProps, "network"> = {
  registryHost: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
  region: "eu-west-1",
  roleArn: "arn:aws:iam::123456789012:role/verifier",
  signerRootCertificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
  images: {
    gatekeeper: `v3.18.2@sha256:${digest("a")}`,
    ratify: `v1.4.0@sha256:${digest("c")}`,
  },
};
const synth = (p: Omit<SignatureVerifierProps, "network"> = props) => {
  const { stack, network } = stackWithProps();
  new SignatureVerifier(stack, "Verifier", { ...p, network });
  return JSON.parse(Testing.synth(stack));
};

describe("SignatureVerifier", () => {
  const doc = synth();
  const releases = doc.resource.helm_release;
  const values = (name: string) => parse(releases[name].values[0]);

  it("installs both charts from the private ECR, pinned, logging in through the provider", () => {
    for (const [name, version] of [
      ["verifier_gatekeeper", VERIFIER_CHARTS.gatekeeper],
      ["verifier_ratify", VERIFIER_CHARTS.ratify],
    ]) {
      expect(releases[name]).toMatchObject({
        repository: "oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror/charts",
        version,
        namespace: "gatekeeper-system",
      });
      // A release's own credentials are kept in its state and expire with ECR's 12-hour token (terraform-provider-helm#1660).
      expect(releases[name]).not.toHaveProperty("repository_password");
    }
    expect(releases.verifier_ratify.depends_on).toEqual(["helm_release.verifier_gatekeeper"]);
  });

  it("points every image at the mirror by digest and runs Gatekeeper failing closed, highly available, without upstream hooks", () => {
    const gatekeeper = values("verifier_gatekeeper");
    expect(gatekeeper).toMatchObject({
      image: {
        repository: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror/openpolicyagent/gatekeeper",
        release: props.images.gatekeeper,
      },
      upgradeCRDs: { enabled: false },
      validatingWebhookFailurePolicy: "Fail",
      validatingWebhookCustomRules: [
        { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods", "pods/ephemeralcontainers"] },
      ],
      // EKS's add-ons, the GuardDuty agent and the log collector restart while Gatekeeper is down.
      validatingWebhookExemptNamespacesLabels: { "kubernetes.io/metadata.name": ["kube-system", "amazon-guardduty", "amazon-cloudwatch"] },
      replicas: 3,
      pdb: { controllerManager: { minAvailable: 2 } },
      postInstall: { labelNamespace: { enabled: false }, probeWebhook: { enabled: false } },
    });
    expect(gatekeeper.controllerManager.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
    });
    const ratify = values("verifier_ratify");
    expect(ratify.image).toEqual({
      repository: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror/ratify-project/ratify",
      tag: props.images.ratify,
      pullPolicy: "IfNotPresent",
    });
    expect(ratify.upgradeCRDs).toEqual({ enabled: false });
    expect(ratify.replicaCount).toBe(2);
  });

  it("installs no custom resource of its own charts, whose kinds do not exist when its stack is planned", () => {
    expect(doc.resource.kubernetes_manifest).toBeUndefined();
  });

  it("gives the helm provider a login to the platform's ECR, read at every plan", () => {
    const stack = new SecureStack(Testing.app(), "login");
    new HelmProvider(stack, "helm", { registries: [verifierRegistryLogin(stack, props.registryHost)] });
    const out = JSON.parse(Testing.synth(stack));
    expect(out.provider.helm[0].registries).toEqual([
      {
        url: "oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        username: "${data.aws_ecr_authorization_token.verifier_registry_token.user_name}",
        password: "${data.aws_ecr_authorization_token.verifier_registry_token.password}",
      },
    ]);
  });

  it("turns the chart's Notation verifier off for the platform's own, with the IRSA role on Ratify's service account", () => {
    const ratify = values("verifier_ratify");
    // The chart's template keeps only signatureVerification.level, so SignatureVerificationPolicy writes the Verifier.
    expect(ratify.notation).toEqual({ enabled: false });
    expect(ratify.notationCerts).toEqual([props.signerRootCertificate]);
    expect(ratify.cosign.enabled).toBe(false);
    expect(ratify.serviceAccount).toEqual({
      create: true,
      name: "ratify-admin",
      annotations: { "eks.amazonaws.com/role-arn": props.roleArn },
    });
    expect(ratify.oras.authProviders.awsEcrBasicEnabled).toBe(true);
  });

  it("labels its own namespace for Gatekeeper to skip, under restricted Pod Security", () => {
    expect(doc.resource.kubernetes_namespace_v1.verifier_namespace.metadata.labels).toMatchObject({
      "admission.gatekeeper.sh/ignore": "no-self-managing",
      "pod-security.kubernetes.io/enforce": "restricted",
    });
  });

  it("denies the namespace's traffic but DNS, itself, the webhook port from the VPC, HTTPS to the VPC, the API server and S3", () => {
    const policies = doc.resource.kubernetes_network_policy_v1;
    expect(
      Object.values<{ metadata: { name: string } }>(policies)
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual([
      "allow-api-server",
      "allow-dns",
      'allow-s3-${replace(replace(each.value.cidr, ".", "-"), "/", "-")}',
      "allow-same-namespace",
      "allow-vpc-https",
      "allow-webhook-from-api-server",
      "default-deny",
    ]);
    // The kubernetes service's address, which the VPC CNI judges before translating it to the API server's.
    expect(policies.verifier_allow_api_server.spec.egress).toEqual([
      { to: [{ ip_block: { cidr: "172.20.0.1/32" } }], ports: [{ port: "443", protocol: "TCP" }] },
    ]);
    expect(policies.verifier_default_deny.spec).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"] });
    // By reference, so none is created before the namespace on the first apply.
    for (const policy of Object.values<{ metadata: { namespace: string } }>(policies))
      expect(policy.metadata.namespace).toBe("${kubernetes_namespace_v1.verifier_namespace.metadata[0].name}");
    expect(policies.verifier_allow_webhook.spec.ingress).toEqual([
      { from: [{ ip_block: { cidr: "10.0.0.0/16" } }], ports: [{ port: "8443", protocol: "TCP" }] },
    ]);
    expect(releases.verifier_gatekeeper.depends_on).toEqual(
      expect.arrayContaining(["kubernetes_network_policy_v1.verifier_default_deny", "kubernetes_network_policy_v1.verifier_allow_webhook"]),
    );
  });

  it("lets Ratify's pods alone reach AWS Signer over the internet, only where the VPC has a route there", () => {
    expect(Object.keys(doc.resource.kubernetes_network_policy_v1)).not.toContain("verifier_allow_signer_revocation");
    const stack = new SecureStack(Testing.app(), "nat");
    const s3PrefixListEntries = new DataAwsEc2ManagedPrefixList(stack, "S3", { name: "com.amazonaws.eu-west-1.s3" }).entries;
    new SignatureVerifier(stack, "Verifier", {
      ...props,
      network: { vpcCidr: "10.0.0.0/16", serviceCidr: "172.20.0.0/16", s3PrefixListEntries, internetEgress: true },
    });
    const policy = JSON.parse(Testing.synth(stack)).resource.kubernetes_network_policy_v1.verifier_allow_signer_revocation;
    expect(policy.spec).toEqual({
      pod_selector: { match_labels: { "app.kubernetes.io/name": "ratify" } },
      policy_types: ["Egress"],
      egress: [{ to: [{ ip_block: { cidr: "0.0.0.0/0", except: ["10.0.0.0/16"] } }], ports: [{ port: "443", protocol: "TCP" }] }],
    });
  });

  it("refuses an image by tag alone, naming the field", () => {
    expect(() => synth({ ...props, images: { ...props.images, ratify: "v1.4.0" } })).toThrow(
      "test/Verifier: images.ratify must be <tag>@sha256:<64 hex>, got 'v1.4.0'.",
    );
  });
});
