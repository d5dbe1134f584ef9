import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfModule, TfResource } from "../../../terraform/model";
import { attached, customerManagedKey, describe, valueAt } from "../../helpers";

const CONFIG_ROLE_POLICY = /:iam::aws:policy\/service-role\/AWS_ConfigRole$/;
const CONFIG_SLR = /:iam::[^:]*:role\/aws-service-role\/config\.amazonaws\.com\/AWSServiceRoleForConfig$/;
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

/** Resources of `type` whose `key` names `target`: by reference, or by the literal value of the target's `nameKey`. */
const byNameOrReference = (target: TfResource, type: string, key: string, nameKey: string) => attached(target, type, key, nameKey);

/** Why the recorder's role cannot read configurations, or "" when it can. */
function roleProblem(recorder: TfResource): string | Outcome {
  const role = valueAt(recorder, "role_arn");
  // The account and partition are often interpolated; the path and name say it is AWS Config's service-linked role.
  const raw = String(recorder.body.role_arn ?? "");
  if (raw.startsWith("arn:") && CONFIG_SLR.test(raw)) return "";
  if (role.state === "reference" && role.target.type === "aws_iam_service_linked_role") {
    const service = valueAt(role.target, "aws_service_name");
    return service.state === "known" && service.value === "config.amazonaws.com"
      ? ""
      : `${recorder.address} records as ${role.target.address}, which is not AWS Config's service-linked role (aws_service_name is ${describe(service)})`;
  }
  if (role.state === "unknown" || role.state === "known")
    return unresolved(`${recorder.address} role_arn is ${describe(role)}, whose permissions the engine cannot see`);
  if (role.state === "absent") return `${recorder.address} has no role_arn`;
  if (role.target.type !== "aws_iam_role")
    return unresolved(`${recorder.address} role_arn refers to ${role.target.address}, not an aws_iam_role`);
  const attachments = attached(role.target, "aws_iam_role_policy_attachment", "role", "name");
  const inline = valueAt(role.target, "managed_policy_arns");
  // The partition is often interpolated (arn:${data.aws_partition.x.partition}:iam::aws:...); the rest names the policy.
  const arns = [
    ...attachments.map((a) => String(a.body.policy_arn ?? "")),
    ...(inline.state === "known" && Array.isArray(inline.value) ? inline.value.map(String) : []),
  ];
  if (arns.some((arn) => arn.startsWith("arn:") && CONFIG_ROLE_POLICY.test(arn))) return "";
  const unknown = attachments.find((a) => valueAt(a, "policy_arn").state === "unknown");
  if (unknown)
    return unresolved(
      `${unknown.address} policy_arn is ${describe(valueAt(unknown, "policy_arn"))}, and no other attachment of ${role.target.address} is AWS_ConfigRole`,
    );
  return `${recorder.address} records as ${role.target.address}, which has no AWS_ConfigRole managed policy, so AWS Config cannot describe the resources`;
}

/** Whether a delivery channel writes to encrypted storage: a customer key on the channel, or SSE-KMS default encryption on its bucket. */
function channelOutcome(channel: TfResource): Outcome {
  if (valueAt(channel, "s3_kms_key_arn").state !== "absent") {
    const key = customerManagedKey(channel, "s3_kms_key_arn");
    return { status: key.status, message: `${channel.address} delivers with s3_kms_key_arn: ${key.message}` };
  }
  const bucket = valueAt(channel, "s3_bucket_name");
  if (bucket.state === "reference" && bucket.target.type === "aws_s3_bucket") {
    const configs = attached(bucket.target, "aws_s3_bucket_server_side_encryption_configuration", "bucket", "bucket");
    for (const config of configs) {
      const algorithm = valueAt(config, "rule.apply_server_side_encryption_by_default.sse_algorithm");
      if (algorithm.state === "known" && KMS_ALGORITHMS.includes(String(algorithm.value)))
        return pass(`${channel.address} delivers to ${bucket.target.address}, encrypted by default with SSE-KMS`);
      if (algorithm.state !== "known") return unresolved(`${config.address} sse_algorithm is ${describe(algorithm)}`);
    }
    return fail(
      `${channel.address} delivers to ${bucket.target.address}, which has no SSE-KMS default encryption, and sets no s3_kms_key_arn`,
    );
  }
  if (bucket.state === "absent") return fail(`${channel.address} has no s3_bucket_name`);
  return unresolved(
    `${channel.address} delivers to ${describe(bucket)}, a bucket outside the module whose encryption cannot be checked, and sets no s3_kms_key_arn`,
  );
}

/** The module's verdict: a recorder recording everything, turned on, with a delivery channel to encrypted storage. */
function recording(module: TfModule): Outcome {
  const recorders = module.ofType("aws_config_configuration_recorder");
  if (recorders.length === 0)
    return fail("no aws_config_configuration_recorder in the module, so Security Hub's controls have no AWS Config data to evaluate");
  const open: string[] = [];
  const problems: string[] = [];
  for (const recorder of recorders) {
    const all = valueAt(recorder, "recording_group.all_supported");
    if (all.state === "unknown" || all.state === "reference") {
      open.push(`${recorder.address} recording_group.all_supported is ${describe(all)}`);
      continue;
    }
    if (all.state === "known" && all.value !== true && all.value !== "true") {
      problems.push(
        `${recorder.address} records only chosen resource types (all_supported is false), so controls on the others have no data`,
      );
      continue;
    }
    const role = roleProblem(recorder);
    if (typeof role !== "string") {
      open.push(role.message);
      continue;
    }
    if (role) {
      problems.push(role);
      continue;
    }
    const statuses = byNameOrReference(recorder, "aws_config_configuration_recorder_status", "name", "name");
    const enabled = statuses.map((s) => ({ s, v: valueAt(s, "is_enabled") }));
    if (!enabled.some(({ v }) => v.state === "known" && (v.value === true || v.value === "true"))) {
      const unknown = enabled.find(({ v }) => v.state === "unknown" || v.state === "reference");
      if (unknown) open.push(`${unknown.s.address} is_enabled is ${describe(unknown.v)}`);
      else
        problems.push(
          statuses.length === 0
            ? `${recorder.address} has no aws_config_configuration_recorder_status, so it is created stopped and records nothing`
            : `${recorder.address} is turned off (is_enabled is not true on ${statuses.map((s) => s.address).join(", ")})`,
        );
      continue;
    }
    const channels = module.ofType("aws_config_delivery_channel");
    if (channels.length === 0) {
      problems.push(`${recorder.address} has no aws_config_delivery_channel, so it cannot start recording`);
      continue;
    }
    const outcomes = channels.map(channelOutcome);
    const good = outcomes.find((o) => o.status === "pass");
    if (good) return pass(`${recorder.address} records every supported resource type, is turned on, and ${good.message}`);
    outcomes.forEach((o) => (o.status === "fail" ? problems : open).push(o.message));
  }
  if (problems.length > 0) return fail(problems.join("; "));
  return unresolved(open.join("; "));
}

export const securityhubConfigRecorder: Rule = {
  id: "aws-securityhub-config-recorder",
  title: "Security Hub runs with an AWS Config recorder that records every resource type, is turned on and delivers to encrypted storage",
  requirements: ["AICP-INCIDENT-04"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_securityhub_account"],
  effect:
    "Security Hub's controls get the AWS Config items they evaluate: a recorder of every supported type whose role can read them (the service-linked role, or AWS_ConfigRole), turned on, delivering to SSE-KMS storage.",
  remediation:
    "Add aws_config_configuration_recorder (recording_group.all_supported, the AWSServiceRoleForConfig service-linked role or a role with AWS_ConfigRole), aws_config_delivery_channel to an SSE-KMS bucket, and aws_config_configuration_recorder_status with is_enabled = true (the ConfigRecorder construct does). Where a landing zone records already, waive with its name.",
  examples: {
    good: [
      `
      resource "aws_securityhub_account" "main" {}

      resource "aws_kms_key" "logs" {
        enable_key_rotation = true
      }

      resource "aws_iam_role" "config" {
        name = "config"
        assume_role_policy = jsonencode({
          Version   = "2012-10-17"
          Statement = [{ Effect = "Allow", Principal = { Service = "config.amazonaws.com" }, Action = "sts:AssumeRole" }]
        })
      }

      resource "aws_iam_role_policy_attachment" "config" {
        role       = aws_iam_role.config.name
        policy_arn = "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"
      }

      resource "aws_s3_bucket" "config" {
        bucket = "platform-config"
      }

      resource "aws_config_configuration_recorder" "main" {
        name     = "default"
        role_arn = aws_iam_role.config.arn
        recording_group {
          all_supported = true
        }
      }

      resource "aws_config_delivery_channel" "main" {
        s3_bucket_name = aws_s3_bucket.config.bucket
        s3_kms_key_arn = aws_kms_key.logs.arn
      }

      resource "aws_config_configuration_recorder_status" "main" {
        name       = aws_config_configuration_recorder.main.name
        is_enabled = true
      }
    `,
    ],
    bad: [
      `
      resource "aws_securityhub_account" "main" {}

      resource "aws_kms_key" "logs" {
        enable_key_rotation = true
      }

      resource "aws_iam_role" "config" {
        name = "config"
        assume_role_policy = jsonencode({
          Version   = "2012-10-17"
          Statement = [{ Effect = "Allow", Principal = { Service = "config.amazonaws.com" }, Action = "sts:AssumeRole" }]
        })
      }

      resource "aws_iam_role_policy_attachment" "config" {
        role       = aws_iam_role.config.name
        policy_arn = "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"
      }

      resource "aws_s3_bucket" "config" {
        bucket = "platform-config"
      }

      resource "aws_config_configuration_recorder" "main" {
        name     = "default"
        role_arn = aws_iam_role.config.arn
        recording_group {
          all_supported = true
        }
      }

      resource "aws_config_delivery_channel" "main" {
        s3_bucket_name = aws_s3_bucket.config.bucket
        s3_kms_key_arn = aws_kms_key.logs.arn
      }

      resource "aws_config_configuration_recorder_status" "main" {
        name       = aws_config_configuration_recorder.main.name
        is_enabled = false
      }
    `,
    ],
  },
  check: (account) => account.module.cached("aws-securityhub-config-recorder", recording),
};
