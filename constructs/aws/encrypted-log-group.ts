import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { AwsContext } from "./aws-context";
import { KEY_ENCRYPT_DECRYPT_ACTIONS, PlatformKey } from "./platform-key";
import { PolicyStatement } from "./policy-document";

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Logs are evidence for investigations: keep them at least a year. */
export const MIN_LOG_RETENTION_DAYS = 365;

/**
 * The key policy statement that lets CloudWatch Logs in this region use a key
 * for log groups of this account only (the encryption context names the log
 * group). Every construct that encrypts logs with a key adds this same
 * statement, so the key policy holds it once.
 */
export function cloudWatchLogsKeyStatement(context: AwsContext): PolicyStatement & { Sid: string; Principal: { Service: string } } {
  return {
    Sid: "CloudWatchLogsUse",
    Effect: "Allow",
    Principal: { Service: `logs.${context.region}.amazonaws.com` },
    Action: KEY_ENCRYPT_DECRYPT_ACTIONS,
    Resource: "*",
    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": context.arn("logs", "log-group:*") } },
  };
}

export interface EncryptedLogGroupProps {
  /** Log group name, e.g. `/saip/vpc/flow-logs`. */
  readonly name: string;
  /** Key that encrypts the log events; CloudWatch Logs is allowed to use it for this account's log groups. */
  readonly key: PlatformKey;
  /** Days events are kept: one of CloudWatch's retention periods, at least 365. @default 365 */
  readonly retentionInDays?: number;
  /** Tags for the log group. @default - none */
  readonly tags?: Record<string, string>;
}

/** A CloudWatch log group encrypted with a platform key and kept for at least a year. */
export class EncryptedLogGroup extends Construct {
  readonly logGroupName: string;
  readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    const retention = props.retentionInDays ?? MIN_LOG_RETENTION_DAYS;
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retention) || retention < MIN_LOG_RETENTION_DAYS) {
      const allowed = LOG_RETENTION_DAYS.filter((d) => d >= MIN_LOG_RETENTION_DAYS).join(", ");
      throw new Error(`${this.node.path}: retentionInDays must be one of ${allowed}, got ${retention}.`);
    }
    if (!Token.isUnresolved(props.name) && !/^[A-Za-z0-9_.\-/#]{1,512}$/.test(props.name)) {
      throw new Error(`${this.node.path}: name must be 1 to 512 letters, digits or '_-./#', got '${props.name}'.`);
    }

    props.key.allowService(cloudWatchLogsKeyStatement(AwsContext.of(this)));
    const group = new CloudwatchLogGroup(this, "Resource", {
      name: props.name,
      kmsKeyId: props.key.keyArn,
      retentionInDays: retention,
      tags: props.tags,
    });
    this.logGroupName = group.name;
    this.logGroupArn = group.arn;
  }
}
