import { launchTemplateEbsCmk } from "../../../../lib/rules/aws/compute/launch-template-ebs-cmk";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

describe("aws-launch-template-ebs-cmk", () => {
  const doc = {
    resource: {
      aws_kms_key: { nodes: { enable_key_rotation: true } },
      aws_launch_template: {
        cmk: {
          block_device_mappings: [
            { device_name: "/dev/xvda", ebs: { encrypted: true, kms_key_id: "${aws_kms_key.nodes.arn}", volume_size: 100 } },
          ],
        },
        aws_key: { block_device_mappings: { device_name: "/dev/xvda", ebs: [{ encrypted: "true", kms_key_id: "alias/aws/ebs" }] } },
        plain: { block_device_mappings: [{ device_name: "/dev/xvda", ebs: { volume_size: 100 } }] },
        second_bad: {
          block_device_mappings: [
            { device_name: "/dev/xvda", ebs: { encrypted: true, kms_key_id: "${aws_kms_key.nodes.arn}" } },
            { device_name: "/dev/xvdb", ebs: { encrypted: true } },
          ],
        },
        none: { name: "none" },
        unknown: { block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: true, kms_key_id: "${var.key}" } }] },
      },
      aws_instance: {
        cmk: {
          root_block_device: { encrypted: true, kms_key_id: "${aws_kms_key.nodes.arn}" },
          ebs_block_device: [{ device_name: "/dev/sdb", encrypted: true, kms_key_id: "${aws_kms_key.nodes.arn}" }],
        },
        data_plain: {
          root_block_device: { encrypted: true, kms_key_id: "${aws_kms_key.nodes.arn}" },
          ebs_block_device: [{ device_name: "/dev/sdb", encrypted: false }],
        },
        no_root: {},
      },
      aws_eks_node_group: {
        good: { launch_template: { id: "${aws_launch_template.cmk.id}" } },
        bad: { launch_template: { name: "none" } },
        default: { disk_size: 100 },
      },
    },
  };

  it("requires every EBS volume to be encrypted with a customer-managed key", () => {
    const findings = checkJson(launchTemplateEbsCmk, doc);
    expect(statuses(findings)).toEqual({
      "aws_launch_template.cmk": "pass",
      "aws_launch_template.aws_key": "fail",
      "aws_launch_template.plain": "fail",
      "aws_launch_template.second_bad": "fail",
      "aws_launch_template.none": "fail",
      "aws_launch_template.unknown": "fail",
      "aws_instance.cmk": "pass",
      "aws_instance.data_plain": "fail",
      "aws_instance.no_root": "fail",
      "aws_eks_node_group.good": "pass",
      "aws_eks_node_group.bad": "fail",
      "aws_eks_node_group.default": "fail",
    });
    expect(findingFor(findings, "aws_launch_template.cmk").message).toMatch(/aws_kms_key\.nodes/);
    expect(findingFor(findings, "aws_launch_template.aws_key").message).toMatch(/AWS-managed key alias\/aws\/ebs/);
    expect(findingFor(findings, "aws_launch_template.plain").message).toMatch(/\/dev\/xvda is not encrypted/);
    expect(findingFor(findings, "aws_launch_template.second_bad").message).toMatch(
      /^block_device_mappings \/dev\/xvdb: kms_key_id is not set/,
    );
    expect(findingFor(findings, "aws_launch_template.none").message).toMatch(
      /root volume falls back to the AMI's unencrypted default; declare it/,
    );
    expect(findingFor(findings, "aws_launch_template.unknown").message).toMatch(/^unresolved: .*var\.key/);
    expect(findingFor(findings, "aws_instance.data_plain").message).toMatch(/ebs_block_device \/dev\/sdb is not encrypted/);
    expect(findingFor(findings, "aws_eks_node_group.bad").message).toMatch(
      /^launch template aws_launch_template\.none: no block_device_mappings/,
    );
    expect(findingFor(findings, "aws_eks_node_group.default").message).toMatch(/no launch_template: EKS's default node volume/);
  });

  it("accepts undeclared volumes when the account encrypts by default with a customer-managed key", () => {
    const withDefault = (key: string) => ({
      resource: {
        ...doc.resource,
        aws_ebs_encryption_by_default: { on: {} },
        aws_ebs_default_kms_key: { key: { key_arn: key } },
      },
    });
    const good = checkJson(launchTemplateEbsCmk, withDefault("${aws_kms_key.nodes.arn}"));
    expect(findingFor(good, "aws_launch_template.none").status).toBe("pass");
    expect(findingFor(good, "aws_launch_template.none").message).toMatch(/encryption by default is on .*aws_ebs_default_kms_key\.key/);
    expect(findingFor(good, "aws_eks_node_group.default").status).toBe("pass");
    expect(findingFor(good, "aws_instance.no_root").status).toBe("pass");
    // Declared volumes are still judged on their own.
    expect(findingFor(good, "aws_launch_template.plain").status).toBe("fail");
    const awsKey = checkJson(launchTemplateEbsCmk, withDefault("arn:aws:kms:eu-west-1:111122223333:alias/aws/ebs"));
    expect(findingFor(awsKey, "aws_launch_template.none").status).toBe("fail");
    expect(findingFor(awsKey, "aws_launch_template.none").message).toMatch(/AWS-managed key/);
  });

  it("judges standalone EBS volumes, as Checkov's CKV_AWS_189 and CKV_AWS_3 do", () => {
    const findings = checkJson(launchTemplateEbsCmk, {
      resource: {
        aws_kms_key: { ebs: {} },
        aws_ebs_volume: {
          cmk: { availability_zone: "eu-west-1a", size: 10, encrypted: true, kms_key_id: "${aws_kms_key.ebs.arn}" },
          plain: { availability_zone: "eu-west-1a", size: 10 },
          off: { availability_zone: "eu-west-1a", size: 10, encrypted: false },
          managed: { availability_zone: "eu-west-1a", size: 10, encrypted: true },
          variable: { availability_zone: "eu-west-1a", size: 10, encrypted: true, kms_key_id: "${var.key}" },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_ebs_volume.cmk": "pass",
      "aws_ebs_volume.plain": "fail",
      "aws_ebs_volume.off": "fail",
      "aws_ebs_volume.managed": "fail",
      "aws_ebs_volume.variable": "fail",
    });
    expect(findingFor(findings, "aws_ebs_volume.variable").unresolved).toBe(true);
    expect(findingFor(findings, "aws_ebs_volume.off").message).toMatch(/not encrypted/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      launchTemplateEbsCmk,
      `resource "aws_kms_key" "nodes" {}
       resource "aws_launch_template" "ok" {
         block_device_mappings {
           device_name = "/dev/xvda"
           ebs {
             encrypted  = true
             kms_key_id = aws_kms_key.nodes.arn
           }
         }
       }
       resource "aws_launch_template" "bare" {}`,
    );
    expect(statuses(findings)).toEqual({ "aws_launch_template.ok": "pass", "aws_launch_template.bare": "fail" });
  });
});
