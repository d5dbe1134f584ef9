/**
 * Help for every field of the platform config, by path (`nodePools[].efa`):
 * the JSON Schema `saip schema` prints carries these, so editors show them.
 * Kept apart from the zod schema so the schema stays readable; a test fails
 * when a field has no description here.
 */
export const CONFIG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  landingZone:
    "What the account's landing zone already has, used in place of the platform's own; none of it is checked, and every report lists each as assumed.",
  "landingZone.vpc":
    "An existing VPC to build into instead of a new one; network.cidr must be its range. With network.egress none, it must have every endpoint the nodes need.",
  "landingZone.vpc.vpcId": "The VPC's id, such as vpc-0abc12345def67890.",
  "landingZone.vpc.privateSubnetIds": "At least two private subnets in distinct zones, for the nodes and the cluster.",
  "landingZone.vpc.loadBalancerSubnets":
    "Private subnets for the internal load balancer alone, with their ranges; required with inference.",
  "landingZone.vpc.loadBalancerSubnets[].subnetId": "The subnet's id.",
  "landingZone.vpc.loadBalancerSubnets[].cidr": "The subnet's IPv4 range, which the serving pods' network policy admits.",
  "landingZone.vpc.endpointSecurityGroupId": "The security group of the VPC's interface endpoints.",
  "landingZone.vpc.endpointServices": "The VPC's endpoints by service, such as ecr.api, ecr.dkr, sts, s3.",
  "landingZone.vpc.endpointIds":
    "The endpoint to use for a service, by id ({ s3: vpce-... }), where the VPC has two live endpoints of that service and type, which a lookup by service cannot tell apart.",
  "landingZone.organizationTrailArn":
    "An organization trail to rely on instead of the platform's own trail; no auditor role is made, since its bucket is the log archive account's.",
  "landingZone.alertTopicArn":
    "The landing zone's security alert topic, which findings and tamper alarms go to instead of a topic of the platform's own; detection.alertEmails and alertSubscriptions must then be empty.",
  "landingZone.accessLogBucketName":
    "The log archive bucket that receives the buckets' server access logs, instead of the platform's own; not with inference (its load balancer's logs need the platform's bucket).",
  "": "A secure AI computing platform: network, keys, storage, registry, audit, detection, backup, an EKS cluster with its node pools, and tenants.",
  name: "The platform's name: lower-case letters, digits and dashes, at most 21; it prefixes resource names.",
  region: "The AWS region the platform runs in, such as eu-west-1.",
  availabilityZones:
    "At least two availability zones of the region (eu-west-1a, eu-west-1b); each gets a private subnet. With landingZone.vpc, the zones of its subnets, in their order.",
  network: "The VPC: its address range, the cluster's service range and whether it has egress to the internet.",
  "network.cidr": "The VPC's IPv4 range, such as 10.0.0.0/16; split into one private subnet per zone.",
  "network.serviceCidr": "Kubernetes service addresses; must not overlap the VPC range.",
  "network.egress": "none: no internet egress (images come through the private ECR); nat: a NAT gateway per zone.",
  keyAdministrators: "IAM role or user ARNs that administer the platform's KMS keys, separate from the deploying identity.",
  governance:
    "Who may change or undo the platform's controls; the account's IAM administrators may not (no key policy delegates key administration to the account).",
  "governance.deployerRoleArn":
    "The role Terraform runs as: it administers every key but never disables or deletes one (KMS's lockout safety check needs the caller named).",
  "governance.breakGlassRoleArn":
    "The only role that may disable or delete a key, in a session made with MFA; must differ from deployerRoleArn.",
  "governance.organization":
    "The organization's management account, where the service control policies are created and attached; without it they are only written to cdktf.out/governance/.",
  "governance.organization.managementRoleArn":
    "A role in the management account that Terraform assumes to create and attach the service control policies.",
  "governance.organization.targetIds":
    "The platform's account id, or the organizational unit (ou-...) or root (r-...) it is in, to attach the policies to.",
  cluster: "The EKS cluster.",
  "cluster.version": "The Kubernetes minor version, in EKS standard support (such as 1.35).",
  "cluster.admins": "IAM role or user ARNs that administer the cluster.",
  nodeImages: "Node image releases every pool of a family runs, pinned; required for each family some pool runs.",
  "nodeImages.bottlerocket": "The Bottlerocket release, such as 1.34.0-18d04e52 (EKS refuses the short form).",
  "nodeImages.al2023": "The Amazon Linux 2023 release, built for the cluster's Kubernetes version, such as 1.35.0-20260110.",
  nodePools: "The cluster's managed node groups.",
  "nodePools[].name": "The pool's name, a DNS label.",
  "nodePools[].purpose": "What runs on the pool: training, inference, general or system (cluster add-ons).",
  "nodePools[].instanceTypes": "EC2 instance types from the platform's table of families, sharing one architecture and accelerator kind.",
  "nodePools[].amiType":
    "The EKS AMI type; defaults to Bottlerocket (verified boot) for the instance types' architecture and accelerator, and to Amazon Linux 2023 for confidential pools.",
  "nodePools[].releaseVersion": "This pool's node image release, instead of nodeImages for its family (to roll one pool forward first).",
  "nodePools[].scaling": "Node counts; defaults to 0/0/2 for accelerator pools and 1/2/4 otherwise.",
  "nodePools[].scaling.min": "The fewest nodes.",
  "nodePools[].scaling.desired": "Nodes at creation; between min and max.",
  "nodePools[].scaling.max": "The most nodes.",
  "nodePools[].capacity": "How instances are bought.",
  "nodePools[].capacity.type": "ON_DEMAND, SPOT, or CAPACITY_BLOCK (needs reservationId).",
  "nodePools[].capacity.reservationId": "The capacity reservation (cr-...) a CAPACITY_BLOCK pool launches into.",
  "nodePools[].efa": "Elastic Fabric Adapter for multi-node training; every instance type must support EFA.",
  "nodePools[].confidential":
    "none, sev-snp (AMD SEV-SNP memory encryption on M6a, C6a, R6a) or nitro-enclaves (attested enclaves on CPU types).",
  "nodePools[].tenant": "Dedicates the pool to one tenant: no other tenant's pods land on it.",
  "nodePools[].diskSizeGiB": "The nodes' root volume size in GiB, at least 20.",
  "nodePools[].mig":
    "Cuts every GPU of the pool into MIG slices of one profile, each advertised as one nvidia.com/gpu with its own memory (A100 p4d/p4de, H100 p5, H200 p5e/p5en, on Bottlerocket 1.34.0 or later); not for training pools.",
  "nodePools[].mig.profile": "The MIG profile of the pool's GPU, such as 3g.20gb on p4d (A100 40GB) or 3g.40gb on p5 (H100).",
  "nodePools[].timeSlicing":
    "Time-slices each GPU between pods; only on a pool dedicated to one tenant, because time-sliced pods share the GPU's memory with no isolation; not for training pools.",
  "nodePools[].timeSlicing.replicas": "Pods per GPU, 2 to 16.",
  tenants: "Teams that share the cluster, each in its own namespace with quotas, network policies and workload roles.",
  "tenants[].name": "The tenant's namespace, a DNS label.",
  "tenants[].groups": "Kubernetes groups whose members work in the tenant's namespace (not system:*).",
  "tenants[].principalArns": "IAM roles the tenant's people assume; each gets an EKS access entry in the tenant's groups.",
  "tenants[].gpuQuota": "GPUs the tenant's pods may request in total.",
  "tenants[].pool": "A node pool dedicated to the tenant (its nodePools[].tenant must name the tenant).",
  storage: "The platform's S3 buckets and training file system.",
  "storage.buckets": "Which buckets to create: datasets, models, checkpoints, artifacts.",
  "storage.modelObjectLockDays": "Days model objects stay locked against deletion (S3 Object Lock).",
  "storage.fileSystem": "The shared training file system: fsx-lustre, efs or none.",
  "storage.publishers": "Who writes each store: IAM roles or users that may assume its publisher role.",
  "storage.publishers.datasets": "Writers of the datasets bucket.",
  "storage.publishers.models": "Writers of the models bucket.",
  "storage.publishers.artifacts": "Writers of the artifacts bucket.",
  registry: "The private ECR registry.",
  "registry.repositories": "ECR repositories to create (immutable tags, scan on push, KMS).",
  "registry.publishers":
    "IAM roles or users (a CI pipeline's role) that may assume the image publisher role, the only principal that pushes to and signs for the platform's repositories.",
  audit: "The CloudTrail audit trail and its storage.",
  "audit.objectLockDays": "Days trail logs stay locked against deletion, 365 to 36500.",
  "audit.logRetentionDays":
    "Days the trail's CloudWatch log group, and the platform's other log groups (workload container logs included), keep events: a retention period CloudWatch Logs accepts, of a year or more.",
  "audit.auditors": "IAM roles or users that may assume the auditor role, which reads the trail and validates its log files.",
  "audit.archive":
    "A separate log-archive account that holds the trail's bucket and key, the AWS Config delivery bucket, a locked backup copy vault and a copy of the cluster's control-plane logs, out of the platform account's administrators' reach; not with landingZone.organizationTrailArn. Without it, every report says audit storage shares the account it watches.",
  "audit.archive.accountId":
    "The log-archive account's 12-digit id; not an account the config names otherwise (the deployer's, the management account).",
  "audit.archive.roleArn":
    "The role Terraform assumes in the log-archive account to create what lives there; a role of audit.archive.accountId. It administers the archive's keys (KMS's lockout safety check).",
  "audit.archive.keyAdministrators":
    "IAM role or user ARNs that administer the archive's KMS keys, besides roleArn; defaults to keyAdministrators. Name principals of the archive account to keep the keys out of the platform's reach.",
  "audit.archive.breakGlassRoleArn":
    "The only role that may disable or delete an archive key, in a session made with MFA; by default nobody may.",
  detection: "GuardDuty, Security Hub and AWS Config, and who receives their findings.",
  "detection.alertEmails": "Addresses that receive security findings, once each confirms SNS's subscription email.",
  "detection.alertSubscriptions": "Other receivers of findings: an HTTPS endpoint, an SQS queue or a Lambda function.",
  "detection.alertSubscriptions[].protocol": "https, sqs or lambda.",
  "detection.alertSubscriptions[].endpoint": "An https:// URL, or the ARN of the SQS queue or Lambda function.",
  "detection.recordGlobalResourceTypes": "Record global IAM resources in this region; set false in every other region of the account.",
  state: "Where Terraform keeps the platform's state: an S3 bucket the bootstrap stack creates, with its own key.",
  "state.bucket": "The state bucket's name, global across AWS; defaults to <name>-tfstate-<region>.",
  "state.region": "The state bucket's region; defaults to the platform's region.",
  backup: "The locked AWS Backup vault and plan for the AI assets.",
  "backup.minRetentionDays": "The vault lock's shortest retention, at least 7 days.",
  "backup.retentionDays": "How long recovery points are kept; at least minRetentionDays.",
  inference: "The internal HTTPS entry to the serving pods, behind AWS WAF.",
  "inference.certificateArn": "The ACM certificate of the listener.",
  "inference.clientCertificateAuthorities":
    "The PEM bundle of the certificate authorities that issue clients' certificates; the entry does mutual TLS and accepts no client without one.",
  "inference.clientCertificateAuthorities.bucket": "The S3 bucket holding the CA bundle; the deploying role must be able to read it.",
  "inference.clientCertificateAuthorities.key": "The CA bundle's object key.",
  "inference.clientCertificateAuthorities.objectVersion": "The bundle's object version, so a changed bundle is a deliberate change.",
  "inference.allowedCidrs": "Client ranges that may reach the entry; never 0.0.0.0/0.",
  "inference.rateLimit": "Requests per client address per evaluation window before WAF blocks it, at least 10.",
  "inference.evaluationWindowSec": "WAF's rate window in seconds: 60, 120, 300 or 600.",
  attestation: "Measurements of the enclave image allowed to decrypt model keys; required when a pool runs Nitro Enclaves.",
  "attestation.imageSha384": "The enclave image's SHA-384 measurement (PCR0), 96 hex characters.",
  "attestation.pcrs": "Nitro Enclave PCRs (0, 1, 2, 3, 4, 8) the key policy requires, each a SHA-384 digest.",
  "attestation.principalArns": "Further roles whose enclaves may decrypt; the enclave pools' node roles are added automatically.",
  "attestation.workloads":
    "Pods that start the measured enclave: each gets a Pod Identity role that decrypts only with a matching attestation.",
  "attestation.workloads[].tenant": "The tenant whose namespace runs the pod.",
  "attestation.workloads[].serviceAccount": "The pod's service account, apart from the tenant's own inference and training accounts.",
  kubernetes: "In-cluster settings: device plugin images, the signature verifier, Pod Security Standards and the plugins' waivers.",
  "kubernetes.nvidiaDevicePluginImage": "The NVIDIA device plugin image in the platform's private ECR, pinned by digest.",
  "kubernetes.nitroEnclavesDevicePluginImage": "The Nitro Enclaves device plugin image in the platform's private ECR, pinned by digest.",
  "kubernetes.signatureVerifier":
    "The signature verifier (Gatekeeper and Ratify): its images in the mirror and AWS Signer's root certificate.",
  "kubernetes.signatureVerifier.images":
    "The gatekeeper, ratify and signerPlugin images in their mirror repositories, each as <tag>@sha256:<digest>.",
  "kubernetes.signatureVerifier.signerRootCertificate":
    "AWS Signer's Notation root certificate (PEM), as AWS publishes it, checked against its published fingerprint.",
  "kubernetes.podSecurityVersion": "The Pod Security Standards version tenant namespaces enforce, such as v1.33.",
  "kubernetes.devicePluginWaiverExpires": "The date (YYYY-MM-DD) the device plugins' waivers (hostPath, root) are reviewed by.",
  tags: "Tags on every resource, besides saip:platform.",
};
