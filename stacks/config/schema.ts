import { z } from "zod";
import {
  AMI_FAMILIES,
  AmiFamily,
  acceleratorOf,
  amiFamily,
  AMI_TYPES,
  amiProblem,
  architectureOf,
  BOTTLEROCKET_NVIDIA_RELEASES,
  bottlerocketAtLeast,
  isGpuInstanceType,
  migGpuOf,
  migProfileProblem,
  nitroEnclavesProblem,
  poolAmiType,
  releaseVersionProblem,
  sevSnpProblem,
} from "../../constructs/aws/instance-types";
import { efaProblem, instanceTypeProblem } from "../../constructs/aws/instance-capabilities";
import { LOG_RETENTION_DAYS } from "../../constructs/aws/encrypted-log-group";
import { eksVersionProblem } from "../../constructs/aws/eks-versions";
import { overlaps, parseCidr } from "../../constructs/aws/cidr";
import { ALERT_PROTOCOLS, alertSubscriptionProblem } from "../../constructs/aws/alert-subscription";
import { DATA_BUCKETS, NETWORK_EGRESS, PUBLISHED_BUCKETS, TRAINING_FILE_SYSTEM_KINDS } from "../../constructs/aws/choices";
import { CAPACITY_TYPES, CONFIDENTIAL_MODES, NODE_POOL_PURPOSES } from "../../constructs/aws/node-pool-props";

/**
 * The platform config: one file a team keeps in review. Every object is
 * strict, so a misspelt security setting is an error, never silently ignored.
 */

/** The platform's name prefixes resource names with length limits (`<name>-platform` names the backup vault). */
const platformName = z
  .string()
  .regex(/^[a-z]([a-z0-9-]{0,19}[a-z0-9])?$/, "must be lower-case letters, digits and dashes, starting with a letter (at most 21)");
const dnsLabel = z
  .string()
  .regex(/^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/, "must be lower-case letters, digits and dashes, starting with a letter (at most 32)");
const iamArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, "must be an IAM role or user ARN");
const iamRoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "must be an IAM role ARN");
const cidr = z.string().refine((value) => {
  try {
    parseCidr(value);
    return true;
  } catch {
    return false;
  }
}, "must be an IPv4 CIDR block such as 10.0.0.0/16, with no host bits set");
const sha384 = z.string().regex(/^[0-9a-fA-F]{96}$/, "must be a SHA-384 digest: 96 hexadecimal characters");
const pinnedImage = z.string().regex(/^[^@\s]+@sha256:[0-9a-f]{64}$/, "must be an image pinned by digest: name@sha256:<64 hex>");
/** A private ECR image: the only registry a VPC without egress reaches (through its ECR and S3 endpoints). */
const mirroredImage = pinnedImage.regex(
  /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[^@\s]+@/,
  "must be an image in the platform's private ECR, <account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<64 hex>: the VPC reaches no other registry",
);
/**
 * Where the device plugins come from when the config names no image: the
 * mirror repositories ImageMirror creates, in a placeholder account with
 * placeholder digests. Set the images
 * to your account's registry and the digests you verified before deploying.
 */
export const PLACEHOLDER_REGISTRY_ACCOUNT = "111122223333";
export const DEVICE_PLUGIN_REPOSITORIES = {
  nvidia: "mirror/nvidia/k8s-device-plugin",
  enclaves: "mirror/aws-nitro-enclaves/aws-nitro-enclaves-k8s-device-plugin",
};
/**
 * Placeholders (the SHA-256 of a fixed string), so the reference platform
 * synthesizes without a registry: set the digests you verified before deploying.
 */
export const PLACEHOLDER_DIGESTS = {
  nvidia: "3c75c84ea78f91afda6528d3c2f0e28847099ad647af7d4b33c9a66d8f844de6",
  enclaves: "04bcd5e5062197d94012c76a619613c28d357dd94a8873a3e67a1654bb62aebb",
};
/**
 * The signature verifier's images when the config names none: upstream's tags with placeholder digests (SHA-256 of "saip placeholder:
 * <name>").
 */
export const PLACEHOLDER_VERIFIER_IMAGES = {
  gatekeeper: "v3.18.2@sha256:0387c44d5f95db829a689b73b6ee7ee4717690ec889645a4a36f5e89e0355120",
  ratify: "v1.4.0@sha256:c3e5ba1091ff44f17046a89eb276005fe71bfe8523bdabdc604ed14d6487e16f",
  signerPlugin: "linux-amd64-latest@sha256:121203488542ad219a6cdfc4da3191ccd80966d81d739e395f8ddb83a5c06030",
};
/** Not a certificate: Ratify refuses it, so nothing verifies until AWS Signer's root certificate is set. */
export const PLACEHOLDER_SIGNER_ROOT_CERTIFICATE =
  "-----BEGIN CERTIFICATE-----\nsaip placeholder: set kubernetes.signatureVerifier.signerRootCertificate to AWS Signer's Notation root certificate\n-----END CERTIFICATE-----\n";
const days = (min: number) => z.number().int().min(min, `must be at least ${min} days`);
/** An instance type the capability table knows (constructs/aws/instance-capabilities.ts); unknown types are errors. */
const instanceType = z.string().superRefine((type, ctx) => {
  const problem = instanceTypeProblem(type);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
/** CloudWatch Logs accepts only these retention periods; the audit trail's need a year or more. */
const logRetentionDays = z
  .number()
  .int()
  .refine(
    (d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d) && d >= 365,
    `must be one of ${LOG_RETENTION_DAYS.filter((d) => d >= 365).join(", ")} (the retention periods CloudWatch Logs accepts, of a year or more)`,
  );

/**
 * A check across fields that runs whenever the fields it reads are valid, even
 * if others are not, so one run reports every problem (a plain superRefine
 * would wait until the whole config parses, and errors would come in rounds).
 */
function acrossFields<T>(keys: readonly string[], check: (config: T, issue: (path: (string | number)[], message: string) => void) => void) {
  return [
    (config: T, ctx: z.RefinementCtx) => check(config, (path, message) => ctx.addIssue({ code: "custom", path, message })),
    {
      // An issue at the top (not an object) stops every check; an unknown key at the top stops none.
      when: (payload: z.core.ParsePayload) =>
        typeof payload.value === "object" &&
        payload.value !== null &&
        !payload.issues.some((i) => (i.path?.length ? keys.includes(String(i.path[0])) : i.code !== "unrecognized_keys")),
    },
  ] as const;
}

const nodePool = z
  .strictObject({
    name: dnsLabel,
    purpose: z.enum(NODE_POOL_PURPOSES),
    instanceTypes: z.array(instanceType).min(1),
    /**
     * Bottlerocket by default (verified boot); confidential pools run AL2023, because AWS supports AMD SEV-SNP
     * on AL2023 guests and not on Bottlerocket, and the Nitro Enclaves allocator installs with dnf, which
     * Bottlerocket lacks. Choosing AL2023 for another pool gives up dm-verity and fails the verified-boot rule.
     */
    amiType: z.enum(AMI_TYPES).optional(),
    /** This pool's node image release, instead of `nodeImages` for its family (to roll one pool forward first). */
    releaseVersion: z.string().optional(),
    scaling: z.strictObject({ min: z.number().int().min(0), desired: z.number().int().min(0), max: z.number().int().min(1) }).optional(),
    capacity: z
      .strictObject({
        type: z.enum(CAPACITY_TYPES).default("ON_DEMAND"),
        reservationId: z
          .string()
          .regex(/^cr-[0-9a-f]+$/, "must be a capacity reservation id (cr-...)")
          .optional(),
      })
      .optional(),
    efa: z.boolean().default(false),
    confidential: z.enum(CONFIDENTIAL_MODES).default("none"),
    /** Dedicates the pool to one tenant: no other tenant's pods land on it. */
    tenant: dnsLabel.optional(),
    diskSizeGiB: z.number().int().min(20).optional(),
    /** Cuts every GPU into MIG slices of one profile (A100, H100, H200 on Bottlerocket), each one nvidia.com/gpu. */
    mig: z.strictObject({ profile: z.string().regex(/^\d+g\.\d+gb$/, "must be a MIG profile such as 3g.20gb") }).optional(),
    /** Pods per GPU, time-sliced, on a tenant's own pool only: time-slicing isolates no memory. */
    timeSlicing: z.strictObject({ replicas: z.number().int().min(2).max(16) }).optional(),
  })
  .superRefine((pool, ctx) => {
    // Checked here rather than on the whole config, so they are reported with every other field's problems.
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    pool.instanceTypes.forEach((type, j) => {
      if (pool.confidential === "sev-snp" && sevSnpProblem(type))
        issue(["instanceTypes", j], `pool '${pool.name}' is SEV-SNP: ${sevSnpProblem(type)}`);
      if (pool.confidential === "nitro-enclaves") {
        const problem =
          nitroEnclavesProblem(type) ?? (isGpuInstanceType(type) ? `${type} is a GPU type; enclave pools run on CPU types` : undefined);
        if (problem) issue(["instanceTypes", j], `pool '${pool.name}' runs Nitro Enclaves: ${problem}`);
      }
      if (pool.efa && efaProblem(type)) issue(["instanceTypes", j], `pool '${pool.name}' has efa: true, but ${efaProblem(type)}`);
      const first = pool.instanceTypes[0];
      if (j > 0 && (architectureOf(type) !== architectureOf(first) || acceleratorOf(type) !== acceleratorOf(first))) {
        issue(["instanceTypes", j], `must share one architecture and accelerator kind with ${first}, but ${type} differs`);
      }
    });
    const amiType = poolAmiType(pool);
    if (pool.amiType) {
      const problem = pool.instanceTypes.map((t) => amiProblem(amiType, t)).find(Boolean);
      if (problem) issue(["amiType"], `does not fit the pool's instance types: ${problem}`);
    }
    if (pool.confidential === "sev-snp" && amiType !== "AL2023_x86_64_STANDARD")
      issue(["amiType"], `an SEV-SNP pool needs AL2023_x86_64_STANDARD, got ${amiType}`);
    if (pool.confidential === "nitro-enclaves" && !/^AL2023_(x86_64|ARM_64)_STANDARD$/.test(amiType))
      issue(["amiType"], `a Nitro Enclaves pool needs an AL2023 standard AMI type, got ${amiType}`);
    if (pool.capacity?.type === "CAPACITY_BLOCK" && !pool.capacity.reservationId)
      issue(["capacity", "reservationId"], "a CAPACITY_BLOCK pool needs the reservation id of its Capacity Block");
    if (pool.scaling && !(pool.scaling.min <= pool.scaling.desired && pool.scaling.desired <= pool.scaling.max))
      issue(["scaling"], "must satisfy min <= desired <= max");
    gpuSharingIssues(pool, amiType, issue);
  });

/** MIG and time-slicing: where the GPUs and the node image support them, whole GPUs for training, no time-slicing where tenants share. */
function gpuSharingIssues(
  pool: {
    name: string;
    purpose: string;
    instanceTypes: string[];
    tenant?: string;
    mig?: { profile: string };
    timeSlicing?: { replicas: number };
  },
  amiType: string,
  issue: (path: (string | number)[], message: string) => void,
) {
  for (const [field, set] of [
    ["mig", pool.mig],
    ["timeSlicing", pool.timeSlicing],
  ] as const) {
    if (!set) continue;
    if (!/^BOTTLEROCKET_.*_NVIDIA$/.test(amiType))
      issue([field], `needs a Bottlerocket NVIDIA pool, whose settings configure it; pool '${pool.name}' runs ${amiType}`);
    else if (pool.purpose === "training") issue([field], `training pools keep whole GPUs; pool '${pool.name}' is a training pool`);
  }
  if (pool.mig && pool.timeSlicing) issue(["timeSlicing"], "excludes mig; a pool's GPUs are either cut into MIG slices or time-sliced");
  if (pool.timeSlicing && !pool.tenant) {
    issue(
      ["timeSlicing"],
      `is refused on pool '${pool.name}', which more than one tenant may use (it names no tenant): time-sliced pods share a GPU's memory with no isolation; use mig, or dedicate the pool`,
    );
  }
  if (pool.mig && /^BOTTLEROCKET_.*_NVIDIA$/.test(amiType)) {
    const problem = pool.instanceTypes.map((t) => migProfileProblem(t, pool.mig!.profile)).find(Boolean);
    const gpus = new Set(pool.instanceTypes.map((t) => migGpuOf(t)).map((g) => ("gpu" in g ? g.gpu : "")));
    if (problem) issue(["mig", "profile"], problem);
    else if (gpus.size > 1)
      issue(["instanceTypes"], `a mig pool's types must carry one GPU model, whose profile it names, got ${[...gpus].join(" and ")}`);
  }
}

/** A subscriber of the alert topic besides email; the endpoint must fit the protocol (checked below). */
const alertSubscription = z.strictObject({ protocol: z.enum(ALERT_PROTOCOLS), endpoint: z.string().min(1) });

const tenant = z.strictObject({
  name: dnsLabel,
  /** Kubernetes groups whose members work in the tenant's namespace (RoleBindings there name them). */
  groups: z.array(z.string().min(1)).min(1),
  /** IAM roles the tenant's people assume; each gets an EKS access entry that puts it in `groups`. */
  principalArns: z
    .array(iamRoleArn, {
      error: (issue) => (issue.input === undefined ? "required: the IAM roles whose people work in the tenant" : undefined),
    })
    .min(
      1,
      "must name at least one IAM role whose people work in the tenant; without one, no one is in its groups and its RoleBindings grant nothing",
    ),
  gpuQuota: z.number().int().min(0),
  /** A pool dedicated to this tenant; absent means the tenant shares the untenanted GPU pools. */
  pool: dnsLabel.optional(),
});

const subnetId = z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "must be a subnet id such as subnet-0abc12345def67890");
/**
 * What the account's landing zone already has, used in place of the platform's own. None of it is seen by the
 * check: each is reported as assumed, never as compliant.
 */
const landingZone = z.strictObject({
  vpc: z
    .strictObject({
      vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, "must be a VPC id such as vpc-0abc12345def67890"),
      privateSubnetIds: z.array(subnetId).min(2, "must name at least two private subnets, in distinct zones"),
      loadBalancerSubnets: z.array(z.strictObject({ subnetId, cidr })).default([]),
      endpointSecurityGroupId: z.string().regex(/^sg-[0-9a-f]{8,17}$/, "must be a security group id such as sg-0abc12345def67890"),
      endpointServices: z.array(z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, "must be an endpoint service such as ecr.api or s3")).min(1),
      endpointIds: z
        .record(z.string(), z.string().regex(/^vpce-[0-9a-f]{8,17}$/, "must be an endpoint id such as vpce-0abc12345def67890"))
        .optional(),
    })
    .optional(),
  organizationTrailArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/, "must be a CloudTrail trail ARN")
    .optional(),
  accessLogBucketName: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name")
    .optional(),
  alertTopicArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, "must be an SNS topic ARN")
    .optional(),
});

const platformShape = z.strictObject({
  name: platformName,
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1"),
  availabilityZones: z
    .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, "must be an availability zone such as eu-west-1a"))
    .min(2, "must list at least two availability zones")
    .refine((zones) => new Set(zones).size === zones.length, "must not list a zone twice"),
  network: z.strictObject({
    cidr,
    /** Kubernetes service addresses; must not overlap the VPC. */
    serviceCidr: cidr.default("172.20.0.0/16"),
    egress: z.enum(NETWORK_EGRESS).default("none"),
  }),
  keyAdministrators: z.array(iamArn).min(1, "must name at least one key administrator, separate from the deploying identity"),
  /**
   * Who may change or undo the platform's controls. The account's IAM administrators may not: no key policy
   * delegates key administration to the account.
   */
  governance: z.strictObject(
    {
      /**
       * The role Terraform runs as. It administers every key (never disables or deletes one), because KMS refuses a
       * key policy that would not let its caller put the policy again (the lockout safety check).
       */
      deployerRoleArn: iamRoleArn,
      /** The only role that may disable or delete a key, in a session made with MFA. Keep it out of daily use. */
      breakGlassRoleArn: iamRoleArn,
      /**
       * The organization's management account: where the service control policies are created and attached, through
       * a role there. @default - the policies are only written to cdktf.out/governance/ for the organization to attach
       */
      organization: z
        .strictObject({
          managementRoleArn: iamRoleArn,
          /** The platform's account, or the organizational unit it is in. */
          targetIds: z
            .array(
              z
                .string()
                .regex(
                  /^(\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/,
                  "must be an account id, an organizational unit id (ou-...) or a root id (r-...)",
                ),
            )
            .min(1),
        })
        .optional(),
    },
    {
      error: (issue) =>
        issue.input === undefined
          ? "required: the deploying role (deployerRoleArn) and the break-glass role (breakGlassRoleArn) that administer the keys"
          : undefined,
    },
  ),
  cluster: z.strictObject({
    version: z
      .string()
      .regex(/^1\.\d{2}$/, "must be a Kubernetes minor version such as 1.35")
      .superRefine((version, ctx) => {
        const problem = eksVersionProblem(version);
        if (problem && /^1\.\d{2}$/.test(version)) ctx.addIssue({ code: "custom", message: problem.replace(/^version /, "") });
      }),
    admins: z.array(iamArn).min(1, "must name at least one cluster administrator"),
  }),
  /**
   * Node image releases every pool of a family runs, pinned (README, "Node images"): Bottlerocket
   * `1.34.0-18d04e52`, AL2023 `1.35.0-20260110`. Required for each family some pool runs.
   */
  nodeImages: z
    .strictObject(
      Object.fromEntries(AMI_FAMILIES.map((family) => [family, z.string().optional()])) as Record<AmiFamily, z.ZodOptional<z.ZodString>>,
    )
    .prefault({}),
  nodePools: z.array(nodePool).min(1),
  tenants: z.array(tenant).default([]),
  storage: z
    .strictObject({
      buckets: z
        .array(z.enum(DATA_BUCKETS))
        .min(1)
        .default([...DATA_BUCKETS]),
      modelObjectLockDays: days(1).default(30),
      fileSystem: z.enum([...TRAINING_FILE_SYSTEM_KINDS, "none"]).default("fsx-lustre"),
      /**
       * Who writes each store: IAM roles or users (people, a pipeline's role) that may assume the store's
       * publisher role, the only principal besides tenants' training roles (checkpoints) that writes data.
       * Each configured datasets, models or artifacts bucket needs at least one.
       */
      publishers: z
        .strictObject({
          datasets: z.array(iamArn).default([]),
          models: z.array(iamArn).default([]),
          artifacts: z.array(iamArn).default([]),
        })
        .prefault({}),
    })
    .prefault({}),
  registry: z
    .strictObject({
      repositories: z.array(dnsLabel).min(1).default(["training", "serving"]),
      /**
       * IAM roles or users (a CI pipeline's role) that may assume the image publisher role: the only
       * principal that may push to the platform's repositories and sign what it pushes.
       */
      publishers: z
        .array(iamArn)
        .min(1, "must name at least one image publisher (a CI role ARN); without one nobody can push images")
        .optional(),
    })
    .prefault({}),
  audit: z
    .strictObject({
      objectLockDays: days(365).max(36500, "must be at most 36500 days").default(365),
      logRetentionDays: logRetentionDays.default(365),
      /** IAM roles or users that may assume the auditor role, which reads the trail and validates its log files. */
      auditors: z.array(iamArn).default([]),
      /**
       * A separate log-archive account (the AWS Security Reference Architecture's) that holds the trail's bucket and key,
       * the AWS Config delivery bucket, a backup copy vault and a copy of the cluster's control-plane logs, through a
       * second provider that assumes `roleArn`. @default - single account: audit storage shares the account it watches
       */
      archive: z
        .strictObject({
          accountId: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id"),
          /** The role Terraform assumes in the archive account; it administers the archive's keys too. */
          roleArn: iamRoleArn,
          /** @default - the platform's keyAdministrators */
          keyAdministrators: z.array(iamArn).min(1, "must name at least one administrator of the archive's keys").optional(),
          /** @default - nobody may disable or delete an archive key */
          breakGlassRoleArn: iamRoleArn.optional(),
        })
        .superRefine((archive, ctx) => {
          const account = /::(\d{12}):/.exec(archive.roleArn)?.[1];
          // Each field's own problem is reported on its own; the two are compared once both are well formed.
          if (account !== undefined && /^\d{12}$/.test(archive.accountId) && account !== archive.accountId)
            ctx.addIssue({
              code: "custom",
              path: ["roleArn"],
              message: `must be a role in the archive account ${archive.accountId} (audit.archive.accountId), got one in account ${account}`,
            });
        })
        .optional(),
    })
    .prefault({}),
  detection: z
    .strictObject({
      /** Addresses that get findings; SNS delivers to each once its owner confirms the subscription. */
      alertEmails: z.array(z.email()).default([]),
      /** Other receivers of findings: an HTTPS endpoint, an SQS queue or a Lambda function. */
      alertSubscriptions: z.array(alertSubscription).default([]),
      /** Record global IAM resources here; set false in every other region of the account. */
      recordGlobalResourceTypes: z.boolean().default(true),
    })
    .prefault({}),
  /** Where Terraform keeps the platform's state: an S3 bucket the bootstrap stack creates, with its own key. */
  state: z
    .strictObject({
      /** The state bucket's name, global across AWS. @default <name>-tfstate-<region> */
      bucket: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, "must be an S3 bucket name: 3 to 63 lower-case letters, digits and dashes")
        .optional(),
      /** Region of the state bucket. @default the platform's region */
      region: z
        .string()
        .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1")
        .optional(),
    })
    .prefault({}),
  backup: z
    .strictObject({ minRetentionDays: days(7).default(35), retentionDays: days(7).default(35) })
    .superRefine((b, ctx) => {
      if (b.retentionDays < b.minRetentionDays)
        ctx.addIssue({ code: "custom", path: ["retentionDays"], message: `must be at least minRetentionDays (${b.minRetentionDays})` });
    })
    .prefault({}),
  inference: z
    .strictObject({
      certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, "must be an ACM certificate ARN"),
      /**
       * The PEM bundle of the certificate authorities whose client certificates the entry accepts (mutual TLS,
       * verify mode): the only way to reach the model servers. The deploying role must be able to read it.
       */
      clientCertificateAuthorities: z.strictObject(
        {
          bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name"),
          key: z.string().min(1, "must name the CA bundle's object"),
          objectVersion: z.string().min(1).optional(),
        },
        {
          error: (issue) =>
            issue.input === undefined
              ? "required: the S3 bucket and key of the PEM bundle of the certificate authorities that issue clients' certificates; the entry accepts no client without one"
              : undefined,
        },
      ),
      allowedCidrs: z.array(cidr).min(1),
      rateLimit: z.number().int().min(10).default(1000),
      evaluationWindowSec: z.union([z.literal(60), z.literal(120), z.literal(300), z.literal(600)]).default(300),
    })
    .optional(),
  /** Measurements of the enclave image allowed to decrypt model keys; required when a pool runs Nitro Enclaves. */
  attestation: z
    .strictObject({
      imageSha384: sha384.optional(),
      pcrs: z.partialRecord(z.enum(["0", "1", "2", "3", "4", "8"]), sha384).optional(),
      /** Roles whose enclaves may decrypt: the enclave pools' node roles are added automatically. */
      principalArns: z.array(iamArn).default([]),
      /**
       * The pods that start the measured enclave and hand it their credentials: each gets a Pod Identity role
       * (service account `serviceAccount` in the tenant's namespace) that may decrypt with the models key only
       * with a matching attestation, and read the tenant's models. Pods cannot use the node role (IMDS hop limit 1).
       */
      workloads: z.array(z.strictObject({ tenant: dnsLabel, serviceAccount: dnsLabel })).default([]),
    })
    .optional(),
  kubernetes: z
    .strictObject({
      /** Images pinned by digest (AICP-INTEGRITY-02): the digests you have verified for your registry mirror. */
      /**
       * @default - the mirror repository in PLACEHOLDER_REGISTRY_ACCOUNT (not needed when every NVIDIA pool runs Bottlerocket, which
       * carries the plugin)
       */
      nvidiaDevicePluginImage: mirroredImage.optional(),
      /** @default - the mirror repository in PLACEHOLDER_REGISTRY_ACCOUNT */
      nitroEnclavesDevicePluginImage: mirroredImage.optional(),
      /**
       * The signature verifier's images in their mirror repositories, as `<tag>@sha256:<digest>` (README, "Signatures
       * verified at admission"), and AWS Signer's Notation root certificate (PEM) as AWS publishes it.
       * @default - placeholder digests and certificate, which block deployment until replaced
       */
      signatureVerifier: z
        .strictObject({
          images: z
            .partialRecord(
              z.enum(["gatekeeper", "ratify", "signerPlugin"]),
              z.string().regex(/^[\w][\w.-]{0,127}@sha256:[0-9a-f]{64}$/, "must be <tag>@sha256:<64 hex>"),
            )
            .default({}),
          signerRootCertificate: z
            .string()
            .regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/, "must be one PEM certificate")
            .optional(),
        })
        .prefault({}),
      podSecurityVersion: z
        .string()
        .regex(/^v1\.\d{2}$/, "must be a Pod Security Standards version such as v1.33")
        .default("v1.33"),
      /** Expiry of the device plugins' waivers (hostPath, root): a date to review them by. */
      devicePluginWaiverExpires: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
        .refine(
          (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
          "is not a real date",
        )
        .default("2027-06-30"),
    })
    .prefault({}),
  tags: z.record(z.string().regex(/^[\w.:/=+@ -]{1,128}$/, "must be a valid tag key"), z.string().max(256)).default({}),
  landingZone: landingZone.optional(),
});
type Shape = z.output<typeof platformShape>;

export const platformConfigSchema = platformShape
  .superRefine(
    ...acrossFields<Shape>(["region", "availabilityZones"], (config, issue) => {
      config.availabilityZones.forEach((zone, i) => {
        // A zone's name is its region's and a letter (eu-west-1a); one from another region cannot hold the subnets.
        if (zone.slice(0, -1) !== config.region)
          issue(["availabilityZones", i], `${zone} is not a zone of the platform's region ${config.region}`);
      });
    }),
  )
  .superRefine(
    ...acrossFields<Shape>(["nodePools", "tenants"], (config, issue) => {
      const pools = new Map(config.nodePools.map((p) => [p.name, p]));
      if (pools.size !== config.nodePools.length) issue(["nodePools"], "pool names must be unique");
      config.nodePools.forEach((pool, i) => {
        if (pool.tenant && !config.tenants.some((t) => t.name === pool.tenant))
          issue(["nodePools", i, "tenant"], `names tenant '${pool.tenant}', which is not in tenants`);
      });
      const tenantNames = new Set<string>();
      const principalTenants = new Map<string, string>();
      config.tenants.forEach((t, i) => {
        if (tenantNames.has(t.name)) issue(["tenants", i, "name"], `tenant '${t.name}' is declared twice`);
        // Tenants' container logs go to /saip/<name>/workloads/<tenant>; that of "platform" holds every other namespace.
        if (t.name === "platform")
          issue(["tenants", i, "name"], `'platform' names the log group of the platform's own namespaces; choose another tenant name`);
        tenantNames.add(t.name);
        t.groups.forEach((g, j) => {
          if (g.startsWith("system:"))
            issue(["tenants", i, "groups", j], `'${g}' is a Kubernetes system group; tenants get their own groups`);
        });
        // One access entry per principal: a role in two tenants would hold both tenants' groups.
        t.principalArns.forEach((arn, j) => {
          const other = principalTenants.get(arn);
          if (other !== undefined)
            issue(["tenants", i, "principalArns", j], `${arn} already works in tenant '${other}'; a role works in one tenant only`);
          else principalTenants.set(arn, t.name);
        });
        if (t.pool === undefined) {
          if (t.gpuQuota > 0 && !config.nodePools.some((p) => !p.tenant && p.instanceTypes.some(isGpuInstanceType))) {
            issue(["tenants", i, "gpuQuota"], `tenant '${t.name}' has a GPU quota on the shared pools, but no shared GPU pool exists`);
          }
          return;
        }
        const pool = pools.get(t.pool);
        if (!pool) issue(["tenants", i, "pool"], `names pool '${t.pool}', which is not in nodePools`);
        else if (pool.tenant !== t.name)
          issue(["tenants", i, "pool"], `pool '${t.pool}' is not dedicated to tenant '${t.name}' (set nodePools[].tenant)`);
      });
    }),
  )
  .superRefine(
    ...acrossFields<Shape>(["nodePools", "nodeImages", "cluster"], (config, issue) => {
      config.nodePools.forEach((pool, i) => {
        const ami = poolAmiType(pool);
        const family = amiFamily(ami);
        const release = pool.releaseVersion ?? config.nodeImages[family];
        if (release === undefined)
          issue(
            ["nodeImages", family],
            `required: the ${family === "bottlerocket" ? "Bottlerocket" : "AL2023"} release pool '${pool.name}' runs (${ami}), pinned`,
          );
        else {
          const problem = releaseVersionProblem(ami, release, config.cluster.version);
          const where = pool.releaseVersion !== undefined ? ["nodePools", i, "releaseVersion"] : ["nodeImages", family];
          if (problem) issue(where, problem);
          else if (/^BOTTLEROCKET_.*_NVIDIA$/.test(ami)) {
            // Each NVIDIA setting the pool's user data writes exists from one release on.
            const needs: Array<[keyof typeof BOTTLEROCKET_NVIDIA_RELEASES, string]> = [
              ["injection", "the settings that hand GPUs to containers only through the device plugin"],
              ...(pool.mig ? [["mig", "MIG partitioning"] as [keyof typeof BOTTLEROCKET_NVIDIA_RELEASES, string]] : []),
              ...(pool.timeSlicing ? [["timeSlicing", "time-slicing"] as [keyof typeof BOTTLEROCKET_NVIDIA_RELEASES, string]] : []),
            ];
            const missing = needs.find(([feature]) => bottlerocketAtLeast(release, BOTTLEROCKET_NVIDIA_RELEASES[feature]) === false);
            if (missing)
              issue(
                where,
                `Bottlerocket ${release} is older than ${BOTTLEROCKET_NVIDIA_RELEASES[missing[0]]}, the first release with ${missing[1]}, which pool '${pool.name}' needs`,
              );
          }
        }
      });
    }),
  )
  .superRefine(
    ...acrossFields<Shape>(["registry"], (config, issue) => {
      if (!config.registry.publishers)
        issue(
          ["registry", "publishers"],
          "required: the CI roles that may push images (the only principals that can publish to the platform's repositories)",
        );
    }),
  )
  .superRefine(
    ...acrossFields<Shape>(["network"], (config, issue) => {
      if (overlaps(config.network.cidr, config.network.serviceCidr))
        issue(["network", "serviceCidr"], `${config.network.serviceCidr} overlaps the VPC range ${config.network.cidr}`);
    }),
  )
  .superRefine(
    ...acrossFields<Shape>(["inference"], (config, issue) => {
      config.inference?.allowedCidrs.forEach((c, i) => {
        if (c.endsWith("/0")) issue(["inference", "allowedCidrs", i], "must not admit every address; the inference entry is internal");
      });
    }),
  )
  .superRefine(
    ...acrossFields<Shape>(["detection", "landingZone"], (config, issue) => {
      const subscribers = config.detection.alertEmails.length + config.detection.alertSubscriptions.length;
      // The landing zone's topic has its own subscribers, which the platform cannot change.
      if (config.landingZone?.alertTopicArn && subscribers > 0) {
        issue(
          ["detection", "alertEmails"],
          "must be empty, with detection.alertSubscriptions, when landingZone.alertTopicArn names the topic findings go to: its subscribers are the landing zone's",
        );
      }
      // A platform whose alerts reach nobody has no incident response; whether some subscriber or topic is there is
      // checked by PlatformStack, which alone knows whether a topic is brought in code.
      config.detection.alertSubscriptions.forEach((subscription, i) => {
        const problem = alertSubscriptionProblem(subscription);
        if (problem) issue(["detection", "alertSubscriptions", i, "endpoint"], problem);
      });
    }),
  )
  .superRefine(
    ...acrossFields<Shape>(["storage"], (config, issue) => {
      PUBLISHED_BUCKETS.forEach((store) => {
        if (config.storage.buckets.includes(store) && config.storage.publishers[store].length === 0) {
          issue(
            ["storage", "publishers", store],
            `the ${store} bucket needs at least one publisher (an IAM role or user ARN); without one nobody can write it`,
          );
        }
      });
    }),
  )
  .superRefine(
    ...acrossFields<Shape>(["audit"], (config, issue) => {
      if (config.audit.auditors.length === 0)
        issue(
          ["audit", "auditors"],
          "must name at least one auditor (an IAM role or user ARN) who can read the audit trail and validate its log files",
        );
    }),
  )
  .superRefine(
    ...acrossFields<Shape>(["audit", "landingZone", "governance", "inference"], (config, issue) => {
      const archive = config.audit.archive;
      if (!archive) return;
      if (config.landingZone?.organizationTrailArn)
        issue(
          ["audit", "archive"],
          "cannot be used with landingZone.organizationTrailArn: the organization's trail already delivers to the landing zone's log archive; set one or the other",
        );
      // The accounts the config places elsewhere: the platform's own (where the deployer and break-glass roles and the
      // certificate are) and the organization's management account. The archive must be none of them.
      const accountOf = (arn: string | undefined) => (arn ? /^arn:[\w-]+:[\w-]+:[\w-]*:(\d{12}):/.exec(arn)?.[1] : undefined);
      const pinned: Array<[string, string | undefined]> = [
        ["governance.deployerRoleArn", accountOf(config.governance.deployerRoleArn)],
        ["governance.breakGlassRoleArn", accountOf(config.governance.breakGlassRoleArn)],
        ["governance.organization.managementRoleArn", accountOf(config.governance.organization?.managementRoleArn)],
        ...(config.governance.organization?.targetIds ?? []).map((t, i): [string, string] => [
          `governance.organization.targetIds[${i}]`,
          t,
        ]),
        ["inference.certificateArn", accountOf(config.inference?.certificateArn)],
      ];
      const clash = pinned.find(([, account]) => account === archive.accountId);
      if (clash)
        issue(
          ["audit", "archive", "accountId"],
          `${archive.accountId} is the account of ${clash[0]}; the log archive must be an account of its own, out of the platform's administrators' reach`,
        );
    }),
  )
  .superRefine(
    ...acrossFields<Shape>(["governance"], (config, issue) => {
      // The break-glass role destroys keys; the deployer, which runs every day, must not be it.
      if (config.governance.breakGlassRoleArn === config.governance.deployerRoleArn) {
        issue(
          ["governance", "breakGlassRoleArn"],
          "must differ from deployerRoleArn: the role that deploys every day must not be able to disable or delete keys",
        );
      }
    }),
  )
  .superRefine(
    ...acrossFields<Shape>(["nodePools", "tenants", "attestation", "storage"], (config, issue) => {
      const enclavePools = config.nodePools.some((p) => p.confidential === "nitro-enclaves");
      if (enclavePools && !(config.attestation?.imageSha384 || Object.keys(config.attestation?.pcrs ?? {}).length)) {
        issue(
          ["attestation"],
          "a Nitro Enclaves pool needs the enclave image's measurement (imageSha384 or pcrs), so model keys decrypt only inside it",
        );
      }
      const tenantNames = new Set(config.tenants.map((t) => t.name));
      const enclaveWorkloads = new Set<string>();
      config.attestation?.workloads.forEach((w, i) => {
        if (!tenantNames.has(w.tenant))
          issue(["attestation", "workloads", i, "tenant"], `names tenant '${w.tenant}', which is not in tenants`);
        if (["inference", "training"].includes(w.serviceAccount))
          issue(
            ["attestation", "workloads", i, "serviceAccount"],
            `'${w.serviceAccount}' is the tenant's own ${w.serviceAccount} service account; name the enclave's service account apart`,
          );
        const key = `${w.tenant}/${w.serviceAccount}`;
        if (enclaveWorkloads.has(key)) issue(["attestation", "workloads", i], `${key} is listed twice`);
        enclaveWorkloads.add(key);
      });
      if (enclavePools && !config.storage.buckets.includes("models")) {
        issue(
          ["storage", "buckets"],
          "a Nitro Enclaves pool needs the models bucket: its publisher wraps the weights under the attested models key, and the enclave workloads read them there",
        );
      }
      if (enclavePools && config.attestation && config.attestation.workloads.length === 0) {
        issue(
          ["attestation", "workloads"],
          "a Nitro Enclaves pool needs at least one enclave workload (tenant and service account) whose role may decrypt with the models key; pods cannot use the node role",
        );
      }
    }),
  )
  .superRefine(
    ...acrossFields<Shape>(["kubernetes", "region"], (config, issue) => {
      for (const field of ["nvidiaDevicePluginImage", "nitroEnclavesDevicePluginImage"] as const) {
        const region = /\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws/.exec(config.kubernetes[field] ?? "")?.[1];
        if (region && region !== config.region)
          issue(["kubernetes", field], `is in ${region}, but the platform's VPC endpoints reach ECR in ${config.region} only`);
      }
    }),
  );

export type PlatformConfigInput = z.input<typeof platformConfigSchema>;
export type PlatformConfig = z.output<typeof platformConfigSchema>;
export type NodePoolConfig = PlatformConfig["nodePools"][number];
export type TenantConfig = PlatformConfig["tenants"][number];

/** The keys' administrators: the config's, and the deploying role, which KMS's lockout safety check requires. */
export const keyAdministratorsOf = (config: PlatformConfig): string[] => [
  ...new Set([...config.keyAdministrators, config.governance.deployerRoleArn]),
];
