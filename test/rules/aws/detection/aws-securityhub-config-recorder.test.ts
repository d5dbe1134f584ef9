import { securityhubConfigRecorder as rule } from "../../../../lib/rules/aws/detection/securityhub-config-recorder";
import { checkHcl, checkJson, findingFor } from "../../harness";

const CONFIG_ROLE = "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole";
type Resources = Record<string, Record<string, object>>;

/** A module with Security Hub and a complete, working recorder; `change` edits it first. */
function recorded(change: (r: Resources) => void = () => undefined) {
  const resource: Resources = {
    aws_securityhub_account: { main: {} },
    aws_kms_key: { logs: {} },
    aws_iam_role: { config: { assume_role_policy: "{}" } },
    aws_iam_role_policy_attachment: { config: { role: "${aws_iam_role.config.name}", policy_arn: CONFIG_ROLE } },
    aws_s3_bucket: { config: {} },
    aws_config_configuration_recorder: {
      main: { name: "default", role_arn: "${aws_iam_role.config.arn}", recording_group: { all_supported: true } },
    },
    aws_config_delivery_channel: { main: { s3_bucket_name: "${aws_s3_bucket.config.bucket}", s3_kms_key_arn: "${aws_kms_key.logs.arn}" } },
    aws_config_configuration_recorder_status: { main: { name: "${aws_config_configuration_recorder.main.name}", is_enabled: true } },
  };
  change(resource);
  return findingFor(checkJson(rule, { resource }), "aws_securityhub_account.main");
}

describe("aws-securityhub-config-recorder", () => {
  it("passes a recorder of every type, with AWS_ConfigRole, turned on, delivering with a customer key", () => {
    expect(recorded()).toMatchObject({
      status: "pass",
      message:
        "aws_config_configuration_recorder.main records every supported resource type, is turned on, and aws_config_delivery_channel.main delivers with s3_kms_key_arn: encrypted with the customer-managed key aws_kms_key.logs",
    });
  });

  it("passes the service-linked role and a bucket encrypted by default with SSE-KMS", () => {
    const finding = recorded((r) => {
      r.aws_config_configuration_recorder.main = {
        name: "default",
        role_arn: "arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
      };
      r.aws_config_delivery_channel.main = { s3_bucket_name: "${aws_s3_bucket.config.bucket}" };
      r.aws_s3_bucket_server_side_encryption_configuration = {
        config: { bucket: "${aws_s3_bucket.config.id}", rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" } }] },
      };
    });
    expect(finding.status).toBe("pass");
    expect(finding.message).toMatch(
      /aws_config_delivery_channel\.main delivers to aws_s3_bucket\.config, encrypted by default with SSE-KMS$/,
    );
  });

  it("passes a service-linked role created in the module or named with an interpolated account, and fails another service's", () => {
    const created = recorded((r) => {
      r.aws_iam_service_linked_role = { config: { aws_service_name: "config.amazonaws.com" } };
      r.aws_config_configuration_recorder.main = { name: "default", role_arn: "${aws_iam_service_linked_role.config.arn}" };
    });
    expect(created.status).toBe("pass");
    const named = recorded((r) => {
      r.aws_config_configuration_recorder.main = {
        name: "default",
        role_arn:
          "arn:${data.aws_partition.p.partition}:iam::${data.aws_caller_identity.me.account_id}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
      };
    });
    expect(named.status).toBe("pass");
    const other = recorded((r) => {
      r.aws_iam_service_linked_role = { asg: { aws_service_name: "autoscaling.amazonaws.com" } };
      r.aws_config_configuration_recorder.main = { name: "default", role_arn: "${aws_iam_service_linked_role.asg.arn}" };
    });
    expect(other).toMatchObject({
      status: "fail",
      message:
        'aws_config_configuration_recorder.main records as aws_iam_service_linked_role.asg, which is not AWS Config\'s service-linked role (aws_service_name is "autoscaling.amazonaws.com")',
    });
  });

  it.each<[string, (r: Resources) => void, string]>([
    [
      "no recorder",
      (r) => {
        delete r.aws_config_configuration_recorder;
      },
      "no aws_config_configuration_recorder in the module, so Security Hub's controls have no AWS Config data to evaluate",
    ],
    [
      "a recorder never started",
      (r) => {
        delete r.aws_config_configuration_recorder_status;
      },
      "aws_config_configuration_recorder.main has no aws_config_configuration_recorder_status, so it is created stopped and records nothing",
    ],
    [
      "a recorder turned off",
      (r) => {
        r.aws_config_configuration_recorder_status.main = { name: "default", is_enabled: false };
      },
      "aws_config_configuration_recorder.main is turned off (is_enabled is not true on aws_config_configuration_recorder_status.main)",
    ],
    [
      "a few resource types only",
      (r) => {
        r.aws_config_configuration_recorder.main = {
          name: "default",
          role_arn: "${aws_iam_role.config.arn}",
          recording_group: { all_supported: false, resource_types: ["AWS::S3::Bucket"] },
        };
      },
      "aws_config_configuration_recorder.main records only chosen resource types (all_supported is false), so controls on the others have no data",
    ],
    [
      "a role without AWS_ConfigRole",
      (r) => {
        delete r.aws_iam_role_policy_attachment;
      },
      "aws_config_configuration_recorder.main records as aws_iam_role.config, which has no AWS_ConfigRole managed policy, so AWS Config cannot describe the resources",
    ],
    [
      "no delivery channel",
      (r) => {
        delete r.aws_config_delivery_channel;
      },
      "aws_config_configuration_recorder.main has no aws_config_delivery_channel, so it cannot start recording",
    ],
    [
      "delivery to an unencrypted bucket",
      (r) => {
        r.aws_config_delivery_channel.main = { s3_bucket_name: "${aws_s3_bucket.config.bucket}" };
      },
      "aws_config_delivery_channel.main delivers to aws_s3_bucket.config, which has no SSE-KMS default encryption, and sets no s3_kms_key_arn",
    ],
  ])("fails %s", (_, change, message) => {
    expect(recorded(change)).toMatchObject({ status: "fail", unresolved: false, message });
  });

  it("is unresolved for a role or bucket outside the module and for a status set by a variable", () => {
    expect(
      recorded((r) => {
        r.aws_config_configuration_recorder.main = { name: "default", role_arn: "${var.config_role}" };
      }),
    ).toMatchObject({
      unresolved: true,
      message:
        "unresolved: aws_config_configuration_recorder.main role_arn is ${var.config_role} (unresolved), whose permissions the engine cannot see",
    });
    expect(
      recorded((r) => {
        r.aws_config_delivery_channel.main = { s3_bucket_name: "org-config-archive" };
      }),
    ).toMatchObject({
      unresolved: true,
      message:
        'unresolved: aws_config_delivery_channel.main delivers to "org-config-archive", a bucket outside the module whose encryption cannot be checked, and sets no s3_kms_key_arn',
    });
    expect(
      recorded((r) => {
        r.aws_config_configuration_recorder_status.main = {
          name: "${aws_config_configuration_recorder.main.name}",
          is_enabled: "${var.on}",
        };
      }),
    ).toMatchObject({
      unresolved: true,
      message: "unresolved: aws_config_configuration_recorder_status.main is_enabled is ${var.on} (unresolved)",
    });
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      rule,
      `resource "aws_securityhub_account" "main" {}
       resource "aws_kms_key" "logs" {}
       resource "aws_iam_role" "config" {
         assume_role_policy = "{}"
       }
       resource "aws_iam_role_policy_attachment" "config" {
         role       = aws_iam_role.config.name
         policy_arn = "arn:\${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWS_ConfigRole"
       }
       resource "aws_config_configuration_recorder" "main" {
         name     = "default"
         role_arn = aws_iam_role.config.arn
         recording_group {
           all_supported = true
         }
       }
       resource "aws_config_delivery_channel" "main" {
         s3_bucket_name = "audit"
         s3_kms_key_arn = aws_kms_key.logs.arn
         depends_on     = [aws_config_configuration_recorder.main]
       }
       resource "aws_config_configuration_recorder_status" "main" {
         name       = aws_config_configuration_recorder.main.name
         is_enabled = true
       }`,
    );
    expect(findingFor(findings, "aws_securityhub_account.main")).toMatchObject({ status: "pass" });
    const stopped = await checkHcl(
      rule,
      `resource "aws_securityhub_account" "main" {}
       resource "aws_config_configuration_recorder" "main" {
         role_arn = "arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
       }`,
    );
    expect(findingFor(stopped, "aws_securityhub_account.main").message).toBe(
      "aws_config_configuration_recorder.main has no aws_config_configuration_recorder_status, so it is created stopped and records nothing",
    );
  });
});
