import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { TerraformOutput, Testing } from "cdktf";
import { EncryptedLogGroup, EncryptedLogGroupProps } from "../../../constructs/aws/encrypted-log-group";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { SecureStack } from "../../../lib/secure-stack";

const ADMIN = "arn:aws:iam::111122223333:role/key-admin";

function synthGroup(props: Partial<EncryptedLogGroupProps> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  const key = new PlatformKey(stack, "LogsKey", { purpose: "logs", administrators: [ADMIN] });
  const group = new EncryptedLogGroup(stack, "AuditLogs", { name: "/saip/audit", key, ...props });
  return { stack, key, group, synth: Testing.synth(stack) };
}

function keyPolicy(synth: string): { Statement: Array<Record<string, unknown>> } {
  const key = Object.values(JSON.parse(synth).resource.aws_kms_key)[0] as { policy: string };
  return JSON.parse(key.policy);
}

describe("EncryptedLogGroup", () => {
  it("encrypts with the platform key and keeps events a year by default", () => {
    const { synth } = synthGroup();
    expect(synth).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/saip/audit",
      kms_key_id: "${aws_kms_key.logs_key.arn}",
      retention_in_days: 365,
    });
    expect(Object.keys(JSON.parse(synth).resource.aws_cloudwatch_log_group)).toEqual(["audit_logs"]);
  });

  it("lets CloudWatch Logs of this region use the key only for this account's log groups", () => {
    const statement = keyPolicy(synthGroup().synth).Statement.find((s) => s.Sid === "CloudWatchLogsUse");
    expect(statement).toEqual({
      Sid: "CloudWatchLogsUse",
      Effect: "Allow",
      Principal: { Service: "logs.${data.aws_region.aws_context_region.region}.amazonaws.com" },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
      Condition: {
        ArnLike: {
          "kms:EncryptionContext:aws:logs:arn":
            "arn:${data.aws_partition.aws_context_partition.partition}:logs:${data.aws_region.aws_context_region.region}:${data.aws_caller_identity.aws_context_account.account_id}:log-group:*",
        },
      },
    });
  });

  it("adds the service statement once however many groups share the key", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const key = new PlatformKey(stack, "LogsKey", { purpose: "logs", administrators: [ADMIN] });
    new EncryptedLogGroup(stack, "AuditLogs", { name: "/saip/audit", key });
    new EncryptedLogGroup(stack, "FlowLogs", { name: "/saip/flow", key });
    const sids = keyPolicy(Testing.synth(stack)).Statement.map((s) => s.Sid);
    expect(sids.filter((s) => s === "CloudWatchLogsUse")).toHaveLength(1);
  });

  it("exposes the name and ARN as references", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const key = new PlatformKey(stack, "LogsKey", { purpose: "logs", administrators: [ADMIN] });
    const group = new EncryptedLogGroup(stack, "AuditLogs", { name: "/saip/audit", key });
    new TerraformOutput(stack, "Arn", { value: group.logGroupArn });
    new TerraformOutput(stack, "Name", { value: group.logGroupName });
    const output = JSON.parse(Testing.synth(stack)).output;
    expect(output.arn.value).toBe("${aws_cloudwatch_log_group.audit_logs.arn}");
    expect(output.name.value).toBe("${aws_cloudwatch_log_group.audit_logs.name}");
  });

  it("accepts longer retention periods CloudWatch offers", () => {
    expect(synthGroup({ retentionInDays: 3653 }).synth).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 3653 });
  });

  it.each([
    [{ retentionInDays: 90 }, /test\/AuditLogs: retentionInDays must be one of 365, 400, .*, 3653, got 90\./],
    [{ retentionInDays: 366 }, /retentionInDays must be one of .* got 366/],
    [{ retentionInDays: 0 }, /retentionInDays must be one of .* got 0/],
    [{ name: "audit logs" }, /test\/AuditLogs: name must be 1 to 512 letters, digits or '_-.\/#', got 'audit logs'/],
    [{ name: "" }, /name must be 1 to 512/],
  ])("rejects %p", (props, message) => {
    expect(() => synthGroup(props)).toThrow(message);
  });
});
