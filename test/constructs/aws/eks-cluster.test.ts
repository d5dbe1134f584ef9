import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { TerraformOutput, TerraformResource, Testing } from "cdktf";
import { PlatformCluster, PlatformClusterProps } from "../../../constructs/aws/eks-cluster";
import { SUPPORTED_EKS_VERSIONS } from "../../../constructs/aws/eks-versions";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { SecureStack } from "../../../lib/secure-stack";
import { testNetwork } from "./cluster-fixture";

const ADMIN = "arn:aws:iam::111122223333:role/platform-admin";
const TENANT = "arn:aws:iam::111122223333:role/team-vision";
const PARTITION = "${data.aws_partition.aws_context_partition.partition}";
const ACCOUNT = "${data.aws_caller_identity.aws_context_account.account_id}";
const REGION = "${data.aws_region.aws_context_region.region}";
const CLUSTER_ARN = `arn:${PARTITION}:eks:${REGION}:${ACCOUNT}:cluster/ai-platform`;
type Statement = Record<string, unknown> & { Sid?: string; Principal?: { AWS?: unknown; Service?: unknown }; Action: string | string[] };

function setup(props: Partial<PlatformClusterProps> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  const key = (id: string, purpose: string) =>
    new PlatformKey(stack, id, { purpose, administrators: ["arn:aws:iam::111122223333:role/key-admin"] });
  const cluster = new PlatformCluster(stack, "Cluster", {
    name: "ai-platform",
    version: "1.35",
    network: testNetwork(),
    secretsKey: key("ClusterSecretsKey", "cluster-secrets"),
    logsKey: key("LogsKey", "logs"),
    volumeKey: key("CheckpointsKey", "checkpoints"),
    admins: [ADMIN],
    ...props,
  });
  return { stack, cluster };
}

function synth(stack: SecureStack) {
  const text = Testing.synth(stack);
  const json = JSON.parse(text);
  const keyPolicy = (name: string) => JSON.parse(json.resource.aws_kms_key[name].policy).Statement as Statement[];
  const trust = (name: string) => JSON.parse(json.resource.aws_iam_role[name].assume_role_policy).Statement as Statement[];
  return { text, json, keyPolicy, trust, cluster: json.resource.aws_eks_cluster.cluster };
}

describe("PlatformCluster", () => {
  it("has a private API endpoint only, in the given subnets, behind its own security group", () => {
    const { text } = synth(setup().stack);
    expect(text).toHaveResourceWithProperties(EksCluster, {
      name: "ai-platform",
      vpc_config: {
        endpoint_private_access: true,
        endpoint_public_access: false,
        subnet_ids: ["subnet-a", "subnet-b"],
        security_group_ids: ["${aws_security_group.cluster_security_group.id}"],
      },
    });
  });

  it("admits HTTPS from the VPC only and nothing else", () => {
    const { text, json } = synth(setup().stack);
    expect(text).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      security_group_id: "${aws_security_group.cluster_security_group.id}",
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
      cidr_ipv4: "10.0.0.0/16",
    });
    expect(Object.keys(json.resource.aws_vpc_security_group_ingress_rule)).toEqual(["cluster_api_from_vpc"]);
    expect(json.resource.aws_vpc_security_group_egress_rule).toBeUndefined();
    const sg = json.resource.aws_security_group.cluster_security_group;
    expect(sg).toMatchObject({ vpc_id: "vpc-1", revoke_rules_on_delete: true });
    expect(sg.ingress).toBeUndefined();
  });

  it("envelope-encrypts secrets with the secrets key", () => {
    const { cluster } = synth(setup().stack);
    expect(cluster.encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: "${aws_kms_key.cluster_secrets_key.arn}" } });
  });

  it("lets the cluster role use the secrets key and the cluster creators grant it", () => {
    const statements = synth(setup().stack).keyPolicy("cluster_secrets_key");
    const role = "${aws_iam_role.cluster_cluster_role.arn}";
    const forRole = statements.filter((s) => s.Principal?.AWS === role);
    expect(forRole.flatMap((s) => [s.Action].flat())).toEqual(
      expect.arrayContaining(["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:ListGrants"]),
    );
    expect(forRole.flatMap((s) => [s.Action].flat())).not.toContain("kms:CreateGrant");
    expect(statements.find((s) => s.Sid === "EksClusterCreatorsCreateGrant")).toEqual({
      Sid: "EksClusterCreatorsCreateGrant",
      Effect: "Allow",
      Principal: { AWS: `arn:${PARTITION}:iam::${ACCOUNT}:root` },
      Action: ["kms:CreateGrant", "kms:DescribeKey"],
      Resource: "*",
      // Only through EKS in this region, by this account's principals: nobody creates grants on the key directly.
      Condition: { StringEquals: { "kms:ViaService": `eks.${REGION}.amazonaws.com`, "kms:CallerAccount": ACCOUNT } },
    });
    const grants = statements.filter((s) => [s.Action].flat().includes("kms:CreateGrant"));
    expect(grants.every((s) => s.Condition !== undefined)).toBe(true);
  });

  it("names the cluster creators in the secrets key policy when given", () => {
    const deployer = "arn:aws:iam::111122223333:role/deployer";
    const statements = synth(setup({ clusterCreators: [deployer] }).stack).keyPolicy("cluster_secrets_key");
    expect(statements.find((s) => s.Sid === "EksClusterCreatorsCreateGrant")).toBeUndefined();
    expect(statements).toContainEqual({
      Effect: "Allow",
      Principal: { AWS: [deployer] },
      Action: ["kms:CreateGrant", "kms:DescribeKey"],
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": `eks.${REGION}.amazonaws.com` } },
    });
  });

  it("sends all five control-plane log streams to an encrypted log group kept a year, created before the cluster", () => {
    const { text, cluster } = synth(setup().stack);
    expect(cluster.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/aws/eks/ai-platform/cluster",
      kms_key_id: "${aws_kms_key.logs_key.arn}",
      retention_in_days: 365,
    });
    expect(cluster.depends_on).toContain("aws_cloudwatch_log_group.cluster_control_plane_logs");
    expect(cluster.depends_on).toContain("aws_iam_role_policy_attachment.cluster_cluster_role_policy");
  });

  it("authenticates through access entries only, with no implicit admin for the creator", () => {
    const { cluster } = synth(setup().stack);
    expect(cluster.access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
  });

  it("pins the version, stays on standard support, resists deletion and leaves the core add-ons to EKS add-ons", () => {
    const { cluster } = synth(setup().stack);
    expect(cluster).toMatchObject({
      version: "1.35",
      upgrade_policy: { support_type: "STANDARD" },
      deletion_protection: true,
      bootstrap_self_managed_addons: false,
    });
  });

  it("gives the cluster role only AmazonEKSClusterPolicy and trusts EKS for this cluster only", () => {
    const { json, trust } = synth(setup().stack);
    const attachments = Object.values(json.resource.aws_iam_role_policy_attachment) as Array<{ role: string; policy_arn: string }>;
    expect(attachments.filter((a) => a.role === "${aws_iam_role.cluster_cluster_role.name}").map((a) => a.policy_arn)).toEqual([
      `arn:${PARTITION}:iam::aws:policy/AmazonEKSClusterPolicy`,
    ]);
    expect(trust("cluster_cluster_role")).toEqual([
      {
        Sid: "EksControlPlane",
        Effect: "Allow",
        Principal: { Service: "eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": CLUSTER_ARN } },
      },
    ]);
  });

  it("gives each admin an access entry with cluster-wide admin", () => {
    const second = "arn:aws:iam::111122223333:user/break-glass";
    const { text, json } = synth(setup({ admins: [ADMIN, second] }).stack);
    expect(text).toHaveResourceWithProperties(EksAccessEntry, {
      cluster_name: "${aws_eks_cluster.cluster.name}",
      principal_arn: ADMIN,
      type: "STANDARD",
    });
    expect(text).toHaveResourceWithProperties(EksAccessEntry, { principal_arn: second });
    expect(json.resource.aws_eks_access_policy_association.cluster_access_entry1_cluster_admin_policy).toEqual({
      cluster_name: "${aws_eks_cluster.cluster.name}",
      principal_arn: "${aws_eks_access_entry.cluster_access_entry1.principal_arn}",
      policy_arn: `arn:${PARTITION}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
      access_scope: { type: "cluster" },
    });
    expect(Object.keys(json.resource.aws_eks_access_policy_association)).toHaveLength(2);
  });

  it("grants tenants access to their namespaces only", () => {
    const { stack, cluster } = setup();
    cluster.grantNamespaceAccess(TENANT, ["vision", "vision-batch"]);
    cluster.grantNamespaceAccess(TENANT, ["vision"], "AmazonEKSViewPolicy");
    cluster.grantNamespaceAccess(ADMIN, ["ops"], "AmazonEKSAdminPolicy");
    const { text, json } = synth(stack);
    expect(text).toHaveResourceWithProperties(EksAccessPolicyAssociation, {
      principal_arn: "${aws_eks_access_entry.cluster_access_entry2.principal_arn}",
      policy_arn: `arn:${PARTITION}:eks::aws:cluster-access-policy/AmazonEKSEditPolicy`,
      access_scope: { type: "namespace", namespaces: ["vision", "vision-batch"] },
    });
    expect(text).toHaveResourceWithProperties(EksAccessPolicyAssociation, {
      policy_arn: `arn:${PARTITION}:eks::aws:cluster-access-policy/AmazonEKSViewPolicy`,
      access_scope: { type: "namespace", namespaces: ["vision"] },
    });
    // One entry per principal: the admin's entry is reused for its namespace grant.
    expect(Object.keys(json.resource.aws_eks_access_entry)).toEqual(["cluster_access_entry1", "cluster_access_entry2"]);
    expect(json.resource.aws_eks_access_policy_association.cluster_access_entry1_admin_policy.access_scope).toEqual({
      type: "namespace",
      namespaces: ["ops"],
    });
  });

  it.each([
    [[TENANT, []], /^test\/Cluster: namespaces must name at least one tenant namespace.*got \[\]/],
    [[TENANT, ["kube-system"]], /namespaces must name at least one tenant namespace \(a DNS label, not kube-\*\), got \[kube-system\]/],
    [[TENANT, ["Vision"]], /got \[Vision\]/],
    [
      [TENANT, ["vision"], "AmazonEKSClusterAdminPolicy"],
      /^test\/Cluster: policy must be AmazonEKSAdminPolicy, AmazonEKSEditPolicy or AmazonEKSViewPolicy, got 'AmazonEKSClusterAdminPolicy'/,
    ],
    [["team-vision", ["vision"]], /^test\/Cluster: principalArn must be IAM role or user ARNs, got 'team-vision'/],
  ])("refuses namespace access %p", (args, message) => {
    const { cluster } = setup();
    expect(() => (cluster.grantNamespaceAccess as (...a: unknown[]) => void)(...args)).toThrow(message);
  });

  it("refuses a second grant of the same policy to the same principal", () => {
    const { cluster } = setup();
    cluster.grantNamespaceAccess(TENANT, ["vision"]);
    expect(() => cluster.grantNamespaceAccess(TENANT, ["other"])).toThrow(
      /already has AmazonEKSEditPolicy; grant all its namespaces in one call/,
    );
  });

  it("maps a tenant principal to Kubernetes groups through an access entry with no access policy", () => {
    const { stack, cluster } = setup();
    cluster.mapToGroups(TENANT, ["vision-engineers"]);
    cluster.mapToGroups(TENANT, ["vision-engineers", "vision-viewers"]);
    const { json } = synth(stack);
    expect(json.resource.aws_eks_access_entry.cluster_access_entry2).toEqual(
      expect.objectContaining({
        cluster_name: "${aws_eks_cluster.cluster.name}",
        principal_arn: TENANT,
        type: "STANDARD",
        kubernetes_groups: ["vision-engineers", "vision-viewers"],
      }),
    );
    const associations = Object.values(json.resource.aws_eks_access_policy_association as Record<string, { principal_arn: string }>);
    expect(associations.map((a) => a.principal_arn)).toEqual(["${aws_eks_access_entry.cluster_access_entry1.principal_arn}"]);
  });

  it("adds groups to the entry a principal already has, since EKS allows one per principal", () => {
    const { stack, cluster } = setup();
    cluster.grantNamespaceAccess(TENANT, ["vision"], "AmazonEKSViewPolicy");
    cluster.mapToGroups(TENANT, ["vision-engineers"]);
    cluster.mapToGroups(ADMIN, ["platform-operators"]);
    const { json } = synth(stack);
    expect(Object.keys(json.resource.aws_eks_access_entry)).toEqual(["cluster_access_entry1", "cluster_access_entry2"]);
    expect(json.resource.aws_eks_access_entry.cluster_access_entry1.kubernetes_groups).toEqual(["platform-operators"]);
    expect(json.resource.aws_eks_access_entry.cluster_access_entry2.kubernetes_groups).toEqual(["vision-engineers"]);
    expect(json.resource.aws_eks_access_policy_association.cluster_access_entry2_view_policy.access_scope).toEqual({
      type: "namespace",
      namespaces: ["vision"],
    });
  });

  it.each([
    [[TENANT, []], /^test\/Cluster: groups must name at least one Kubernetes group \(not system:\*\), got \[\]/],
    [
      [TENANT, ["system:masters"]],
      /^test\/Cluster: groups must name at least one Kubernetes group \(not system:\*\), got \[system:masters\]/,
    ],
    [[TENANT, ["vision engineers"]], /got \[vision engineers\]/],
    [
      ["arn:aws:iam::111122223333:group/vision", ["vision"]],
      /^test\/Cluster: principalArn must be IAM role or user ARNs, got 'arn:aws:iam::111122223333:group\/vision'/,
    ],
  ])("refuses to map %p", (args, message) => {
    const { cluster } = setup();
    expect(() => (cluster.mapToGroups as (...a: unknown[]) => void)(...args)).toThrow(message);
  });

  it("creates an OIDC provider for IRSA from the cluster's issuer, without a thumbprint", () => {
    const { text, json } = synth(setup().stack);
    expect(text).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      url: "${aws_eks_cluster.cluster.identity[0].oidc[0].issuer}",
      client_id_list: ["sts.amazonaws.com"],
    });
    expect(json.resource.aws_iam_openid_connect_provider.cluster_oidc_provider.thumbprint_list).toBeUndefined();
  });

  it("installs the core add-ons as managed add-ons with EKS's default versions, overwriting drift", () => {
    const { json } = synth(setup().stack);
    const addons = json.resource.aws_eks_addon as Record<string, Record<string, unknown>>;
    expect(
      Object.values(addons)
        .map((a) => a.addon_name)
        .sort(),
    ).toEqual(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
    for (const addon of Object.values(addons)) {
      expect(addon).toMatchObject({
        cluster_name: "${aws_eks_cluster.cluster.name}",
        resolve_conflicts_on_create: "OVERWRITE",
        resolve_conflicts_on_update: "OVERWRITE",
      });
      expect(addon.addon_version).toBeUndefined();
    }
  });

  it("takes add-on versions", () => {
    const { json } = synth(setup({ addonVersions: { coredns: "v1.12.4-eksbuild.1" } }).stack);
    expect(json.resource.aws_eks_addon.cluster_coredns_addon.addon_version).toBe("v1.12.4-eksbuild.1");
  });

  it("gives the EBS CSI controller its own role through Pod Identity, with the volume key", () => {
    const { json, text, trust, keyPolicy } = synth(setup().stack);
    expect(json.resource.aws_eks_addon.cluster_aws_ebs_csi_driver_addon).toMatchObject({
      pod_identity_association: [{ role_arn: "${aws_iam_role.cluster_ebs_csi_driver_role.arn}", service_account: "ebs-csi-controller-sa" }],
      depends_on: expect.arrayContaining(["aws_eks_addon.cluster_eks_pod_identity_agent_addon"]),
    });
    expect(trust("cluster_ebs_csi_driver_role")).toEqual([
      expect.objectContaining({
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:RequestTag/eks-cluster-arn": CLUSTER_ARN,
            "aws:RequestTag/kubernetes-namespace": "kube-system",
            "aws:RequestTag/kubernetes-service-account": "ebs-csi-controller-sa",
          },
        },
      }),
    ]);
    expect(text).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      role: "${aws_iam_role.cluster_ebs_csi_driver_role.name}",
      policy_arn: `arn:${PARTITION}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`,
    });
    const forRole = keyPolicy("checkpoints_key").filter((s) => s.Principal?.AWS === "${aws_iam_role.cluster_ebs_csi_driver_role.arn}");
    expect(forRole.flatMap((s) => [s.Action].flat())).toEqual(
      expect.arrayContaining(["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:CreateGrant"]),
    );
    expect(forRole.find((s) => [s.Action].flat().includes("kms:CreateGrant"))?.Condition).toEqual({
      Bool: { "kms:GrantIsForAWSResource": true },
    });
  });

  it("lets node groups wait for the node add-ons and the Deployment add-ons wait for node groups", () => {
    const { stack, cluster } = setup();
    expect(cluster.nodePrerequisites).toEqual([
      cluster.addons["vpc-cni"],
      cluster.addons["kube-proxy"],
      cluster.addons["eks-pod-identity-agent"],
    ]);
    const nodes = new TerraformResource(stack, "GpuNodes", { terraformResourceType: "aws_eks_node_group" });
    cluster.waitForNodes(nodes);
    const addons = synth(stack).json.resource.aws_eks_addon;
    expect(addons.cluster_coredns_addon.depends_on).toEqual(["aws_eks_node_group.gpu_nodes"]);
    expect(addons.cluster_aws_ebs_csi_driver_addon.depends_on).toContain("aws_eks_node_group.gpu_nodes");
    expect(addons.cluster_vpc_cni_addon.depends_on).toBeUndefined();
  });

  it("adds node pools that fill in the cluster's name, subnets, VPC and version and order themselves around the add-ons", () => {
    const { stack, cluster } = setup();
    const common = {
      volumeKey: new PlatformKey(stack, "VolumeKey", { purpose: "node-volumes", administrators: [ADMIN] }),
      releaseVersion: "1.34.0-18d04e52",
    };
    // A tainted GPU pool first: while it is the only pool, the Deployment add-ons wait for it; once an untainted pool exists, for that pool
    // alone.
    const gpu = cluster.addNodePool("GpuPool", { ...common, purpose: "training", instanceTypes: ["g6.xlarge"] });
    expect(gpu.taints.length).toBeGreaterThan(0);
    const system = cluster.addNodePool("SystemPool", { ...common, purpose: "system", instanceTypes: ["m6a.large"] });
    expect(system.node.path).toBe("test/SystemPool");
    const { json } = synth(stack);
    const group = json.resource.aws_eks_node_group.system_pool;
    expect(group).toMatchObject({ cluster_name: "${aws_eks_cluster.cluster.name}", subnet_ids: ["subnet-a", "subnet-b"], version: "1.35" });
    expect(group.depends_on).toEqual(
      expect.arrayContaining([
        "aws_eks_addon.cluster_vpc_cni_addon",
        "aws_eks_addon.cluster_kube_proxy_addon",
        "aws_eks_addon.cluster_eks_pod_identity_agent_addon",
      ]),
    );
    expect(json.resource.aws_eks_addon.cluster_coredns_addon.depends_on).toEqual(["aws_eks_node_group.system_pool"]);
    expect(json.resource.aws_eks_addon.cluster_aws_ebs_csi_driver_addon.depends_on).toContain("aws_eks_node_group.system_pool");
    expect(json.resource.aws_eks_addon.cluster_aws_ebs_csi_driver_addon.depends_on).not.toContain("aws_eks_node_group.gpu_pool");
  });

  it("exposes names, endpoints, keys and security groups", () => {
    const { stack, cluster } = setup();
    const outputs = {
      name: cluster.clusterName,
      arn: cluster.clusterArn,
      endpoint: cluster.clusterEndpoint,
      ca: cluster.clusterCertificateAuthority,
      oidc_arn: cluster.oidcProviderArn,
      issuer: cluster.oidcIssuerUrl,
      sg: cluster.clusterSecurityGroupId,
      primary_sg: cluster.clusterPrimarySecurityGroupId,
      volume_key: cluster.volumeKeyArn,
    };
    Object.entries(outputs).forEach(([id, value]) => new TerraformOutput(stack, id, { value }));
    const values = Object.fromEntries(Object.entries(synth(stack).json.output).map(([k, v]) => [k, (v as { value: string }).value]));
    expect(values).toEqual({
      name: "${aws_eks_cluster.cluster.name}",
      arn: "${aws_eks_cluster.cluster.arn}",
      endpoint: "${aws_eks_cluster.cluster.endpoint}",
      ca: "${aws_eks_cluster.cluster.certificate_authority[0].data}",
      oidc_arn: "${aws_iam_openid_connect_provider.cluster_oidc_provider.arn}",
      issuer: '${replace(aws_eks_cluster.cluster.identity[0].oidc[0].issuer, "https://", "")}',
      sg: "${aws_security_group.cluster_security_group.id}",
      primary_sg: "${aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}",
      volume_key: "${aws_kms_key.checkpoints_key.arn}",
    });
    expect(cluster.version).toBe("1.35");
  });

  it("keeps a list of standard-support versions", () => {
    expect(SUPPORTED_EKS_VERSIONS).toContain("1.35");
    expect(SUPPORTED_EKS_VERSIONS).not.toContain("1.31");
  });

  it.each([
    [{ network: testNetwork([]) }, /^test\/Cluster: network.privateSubnetIds must name at least one private subnet, got \[\]/],
    [{ version: "1.3" }, /^test\/Cluster: version must be a Kubernetes minor version such as "1.35", got '1.3'/],
    [{ version: "v1.35" }, /version must be a Kubernetes minor version such as "1.35", got 'v1.35'/],
    [{ version: "1.34" }, /^test\/Cluster: version 1.34 is not in EKS standard support; use one of 1.35, 1.36/],
    [{ name: "-ai" }, /^test\/Cluster: name must be 1 to 100 letters, digits, '-' or '_', starting with a letter or digit, got '-ai'/],
    [{ name: "ai.platform" }, /name must be 1 to 100 .*got 'ai.platform'/],
    [{ name: "a".repeat(101) }, /name must be 1 to 100/],
    [{ name: "" }, /name must be 1 to 100 .*got ''/],
    [{ admins: [] }, /^test\/Cluster: admins must name at least one IAM principal to administer the cluster, got \[\]/],
    [
      { admins: ["arn:aws:sts::111122223333:assumed-role/admin/session"] },
      /^test\/Cluster: admins must be IAM role or user ARNs, got 'arn:aws:sts::/,
    ],
    [
      { network: testNetwork(undefined, "vpc-1", "0.0.0.0/0") },
      /^test\/Cluster: network.vpcCidr must be the VPC's IPv4 CIDR \(a \/8 or smaller\), got '0.0.0.0\/0'/,
    ],
    [{ clusterCreators: [] }, /^test\/Cluster: clusterCreators must be IAM role or user ARNs, got \[\]/],
    [{ logRetentionInDays: 30 }, /^test\/Cluster\/ControlPlaneLogs: retentionInDays must be one of 365/],
  ])("rejects %p", (props, message) => {
    expect(() => setup(props as Partial<PlatformClusterProps>)).toThrow(message);
  });
});
