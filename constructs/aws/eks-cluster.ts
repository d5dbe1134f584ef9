import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { dependable, Fn, ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { AwsContext } from "./aws-context";
import { ClusterAccessEntries, IAM_PRINCIPAL, NamespaceAccessPolicy } from "./eks-access";
import { addonsWaitForNodes, createClusterAddons, EBS_CSI_SERVICE_ACCOUNT, EksAddonName, NODE_ADDONS, WORKLOAD_ADDONS } from "./eks-addons";
import { EncryptedLogGroup } from "./encrypted-log-group";
import { eksVersionProblem } from "./eks-versions";
import type { IPrivateNetwork } from "./imported-network";
import { NodePool, NodePoolProps } from "./node-pool";
import { PlatformKey } from "./platform-key";
import { granteeOfRole } from "./grantee";
import { PolicyDocument, PolicyStatement } from "./policy-document";

/** All five control-plane log streams; the audit and authenticator logs are the evidence for investigations. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

// Add-ons and access entries live in their own files; their types are re-exported so importers keep using this module.
export type { EksAddonName } from "./eks-addons";
export type { NamespaceAccessPolicy } from "./eks-access";

/** A node pool as `addNodePool` takes it: the cluster gives itself, and through it its network and version. */
export type NodePoolOptions = Omit<NodePoolProps, "cluster">;

/** What node pools and others need of a cluster: the platform's `PlatformCluster`, or any object with these. */
export interface IPlatformCluster {
  readonly clusterName: string;
  /** Kubernetes minor version of the control plane, e.g. "1.35": node pools run it unless told otherwise. */
  readonly version: string;
  /** The VPC and private subnets the cluster lives in; node pools launch into its private subnets. */
  readonly network: IPrivateNetwork;
}

export interface PlatformClusterProps {
  /** Cluster name: 1 to 100 letters, digits, '-' or '_', starting with a letter or digit. */
  readonly name: string;
  /** Kubernetes minor version, e.g. "1.35": one of SUPPORTED_EKS_VERSIONS, so upgrades are deliberate. */
  readonly version: string;
  /**
   * The VPC of the cluster (the platform's `PrivateNetwork`, or a landing zone's): the control plane's network
   * interfaces go in its private subnets, in at least two zones, and its VPC range is the only source the
   * cluster security group admits to the API.
   */
  readonly network: IPrivateNetwork;
  /** Key for envelope encryption of Kubernetes secrets (the keyring's clusterSecrets key). */
  readonly secretsKey: PlatformKey;
  /** Key for the control-plane log group (the keyring's logs key). */
  readonly logsKey: PlatformKey;
  /** Key for the EBS volumes the CSI driver creates; the workloads layer's encrypted StorageClass names it. */
  readonly volumeKey: PlatformKey;
  /** IAM role or user ARNs that get cluster admin through access entries; at least one. */
  readonly admins: string[];
  /**
   * IAM role or user ARNs that create and update the cluster (the deploying pipeline). EKS creates a
   * grant on the secrets key in the caller's name, so they get kms:CreateGrant and kms:DescribeKey on it.
   * @default - the account root: IAM policies of this account decide who may create the grant
   */
  readonly clusterCreators?: string[];
  /** Days control-plane logs are kept; at least 365. @default 365 */
  readonly logRetentionInDays?: number;
  /** IPv4 range for Kubernetes services; must not overlap the VPC. @default - EKS picks 10.100.0.0/16 or 172.20.0.0/16 */
  readonly serviceCidr?: string;
  /** Add-on versions by name. @default - EKS's default version of each add-on for the cluster's Kubernetes version */
  readonly addonVersions?: Partial<Record<EksAddonName, string>>;
  /** Tags for every resource. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * A private EKS cluster: API endpoint reachable from inside the VPC only,
 * secrets envelope-encrypted with a platform key, all five control-plane log
 * streams in an encrypted log group kept a year, access through access
 * entries only (the creator gets no implicit admin), deletion protection,
 * standard support only, an OIDC provider for IRSA, and the core add-ons as
 * EKS-managed add-ons, the EBS CSI driver with its own role through Pod Identity.
 *
 * The encrypted default gp3 StorageClass is a Kubernetes object and is created
 * by the workloads layer with `volumeKeyArn`. Node groups should depend on
 * `nodePrerequisites`, and `waitForNodes` should be given the node groups;
 * `addNodePool` does both.
 * Operators reach the API from inside the VPC (VPN, bastion, SSM). Deletion
 * protection makes `terraform destroy` fail until a change turns it off.
 */
export class PlatformCluster extends Construct implements IPlatformCluster {
  readonly clusterName: string;
  readonly network: IPrivateNetwork;
  readonly clusterArn: string;
  readonly clusterEndpoint: string;
  /** Base64 certificate authority data for kubeconfig and providers. */
  readonly clusterCertificateAuthority: string;
  readonly oidcProviderArn: string;
  /** Issuer URL without `https://`, as IRSA trust policy condition keys use it. */
  readonly oidcIssuerUrl: string;
  /** The security group created here, admitting HTTPS from the VPC. */
  readonly clusterSecurityGroupId: string;
  /** The security group EKS creates; managed node groups use it. */
  readonly clusterPrimarySecurityGroupId: string;
  readonly clusterRoleArn: string;
  readonly ebsCsiDriverRoleArn: string;
  readonly volumeKeyArn: string;
  readonly version: string;
  /** The log group EKS writes the control-plane logs to (`/aws/eks/<name>/cluster`), for a subscription that copies them. */
  readonly controlPlaneLogGroupName: string;
  readonly addons: Readonly<Record<EksAddonName, EksAddon>>;
  private readonly partition: string;
  private readonly access: ClusterAccessEntries;

  constructor(scope: Construct, id: string, props: PlatformClusterProps) {
    super(scope, id);
    this.validate(props);
    const context = AwsContext.of(this);
    const tags = props.tags;
    this.partition = context.partition;
    this.version = props.version;
    this.network = props.network;
    const arn = context.arn("eks", `cluster/${props.name}`);

    const role = new IamRole(this, "ClusterRole", {
      description: `Control plane of EKS cluster ${props.name}`,
      // EKS acting for this cluster only (confused-deputy protection).
      assumeRolePolicy: serviceTrust("EksControlPlane", "eks.amazonaws.com", {
        StringEquals: { "aws:SourceAccount": context.accountId },
        ArnLike: { "aws:SourceArn": arn },
      }),
      tags,
    });
    const rolePolicy = new IamRolePolicyAttachment(this, "ClusterRolePolicy", {
      role: role.name,
      policyArn: this.managedPolicy("AmazonEKSClusterPolicy"),
    });
    this.clusterRoleArn = role.arn;
    props.secretsKey.grantEncryptDecrypt(granteeOfRole(role));
    // EKS health checks list the key's grants as the cluster role.
    props.secretsKey.addToPolicy({ Effect: "Allow", Principal: { AWS: role.arn }, Action: "kms:ListGrants", Resource: "*" });
    // CreateCluster has EKS make a grant in the caller's name; EKS documents that kms:GrantIsForAWSResource
    // does not work for that call, but EKS is a kms:ViaService service (the .amazonaws.com name in every
    // partition), so the creators may create grants only through EKS in this region, never directly.
    const viaEks = { "kms:ViaService": `eks.${context.region}.amazonaws.com` };
    const creatorGrant = (AWS: string | string[], StringEquals: Record<string, string>) => ({
      Effect: "Allow" as const,
      Principal: { AWS },
      Action: ["kms:CreateGrant", "kms:DescribeKey"],
      Resource: "*",
      Condition: { StringEquals },
    });
    if (props.clusterCreators) props.secretsKey.addToPolicy(creatorGrant(props.clusterCreators, viaEks));
    else
      props.secretsKey.addToPolicyOnce({
        Sid: "EksClusterCreatorsCreateGrant",
        ...creatorGrant(context.accountRootArn, { ...viaEks, "kms:CallerAccount": context.accountId }),
      });

    // Extra group on the control plane's interfaces; EKS's own group carries egress and node traffic.
    const securityGroup = new SecurityGroup(this, "SecurityGroup", {
      vpcId: props.network.vpcId,
      description: "EKS API endpoint: HTTPS from inside the VPC only",
      revokeRulesOnDelete: true,
      tags,
    });
    new VpcSecurityGroupIngressRule(this, "ApiFromVpc", {
      securityGroupId: securityGroup.id,
      description: "Kubernetes API from the VPC",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.network.vpcCidr,
      tags,
    });
    this.clusterSecurityGroupId = securityGroup.id;

    // EKS writes to this exact name; creating it first keeps EKS from creating it unencrypted.
    const logGroup = new EncryptedLogGroup(this, "ControlPlaneLogs", {
      name: `/aws/eks/${props.name}/cluster`,
      key: props.logsKey,
      retentionInDays: props.logRetentionInDays,
      tags,
    });
    this.controlPlaneLogGroupName = logGroup.logGroupName;

    const cluster = new EksCluster(this, "Resource", {
      name: props.name,
      version: props.version,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: props.network.privateSubnetIds,
        securityGroupIds: [securityGroup.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: false,
      },
      kubernetesNetworkConfig: props.serviceCidr ? { serviceIpv4Cidr: props.serviceCidr } : undefined,
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: props.secretsKey.keyArn } },
      enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      upgradePolicy: { supportType: "STANDARD" },
      deletionProtection: true,
      // The core components come as EKS-managed add-ons below instead.
      bootstrapSelfManagedAddons: false,
      tags,
      // The role keeps its policy until EKS has cleaned up on deletion.
      dependsOn: [logGroup.node.findChild("Resource") as CloudwatchLogGroup, rolePolicy],
    });
    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.clusterEndpoint = cluster.endpoint;
    this.clusterCertificateAuthority = cluster.certificateAuthority.get(0).data;
    this.clusterPrimarySecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;

    // No thumbprint_list: IAM checks the issuer's certificate against its own trusted CAs.
    const issuer = cluster.identity.get(0).oidc.get(0).issuer;
    const oidc = new IamOpenidConnectProvider(this, "OidcProvider", { url: issuer, clientIdList: ["sts.amazonaws.com"], tags });
    this.oidcProviderArn = oidc.arn;
    this.oidcIssuerUrl = Fn.replace(issuer, "https://", "");

    const ebsRole = new IamRole(this, "EbsCsiDriverRole", {
      description: `EBS CSI controller of EKS cluster ${props.name}, through Pod Identity`,
      // Pod Identity tags the session with the pod's cluster, namespace and service account.
      assumeRolePolicy: serviceTrust("EbsCsiControllerPodIdentity", "pods.eks.amazonaws.com", {
        StringEquals: {
          "aws:RequestTag/eks-cluster-arn": arn,
          "aws:RequestTag/kubernetes-namespace": "kube-system",
          "aws:RequestTag/kubernetes-service-account": EBS_CSI_SERVICE_ACCOUNT,
        },
      }),
      tags,
    });
    const ebsPolicy = new IamRolePolicyAttachment(this, "EbsCsiDriverRolePolicy", {
      role: ebsRole.name,
      policyArn: this.managedPolicy("service-role/AmazonEBSCSIDriverPolicy"),
    });
    this.ebsCsiDriverRoleArn = ebsRole.arn;
    this.volumeKeyArn = props.volumeKey.keyArn;
    props.volumeKey.grantEncryptDecrypt(granteeOfRole(ebsRole));
    // Attaching an encrypted volume to an instance takes a grant for the volume.
    props.volumeKey.grantAwsResourceGrants(granteeOfRole(ebsRole));

    this.addons = createClusterAddons(this, {
      clusterName: cluster.name,
      addonVersions: props.addonVersions,
      tags,
      ebsCsiDriverRoleArn: ebsRole.arn,
      ebsCsiDriverRolePolicy: ebsPolicy,
    });

    this.access = new ClusterAccessEntries(this, cluster.name, this.partition, tags);
    props.admins.forEach((admin) => this.access.associate(admin, "AmazonEKSClusterAdminPolicy", { type: "cluster" }, "admins"));
  }

  /** Add-ons nodes need as they join (CNI, kube-proxy, Pod Identity agent): give them to node groups' dependsOn. */
  get nodePrerequisites(): ITerraformDependable[] {
    return NODE_ADDONS.map((name) => this.addons[name]);
  }

  private readonly nodePools: NodePool[] = [];
  /** What `addNodePool` put in the workload add-ons' dependsOn, so each new pool can recompute it. */
  private readonly poolWaits = new Set<string>();

  /**
   * Adds a managed node group that joins this cluster, as aws-eks'
   * `addNodegroupCapacity` does: the pool takes this cluster, and through it
   * the private subnets, VPC and version unless the options say otherwise; it joins only after the add-ons
   * nodes need (CNI, kube-proxy, Pod Identity agent), and CoreDNS and the EBS
   * CSI controller wait for the untainted pools (for every pool while none is
   * untainted): a GPU pool that cannot launch (a fresh account's G and P
   * quotas are low) must not hold back cluster DNS. The pool is made beside
   * the cluster, so its resources keep the addresses of a pool made in the stack.
   */
  addNodePool(id: string, options: NodePoolOptions): NodePool {
    const pool = new NodePool(this.node.scope ?? this, id, { ...options, cluster: this });
    pool.nodeGroup.dependsOn = [...(pool.nodeGroup.dependsOn ?? []), ...this.nodePrerequisites.map(dependable)];
    this.nodePools.push(pool);
    const untainted = this.nodePools.filter((p) => p.taints.length === 0);
    const waits = (untainted.length > 0 ? untainted : this.nodePools).map((p) => dependable(p.nodeGroup));
    for (const name of WORKLOAD_ADDONS) {
      const addon = this.addons[name];
      addon.dependsOn = [...(addon.dependsOn ?? []).filter((d) => !this.poolWaits.has(d)), ...waits];
    }
    this.poolWaits.clear();
    waits.forEach((w) => this.poolWaits.add(w));
    return pool;
  }

  /** Makes the add-ons that run as Deployments (CoreDNS, the EBS CSI controller) wait for node groups to schedule on. */
  waitForNodes(...nodeGroups: ITerraformDependable[]): void {
    addonsWaitForNodes(this.addons, nodeGroups);
  }

  /**
   * Gives an IAM principal (a tenant team's role) an access policy on some
   * namespaces only, through an access entry. One call per principal and policy.
   */
  grantNamespaceAccess(principalArn: string, namespaces: string[], policy: NamespaceAccessPolicy = "AmazonEKSEditPolicy"): void {
    this.access.grantNamespaceAccess(principalArn, namespaces, policy);
  }

  /**
   * Maps an IAM principal (a tenant team's role) to Kubernetes groups through
   * its access entry, with no access policy: what the groups may do is what
   * RoleBindings in the tenant's namespaces give them. Groups add up over calls.
   */
  mapToGroups(principalArn: string, groups: string[]): void {
    this.access.mapToGroups(principalArn, groups);
  }

  private managedPolicy(name: string): string {
    return `arn:${this.partition}:iam::aws:policy/${name}`;
  }

  private validate(props: PlatformClusterProps): void {
    const path = this.node.path;
    if (!Token.isUnresolved(props.name) && !(props.name.length <= 100 && /^[0-9A-Za-z][A-Za-z0-9\-_]*$/.test(props.name))) {
      throw new Error(`${path}: name must be 1 to 100 letters, digits, '-' or '_', starting with a letter or digit, got '${props.name}'.`);
    }
    const versionProblem = eksVersionProblem(props.version);
    if (versionProblem) throw new Error(`${path}: ${versionProblem}`);
    if (props.network.privateSubnetIds.length === 0)
      throw new Error(`${path}: network.privateSubnetIds must name at least one private subnet, got [].`);
    const cidr = props.network.vpcCidr;
    if (!Token.isUnresolved(cidr) && (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || Number(cidr.split("/")[1]) < 8)) {
      throw new Error(`${path}: network.vpcCidr must be the VPC's IPv4 CIDR (a /8 or smaller), got '${cidr}'.`);
    }
    if (props.admins.length === 0)
      throw new Error(`${path}: admins must name at least one IAM principal to administer the cluster, got [].`);
    const creators = props.clusterCreators;
    const badCreator = creators?.find((c) => !Token.isUnresolved(c) && !IAM_PRINCIPAL.test(c));
    if (creators && (creators.length === 0 || badCreator !== undefined)) {
      throw new Error(`${path}: clusterCreators must be IAM role or user ARNs, got [${creators.join(", ")}].`);
    }
  }
}

/** Trust for an AWS service that assumes the role with session tags, as EKS does. */
function serviceTrust(Sid: string, service: string, Condition: PolicyStatement["Condition"]): string {
  return new PolicyDocument([
    { Sid, Effect: "Allow", Principal: { Service: service }, Action: ["sts:AssumeRole", "sts:TagSession"], Condition },
  ]).toJson();
}
