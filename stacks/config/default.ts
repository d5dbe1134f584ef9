import { PlatformConfigInput } from "./schema";

const ACCOUNT = "111122223333";
// A placeholder measurement (the SHA-384 of a fixed string): replace it with your enclave image's PCR0.
/**
 * Placeholder node image releases (commit and build date zeros): replace them with the releases you
 * tested, from `aws ssm get-parameter --name /aws/service/bottlerocket/aws-k8s-1.35/x86_64/latest/image_version`
 * and the EKS AL2023 AMI release notes (README, "Node images"). Readiness blocks deployment until then.
 */
export const PLACEHOLDER_NODE_IMAGES = { bottlerocket: "1.50.0-00000000", al2023: "1.35.0-00000000" };
const MEASURED_IMAGE = "16774d1719a12c89b2074ed5fe96d1b0a7709cdc724a4a949891c36859a14efa1373eaec6fb359ef559b8da7259335db";

/**
 * The reference platform `npm run synth` builds without a file: two tenants,
 * each with its own training pool (p5 with EFA, g6e), a shared inference pool
 * of MIG-partitioned A100s (p4d) and a dedicated g6e inference pool, an SEV-SNP pool and a Nitro Enclaves
 * pool whose model key only an attested enclave can use, with all storage,
 * audit, detection and backup. The account and ARNs are placeholders.
 */
export const DEFAULT_CONFIG: PlatformConfigInput = {
  name: "ai-platform",
  region: "eu-west-1",
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  network: { cidr: "10.40.0.0/16" },
  keyAdministrators: [`arn:aws:iam::${ACCOUNT}:role/platform-key-admin`],
  governance: {
    deployerRoleArn: `arn:aws:iam::${ACCOUNT}:role/platform-deployer`,
    breakGlassRoleArn: `arn:aws:iam::${ACCOUNT}:role/platform-break-glass`,
  },
  cluster: { version: "1.35", admins: [`arn:aws:iam::${ACCOUNT}:role/platform-admin`] },
  nodeImages: PLACEHOLDER_NODE_IMAGES,
  nodePools: [
    { name: "system", purpose: "system", instanceTypes: ["m7i.xlarge"], scaling: { min: 2, desired: 2, max: 4 } },
    // Training pools keep whole GPUs and belong to one tenant each.
    {
      name: "training",
      purpose: "training",
      instanceTypes: ["p5.48xlarge"],
      efa: true,
      tenant: "fraud-models",
      scaling: { min: 0, desired: 0, max: 4 },
    },
    // The shared inference pool: each A100 cut into two 3g.20gb MIG slices (16 per node), so tenants share GPUs, never GPU memory.
    {
      name: "inference",
      purpose: "inference",
      instanceTypes: ["p4d.24xlarge"],
      mig: { profile: "3g.20gb" },
      scaling: { min: 0, desired: 1, max: 4 },
    },
    {
      name: "research-inference",
      purpose: "inference",
      instanceTypes: ["g6e.xlarge"],
      tenant: "research",
      scaling: { min: 0, desired: 1, max: 2 },
    },
    {
      name: "confidential",
      purpose: "inference",
      instanceTypes: ["m6a.2xlarge"],
      confidential: "sev-snp",
      scaling: { min: 0, desired: 1, max: 3 },
    },
    {
      name: "enclaves",
      purpose: "inference",
      instanceTypes: ["m6i.2xlarge"],
      confidential: "nitro-enclaves",
      scaling: { min: 0, desired: 1, max: 3 },
    },
    {
      name: "research-training",
      purpose: "training",
      instanceTypes: ["g6e.12xlarge"],
      tenant: "research",
      scaling: { min: 0, desired: 0, max: 2 },
    },
  ],
  tenants: [
    {
      name: "fraud-models",
      groups: ["fraud-ml-engineers"],
      principalArns: [`arn:aws:iam::${ACCOUNT}:role/fraud-ml-engineers`],
      gpuQuota: 16,
    },
    {
      name: "research",
      groups: ["research-scientists"],
      principalArns: [`arn:aws:iam::${ACCOUNT}:role/research-scientists`],
      gpuQuota: 4,
      pool: "research-inference",
    },
  ],
  storage: {
    publishers: {
      datasets: [`arn:aws:iam::${ACCOUNT}:role/dataset-curation-pipeline`],
      models: [`arn:aws:iam::${ACCOUNT}:role/model-release-pipeline`],
      artifacts: [`arn:aws:iam::${ACCOUNT}:role/ml-build-pipeline`],
    },
  },
  registry: { publishers: [`arn:aws:iam::${ACCOUNT}:role/image-release-pipeline`] },
  audit: { auditors: [`arn:aws:iam::${ACCOUNT}:role/security-auditor`] },
  inference: {
    certificateArn: `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/00000000-0000-4000-8000-000000000000`,
    // A placeholder: the bucket and key of your client CA bundle (PEM), readable by the deploying role.
    clientCertificateAuthorities: { bucket: "ai-platform-client-ca", key: "inference/client-ca-bundle.pem" },
    allowedCidrs: ["10.40.0.0/16"],
    rateLimit: 600,
  },
  // The fraud-models pods running as service account model-enclave start the measured enclave and decrypt for it.
  attestation: { imageSha384: MEASURED_IMAGE, workloads: [{ tenant: "fraud-models", serviceAccount: "model-enclave" }] },
  // A placeholder: the team's security operations address, which must confirm SNS's subscription email.
  detection: { alertEmails: ["security-operations@example.com"] },
  tags: { "saip:platform": "ai-platform", "saip:environment": "reference" },
};
