import { EfsBackupPolicy } from "@cdktf/provider-aws/lib/efs-backup-policy";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { FsxLustreFileSystem } from "@cdktf/provider-aws/lib/fsx-lustre-file-system";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { TerraformOutput, Testing } from "cdktf";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { TrainingFileSystem, TrainingFileSystemProps } from "../../../constructs/aws/training-file-system";
import { SecureStack } from "../../../lib/secure-stack";

type Rule = { from_port: number; to_port: number; ip_protocol: string; referenced_security_group_id?: string; cidr_ipv4?: string };

function setup(props: Partial<TrainingFileSystemProps> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  const key = new PlatformKey(stack, "CheckpointsKey", {
    purpose: "checkpoints",
    administrators: ["arn:aws:iam::111122223333:role/key-admin"],
  });
  const fs = new TrainingFileSystem(stack, "TrainingFileSystem", {
    key,
    vpcId: "vpc-1",
    vpcCidr: "10.0.0.0/16",
    subnetIds: ["subnet-a", "subnet-b"],
    clientSecurityGroupIds: ["sg-nodes"],
    ...props,
  });
  return { stack, key, fs };
}

function synth(stack: SecureStack) {
  const text = Testing.synth(stack);
  const json = JSON.parse(text);
  const ingress: Record<string, Rule> = json.resource.aws_vpc_security_group_ingress_rule ?? {};
  const egress: Record<string, Rule> = json.resource.aws_vpc_security_group_egress_rule ?? {};
  const keyPolicy = JSON.parse(json.resource.aws_kms_key.checkpoints_key.policy).Statement as Array<Record<string, unknown>>;
  return { text, json, ingress, egress, keyPolicy };
}

const SG = "${aws_security_group.training_file_system_security_group.id}";
const PREFIX = "training_file_system_security_group_";

describe("TrainingFileSystem", () => {
  it("is FSx for Lustre PERSISTENT_2 by default, encrypted with the key, with daily backups kept 7 days", () => {
    const { text, json } = synth(setup().stack);
    expect(text).toHaveResourceWithProperties(FsxLustreFileSystem, {
      deployment_type: "PERSISTENT_2",
      storage_type: "SSD",
      storage_capacity: 1200,
      per_unit_storage_throughput: 250,
      kms_key_id: "${aws_kms_key.checkpoints_key.arn}",
      automatic_backup_retention_days: 7,
      copy_tags_to_backups: true,
      skip_final_backup: false,
      subnet_ids: ["subnet-a"],
      security_group_ids: [SG],
      log_configuration: { level: "WARN_ERROR", destination: "${aws_cloudwatch_log_group.training_file_system_log_group.arn}" },
    });
    expect(Object.keys(json.resource.aws_fsx_lustre_file_system)).toEqual(["training_file_system"]);
    expect(json.resource.aws_efs_file_system).toBeUndefined();
  });

  it("logs warnings and errors to its own /aws/fsx/ group under a customer key, kept a year, never to a group FSx makes unencrypted", () => {
    const { json } = synth(setup({ name: "ai-training" }).stack);
    expect(json.resource.aws_cloudwatch_log_group.training_file_system_log_group).toMatchObject({
      name: "/aws/fsx/ai-training",
      kms_key_id: "${aws_kms_key.checkpoints_key.arn}",
      retention_in_days: 365,
    });
  });

  it("has its own security group without inline rules", () => {
    const { text, json } = synth(setup().stack);
    expect(text).toHaveResourceWithProperties(SecurityGroup, { vpc_id: "vpc-1", revoke_rules_on_delete: true });
    const sg = json.resource.aws_security_group.training_file_system_security_group;
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  it("admits Lustre ports only, from the client nodes and from itself", () => {
    const { ingress } = synth(setup().stack);
    expect(Object.keys(ingress).sort()).toEqual(
      ["lustre_data_from_client1", "lustre_data_from_self", "lustre_from_client1", "lustre_from_self"].map((n) => PREFIX + n),
    );
    expect(ingress[`${PREFIX}lustre_from_client1`]).toMatchObject({
      ip_protocol: "tcp",
      from_port: 988,
      to_port: 988,
      referenced_security_group_id: "sg-nodes",
      security_group_id: SG,
    });
    expect(ingress[`${PREFIX}lustre_data_from_client1`]).toMatchObject({
      from_port: 1018,
      to_port: 1023,
      referenced_security_group_id: "sg-nodes",
    });
    expect(ingress[`${PREFIX}lustre_from_self`]).toMatchObject({ from_port: 988, referenced_security_group_id: SG });
  });

  it("opens nothing to 0.0.0.0/0 and keeps egress to the Lustre ports inside the VPC", () => {
    const { ingress, egress } = synth(setup().stack);
    for (const rule of [...Object.values(ingress), ...Object.values(egress)]) {
      expect(rule.cidr_ipv4).not.toBe("0.0.0.0/0");
      expect(rule.ip_protocol).toBe("tcp");
    }
    expect(
      Object.values(egress)
        .map((r) => [r.cidr_ipv4, r.from_port, r.to_port])
        .sort((x, y) => Number(x[1]) - Number(y[1])),
    ).toEqual([
      ["10.0.0.0/16", 988, 988],
      ["10.0.0.0/16", 1018, 1023],
    ]);
  });

  it("admits no client until one is given, and clients can be added later", () => {
    const { stack, fs } = setup({ clientSecurityGroupIds: undefined });
    expect(Object.keys(synth(stack).ingress).filter((n) => !n.endsWith("_from_self"))).toEqual([]);
    fs.allowClient("GpuNodes", "sg-gpu");
    expect(synth(stack).ingress[`${PREFIX}lustre_from_gpu_nodes`]).toMatchObject({ referenced_security_group_id: "sg-gpu" });
  });

  it("lets account principals use the key only through FSx, once however many file systems share it", () => {
    const { stack, key } = setup();
    new TrainingFileSystem(stack, "ScratchFileSystem", { key, vpcId: "vpc-1", vpcCidr: "10.0.0.0/16", subnetIds: ["subnet-a"] });
    const statements = synth(stack).keyPolicy.filter((s) => s.Sid === "UseThroughFsx");
    expect(statements).toEqual([
      expect.objectContaining({
        Principal: {
          AWS: "arn:${data.aws_partition.aws_context_partition.partition}:iam::${data.aws_caller_identity.aws_context_account.account_id}:root",
        },
        Action: expect.arrayContaining(["kms:Decrypt", "kms:GenerateDataKey*", "kms:CreateGrant"]),
        Condition: {
          StringEquals: {
            "kms:ViaService": "fsx.${data.aws_region.aws_context_region.region}.amazonaws.com",
            "kms:CallerAccount": "${data.aws_caller_identity.aws_context_account.account_id}",
          },
        },
      }),
    ]);
  });

  it("exposes id, ARN, DNS name, mount name and security group", () => {
    const { stack, fs } = setup();
    const values = { id: fs.fileSystemId, arn: fs.fileSystemArn, dns: fs.dnsName, mount: fs.mountName!, sg: fs.securityGroupId };
    Object.entries(values).forEach(([name, value]) => new TerraformOutput(stack, name, { value }));
    const outputs = synth(stack).json.output;
    expect(Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, (v as { value: string }).value]))).toEqual({
      id: "${aws_fsx_lustre_file_system.training_file_system.id}",
      arn: "${aws_fsx_lustre_file_system.training_file_system.arn}",
      dns: "${aws_fsx_lustre_file_system.training_file_system.dns_name}",
      mount: "${aws_fsx_lustre_file_system.training_file_system.mount_name}",
      sg: SG,
    });
  });

  it("takes capacity, throughput and backup retention", () => {
    const { text } = synth(setup({ storageCapacityGiB: 4800, perUnitStorageThroughput: 1000, backupRetentionDays: 30 }).stack);
    expect(text).toHaveResourceWithProperties(FsxLustreFileSystem, {
      storage_capacity: 4800,
      per_unit_storage_throughput: 1000,
      automatic_backup_retention_days: 30,
    });
  });

  describe("efs", () => {
    it("is encrypted with the key, elastic, backed up, and mounted in every subnet", () => {
      const { text, json } = synth(setup({ kind: "efs" }).stack);
      expect(text).toHaveResourceWithProperties(EfsFileSystem, {
        encrypted: true,
        kms_key_id: "${aws_kms_key.checkpoints_key.arn}",
        throughput_mode: "elastic",
        performance_mode: "generalPurpose",
      });
      expect(text).toHaveResourceWithProperties(EfsBackupPolicy, {
        file_system_id: "${aws_efs_file_system.training_file_system.id}",
        backup_policy: { status: "ENABLED" },
      });
      expect(text).toHaveResourceWithProperties(EfsMountTarget, { subnet_id: "subnet-a", security_groups: [SG] });
      expect(text).toHaveResourceWithProperties(EfsMountTarget, { subnet_id: "subnet-b", security_groups: [SG] });
      expect(Object.keys(json.resource.aws_efs_mount_target)).toHaveLength(2);
      expect(json.resource.aws_fsx_lustre_file_system).toBeUndefined();
    });

    it("admits NFS from the clients only and needs no egress", () => {
      const { text, ingress, egress, keyPolicy } = synth(setup({ kind: "efs" }).stack);
      expect(Object.keys(ingress)).toEqual([`${PREFIX}nfs_from_client1`]);
      expect(text).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
        from_port: 2049,
        to_port: 2049,
        ip_protocol: "tcp",
        referenced_security_group_id: "sg-nodes",
      });
      expect(egress).toEqual({});
      expect(keyPolicy.map((s) => s.Sid)).toContain("UseThroughEfs");
    });

    it("has no mount name", () => {
      expect(setup({ kind: "efs" }).fs.mountName).toBeUndefined();
    });
  });

  it.each([
    [{ subnetIds: [] }, /^test\/TrainingFileSystem: subnetIds must name at least one private subnet, got \[\]/],
    [{ vpcCidr: "0.0.0.0/0" }, /^test\/TrainingFileSystem: vpcCidr must be the VPC's IPv4 CIDR \(a \/8 or smaller\), got '0.0.0.0\/0'/],
    [{ vpcCidr: "vpc" }, /vpcCidr must be the VPC's IPv4 CIDR.*got 'vpc'/],
    [{ storageCapacityGiB: 1300 }, /^test\/TrainingFileSystem: storageCapacityGiB must be 1200 or a multiple of 2400, got 1300/],
    [{ perUnitStorageThroughput: 200 }, /^test\/TrainingFileSystem: perUnitStorageThroughput must be 125, 250, 500 or 1000, got 200/],
    [{ backupRetentionDays: 0 }, /^test\/TrainingFileSystem: backupRetentionDays must be a whole number from 1 to 90, got 0/],
    [{ backupRetentionDays: 91 }, /backupRetentionDays must be a whole number from 1 to 90, got 91/],
    [
      { kind: "efs" as const, backupRetentionDays: 14 },
      /^test\/TrainingFileSystem: backupRetentionDays applies to kind "fsx-lustre" only, got 14 with kind "efs"/,
    ],
    [{ kind: "nfs" as "efs" }, /^test\/TrainingFileSystem: kind must be "fsx-lustre" or "efs", got 'nfs'/],
  ])("rejects %p", (props, message) => {
    expect(() => setup(props)).toThrow(message);
  });
});
