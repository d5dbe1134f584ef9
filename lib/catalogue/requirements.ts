import { Severity } from "../compliance/rule";
import { ThemeKey } from "./themes";

/** One requirement of the platform, derived from ETSI TS 104 033 and EN 304 223. */
export interface Requirement {
  /** Stable id: `AICP-<AREA>-NN`. Never reused or renumbered. */
  readonly id: string;
  readonly title: string;
  /** What must hold, in one or two sentences. */
  readonly statement: string;
  readonly severity: Severity;
  /** Why it matters for an AI platform. */
  readonly rationale: string;
  /** The TS 104 033 theme it serves. */
  readonly theme: ThemeKey;
  /** EN 304 223 V2.1.1 provision ids it supports. */
  readonly en304223: readonly string[];
}

const r = (req: Requirement): Requirement => req;

export const REQUIREMENTS: readonly Requirement[] = [
  // identity and access control
  r({
    id: "AICP-ACCESS-01",
    theme: "access",
    severity: "mandatory",
    en304223: ["5.1.2-6", "5.2.2-1"],
    title: "Key policies name their principals",
    statement:
      "Every key policy names the principals it trusts; none allows every principal, and administrators are named separately from the principals that use the key.",
    rationale:
      "A wildcard principal hands the keys to models and datasets to anyone a condition forgets; named administrators keep keys manageable after the deploying identity is gone.",
  }),
  r({
    id: "AICP-ACCESS-02",
    theme: "access",
    severity: "mandatory",
    en304223: ["5.2.2-1"],
    title: "Private control plane",
    statement: "The cluster API server is reachable only from inside the platform's network, never from the internet.",
    rationale:
      "A public Kubernetes API is the first thing attackers probe; training and inference control planes need no internet exposure.",
  }),
  r({
    id: "AICP-ACCESS-03",
    theme: "access",
    severity: "mandatory",
    en304223: ["5.2.2-1"],
    title: "No remote shell to nodes",
    statement: "Nodes offer no SSH or other remote access; operators reach them through audited session tooling.",
    rationale:
      "TS 104 033 forbids remote access to root-level accounts; SSH keys on GPU nodes bypass the cluster's access control and audit.",
  }),
  r({
    id: "AICP-ACCESS-04",
    theme: "access",
    severity: "mandatory",
    en304223: ["5.1.2-6"],
    title: "Instance metadata protected from workloads",
    statement:
      "Instances require IMDSv2 session tokens with a response hop limit of 1, so containers cannot take the node's credentials; workloads use their own identities.",
    rationale: "Stolen node credentials reach every model and dataset the node role can read.",
  }),
  r({
    id: "AICP-ACCESS-05",
    theme: "access",
    severity: "mandatory",
    en304223: ["5.1.2-6", "5.2.2-1"],
    title: "Least-privilege platform identities",
    statement:
      "Cluster access is granted through explicit access entries, and node and workload roles carry no administrator or wildcard permissions.",
    rationale:
      "AI systems get only the permissions they need (EN 304 223 5.1.2-6); implicit creator admin and broad node roles defeat that.",
  }),
  r({
    id: "AICP-ACCESS-06",
    theme: "access",
    severity: "mandatory",
    en304223: ["5.2.2-1"],
    title: "No exposure to the internet",
    statement:
      "No security group admits traffic from 0.0.0.0/0 or ::/0, default security groups admit nothing, and platform subnets and instances get no public addresses.",
    rationale: "Training and inference hosts hold model weights and data; only the platform's own network may reach them.",
  }),
  r({
    id: "AICP-ACCESS-07",
    theme: "access",
    severity: "mandatory",
    en304223: ["5.1.2-6", "5.2.1-3"],
    title: "Policies name only principals that exist",
    statement:
      "A policy that names a service-linked role is applied only after the role exists: the platform creates the role where the account lacks it and orders the policy after it.",
    rationale:
      "AWS rejects a key or resource policy naming a missing principal, so in a new account the keys, and every volume, file system and bucket encrypted with them, would fail to deploy.",
  }),
  r({
    id: "AICP-ACCESS-08",
    theme: "access",
    severity: "mandatory",
    en304223: ["5.1.2-6", "5.2.1-4.2"],
    title: "Keys administered by named principals only",
    statement:
      "No key policy lets the account's IAM put a key policy, disable a key or schedule its deletion: named administrators and the deploying role administer the keys, and only a named break-glass role, in a session made with MFA, disables or deletes them.",
    rationale:
      "A key policy that trusts the account root hands every IAM administrator the power to rewrite the attested model key's policy or destroy the logs key, undoing encryption and audit without a trace.",
  }),
  r({
    id: "AICP-ACCESS-09",
    theme: "access",
    severity: "mandatory",
    en304223: ["5.2.2-1", "5.2.1-4"],
    title: "Endpoints for the platform's account only",
    statement:
      "Every interface VPC endpoint whose service takes a policy lets only principals of the platform's account use it, or only on the account's own resources.",
    rationale:
      "An endpoint with the default policy carries any account's credentials out of a VPC without egress: a workload could copy weights to an attacker's bucket or key through the platform's own endpoints.",
  }),
  // integrity
  r({
    id: "AICP-INTEGRITY-01",
    theme: "integrity",
    severity: "mandatory",
    en304223: ["5.2.3-1", "5.2.1-2"],
    title: "Immutable, scanned artifacts",
    statement: "Container and model image repositories make tags immutable and scan images on push.",
    rationale: "A tag that can be overwritten lets an attacker swap a served model or trainer image without a trace.",
  }),
  r({
    id: "AICP-INTEGRITY-02",
    theme: "integrity",
    severity: "mandatory",
    en304223: ["5.2.3-1"],
    title: "Workload images pinned by digest",
    statement: "Every container image in the cluster is referenced by its sha256 digest.",
    rationale: "A digest names exactly the bytes that were reviewed; a tag names whatever was pushed last.",
  }),
  r({
    id: "AICP-INTEGRITY-03",
    theme: "integrity",
    severity: "mandatory",
    en304223: ["5.2.3-1"],
    title: "Workload images from the platform's private registry",
    statement:
      "Every container image in the cluster comes from a private ECR registry the VPC reaches through its endpoints (a mirror or a pull-through cache), never straight from a public registry.",
    rationale:
      "A VPC without egress cannot pull from public registries, so their images never start; a private copy is also the one that was scanned.",
  }),
  r({
    id: "AICP-INTEGRITY-04",
    theme: "integrity",
    severity: "mandatory",
    en304223: ["5.2.3-1", "5.4.1-1"],
    title: "Nodes boot a verified node image",
    statement:
      "Node groups run a node image whose root file system is read-only and verified at boot (Bottlerocket: dm-verity, SELinux enforcing), except confidential pools, which need Amazon Linux 2023.",
    rationale:
      "TS 104 033 asks that platform components are known to be unaltered: on a writable, unverified root, one root exploit on a GPU node persists across reboots and reaches every tenant scheduled there.",
  }),
  r({
    id: "AICP-INTEGRITY-05",
    theme: "integrity",
    severity: "mandatory",
    en304223: ["5.2.3-1", "5.4.1-1", "5.2.1-2"],
    title: "Node image releases pinned",
    statement:
      "Node groups name the release of their node image, so nodes change image only through a reviewed change that rolls the release forward.",
    rationale:
      "Without a pinned release EKS takes whatever image is newest at create and at each update: what runs on the nodes is then neither reviewed nor reproducible.",
  }),
  r({
    id: "AICP-INTEGRITY-06",
    theme: "integrity",
    severity: "mandatory",
    en304223: ["5.2.3-1", "5.2.1-2"],
    title: "Only the publisher pushes images",
    statement:
      "Every image repository's policy denies pushes by any principal but the named CI publisher role, which signs what it pushes with an AWS Signer profile.",
    rationale:
      "Immutable tags stop a tag from moving, not a new image from being published: anyone with ecr:PutImage could otherwise publish the image a node pulls next.",
  }),
  r({
    id: "AICP-INTEGRITY-07",
    theme: "integrity",
    severity: "mandatory",
    en304223: ["5.2.3-1", "5.2.1-2", "5.2.1-4.2"],
    title: "Models written only through the publisher path",
    statement:
      "The model store's bucket policy denies writing, replacing and deleting objects to every principal but the models publisher role; Object Lock keeps each published version, and serving verifies each file's SHA-256 against the published manifest before loading it.",
    rationale:
      "TS 104 033 asks that models are verified before use: a swapped weights file in a bucket every serving pod reads is a backdoor in every tenant's model.",
  }),
  r({
    id: "AICP-INTEGRITY-08",
    theme: "integrity",
    severity: "mandatory",
    en304223: ["5.2.3-1"],
    title: "Images checked at admission",
    statement:
      "Admission that the cluster runs (a ValidatingAdmissionPolicy, failing closed) refuses pods in tenant and platform namespaces whose containers, init or ephemeral containers name an image outside the private ECR, or by tag.",
    rationale:
      "Rules on Terraform see only the pods declared there; a tenant, an operator or a compromised controller creates pods the Terraform never shows.",
  }),
  r({
    id: "AICP-INTEGRITY-09",
    theme: "integrity",
    severity: "mandatory",
    en304223: ["5.2.3-1", "5.4.1-1", "5.1.3-4"],
    title: "Images rescanned continuously",
    statement: "Amazon Inspector scans every repository's images on push and again whenever a new vulnerability affects them.",
    rationale: "An image scanned clean at push is not clean a month later: a scan only at push never reports the CVE published after it.",
  }),
  r({
    id: "AICP-INTEGRITY-10",
    theme: "integrity",
    severity: "mandatory",
    en304223: ["5.2.3-1", "5.2.1-2"],
    title: "Image signatures verified at admission",
    statement:
      "Before a pod starts in a namespace the image provenance policy covers, admission failing closed verifies each image's signature against the platform's signing profile only, including whether the signature or profile was revoked.",
    rationale:
      "Registry and digest checks prove where an image is, not who published it: a pushed image that nobody signed, or that was signed and then revoked, must not run.",
  }),
  // data protection
  r({
    id: "AICP-DATA-01",
    theme: "data",
    severity: "mandatory",
    en304223: ["5.2.1-4", "5.2.1-4.2"],
    title: "Encryption at rest with customer-managed keys",
    statement: "Buckets, volumes, file systems, registries, topics and backup vaults are encrypted with customer-managed KMS keys.",
    rationale:
      "A customer-managed key puts decryption of datasets and weights under the platform's own policy and audit, and lets it be revoked.",
  }),
  r({
    id: "AICP-DATA-02",
    theme: "data",
    severity: "mandatory",
    en304223: ["5.2.1-2", "5.2.1-4.2"],
    title: "Keys rotate and cannot vanish at once",
    statement: "Customer-managed keys rotate automatically, and deleting one waits at least 14 days.",
    rationale:
      "Rotation limits what one key version exposes; the waiting period stops a compromised administrator from destroying every dataset and model in a moment.",
  }),
  r({
    id: "AICP-DATA-03",
    theme: "data",
    severity: "mandatory",
    en304223: ["5.2.1-4"],
    title: "Encryption in transit",
    statement: "Storage refuses requests that do not use TLS.",
    rationale: "Datasets and weights exchanged with authorised entities must be protected from disclosure on the wire.",
  }),
  r({
    id: "AICP-DATA-04",
    theme: "data",
    severity: "mandatory",
    en304223: ["5.2.1-4"],
    title: "Storage is never public",
    statement:
      "Every bucket blocks public ACLs and policies, enforces bucket-owner object ownership, and no bucket policy allows every principal.",
    rationale: "Public buckets are the most common way training data and model weights leak.",
  }),
  r({
    id: "AICP-DATA-05",
    theme: "data",
    severity: "mandatory",
    en304223: ["5.2.1-2", "5.2.1-3.1"],
    title: "Versioned data",
    statement: "Buckets keep versions of every object.",
    rationale: "Versions let a poisoned dataset or a tampered model be traced and rolled back to a known good state.",
  }),
  r({
    id: "AICP-DATA-06",
    theme: "data",
    severity: "mandatory",
    en304223: ["5.2.1-4.2"],
    title: "Cluster secrets envelope-encrypted",
    statement: "Kubernetes secrets are envelope-encrypted with a customer-managed key.",
    rationale: "Secrets hold registry, dataset and API credentials; etcd backups must not reveal them.",
  }),
  r({
    id: "AICP-DATA-07",
    theme: "data",
    severity: "mandatory",
    en304223: ["5.2.1-4.2"],
    title: "Infrastructure state encrypted and locked",
    statement:
      "Terraform state is kept in S3, encrypted with a customer-managed key and locked against concurrent writes; never in a local file.",
    rationale:
      "The state holds the cluster's endpoint and certificate, the roles that reach it and every secret value a resource returns: in a plaintext file it is a map and a key to the platform.",
  }),
  r({
    id: "AICP-DATA-08",
    theme: "data",
    severity: "mandatory",
    en304223: ["5.2.1-4", "5.2.2-1"],
    title: "Every data store has a named writer",
    statement:
      "Each datasets, models and artifacts store has a named role that may write it and use its encryption key, assumed by principals the platform config names.",
    rationale:
      "A store nobody can write under its key is filled by other, less controlled paths, or not at all; a named writer makes publication attributable.",
  }),
  r({
    id: "AICP-DATA-09",
    theme: "data",
    severity: "mandatory",
    en304223: ["5.2.1-4", "5.2.1-3"],
    title: "Keys their consumers can use",
    statement:
      "Every key policy lets the services and roles that encrypt with the key make the KMS calls they make when the resource is created and while it runs, each scoped to its service, and nobody else.",
    rationale:
      "A customer-managed key the service cannot use either stops the resource from being created or leaves it unusable, so encryption at rest would be claimed but not in force.",
  }),
  // secure audit
  r({
    id: "AICP-AUDIT-01",
    theme: "audit",
    severity: "mandatory",
    en304223: ["5.1.2-3", "5.4.2-1"],
    title: "Account-wide audit trail",
    statement: "An audit trail records management events in every region and encrypts its logs with a customer-managed key.",
    rationale: "Events touching AI assets must be logged wherever they happen, and only the platform may read them.",
  }),
  r({
    id: "AICP-AUDIT-02",
    theme: "audit",
    severity: "mandatory",
    en304223: ["5.1.2-3"],
    title: "Tamper-evident audit logs",
    statement: "Audit log files are digitally signed for validation and stored under a compliance-mode object lock.",
    rationale: "TS 104 033 asks that logs be protected against tampering; an attacker's first move is to erase the trail.",
  }),
  r({
    id: "AICP-AUDIT-03",
    theme: "audit",
    severity: "mandatory",
    en304223: ["5.4.2-1"],
    title: "Control-plane audit logs",
    statement: "The cluster logs all five control-plane streams: api, audit, authenticator, controllerManager and scheduler.",
    rationale: "Who scheduled what onto which accelerator, and with whose credentials, is only in these logs.",
  }),
  r({
    id: "AICP-AUDIT-04",
    theme: "audit",
    severity: "mandatory",
    en304223: ["5.1.2-3"],
    title: "Storage access logged",
    statement: "Every bucket holding platform data writes server access logs to a dedicated log bucket.",
    rationale: "Access logs show who read which dataset or model object, for audit and forensics.",
  }),
  r({
    id: "AICP-AUDIT-05",
    theme: "audit",
    severity: "recommended",
    en304223: ["5.1.2-3"],
    title: "Audit storage outside the watched account",
    statement:
      "The audit trail's bucket, the configuration history and a copy of the backups are stored in another account (a log archive) than the one they record.",
    rationale:
      "An administrator of the watched account can stop, delete or let expire anything stored in it; records kept in an account they do not administer survive them.",
  }),
  // incident response
  r({
    id: "AICP-INCIDENT-01",
    theme: "incident",
    severity: "mandatory",
    en304223: ["5.1.3-4", "5.4.2-2"],
    title: "Threat detection on the cluster",
    statement: "Managed threat detection watches the cluster's audit logs, container runtime activity and S3 data events.",
    rationale: "Intrusions and anomalies in training and inference must be noticed in time to respond.",
  }),
  r({
    id: "AICP-INCIDENT-02",
    theme: "incident",
    severity: "mandatory",
    en304223: ["5.1.3-4"],
    title: "Network flow logs",
    statement: "Every VPC records flow logs of all traffic.",
    rationale: "Exfiltration of weights and network anomalies show in flows first.",
  }),
  r({
    id: "AICP-INCIDENT-03",
    theme: "incident",
    severity: "recommended",
    en304223: ["5.2.2-5"],
    title: "High-severity findings reach responders",
    statement: "High and critical security findings are routed to an encrypted notification topic.",
    rationale: "Detection without notification is not incident response.",
  }),
  r({
    id: "AICP-INCIDENT-04",
    theme: "incident",
    severity: "mandatory",
    en304223: ["5.1.3-4", "5.4.2-2"],
    title: "Security posture has data",
    statement:
      "Wherever Security Hub runs, AWS Config records every supported resource type continuously, with recording turned on and delivery to encrypted storage.",
    rationale:
      "Security Hub's controls evaluate AWS Config items: without a recorder they report nothing, and a quiet dashboard looks like a secure platform.",
  }),
  r({
    id: "AICP-INCIDENT-05",
    theme: "incident",
    severity: "mandatory",
    en304223: ["5.1.3-4", "5.4.2-2"],
    title: "Tampering with controls raises an alarm",
    statement:
      "Calls that stop or narrow the audit trail, replace a key policy, disable or delete a key, turn off GuardDuty or Security Hub, delete audit log groups, change the audit or model buckets' policies, delete backups or change cluster access are sent by EventBridge to the alert topic, which admits them and whose key EventBridge may use.",
    rationale:
      "An administrator who can undo a control can do it quietly unless the undoing itself raises an alarm; an alarm rule whose topic refuses EventBridge, or whose key it cannot use, is silent.",
  }),
  // resilience
  r({
    id: "AICP-RESILIENCE-01",
    theme: "resilience",
    severity: "mandatory",
    en304223: ["5.2.1-3", "5.2.1-3.1"],
    title: "Backups in a locked, encrypted vault",
    statement: "Backups are kept in a vault encrypted with a customer-managed key and locked with a minimum retention.",
    rationale: "A safe mode that restores a known good state needs backups an attacker with the account's credentials cannot delete.",
  }),
  r({
    id: "AICP-RESILIENCE-02",
    theme: "resilience",
    severity: "mandatory",
    en304223: ["5.2.1-3.1"],
    title: "Backup plans cover AI assets",
    statement: "A backup plan selects the file systems and buckets holding datasets, models and checkpoints.",
    rationale: "A vault with nothing in it restores nothing.",
  }),
  r({
    id: "AICP-RESILIENCE-03",
    theme: "resilience",
    severity: "mandatory",
    en304223: ["5.2.1-3.1", "5.4.2-1"],
    title: "Restores are tested",
    statement:
      "AWS Backup restores the latest recovery points of every kind of resource the platform backs up on a schedule, and object-level events of the checkpoints are recorded beside those of datasets and models.",
    rationale:
      "A backup that has never been restored is a hope; restore tests find a missing key permission or an unrestorable file system before an incident does.",
  }),
  r({
    id: "AICP-RESILIENCE-04",
    theme: "resilience",
    severity: "mandatory",
    en304223: ["5.2.1-3.1"],
    title: "The platform applies from its code in one pass",
    statement:
      "Each stack applies with one terraform apply, in the order of its dependencies: no object of a stack needs a kind that the same stack installs.",
    rationale:
      "A known good state is restored by applying the code again; a stack that fails its first plan, or needs hand-picked targeted applies, leaves its controls undeployed exactly when the platform is rebuilt.",
  }),
  r({
    id: "AICP-RESILIENCE-05",
    theme: "resilience",
    severity: "mandatory",
    en304223: ["5.2.1-3.1"],
    title: "What rebuilds the platform is backed up",
    statement:
      "The bucket that keeps the Terraform state, and beside it the code each stack applied, is backed up by AWS Backup into a locked vault.",
    rationale:
      "Recovery to a known good state starts from the state and the code that made it; versions alone do not survive an administrator who may write the state and so may delete its versions.",
  }),
  // AI asset protection
  r({
    id: "AICP-ASSET-01",
    theme: "assets",
    severity: "mandatory",
    en304223: ["5.2.1-4.2"],
    title: "Confidential compute where configured",
    statement: "Node pools declared confidential run with AMD SEV-SNP or Nitro Enclaves turned on.",
    rationale: "Models and data in use are protected only if memory encryption or enclave isolation is really on.",
  }),
  r({
    id: "AICP-ASSET-02",
    theme: "assets",
    severity: "mandatory",
    en304223: ["5.2.1-4.2"],
    title: "Model keys released only to attested code",
    statement:
      "On platforms that run Nitro Enclaves, the model key decrypts only for an enclave whose attested measurement matches the configured value.",
    rationale: "Weights decrypted only inside a measured enclave stay protected from the host and its operators.",
  }),
  r({
    id: "AICP-ASSET-03",
    theme: "assets",
    severity: "mandatory",
    en304223: ["5.2.1-4.2", "5.2.2-1"],
    title: "Attested keys are in use",
    statement:
      "A key that decrypts only for an attested enclave has a named writer that encrypts under it, and a workload role that pods assume (not a node role) that decrypts with attestation.",
    rationale:
      "A key nobody can encrypt with, or that only an unusable principal can decrypt with, protects no model: the weights end up under a key without attestation.",
  }),
  // shared accelerators
  r({
    id: "AICP-TENANT-01",
    theme: "accelerators",
    severity: "mandatory",
    en304223: ["5.2.2-3"],
    title: "Restricted pod security in every namespace",
    statement: "Namespaces enforce the Pod Security Admission `restricted` profile.",
    rationale: "Tenants sharing GPU nodes must not escape into the node or each other's workloads.",
  }),
  r({
    id: "AICP-TENANT-02",
    theme: "accelerators",
    severity: "mandatory",
    en304223: ["5.2.2-3"],
    title: "Default-deny networking per namespace",
    statement: "Every namespace has a NetworkPolicy that denies all ingress and egress not explicitly allowed.",
    rationale: "Workloads of one tenant must not reach another's model servers or data loaders.",
  }),
  r({
    id: "AICP-TENANT-03",
    theme: "accelerators",
    severity: "mandatory",
    en304223: ["5.2.2-3"],
    title: "Accelerator quotas per tenant",
    statement: "Every tenant namespace caps the GPUs its pods may request.",
    rationale: "One tenant must not starve others of shared accelerators.",
  }),
  r({
    id: "AICP-TENANT-04",
    theme: "accelerators",
    severity: "mandatory",
    en304223: ["5.2.2-3", "5.1.2-6"],
    title: "Containers confined",
    statement: "Containers run without privilege, host namespaces, privilege escalation or writable root file systems.",
    rationale: "A privileged container on a shared GPU node reads every tenant's memory and credentials.",
  }),
  r({
    id: "AICP-TENANT-05",
    theme: "accelerators",
    severity: "mandatory",
    en304223: ["5.2.2-3"],
    title: "GPU nodes reserved for GPU workloads",
    statement: "GPU node pools carry the `nvidia.com/gpu` NoSchedule taint.",
    rationale: "Untainted GPU nodes take any pod, mixing tenants and workloads on the accelerators.",
  }),
  r({
    id: "AICP-TENANT-06",
    theme: "accelerators",
    severity: "mandatory",
    en304223: ["5.2.2-3", "5.1.2-6"],
    title: "Tenant rights stay in the tenant's namespace",
    statement: "No cluster-wide role binding grants rights to a tenant's groups.",
    rationale: "A cluster role binding gives a tenant every namespace, including other tenants'.",
  }),
  r({
    id: "AICP-TENANT-07",
    theme: "accelerators",
    severity: "mandatory",
    en304223: ["5.2.2-3"],
    title: "Tenant placement enforced at admission",
    statement:
      "Admission the cluster runs (a ValidatingAdmissionPolicy) denies tenant pods that bypass the scheduler, tolerate another tenant's taint, or leave their dedicated pool.",
    rationale:
      "A taint keeps other tenants off a dedicated GPU pool only while no pod may add its toleration; namespace annotations do nothing on EKS.",
  }),
  r({
    id: "AICP-TENANT-08",
    theme: "accelerators",
    severity: "mandatory",
    en304223: ["5.2.2-3", "5.1.2-6"],
    title: "Only the GPUs a pod was given",
    statement:
      "GPU nodes hand a container only the GPUs or MIG slices the device plugin allocated to it, ignoring NVIDIA_VISIBLE_DEVICES in unprivileged containers, and admission denies tenant pods that set the NVIDIA device variables, mount host devices or request devices from the runtime.",
    rationale:
      "Quotas and taints count what pods request; a CUDA image that sets NVIDIA_VISIBLE_DEVICES=all would otherwise see, and read the memory of, every GPU on the node, other tenants' included.",
  }),
  r({
    id: "AICP-TENANT-09",
    theme: "accelerators",
    severity: "mandatory",
    en304223: ["5.2.2-3"],
    title: "No time-slicing where tenants share",
    statement:
      "GPUs of a pool that more than one tenant may use are handed out whole or as MIG slices, never time-sliced or shared through MPS; time-slicing is only for a tenant's own pool.",
    rationale:
      "Time-sliced pods share one GPU's memory with no isolation, so one tenant's pod could read another's model weights and data; MIG slices have their own memory and compute.",
  }),
  r({
    id: "AICP-TENANT-10",
    theme: "accelerators",
    severity: "mandatory",
    en304223: ["5.2.2-3", "5.1.2-6"],
    title: "Each tenant's data under its own key",
    statement:
      "Where tenants share a bucket by prefix, the objects under each tenant's prefix are held by the bucket policy to a key of that tenant's own, and no tenant's role can decrypt with another tenant's key.",
    rationale:
      "A prefix in an IAM policy is one edit away from every tenant's data; a key per tenant keeps a widened grant, a leaked role or a wrong prefix from decrypting another tenant's datasets and checkpoints.",
  }),
  // inference protection
  r({
    id: "AICP-INFER-01",
    theme: "inference",
    severity: "mandatory",
    en304223: ["5.2.2-1"],
    title: "Internal inference entry",
    statement: "Load balancers that serve models are internal, not internet-facing.",
    rationale: "Model endpoints exposed to the internet invite extraction and abuse.",
  }),
  r({
    id: "AICP-INFER-02",
    theme: "inference",
    severity: "mandatory",
    en304223: ["5.2.2-2"],
    title: "Rate-limited inference",
    statement: "The inference entry sits behind a web ACL with a rate-based rule limiting each client.",
    rationale: "EN 304 223 5.2.2-2 asks for rate limits on model APIs against extraction and fast poisoning.",
  }),
  r({
    id: "AICP-INFER-03",
    theme: "inference",
    severity: "mandatory",
    en304223: ["5.2.2-1", "5.2.2-2"],
    title: "Authenticated inference clients",
    statement:
      "The inference entry forwards only requests from clients it has authenticated, by a certificate it verifies against a trust store or by an identity provider, and serving pods admit traffic only from the entry's own subnets.",
    rationale:
      "An entry that answers every client in its network ranges hands the model to anyone who reaches it; pods reachable from the nodes' subnets can be queried around the WAF and its rate limit.",
  }),
  // AI logs
  r({
    id: "AICP-AILOG-01",
    theme: "ailogs",
    severity: "mandatory",
    en304223: ["5.1.2-3", "5.4.2-1"],
    title: "Logs encrypted and kept a year",
    statement: "Log groups are encrypted with a customer-managed key and retained for at least 365 days.",
    rationale: "AI-related logs are evidence for audit and forensics; they must outlast an investigation and stay confidential.",
  }),
  r({
    id: "AICP-AILOG-02",
    theme: "ailogs",
    severity: "mandatory",
    en304223: ["5.1.2-3", "5.2.4-3"],
    title: "Dataset and model access in the audit trail",
    statement: "The audit trail records S3 data events on the buckets that hold datasets and models.",
    rationale: "An audit trail of the lifecycle of models and datasets (EN 304 223 5.1.2-3) needs object-level events.",
  }),
  r({
    id: "AICP-AILOG-03",
    theme: "ailogs",
    severity: "mandatory",
    en304223: ["5.1.2-3", "5.4.2-1"],
    title: "Workload logs collected per tenant",
    statement:
      "A cluster with GPU or Neuron node groups runs a container log collector that can deliver: its own identity allowed to write, log groups created beforehand and encrypted with a customer-managed key, one per tenant, a route to CloudWatch Logs, and retention at least that of the audit trail's log group.",
    rationale:
      "What ran on an accelerator, who called a model and what a compromised pod did are evidence only if the container logs are kept, confidential, apart per tenant and as long as the audit trail (EN 304 223 5.4.2-1: log system and user actions).",
  }),
  // training recovery
  r({
    id: "AICP-TRAIN-01",
    theme: "training",
    severity: "mandatory",
    en304223: ["5.2.1-3", "5.2.1-3.1"],
    title: "Checkpoint storage backed up",
    statement: "File systems that hold training data and checkpoints have automatic backups.",
    rationale: "Training interrupted by failure or attack resumes from the last good checkpoint, not from zero.",
  }),
];

const byId = new Map(REQUIREMENTS.map((req) => [req.id, req]));

export function requirementById(id: string): Requirement | undefined {
  return byId.get(id);
}
