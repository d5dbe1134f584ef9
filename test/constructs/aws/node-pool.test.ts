import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { PlacementGroup } from "@cdktf/provider-aws/lib/placement-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Testing } from "cdktf";
import { Keyring } from "../../../constructs/aws/keyring";
import { NodePool, NodePoolProps, nvidiaSettings } from "../../../constructs/aws/node-pool";
import { NodeRole } from "../../../constructs/aws/node-role";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { computeRules } from "../../../lib/rules/aws/compute";
import { SecureStack } from "../../../lib/secure-stack";
import { checkJson } from "../../rules/harness";
import { testCluster } from "./cluster-fixture";

const ADMIN = "arn:aws:iam::111122223333:role/key-admin";
const KEY_ARN = "${aws_kms_key.checkpoints_key.arn}";
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BOTTLEROCKET_RELEASE = "1.34.0-18d04e52";
const AL2023_RELEASE = "1.35.0-20260110";

function synthPool(props: Partial<NodePoolProps> = {}, id = "GpuPool") {
  const stack = new SecureStack(Testing.app(), "test");
  const key = new PlatformKey(stack, "CheckpointsKey", { purpose: "checkpoints", administrators: [ADMIN] });
  // Private subnets declared in the stack, so the no-public-IP rule can read them.
  const subnetIds = ["a", "b"].map(
    (zone, i) =>
      new Subnet(stack, `PrivateSubnet${i + 1}`, {
        vpcId: "vpc-1",
        cidrBlock: `10.0.${i}.0/24`,
        availabilityZone: `eu-west-1${zone}`,
        mapPublicIpOnLaunch: false,
      }).id,
  );
  const al2023 = (props.confidential ?? "none") !== "none" || props.amiType?.startsWith("AL2023");
  const releaseVersion = al2023 ? AL2023_RELEASE : BOTTLEROCKET_RELEASE;
  const pool = new NodePool(stack, id, {
    cluster: testCluster(subnetIds, "platform"),
    volumeKey: key,
    purpose: "training",
    instanceTypes: ["p5.48xlarge"],
    releaseVersion,
    ...props,
  });
  const synth = Testing.synth(stack);
  const json: Json = JSON.parse(synth);
  const name = id.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  return {
    pool,
    synth,
    json,
    group: json.resource.aws_eks_node_group[name],
    template: json.resource.aws_launch_template[`${name}_launch_template`],
  };
}

function keyPolicy(json: Json): Array<Record<string, unknown>> {
  return JSON.parse(json.resource.aws_kms_key.checkpoints_key.policy).Statement;
}

describe("NodePool", () => {
  describe("secure defaults", () => {
    it("requires IMDSv2 with a hop limit of 1 and turns on detailed monitoring", () => {
      const { synth } = synthPool();
      expect(synth).toHaveResourceWithProperties(LaunchTemplate, {
        metadata_options: {
          http_endpoint: "enabled",
          http_tokens: "required",
          http_put_response_hop_limit: 1,
          instance_metadata_tags: "disabled",
        },
        monitoring: { enabled: true },
      });
    });

    it("encrypts the root volume of AL2023 nodes with the customer-managed key", () => {
      const { template } = synthPool({ amiType: "AL2023_x86_64_NVIDIA" });
      expect(template.block_device_mappings).toEqual([
        {
          device_name: "/dev/xvda",
          ebs: { encrypted: "true", kms_key_id: KEY_ARN, volume_type: "gp3", volume_size: 200, delete_on_termination: "true" },
        },
      ]);
    });

    it("lets the Auto Scaling service-linked role use the key for the volumes, once however many pools share it", () => {
      const stack = new SecureStack(Testing.app(), "test");
      const keyring = new Keyring(stack, "Keys", { administrators: [ADMIN] });
      for (const id of ["GpuPool", "CpuPool"]) {
        new NodePool(stack, id, {
          cluster: testCluster(["subnet-a"], "platform"),
          volumeKey: keyring.checkpoints,
          purpose: "general",
          instanceTypes: ["m6a.xlarge"],
          releaseVersion: BOTTLEROCKET_RELEASE,
        });
      }
      const key = JSON.parse(Testing.synth(stack)).resource.aws_kms_key.keys_checkpoints_key;
      const statements: Array<{ Sid: string }> = JSON.parse(key.policy).Statement;
      expect(statements.filter((s) => s.Sid.startsWith("AutoScaling")).map((s) => s.Sid)).toEqual([
        "AutoScalingUseKeyForEbs",
        "AutoScalingCreateGrantForEbs",
      ]);
      expect(key.depends_on).toEqual(["aws_iam_service_linked_role.service_linked_role_aws_service_role_for_auto_scaling"]);
    });

    it("adds the Auto Scaling statements to a key outside the keyring", () => {
      const { json } = synthPool();
      const grant = keyPolicy(json).find((s) => s.Sid === "AutoScalingCreateGrantForEbs");
      expect(grant).toMatchObject({ Action: "kms:CreateGrant", Condition: { Bool: { "kms:GrantIsForAWSResource": true } } });
      expect(JSON.stringify(grant?.Principal)).toContain("role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling");
    });

    // Before: a key given to a pool named AWSServiceRoleForAutoScaling with nothing ordering it after the role.
    it("orders a key outside the keyring after the Auto Scaling service-linked role it names, and lets GuardDuty scan its volumes", () => {
      const { json } = synthPool();
      expect(json.resource.aws_kms_key.checkpoints_key.depends_on).toEqual([
        "aws_iam_service_linked_role.service_linked_role_aws_service_role_for_auto_scaling",
      ]);
      expect(keyPolicy(json).find((s) => s.Sid === "GuardDutyMalwareScanThroughIam")).toMatchObject({
        Action: ["kms:CreateGrant", "kms:DescribeKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
      });
    });

    it("has no SSH key, no remote access, no public IPs and no instance profile of its own", () => {
      const { group, template } = synthPool();
      expect(group.remote_access).toBeUndefined();
      expect(template.key_name).toBeUndefined();
      expect(template.network_interfaces).toBeUndefined();
      expect(template.iam_instance_profile).toBeUndefined();
      expect(template.image_id).toBeUndefined();
    });

    it("run Bottlerocket NVIDIA without kernel lockdown, which would refuse the NVIDIA driver's unsigned modules, and with no host shell", () => {
      // bottlerocket-os/bottlerocket#3097 (SECURITY_FEATURES.md): the -nvidia variants load unsigned
      // kernel modules, which integrity mode prohibits, so their lockdown is none; #4218 shows
      // modprobe nvidia failing with "Operation not permitted" when integrity is set.
      const { template } = synthPool();
      expect(template.image_id).toBeUndefined();
      const toml = Buffer.from(template.user_data, "base64").toString();
      expect(toml).toBe(
        [
          "[settings.host-containers.admin]",
          "enabled = false",
          "",
          "[settings.host-containers.control]",
          "enabled = false",
          "",
          ...nvidiaSettings(),
        ].join("\n"),
      );
    });

    it("keep kernel lockdown integrity on Bottlerocket pools without NVIDIA GPUs", () => {
      for (const instanceTypes of [["m6a.xlarge"], ["m7g.xlarge"], ["trn1.32xlarge"]]) {
        const { template } = synthPool({ instanceTypes, purpose: "general" }, "CpuPool");
        const toml = Buffer.from(template.user_data, "base64").toString();
        expect(toml).toBe(
          [
            "[settings.kernel]",
            'lockdown = "integrity"',
            "",
            "[settings.host-containers.admin]",
            "enabled = false",
            "",
            "[settings.host-containers.control]",
            "enabled = false",
            "",
          ].join("\n"),
        );
      }
    });

    it("require a pinned release of the node image that fits it", () => {
      expect(() => synthPool({ releaseVersion: "" })).toThrow(
        /^test\/GpuPool: releaseVersion is required: the BOTTLEROCKET_x86_64_NVIDIA release the nodes run, pinned/,
      );
      expect(() => synthPool({ releaseVersion: "1.35.0" })).toThrow(
        /^test\/GpuPool: releaseVersion '1.35.0' is not a release version of Bottlerocket such as 1.34.0-18d04e52\.$/,
      );
      expect(() => synthPool({ amiType: "AL2023_x86_64_NVIDIA", kubernetesVersion: "1.34" })).toThrow(
        /releaseVersion AL2023 release 1.35.0-20260110 is not built for Kubernetes 1.34\.$/,
      );
    });

    it("taints and labels GPU pools, scales them from zero and repairs broken nodes", () => {
      const { group, pool } = synthPool();
      expect(group).toMatchObject({
        ami_type: "BOTTLEROCKET_x86_64_NVIDIA",
        release_version: BOTTLEROCKET_RELEASE,
        capacity_type: "ON_DEMAND",
        instance_types: ["p5.48xlarge"],
        scaling_config: { min_size: 0, desired_size: 0, max_size: 2 },
        update_config: { max_unavailable_percentage: 33 },
        node_repair_config: { enabled: true },
        labels: { "saip.io/pool-purpose": "training", "nvidia.com/gpu.present": "true" },
        taint: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
        node_group_name: "gpu-pool",
        cluster_name: "platform",
      });
      // The cluster's version, written out: EKS would take it too, but the release check reads it.
      expect(group.version).toBe("1.35");
      expect(group.disk_size).toBeUndefined();
      expect(pool.taints).toEqual([{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }]);
      expect(pool.labels).toEqual({ "saip.io/pool-purpose": "training", "nvidia.com/gpu.present": "true" });
    });

    it("uses the latest launch template version and its own node role, after the role's policies", () => {
      const { group } = synthPool();
      expect(group.launch_template).toEqual({
        id: "${aws_launch_template.gpu_pool_launch_template.id}",
        version: "${aws_launch_template.gpu_pool_launch_template.latest_version}",
      });
      expect(group.node_role_arn).toBe("${aws_iam_role.gpu_pool_node_role.arn}");
      expect(group.depends_on).toContain("aws_iam_role_policy_attachment.gpu_pool_node_role_worker_node_policy");
    });

    it("passes every compute compliance rule", () => {
      for (const props of [
        {},
        { instanceTypes: ["m6a.xlarge"] },
        { efa: true, vpcId: "vpc-1", securityGroupIds: ["sg-cluster"] },
        { amiType: "BOTTLEROCKET_x86_64_NVIDIA" as const },
      ]) {
        const findings = checkJson(computeRules, synthPool(props).json);
        expect(findings.filter((f) => f.status !== "pass")).toEqual([]);
        expect(findings.length).toBeGreaterThanOrEqual(5);
      }
    });
  });

  describe("general pools", () => {
    it("use the standard AMI, fixed capacity, a 50 GiB disk and no taints", () => {
      const { group, template } = synthPool({ instanceTypes: ["m6a.xlarge", "m6i.xlarge"], purpose: "general" }, "CpuPool");
      expect(group).toMatchObject({
        ami_type: "BOTTLEROCKET_x86_64",
        scaling_config: { min_size: 1, desired_size: 2, max_size: 4 },
        labels: { "saip.io/pool-purpose": "general" },
      });
      // A pool an operator or autoscaler has scaled is not scaled back by the next apply.
      expect(group.lifecycle).toEqual({ ignore_changes: ["scaling_config[0].desired_size"] });
      expect(group.taint).toBeUndefined();
      expect(group.labels["nvidia.com/gpu.present"]).toBeUndefined();
      expect(template.block_device_mappings[1].ebs.volume_size).toBe(50);
    });

    it("pick the ARM AMI for Graviton and Bottlerocket, which carries the Neuron driver, and the Neuron taint for Trainium", () => {
      expect(synthPool({ instanceTypes: ["m7g.xlarge"] }).group.ami_type).toBe("BOTTLEROCKET_ARM_64");
      const { group } = synthPool({ instanceTypes: ["trn1.32xlarge"] });
      expect(group.ami_type).toBe("BOTTLEROCKET_x86_64");
      expect(group.taint).toEqual([{ key: "aws.amazon.com/neuron", value: "true", effect: "NO_SCHEDULE" }]);
    });

    it("encrypt both Bottlerocket volumes, the OS one at the AMI's size", () => {
      const { template } = synthPool({ amiType: "BOTTLEROCKET_x86_64_NVIDIA", diskSizeGiB: 500 });
      expect(template.block_device_mappings).toEqual([
        { device_name: "/dev/xvda", ebs: { encrypted: "true", kms_key_id: KEY_ARN, volume_type: "gp3", delete_on_termination: "true" } },
        {
          device_name: "/dev/xvdb",
          ebs: { encrypted: "true", kms_key_id: KEY_ARN, volume_type: "gp3", volume_size: 500, delete_on_termination: "true" },
        },
      ]);
    });

    it("take extra security groups, labels, taints, a version and a shared role", () => {
      const stack = new SecureStack(Testing.app(), "test");
      const key = new PlatformKey(stack, "CheckpointsKey", { purpose: "checkpoints", administrators: [ADMIN] });
      const role = new NodeRole(stack, "NodeRole");
      new NodePool(stack, "CpuPool", {
        cluster: testCluster(["subnet-a"], "platform"),
        volumeKey: key,
        purpose: "inference",
        instanceTypes: ["c6i.2xlarge"],
        role,
        securityGroupIds: ["sg-cluster", "sg-lustre-client"],
        labels: { team: "vision" },
        extraTaints: [{ key: "dedicated", value: "batch", effect: "NO_EXECUTE" }],
        kubernetesVersion: "1.33",
        releaseVersion: BOTTLEROCKET_RELEASE,
      });
      const json: Json = JSON.parse(Testing.synth(stack));
      expect(json.resource.aws_launch_template.cpu_pool_launch_template.vpc_security_group_ids).toEqual(["sg-cluster", "sg-lustre-client"]);
      expect(json.resource.aws_eks_node_group.cpu_pool).toMatchObject({
        version: "1.33",
        node_role_arn: "${aws_iam_role.node_role.arn}",
        labels: { team: "vision", "saip.io/pool-purpose": "inference" },
        taint: [{ key: "dedicated", value: "batch", effect: "NO_EXECUTE" }],
      });
      expect(Object.keys(json.resource.aws_iam_role)).toEqual(["node_role"]);
    });
  });

  describe("tenant pools", () => {
    it("carry the tenant label and NoSchedule taint", () => {
      const { group, pool } = synthPool({ tenant: "team-a" });
      expect(group.labels["saip.io/tenant"]).toBe("team-a");
      expect(group.taint).toContainEqual({ key: "saip.io/tenant", value: "team-a", effect: "NO_SCHEDULE" });
      expect(pool.taints).toContainEqual({ key: "saip.io/tenant", value: "team-a", effect: "NO_SCHEDULE" });
    });

    it("refuse reserved labels and taints, so no pool can pose as another tenant's", () => {
      expect(() => synthPool({ labels: { "saip.io/tenant": "team-b" } })).toThrow(/^test\/GpuPool: labels may not set 'saip.io\/tenant'/);
      expect(() => synthPool({ labels: { "nvidia.com/gpu.present": "false" } })).toThrow(/labels may not set 'nvidia.com\/gpu.present'/);
      expect(() => synthPool({ extraTaints: [{ key: "nvidia.com/gpu", effect: "PREFER_NO_SCHEDULE" }] })).toThrow(
        /extraTaints may not set 'nvidia.com\/gpu'/,
      );
      expect(() => synthPool({ tenant: "Team A" })).toThrow(/tenant must be a DNS label .*got 'Team A'/);
    });
  });

  describe("EFA pools", () => {
    const efa = { efa: true, vpcId: "vpc-1", securityGroupIds: ["sg-cluster"] };

    it("get a cluster placement group and an EFA interface without a public IP, in one zone", () => {
      const { synth, template, group, pool } = synthPool(efa);
      expect(synth).toHaveResourceWithProperties(PlacementGroup, { strategy: "cluster", name: "platform-gpu-pool" });
      expect(template.placement).toEqual({ group_name: "${aws_placement_group.gpu_pool_placement_group.name}" });
      expect(template.network_interfaces).toEqual([
        {
          device_index: 0,
          network_card_index: 0,
          interface_type: "efa",
          associate_public_ip_address: "false",
          delete_on_termination: "true",
          security_groups: ["sg-cluster", "${aws_security_group.gpu_pool_efa_security_group.id}"],
        },
      ]);
      expect(template.vpc_security_group_ids).toBeUndefined();
      expect(group.subnet_ids).toEqual(["${aws_subnet.private_subnet1.id}"]);
      expect(pool.placementGroupName).toBeDefined();
    });

    it("leave placement to the reservation when launching into a Capacity Block", () => {
      const { json, template, pool } = synthPool({ ...efa, capacity: { type: "CAPACITY_BLOCK", reservationId: "cr-1" } });
      expect(json.resource.aws_placement_group).toBeUndefined();
      expect(template.placement).toBeUndefined();
      expect(template.network_interfaces[0].interface_type).toBe("efa");
      expect(pool.placementGroupName).toBeUndefined();
    });

    it("open their security group to itself only", () => {
      const { json } = synthPool(efa);
      const rules = [
        ...Object.values(json.resource.aws_vpc_security_group_ingress_rule as Json),
        ...Object.values(json.resource.aws_vpc_security_group_egress_rule as Json),
      ];
      expect(rules).toHaveLength(2);
      for (const rule of rules) {
        expect(rule).toMatchObject({
          ip_protocol: "-1",
          security_group_id: "${aws_security_group.gpu_pool_efa_security_group.id}",
          referenced_security_group_id: "${aws_security_group.gpu_pool_efa_security_group.id}",
        });
        expect(rule.cidr_ipv4).toBeUndefined();
      }
      expect(JSON.stringify(json.resource)).not.toContain("0.0.0.0/0");
    });

    it("need the cluster security group", () => {
      expect(() => synthPool({ efa: true })).toThrow(/^test\/GpuPool: efa needs securityGroupIds naming the cluster security group/);
    });
  });

  describe("capacity", () => {
    it("launch Capacity Block pools into their reservation", () => {
      const { template, group } = synthPool({ capacity: { type: "CAPACITY_BLOCK", reservationId: "cr-02168da1478b509e0" } });
      expect(group.capacity_type).toBe("CAPACITY_BLOCK");
      expect(template.instance_market_options).toEqual({ market_type: "capacity-block" });
      expect(template.capacity_reservation_specification).toEqual({
        capacity_reservation_target: { capacity_reservation_id: "cr-02168da1478b509e0" },
      });
    });

    it("take spot capacity without reservations", () => {
      const { template, group } = synthPool({ capacity: { type: "SPOT" } });
      expect(group.capacity_type).toBe("SPOT");
      expect(template.instance_market_options).toBeUndefined();
      expect(template.capacity_reservation_specification).toBeUndefined();
    });

    it.each([
      [{ type: "CAPACITY_BLOCK" as const }, /^test\/GpuPool: capacity type CAPACITY_BLOCK needs capacity.reservationId/],
      [
        { type: "SPOT" as const, reservationId: "cr-1" },
        /capacity.reservationId applies to ON_DEMAND and CAPACITY_BLOCK, not SPOT, got 'cr-1'/,
      ],
      [
        { type: "CAPACITY_BLOCK" as const, reservationId: "cr-1", reservationResourceGroupArn: "arn:aws:resource-groups:x" },
        /reservationResourceGroupArn applies to ON_DEMAND only/,
      ],
      [{ type: "RESERVED" as "SPOT" }, /capacity.type must be one of ON_DEMAND, SPOT, CAPACITY_BLOCK, got 'RESERVED'/],
    ])("rejects %p", (capacity, message) => {
      expect(() => synthPool({ capacity })).toThrow(message);
    });
  });

  describe("confidential pools", () => {
    it("enable AMD SEV-SNP on M6a", () => {
      const { template, group } = synthPool({ instanceTypes: ["m6a.2xlarge"], confidential: "sev-snp", purpose: "inference" }, "SnpPool");
      expect(template.cpu_options).toEqual({ amd_sev_snp: "enabled" });
      expect(group.ami_type).toBe("AL2023_x86_64_STANDARD");
      expect(group.labels["saip.io/confidential"]).toBe("sev-snp");
    });

    it.each([
      ["p5.48xlarge", /^test\/GpuPool: confidential "sev-snp" cannot run on instance type p5.48xlarge: p5.48xlarge is a GPU instance type/],
      ["m5.2xlarge", /confidential "sev-snp" cannot run on instance type m5.2xlarge: .*only the m6a, c6a and r6a families/],
      ["m6a.16xlarge", /m6a.16xlarge is too large for AMD SEV-SNP/],
    ])("refuse SEV-SNP on %s", (type, message) => {
      expect(() => synthPool({ instanceTypes: [type], confidential: "sev-snp" })).toThrow(message);
    });

    it("refuse SEV-SNP with an AMI type AWS does not list", () => {
      expect(() => synthPool({ instanceTypes: ["m6a.2xlarge"], confidential: "sev-snp", amiType: "BOTTLEROCKET_x86_64" })).toThrow(
        /"sev-snp" needs amiType AL2023_x86_64_STANDARD, got 'BOTTLEROCKET_x86_64'/,
      );
    });

    it("enable Nitro Enclaves, install the allocator and label the nodes for the device plugin", () => {
      const { template, group, pool } = synthPool(
        { instanceTypes: ["m6i.2xlarge"], confidential: "nitro-enclaves", enclaveMemoryMiB: 8192, enclaveCpuCount: 4 },
        "EnclavePool",
      );
      expect(template.enclave_options).toEqual({ enabled: true });
      const userData = Buffer.from(template.user_data, "base64").toString();
      expect(userData).toMatch(/^MIME-Version: 1.0\nContent-Type: multipart\/mixed; boundary="==SAIP=="\n/);
      expect(userData).toContain("Content-Type: text/x-shellscript");
      expect(userData).toContain("dnf install -y aws-nitro-enclaves-cli");
      expect(userData).toContain("<<'EOF'\n---\nmemory_mib: 8192\ncpu_count: 4\nEOF\n");
      expect(userData).toContain("systemctl enable --now nitro-enclaves-allocator.service");
      expect(userData.trimEnd().endsWith("--==SAIP==--")).toBe(true);
      expect(group.labels).toMatchObject({ "aws-nitro-enclaves-k8s-dp": "enabled", "saip.io/confidential": "nitro-enclaves" });
      expect(group.taint).toContainEqual({ key: "aws.amazon.com/nitro-enclaves", value: "true", effect: "NO_SCHEDULE" });
      expect(pool.taints.map((t) => t.key)).toEqual(["aws.amazon.com/nitro-enclaves"]);
    });

    it("reserve 4 GiB and 2 vCPUs for enclaves by default", () => {
      const { template } = synthPool({ instanceTypes: ["m5.xlarge"], confidential: "nitro-enclaves" }, "EnclavePool");
      expect(Buffer.from(template.user_data, "base64").toString()).toContain("memory_mib: 4096\ncpu_count: 2\n");
    });

    it.each([
      [{ instanceTypes: ["t3.large"] }, /^test\/GpuPool: confidential "nitro-enclaves" cannot run on instance type t3.large: .*burstable/],
      [{ instanceTypes: ["m5.large"] }, /cannot run on instance type m5.large: .*too few vCPUs/],
      [{ instanceTypes: ["g5.xlarge"] }, /^test\/GpuPool: confidential "nitro-enclaves" pools may not use GPU instance type g5.xlarge/],
      [{ instanceTypes: ["p5.48xlarge"] }, /may not use GPU instance type p5.48xlarge/],
      [{ instanceTypes: ["m5.xlarge"], enclaveCpuCount: 3 }, /enclaveCpuCount 3 leaves the node fewer than 2 of the 4 vCPUs of m5.xlarge/],
      [{ instanceTypes: ["m5.xlarge"], amiType: "BOTTLEROCKET_x86_64" as const }, /needs an AL2023 standard amiType/],
    ])("refuse enclaves with %p", (props, message) => {
      expect(() => synthPool({ confidential: "nitro-enclaves", ...props })).toThrow(message);
    });

    it("refuse enclave settings on other pools", () => {
      expect(() => synthPool({ enclaveMemoryMiB: 1024 })).toThrow(
        /enclaveMemoryMiB and enclaveCpuCount apply to confidential "nitro-enclaves" only, got confidential "none"/,
      );
    });
  });

  describe("validation", () => {
    it.each([
      [{ subnetIds: [] }, /^test\/GpuPool: subnetIds must name at least one private subnet, got \[\]/],
      [
        { subnetIds: ["subnet-elsewhere"] },
        /^test\/GpuPool: subnetIds must be private subnets of the cluster's network vpc-1, but 'subnet-elsewhere' is not one\./,
      ],
      [{ instanceTypes: [] }, /^test\/GpuPool: instanceTypes must name at least one instance type, got \[\]/],
      [{ instanceTypes: ["p5"] }, /instanceTypes includes 'p5', which is not an instance type name/],
      [
        { instanceTypes: ["p5.48xlarge", "m6a.xlarge"] },
        /instanceTypes must share one architecture and accelerator kind, but p5.48xlarge and m6a.xlarge differ/,
      ],
      [{ instanceTypes: ["m6a.xlarge", "m7g.xlarge"] }, /but m6a.xlarge and m7g.xlarge differ/],
      [
        { amiType: "AL2023_x86_64_STANDARD" as const },
        /amiType AL2023_x86_64_STANDARD does not fit instance type p5.48xlarge: p5.48xlarge has NVIDIA GPUs/,
      ],
      [{ amiType: "AL2_x86_64_GPU" as "AL2023_x86_64_NVIDIA" }, /amiType must be one of .*got 'AL2_x86_64_GPU'/],
      [
        { scaling: { min: 2, desired: 1, max: 4 } },
        /scaling must be whole numbers with 0 <= min <= desired <= max and max >= 1, got min 2, desired 1, max 4/,
      ],
      [{ scaling: { min: 0, desired: 0, max: 0 } }, /scaling must be/],
      [{ diskSizeGiB: 10 }, /diskSizeGiB must be a whole number from 20 to 16384, got 10/],
      [{ purpose: "batch" as "training" }, /purpose must be one of training, inference, general, system, got 'batch'/],
      [{ confidential: "tdx" as "none" }, /confidential must be one of none, sev-snp, nitro-enclaves, got 'tdx'/],
      [{ kubernetesVersion: "v1.33" }, /kubernetesVersion must look like "1.33", got 'v1.33'/],
      [{ name: "gpu pool" }, /name must be 1 to 63 letters, digits, - or _/],
      [{ labels: { team: "a b" } }, /labels\['team'\] must be a Kubernetes label value/],
      [
        { extraTaints: [{ key: "dedicated", effect: "NoSchedule" as "NO_SCHEDULE" }] },
        /extraTaints 'dedicated' effect must be one of NO_SCHEDULE/,
      ],
    ])("rejects %p", (props, message) => {
      expect(() => synthPool(props)).toThrow(message);
    });

    it("names node groups after the construct id unless told otherwise", () => {
      expect(synthPool({ name: "training-p5" }).synth).toHaveResourceWithProperties(EksNodeGroup, { node_group_name: "training-p5" });
    });
  });
});
