import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { TerraformOutput, Token } from "cdktf";
import { Construct } from "constructs";
import { AccessLogBucket, IAccessLogBucket } from "../constructs/aws/access-log-bucket";
import { AccessRole } from "../constructs/aws/access-role";
import { AlertTopic } from "../constructs/aws/alert-topic";
import { AuditTrail, IAuditTrail, trailLogGroupName } from "../constructs/aws/audit-trail";
import { stateLocation } from "./bootstrap-stack";
import { DataBucket, PUBLISHED_BUCKETS, PublishedBucket } from "../constructs/aws/choices";
import { ConfigRecorder } from "../constructs/aws/config-recorder";
import { PlatformCluster } from "../constructs/aws/eks-cluster";
import { ImageMirror } from "../constructs/aws/image-mirror";
import { ImagePublisher } from "../constructs/aws/image-publisher";
import { InferenceEntry } from "../constructs/aws/inference-entry";
import { Keyring } from "../constructs/aws/keyring";
import { LogArchive } from "../constructs/aws/log-archive";
import { ModelRegistry } from "../constructs/aws/model-registry";
import { amiFamily, poolAmiType } from "../constructs/aws/instance-types";
import { NodePool } from "../constructs/aws/node-pool";
import { PlatformBackup } from "../constructs/aws/platform-backup";
import { PodIdentityRole } from "../constructs/aws/pod-identity-role";
import { IPrivateNetwork, PrivateNetwork } from "../constructs/aws/private-network";
import { SecureBucket } from "../constructs/aws/secure-bucket";
import { TamperAlarms } from "../constructs/aws/tamper-alarms";
import { OrganizationGuardrails } from "../constructs/aws/organization-guardrails";
import { PolicyDocument } from "../constructs/aws/policy-document";
import { serviceControlPolicies } from "../constructs/aws/service-control-policies";
import { SignatureVerifierRole } from "../constructs/aws/signature-verifier-role";
import { ThreatDetection } from "../constructs/aws/threat-detection";
import { TrainingFileSystem } from "../constructs/aws/training-file-system";
import { WorkloadLogs, workloadLogGroupName } from "../constructs/aws/workload-logs";
import { eksAddonVersions } from "../constructs/aws/eks-versions";
import { SecureStack } from "../lib/secure-stack";
import { RATIFY_SERVICE_ACCOUNT } from "../constructs/kubernetes/signature-verifier";
import { VERIFIER_NAMESPACE } from "../lib/rules/kubernetes/signature-policy";
import { platformConfigOf } from "./config/define";
import { keyAdministratorsOf, PlatformConfig, PlatformConfigInput } from "./config/schema";
import { pascalCase } from "../lib/naming";
import { recordAssumption } from "../lib/compliance/construct-assumptions";
import { PlatformStackProps, refuseTwice, takeInStack } from "./platform-stack-props";
import { addPlatformOutputs } from "./platform-outputs";
import { addTenantAccess } from "./platform-tenants";

/** What a team brings to the platform stack in code (see PlatformStackProps). */
export type PlatformStackOptions = PlatformStackProps<PlatformStack>;

/**
 * The AWS side of the platform: keys, private network, storage for datasets,
 * models and checkpoints, registry, audit, detection, backup, the private
 * cluster and its node pools, and the inference entry. Everything the
 * workloads stack needs is a public field, so it is wired by reference.
 */
export class PlatformStack extends SecureStack {
  readonly keys: Keyring;
  /** The platform's VPC, or the landing zone's (`landingZone.vpc`). */
  readonly network: IPrivateNetwork;
  /**
   * Receives the S3 server access logs of every bucket (and the inference entry's); for buckets a team adds. The landing zone's with
   * `landingZone.accessLogBucketName`.
   */
  readonly accessLogs: IAccessLogBucket;
  /** The platform's trail, or the organization trail it relies on (`landingZone.organizationTrailArn`). */
  readonly trail: IAuditTrail;
  /** The audit storage in the log-archive account (`audit.archive`); undefined in single-account mode. */
  readonly logArchive?: LogArchive;
  /** The locked vault and plan that back up the AI assets; a team's own stores can join the plan. */
  readonly backup: PlatformBackup;
  readonly cluster: PlatformCluster;
  readonly buckets: Partial<Record<DataBucket, SecureBucket>> = {};
  readonly pools: Record<string, NodePool> = {};
  readonly fileSystem?: TrainingFileSystem;
  /** Each tenant's workload roles, granted here and bound to service accounts by the workloads stack. */
  readonly tenantRoles: Record<string, { inference: PodIdentityRole; training: PodIdentityRole }> = {};
  readonly inference?: InferenceEntry;
  /** The only writers of each data store: roles the config's `storage.publishers` assume. */
  readonly publishers: Partial<Record<PublishedBucket, AccessRole>> = {};
  /** Reads the audit trail and validates its log files; assumed by the config's `audit.auditors`. */
  readonly auditor?: AccessRole;
  /** Pod Identity roles of the pods that start the measured enclave (`attestation.workloads`), bound by the workloads stack. */
  readonly enclaveWorkloadRoles: PodIdentityRole[] = [];
  /** Service control policies for the organization to attach, by file name; synth writes them to cdktf.out/governance/. */
  readonly serviceControlPolicies: Record<string, PolicyDocument>;
  /** The only principal that pushes to the platform's repositories, and the profile it signs images with. */
  readonly imagePublisher: ImagePublisher;
  /** Mirror repositories and pull-through caches: where the cluster's images come from without egress. */
  readonly imageMirror: ImageMirror;
  /** The role the signature verifier (Ratify) assumes through IRSA to read signatures and check revocation. */
  readonly signatureVerifierRole: SignatureVerifierRole;
  /** Container logs of every node, in one encrypted group per tenant and one for the platform's namespaces. */
  readonly workloadLogs: WorkloadLogs;
  /** Per tenant: the role its people assume to read that tenant's container logs, and no other tenant's. */
  readonly tenantLogReaders: Record<string, AccessRole> = {};

  /** The config with its defaults filled in. */
  readonly config: PlatformConfig;

  /**
   * Takes the config as written (an object literal, a parsed file or definePlatform's result); defaults are applied here.
   * `options` brings in what a team already has in code, in place of what the platform would make.
   */
  constructor(scope: Construct, id: string, input: PlatformConfigInput | PlatformConfig, options: PlatformStackOptions = {}) {
    super(scope, id);
    const config = (this.config = platformConfigOf(input, `${this.node.path}: config`));
    const landingZone = config.landingZone;
    // Before anything is made: one thing named twice, or alerts that would reach no one, fail at once.
    refuseTwice(this, "network", options.network, "landingZone.vpc", landingZone?.vpc);
    refuseTwice(this, "trail", options.trail, "landingZone.organizationTrailArn", landingZone?.organizationTrailArn);
    refuseTwice(this, "alertTopic", options.alertTopic, "landingZone.alertTopicArn", landingZone?.alertTopicArn);
    refuseTwice(this, "accessLogs", options.accessLogs, "landingZone.accessLogBucketName", landingZone?.accessLogBucketName);
    const subscribers = config.detection.alertEmails.length + config.detection.alertSubscriptions.length;
    if (options.alertTopic && subscribers > 0) {
      throw new Error(
        `${this.node.path}: config: detection.alertEmails and detection.alertSubscriptions must be empty when alertTopic is given in code: its subscribers are its own.`,
      );
    }
    // Checked here, not by the schema, because only the stack knows whether a topic comes in code.
    if (!options.alertTopic && !landingZone?.alertTopicArn && subscribers === 0) {
      throw new Error(
        `${this.node.path}: config: detection.alertEmails must name at least one address that receives security findings (or set detection.alertSubscriptions), unless an alert topic is brought in (landingZone.alertTopicArn, or alertTopic in code).`,
      );
    }
    for (const purpose of Object.keys(options.bucketKeys ?? {})) {
      if (!config.storage.buckets.includes(purpose as DataBucket))
        throw new Error(`${this.node.path}: bucketKeys.${purpose} names a bucket the config's storage.buckets does not make.`);
    }
    const tags = { ...config.tags, "saip:platform": config.name };
    new AwsProvider(this, "aws", { region: config.region, defaultTags: [{ tags }] });

    const enclavePools = config.nodePools.filter((p) => p.confidential === "nitro-enclaves");
    const attestation = config.attestation;
    // The enclave's KMS calls carry the credentials of the pod that starts it: its Pod Identity role, never the
    // node role, which pods cannot reach (IMDS hop limit 1). The cluster is named after the platform.
    if (enclavePools.length > 0) {
      for (const w of attestation?.workloads ?? []) {
        this.enclaveWorkloadRoles.push(
          new PodIdentityRole(this, `${pascalCase(w.tenant)}${pascalCase(w.serviceAccount)}Role`, {
            clusterName: config.name,
            namespace: w.tenant,
            serviceAccount: w.serviceAccount,
          }),
        );
      }
    }
    // The keys AWS services use for the platform (logs, cluster secrets, node volumes, registry, backup) stay the
    // keyring's own PlatformKeys: each needs statements for its service (logs.<region>.amazonaws.com, the Auto
    // Scaling service-linked role, EKS and ECR grants) in its key policy, which an imported key's policy cannot be
    // given from here. Only the buckets' keys may be brought in (options.bucketKeys).
    this.keys = new Keyring(this, "Keys", {
      administrators: keyAdministratorsOf(config),
      breakGlassRoleArn: config.governance.breakGlassRoleArn,
      aliasPrefix: config.name,
      modelKeyAttestation:
        enclavePools.length > 0 && attestation
          ? {
              principalArns: [...this.enclaveWorkloadRoles.map((r) => r.roleArn), ...attestation.principalArns],
              attestation: {
                imageSha384: attestation.imageSha384,
                pcrs: attestation.pcrs ? Object.fromEntries(Object.entries(attestation.pcrs).map(([k, v]) => [Number(k), v])) : undefined,
              },
            }
          : undefined,
    });
    const keys = this.keys;

    const existingVpc = landingZone?.vpc;
    const lbSubnetsMissing = (field: string) =>
      new Error(`${this.node.path}: config: ${field} must name the internal load balancer's subnets when inference is configured.`);
    const importedLogsRefused = (field: string) =>
      new Error(
        `${this.node.path}: config: ${field} cannot be used with inference: the load balancer's access logs need a bucket policy only the platform's own log bucket can be given here.`,
      );
    // What the config names is refused before anything is imported; what code brings, once it is made.
    if (existingVpc && config.inference && existingVpc.loadBalancerSubnets.length === 0)
      throw lbSubnetsMissing("landingZone.vpc.loadBalancerSubnets");
    if (landingZone?.accessLogBucketName && config.inference) throw importedLogsRefused("landingZone.accessLogBucketName");
    // What the config's landingZone names is imported here as code would import it: from here on both are one path.
    const network =
      takeInStack(this, "network", options.network) ??
      (existingVpc
        ? PrivateNetwork.fromVpcAttributes(this, "Network", {
            ...existingVpc,
            vpcCidr: config.network.cidr,
            availabilityZones: config.availabilityZones,
            egress: config.network.egress,
          })
        : new PrivateNetwork(this, "Network", {
            cidr: config.network.cidr,
            availabilityZones: config.availabilityZones,
            logsKey: keys.logs,
            egress: config.network.egress,
            loadBalancerSubnets: config.inference !== undefined,
          }));
    this.network = network;
    if (options.network) {
      // The config's checks of the service range and the entry's clients were made against network.cidr.
      if (Token.isUnresolved(network.vpcCidr) || network.vpcCidr !== config.network.cidr) {
        throw new Error(
          `${this.node.path}: config: network.cidr is ${config.network.cidr}, but the network given in code has the range '${network.vpcCidr}'; they must be the same.`,
        );
      }
      if (config.inference && network.loadBalancerSubnetIds.length === 0) throw lbSubnetsMissing("the network given in code");
    }
    const accessLogs: IAccessLogBucket = (this.accessLogs =
      takeInStack(this, "accessLogs", options.accessLogs) ??
      (landingZone?.accessLogBucketName
        ? AccessLogBucket.fromBucketName(this, "AccessLogs", landingZone.accessLogBucketName)
        : new AccessLogBucket(this, "AccessLogs")));
    if (config.inference && !(accessLogs instanceof AccessLogBucket)) throw importedLogsRefused("the access log bucket given in code");

    const keyringKeys = { datasets: keys.datasets, models: keys.modelStore, checkpoints: keys.checkpoints, artifacts: keys.datasets };
    for (const purpose of config.storage.buckets) {
      this.buckets[purpose] = new SecureBucket(this, `${pascalCase(purpose)}Bucket`, {
        purpose,
        key: takeInStack(this, `bucketKeys.${purpose}`, options.bucketKeys?.[purpose]) ?? keyringKeys[purpose],
        accessLogs,
        objectLock: purpose === "models" ? { days: config.storage.modelObjectLockDays } : undefined,
      });
    }
    // Each tenant's datasets, checkpoints and models under its prefix are encrypted with that tenant's keys, before any
    // grant: a tenant's roles get its keys only, so a widened IAM grant still decrypts no other tenant's data.
    for (const tenant of config.tenants) {
      const own = keys.addTenant(tenant.name);
      this.buckets.datasets?.encryptPrefixWith(`${tenant.name}/`, own.datasets);
      this.buckets.checkpoints?.encryptPrefixWith(`${tenant.name}/`, own.checkpoints);
      this.buckets.models?.encryptPrefixWith(`${tenant.name}/`, own.modelStore);
    }

    const registry = new ModelRegistry(this, "ModelRegistry", { repositories: config.registry.repositories, key: keys.registry });
    this.imageMirror = new ImageMirror(this, "ImageMirror", { key: keys.registry });
    // The CI pipeline's role is the only principal that pushes (and signs) images; the repositories deny everyone else.
    this.imagePublisher = new ImagePublisher(this, "ImagePublisher", {
      principalArns: config.registry.publishers ?? [],
      registries: [registry, this.imageMirror.mirror],
      namePrefix: `${config.name}-image-pub-`,
    });

    // Object-level events of the checkpoints too: who read or overwrote a checkpoint is what a restore needs to know.
    const dataBuckets = [this.buckets.datasets, this.buckets.models, this.buckets.checkpoints].filter(
      (b): b is SecureBucket => b !== undefined,
    );
    const dataEventBucketArns = (dataBuckets.length ? dataBuckets : Object.values(this.buckets)).map((b) => b.bucketArn);
    let trailBucketName: string | undefined;
    const archive = config.audit.archive;
    if (archive && options.trail)
      throw new Error(
        `${this.node.path}: config: audit.archive cannot be used with a trail given in code: the archive makes the platform trail's bucket.`,
      );
    // The archive account's storage is created through its own provider; this account's admins cannot reach it.
    const logArchive = (this.logArchive = archive
      ? new LogArchive(this, "LogArchive", {
          accountId: archive.accountId,
          roleArn: archive.roleArn,
          region: config.region,
          defaultTags: tags,
          keyAdministrators: archive.keyAdministrators ?? config.keyAdministrators,
          breakGlassRoleArn: archive.breakGlassRoleArn,
          name: config.name,
          trailName: `${config.name}-audit`,
          objectLockDays: config.audit.objectLockDays,
          minRetentionDays: config.backup.minRetentionDays,
        })
      : undefined);
    if (logArchive) {
      new TerraformOutput(this, "log_archive_trail_bucket", {
        value: logArchive.trailBucketName,
        description: "The trail's locked bucket, in the log-archive account",
      });
      new TerraformOutput(this, "log_archive_vault_arn", {
        value: logArchive.vaultArn,
        description: "The locked vault in the log-archive account that every backup rule copies into",
      });
    }
    const givenTrail = takeInStack(this, "trail", options.trail);
    if (givenTrail?.imported) {
      // Whether a trail brought in by ARN records the platform's buckets' object-level events is beyond the check.
      recordAssumption(
        this,
        `existing trail ${givenTrail.trailArn}`,
        `object-level data events of ${dataEventBucketArns.length} platform bucket(s)`,
      );
    }
    if (givenTrail && !(givenTrail instanceof AuditTrail)) {
      this.trail = givenTrail;
    } else if (landingZone?.organizationTrailArn) {
      // The organization's trail delivers to the log archive account, which its own auditors read.
      this.trail = AuditTrail.fromTrailArn(this, "AuditTrail", landingZone.organizationTrailArn, dataEventBucketArns);
    } else {
      // A trail of the team's own is a trail as the platform's is: its bucket is watched and the auditor reads it.
      const trail =
        givenTrail ??
        new AuditTrail(this, "AuditTrail", {
          logsKey: keys.logs,
          accessLogs,
          dataEventBucketArns,
          objectLockDays: config.audit.objectLockDays,
          retentionInDays: config.audit.logRetentionDays,
          trailName: `${config.name}-audit`,
          archive: logArchive?.trailStorage,
        });
      this.trail = trail;
      // An archived bucket's events reach the archive account's EventBridge, not this one's.
      trailBucketName = trail.archived ? undefined : trail.bucketName;
      this.auditor = new AccessRole(this, "Auditor", {
        job: "Reads the audit trail and validates its log files",
        principalArns: config.audit.auditors,
        namePrefix: `${config.name}-auditor-`,
      });
      trail.grantRead(this.auditor);
    }

    // Each store's publisher writes that store only; on an attested models key it wraps weights' data keys for the enclave.
    for (const purpose of PUBLISHED_BUCKETS) {
      const bucket = this.buckets[purpose];
      if (!bucket) continue;
      const publisher = new AccessRole(this, `${pascalCase(purpose)}Publisher`, {
        job: `Publishes ${purpose} to the ${purpose} bucket`,
        principalArns: config.storage.publishers[purpose],
        namePrefix: `${config.name}-${purpose}-pub-`,
      });
      bucket.grantReadWrite(publisher);
      if (purpose === "models" && keys.models.attested) keys.models.grantEnvelopeEncrypt(publisher);
      // Weights reach serving only through the publisher path: nobody else may write, replace or delete a model.
      if (purpose === "models") bucket.restrictWritesTo([publisher.roleArn]);
      this.publishers[purpose] = publisher;
    }
    const configRecorder = new ConfigRecorder(this, "ConfigRecorder", {
      key: keys.logs,
      accessLogs,
      deliveryBucket: logArchive?.configDelivery,
      recordGlobalResourceTypes: config.detection.recordGlobalResourceTypes,
    });
    const detection = new ThreatDetection(this, "ThreatDetection", {
      key: keys.alerts,
      alertEmails: config.detection.alertEmails,
      alertSubscriptions: config.detection.alertSubscriptions,
      configRecorder,
      alertTopicName: `${config.name}-alerts`,
      alertTopic:
        takeInStack(this, "alertTopic", options.alertTopic) ??
        (landingZone?.alertTopicArn ? AlertTopic.fromTopicArn(this, "AlertTopic", landingZone.alertTopicArn) : undefined),
      findingsRuleName: `${config.name}-findings`,
    });
    // Whoever undoes a control (stops the trail, rewrites a key policy, deletes a vault) raises an alarm.
    new TamperAlarms(this, "TamperAlarms", {
      detection,
      rulePrefix: `${config.name}-tamper-`,
      // A landing zone's trail and log buckets, and the log archive's, are watched where they live, not from this account.
      bucketNames: [
        ...(trailBucketName ? [trailBucketName] : []),
        ...(configRecorder.archived ? [] : [configRecorder.bucketName]),
        ...(accessLogs.imported ? [] : [accessLogs.bucketName]),
        ...(this.buckets.models ? [this.buckets.models.bucketName] : []),
        // Their policies hold each tenant's prefix to its own key: rewriting one undoes the tenants' separation.
        ...(config.tenants.length > 0 ? [this.buckets.datasets, this.buckets.checkpoints].flatMap((b) => (b ? [b.bucketName] : [])) : []),
        // The state bucket: EventBridge sees a bucket's management events in the bucket's Region only.
        ...[stateLocation(config)].flatMap((state) => (state.region === config.region ? [state.bucket] : [])),
      ],
    });

    this.cluster = new PlatformCluster(this, "Cluster", {
      name: config.name,
      version: config.cluster.version,
      network,
      secretsKey: keys.clusterSecrets,
      logsKey: keys.logs,
      volumeKey: keys.checkpoints,
      admins: config.cluster.admins,
      serviceCidr: config.network.serviceCidr,
      logRetentionInDays: config.audit.logRetentionDays,
      // A fresh apply installs the add-on versions tested for this Kubernetes version, not EKS's default of the day.
      addonVersions: eksAddonVersions(config.cluster.version),
    });
    const cluster = this.cluster;
    // The control-plane logs (the Kubernetes audit log among them) are copied to the archive as EKS writes them.
    logArchive?.logCopy.subscribe(this, "ClusterLogCopy", cluster.controlPlaneLogGroupName);
    this.signatureVerifierRole = new SignatureVerifierRole(this, "SignatureVerifierRole", {
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      namespace: VERIFIER_NAMESPACE,
      serviceAccount: RATIFY_SERVICE_ACCOUNT,
    });

    for (const pool of config.nodePools) {
      // The cluster gives itself (its name, network and version), orders the pool after the add-ons nodes need, and
      // has CoreDNS and the EBS CSI controller wait for the untainted pools.
      const nodePool = cluster.addNodePool(`${pascalCase(pool.name)}Pool`, {
        name: pool.name,
        volumeKey: keys.nodeVolumes,
        purpose: pool.purpose,
        instanceTypes: pool.instanceTypes,
        amiType: pool.amiType,
        releaseVersion: (pool.releaseVersion ?? config.nodeImages[amiFamily(poolAmiType(pool))]) as string,
        scaling: pool.scaling,
        capacity: pool.capacity,
        efa: pool.efa,
        tenant: pool.tenant,
        confidential: pool.confidential,
        diskSizeGiB: pool.diskSizeGiB,
        mig: pool.mig,
        timeSlicing: pool.timeSlicing,
        // A launch template that names security groups replaces EKS's own, so EFA pools name it explicitly.
        securityGroupIds: pool.efa ? [cluster.clusterPrimarySecurityGroupId] : undefined,
      });
      this.pools[pool.name] = nodePool;
      // Nodes pull the device plugins and tenants' images from the mirror and the caches.
      this.imageMirror.grantPull(nodePool.role);
    }
    // Fluent Bit tolerates every taint, so it runs on GPU, tenant and confidential pools alike; the add-on's
    // controller is a Deployment, so the add-on waits for the untainted pools as CoreDNS does.
    const untainted = Object.values(this.pools).filter((p) => p.taints.length === 0);
    const schedulable = (untainted.length > 0 ? untainted : Object.values(this.pools)).map((p) => p.nodeGroup);
    this.workloadLogs = new WorkloadLogs(this, "WorkloadLogs", {
      clusterName: config.name,
      tenants: config.tenants.map((t) => t.name),
      key: keys.logs,
      retentionInDays: config.audit.logRetentionDays,
      dependsOn: [cluster.addons["eks-pod-identity-agent"], ...schedulable],
      addonVersion: eksAddonVersions(config.cluster.version)["amazon-cloudwatch-observability"],
    });
    // Investigations read the trail and what the workloads printed side by side.
    if (this.auditor) this.workloadLogs.grantReadAll(this.auditor);

    // The Terraform state is kept by the bootstrap stack's own vault, beside the bucket (BootstrapStack).
    const restorable = Object.values(this.buckets).map((b) => b.bucketArn);
    if (config.storage.fileSystem !== "none") {
      const fileSystem = new TrainingFileSystem(this, "TrainingFileSystem", {
        kind: config.storage.fileSystem,
        key: keys.checkpoints,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        subnetIds: network.privateSubnetIds,
        clientSecurityGroupIds: [cluster.clusterPrimarySecurityGroupId],
        name: `${config.name}-training`,
        logsKey: keys.logs,
        logRetentionInDays: config.audit.logRetentionDays,
      });
      this.fileSystem = fileSystem;
      restorable.push(fileSystem.fileSystemArn);
      // Lustre servers open connections back to their clients, so the nodes admit the file system's group.
      const ports =
        config.storage.fileSystem === "fsx-lustre"
          ? [
              [988, 988],
              [1018, 1023],
            ]
          : [];
      ports.forEach(
        ([from, to]) =>
          new VpcSecurityGroupIngressRule(this, `NodesFromFileSystem${from}`, {
            securityGroupId: cluster.clusterPrimarySecurityGroupId,
            referencedSecurityGroupId: fileSystem.securityGroupId,
            ipProtocol: "tcp",
            fromPort: from,
            toPort: to,
            description: "Lustre servers to clients",
          }),
      );
    }
    this.backup = new PlatformBackup(this, "Backup", {
      key: keys.backups,
      resourceArns: restorable,
      // Every key the buckets' objects are encrypted with, tenants' included: S3 backups and restores decrypt each.
      sourceKeys: [
        ...new Set(
          Object.values(this.buckets)
            .flatMap((b) => b.keys)
            .concat(keys.checkpoints),
        ),
      ],
      minRetentionDays: config.backup.minRetentionDays,
      retentionDays: config.backup.retentionDays,
      name: `${config.name}-platform`,
      restoreTestedTypes: [
        "S3",
        ...(config.storage.fileSystem === "fsx-lustre"
          ? (["FSx"] as const)
          : config.storage.fileSystem === "efs"
            ? (["EFS"] as const)
            : []),
      ],
    });
    // AWS Backup restores into the original bucket as its role: the models bucket must let it write, or recovery
    // to the known good state could only go to a new bucket.
    this.buckets.models?.restrictWritesTo([this.backup.roleArn]);
    // FSx backups keep the file system's key (not fully managed by AWS Backup), so the archive needs it too.
    if (logArchive)
      this.backup.copyTo(logArchive.vault, {
        sourceKeys: config.storage.fileSystem === "fsx-lustre" ? [keys.checkpoints] : [],
        // With the management account named, OrganizationGuardrails turns cross-account backup on below.
        organizationSettingsManaged: config.governance.organization !== undefined,
      });

    // A landing zone's log bucket was refused above with inference, so the entry logs to the platform's own.
    if (config.inference && accessLogs instanceof AccessLogBucket) {
      this.inference = new InferenceEntry(this, "InferenceEntry", {
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        // Subnets of its own, so the serving pods' network policy admits the load balancer and not the nodes.
        subnetIds: network.loadBalancerSubnetIds,
        allowedCidrs: config.inference.allowedCidrs,
        certificateArn: config.inference.certificateArn,
        clientCertificateAuthorities: config.inference.clientCertificateAuthorities,
        accessLogs,
        logsKey: keys.logs,
        rateLimit: config.inference.rateLimit,
        evaluationWindowSec: config.inference.evaluationWindowSec,
        name: `${config.name}-inference`,
        region: config.region,
        targetSecurityGroupIds: [cluster.clusterPrimarySecurityGroupId],
      });
    }

    addTenantAccess(this);

    // What an organization attaches so that nobody in this account, root and IAM administrators included, can undo the above.
    this.serviceControlPolicies = serviceControlPolicies({
      platform: config.name,
      trailName: this.trail.trailName,
      // Every tenant's container logs too (the prefix covers each group): evidence nobody may delete or shorten.
      auditLogGroups: [
        // The platform's trail, or a team's own, copies its events to the group named after it.
        trailLogGroupName(this.trail instanceof AuditTrail ? this.trail.trailName : `${config.name}-audit`),
        `/aws/eks/${config.name}/cluster`,
        workloadLogGroupName(config.name, ""),
      ],
      // The bootstrap stack's vault keeps the Terraform state's recovery points (BootstrapStack).
      backupVaultNames: [`${config.name}-platform`, `${config.name}-state`],
      alarmRulePrefix: `${config.name}-tamper-`,
      findingsRuleName: `${config.name}-findings`,
      alertTopicName: `${config.name}-alerts`,
      keyAdministrators: keyAdministratorsOf(config),
      breakGlassRoleArn: config.governance.breakGlassRoleArn,
      deployerRoleArn: config.governance.deployerRoleArn,
    });
    const organization = config.governance.organization;
    if (organization) {
      new OrganizationGuardrails(this, "OrganizationGuardrails", {
        policies: this.serviceControlPolicies,
        managementRoleArn: organization.managementRoleArn,
        targetIds: organization.targetIds,
        region: config.region,
        namePrefix: config.name,
        crossAccountBackup: logArchive !== undefined,
      });
    }

    addPlatformOutputs(this);
  }
}
