import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { AccessLogBucket } from "../../../constructs/aws/access-log-bucket";
import { ArchiveAccount } from "../../../constructs/aws/archive-account";
import { AuditTrail } from "../../../constructs/aws/audit-trail";
import { ConfigRecorder } from "../../../constructs/aws/config-recorder";
import { LogArchive } from "../../../constructs/aws/log-archive";
import { PlatformBackup } from "../../../constructs/aws/platform-backup";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { checkStackJson } from "../../../lib/compliance/aspect";
import { SecureStack } from "../../../lib/secure-stack";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ARCHIVE = "444455556666";
const ROLE = `arn:aws:iam::${ARCHIVE}:role/log-archive-deployer`;
const ADMIN = "arn:aws:iam::111122223333:role/key-admin";
// The platform's account and partition, as the stack's own provider finds them.
const HERE = "${data.aws_caller_identity.aws_context_account.account_id}";
const PARTITION = "${data.aws_partition.aws_context_partition.partition}";
const REGION = "${data.aws_region.aws_context_region.region}";
const TRAIL_ARN = `arn:${PARTITION}:cloudtrail:${REGION}:${HERE}:trail/saip-audit`;

/** What no account root may do with an archive key: change its policy or aliases, disable or delete it. */
const ROOT_NEVER = [
  "kms:*",
  "kms:PutKeyPolicy",
  "kms:CreateAlias",
  "kms:UpdateAlias",
  "kms:DeleteAlias",
  "kms:DisableKey",
  "kms:ScheduleKeyDeletion",
];

/** A stack in the platform's account with a log archive of account ARCHIVE. */
function archiveStack() {
  const stack = new SecureStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const archive = new LogArchive(stack, "LogArchive", {
    accountId: ARCHIVE,
    roleArn: ROLE,
    region: "eu-west-1",
    keyAdministrators: [ADMIN],
    name: "saip",
    trailName: "saip-audit",
  });
  return { stack, archive };
}

/** One stack holding everything the archive serves, synthesized once for every test here. */
function synthArchive() {
  const { stack, archive } = archiveStack();
  const logsKey = new PlatformKey(stack, "LogsKey", { purpose: "logs", administrators: [ADMIN] });
  const accessLogs = new AccessLogBucket(stack, "AccessLogs");
  const trail = new AuditTrail(stack, "AuditTrail", {
    logsKey,
    accessLogs,
    dataEventBucketArns: ["arn:aws:s3:::datasets"],
    archive: archive.trailStorage,
  });
  trail.grantRead({ roleArn: "arn:aws:iam::111122223333:role/auditor", roleName: "auditor" });
  new ConfigRecorder(stack, "ConfigRecorder", { deliveryBucket: archive.configDelivery });
  const backupsKey = new PlatformKey(stack, "BackupsKey", { purpose: "backups", administrators: [ADMIN] });
  const datasetsKey = new PlatformKey(stack, "DatasetsKey", { purpose: "datasets", administrators: [ADMIN] });
  const backup = new PlatformBackup(stack, "Backup", {
    key: backupsKey,
    resourceArns: ["arn:aws:s3:::datasets"],
    sourceKeys: [datasetsKey],
  });
  backup.copyTo(archive.vault);
  archive.logCopy.subscribe(stack, "ClusterLogCopy", "/aws/eks/saip/cluster");
  const json = JSON.parse(Testing.synth(stack)) as Json;
  return { json, stack, backup, archive };
}
const { json, stack, backup, archive } = synthArchive();
const resources = (type: string): Record<string, Json> => json.resource[type] ?? {};
const policyOf = (text: string) => JSON.parse(text).Statement as Json[];
const bySid = (statements: Json[], sid: string) => statements.find((s) => s.Sid === sid);
/** The Allow statements of a policy that name a service principal, as "service: condition". */
const serviceGrants = (statements: Json[]) =>
  statements
    .filter((s) => s.Effect === "Allow" && s.Principal?.Service)
    .map((s) => `${s.Principal.Service} ${JSON.stringify(s.Condition)}`);
/** Whether some Allow statement lets `service` call `action` only with `key` equal to `value`. */
const admits = (statements: Json[], service: string, action: string, key: string, value: string) =>
  statements.some(
    (s) =>
      s.Effect === "Allow" &&
      s.Principal?.Service === service &&
      [s.Action].flat().includes(action) &&
      Object.values(s.Condition ?? {}).some((c) => (c as Json)[key] === value),
  );

describe("LogArchive", () => {
  it("shares the backups key with the archive account for the copy jobs, with grants for AWS resources only", () => {
    const statements = policyOf(resources("aws_kms_key").backups_key.policy);
    expect(bySid(statements, `CopiesTo${ARCHIVE}`)?.Action).toEqual([
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:DescribeKey",
    ]);
    expect(bySid(statements, `CopyGrantsTo${ARCHIVE}`)?.Condition).toEqual({ Bool: { "kms:GrantIsForAWSResource": true } });
  });

  it("configures a second provider that assumes the archive role and works in the archive account only", () => {
    expect(json.provider.aws).toContainEqual(
      expect.objectContaining({
        alias: "archive",
        region: "eu-west-1",
        assume_role: [expect.objectContaining({ role_arn: ROLE })],
        allowed_account_ids: [ARCHIVE],
      }),
    );
  });

  it("creates every archive resource through that provider, and nothing of the watched account", () => {
    const archived: string[] = [];
    const here: string[] = [];
    for (const [type, byName] of Object.entries(json.resource as Record<string, Record<string, Json>>))
      for (const [name, r] of Object.entries(byName))
        (name.startsWith("log_archive_") ? archived : here).push(`${type}.${name} ${r.provider ?? "aws"}`);
    expect(archived.length).toBeGreaterThan(40);
    // Only the auditor's read grant, an inline policy on a role of the watched account, stays there.
    expect(archived.filter((a) => !a.endsWith(" aws.archive"))).toEqual([
      expect.stringMatching(/^aws_iam_role_policy\.log_archive_account_trail_bucket_read\d* aws$/),
    ]);
    expect(resources("aws_iam_role_policy")[archived.find((a) => !a.endsWith(" aws.archive"))!.split(/[. ]/)[1]].role).toBe("auditor");
    expect(here.filter((a) => a.endsWith(" aws.archive"))).toEqual([]);
    // The trail, the recorder, the plan and the subscription stay in the watched account.
    for (const type of ["aws_cloudtrail", "aws_config_delivery_channel", "aws_backup_plan", "aws_cloudwatch_log_subscription_filter"])
      expect(Object.values(resources(type)).map((r) => r.provider)).toEqual([undefined]);
  });

  it("lets only the platform's trail write the trail bucket, which stays locked in compliance mode", () => {
    const bucket = `\${aws_s3_bucket.log_archive_account_trail_bucket.arn}`;
    const statements = policyOf(resources("aws_s3_bucket_policy").log_archive_account_trail_bucket_policy.policy);
    expect(bySid(statements, "CloudTrailWrite")).toMatchObject({
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucket}/AWSLogs/${HERE}/*`,
      Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN, "s3:x-amz-acl": "bucket-owner-full-control" } },
    });
    expect(serviceGrants(statements)).toEqual([
      `cloudtrail.amazonaws.com {"StringEquals":{"aws:SourceArn":"${TRAIL_ARN}"}}`,
      `cloudtrail.amazonaws.com {"StringEquals":{"aws:SourceArn":"${TRAIL_ARN}","s3:x-amz-acl":"bucket-owner-full-control"}}`,
    ]);
    // Negative: a trail of another account is not admitted.
    expect(admits(statements, "cloudtrail.amazonaws.com", "s3:PutObject", "aws:SourceArn", TRAIL_ARN)).toBe(true);
    expect(admits(statements, "cloudtrail.amazonaws.com", "s3:PutObject", "aws:SourceArn", TRAIL_ARN.replace(HERE, ARCHIVE))).toBe(false);
    expect(resources("aws_s3_bucket_object_lock_configuration").log_archive_account_trail_bucket_object_lock.rule).toEqual({
      default_retention: { mode: "COMPLIANCE", days: 365 },
    });
    expect(resources("aws_cloudtrail").audit_trail).toMatchObject({
      s3_bucket_name: "${aws_s3_bucket.log_archive_account_trail_bucket.bucket}",
      kms_key_id: "${aws_kms_key.log_archive_account_logs_key.arn}",
    });
  });

  it("lets CloudTrail encrypt with the archive key for its trail only, by source and by encryption context", () => {
    const statements = policyOf(resources("aws_kms_key").log_archive_account_logs_key.policy);
    expect(bySid(statements, "CloudTrailEncrypt")).toMatchObject({
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Condition: {
        StringEquals: { "aws:SourceArn": TRAIL_ARN },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${PARTITION}:cloudtrail:*:${HERE}:trail/*` },
      },
    });
    expect(admits(statements, "cloudtrail.amazonaws.com", "kms:GenerateDataKey*", "aws:SourceArn", TRAIL_ARN)).toBe(true);
    expect(admits(statements, "cloudtrail.amazonaws.com", "kms:GenerateDataKey*", "aws:SourceArn", "arn:aws:cloudtrail:*:*:trail/*")).toBe(
      false,
    );
  });

  it("gives the archive keys' administration to the archive's administrators and its deploying role, never to an account root", () => {
    for (const [name, key] of Object.entries(resources("aws_kms_key")).filter(([n]) => n.startsWith("log_archive_"))) {
      const statements = policyOf(key.policy);
      expect([name, bySid(statements, "KeyAdministrators")?.Principal]).toEqual([name, { AWS: [ADMIN, ROLE] }]);
      const rootAdmin = statements.filter(
        (s) =>
          [s.Principal?.AWS].flat().some((p: string) => /:root$/.test(p)) && [s.Action].flat().some((a: string) => ROOT_NEVER.includes(a)),
      );
      expect([name, rootAdmin]).toEqual([name, []]);
      // The archive account's root reads metadata: the key is the archive's, not the watched account's.
      expect(bySid(statements, "AccountReadsMetadata")?.Principal).toEqual({ AWS: `arn:${PARTITION}:iam::${ARCHIVE}:root` });
    }
  });

  it("points the Config delivery channel at the archive bucket, which admits the watched account's Config only", () => {
    expect(resources("aws_config_delivery_channel").config_recorder_delivery_channel).toMatchObject({
      s3_bucket_name: "${aws_s3_bucket.log_archive_account_config_bucket.bucket}",
      s3_kms_key_arn: "${aws_kms_key.log_archive_account_logs_key.arn}",
      depends_on: ["aws_config_configuration_recorder.config_recorder", "aws_s3_bucket_policy.log_archive_account_config_bucket_policy"],
    });
    const statements = policyOf(resources("aws_s3_bucket_policy").log_archive_account_config_bucket_policy.policy);
    expect(bySid(statements, "AWSConfigBucketDelivery")).toMatchObject({
      Resource: `\${aws_s3_bucket.log_archive_account_config_bucket.arn}/AWSLogs/${HERE}/Config/*`,
      Condition: { StringEquals: { "aws:SourceAccount": HERE } },
    });
    expect(
      serviceGrants(statements).every((g) => g.startsWith("config.amazonaws.com ") && g.includes(`"aws:SourceAccount":"${HERE}"`)),
    ).toBe(true);
    expect(admits(statements, "config.amazonaws.com", "s3:PutObject", "aws:SourceAccount", ARCHIVE)).toBe(false);
    const key = policyOf(resources("aws_kms_key").log_archive_account_logs_key.policy);
    expect(bySid(key, "AWSConfigDelivery")).toMatchObject({
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Condition: { StringEquals: { "aws:SourceAccount": HERE } },
    });
    // The recorder made no bucket of its own.
    expect(Object.keys(resources("aws_s3_bucket")).filter((n) => n.startsWith("config_recorder"))).toEqual([]);
  });

  it("copies every backup rule into the locked archive vault, which admits the watched account's copies only", () => {
    const rules = resources("aws_backup_plan").backup_plan.rule as Json[];
    expect(rules.map((r) => [r.rule_name, r.copy_action])).toEqual([
      ["daily", [{ destination_vault_arn: "${aws_backup_vault.log_archive_account_copy_vault.arn}", lifecycle: { delete_after: 35 } }]],
      ["weekly", [{ destination_vault_arn: "${aws_backup_vault.log_archive_account_copy_vault.arn}", lifecycle: { delete_after: 90 } }]],
    ]);
    expect(policyOf(resources("aws_backup_vault_policy").log_archive_account_copy_vault_policy.policy)).toEqual([
      {
        Sid: "CopyIntoFromSourceAccounts",
        Effect: "Allow",
        Principal: { AWS: [`arn:${PARTITION}:iam::${HERE}:root`] },
        Action: "backup:CopyIntoBackupVault",
        Resource: "*",
      },
    ]);
    expect(resources("aws_backup_vault_lock_configuration").log_archive_account_copy_vault_lock).toMatchObject({
      min_retention_days: 35,
      max_retention_days: 365,
      changeable_for_days: 3,
    });
    // The archive's own Backup encrypts the copies, through AWS Backup only.
    expect(bySid(policyOf(resources("aws_kms_key").log_archive_account_copy_vault_key.policy), "UseThroughBackup")).toMatchObject({
      Principal: { AWS: `arn:${PARTITION}:iam::${ARCHIVE}:root` },
      Condition: { StringEquals: { "kms:ViaService": `backup.${REGION}.amazonaws.com` } },
    });
    // The source recovery points' key is shared with the archive account, for AWS resources' grants only.
    const source = policyOf(resources("aws_kms_key").backups_key.policy);
    expect(bySid(source, `CopyGrantsTo${ARCHIVE}`)).toMatchObject({
      Principal: { AWS: `arn:${PARTITION}:iam::${ARCHIVE}:root` },
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
    });
    // Negative: a bucket's key stays unshared, since the recovery points of a bucket are under the vault's key.
    expect(JSON.stringify(policyOf(resources("aws_kms_key").datasets_key.policy))).not.toContain(ARCHIVE);
    expect(checkStackJson(stack, { rules: [] }).assumptions).toContainEqual(
      expect.objectContaining({
        subject: "AWS Organizations backup settings",
        assumed: `cross-account backup is turned on in the organization's management account, and account ${ARCHIVE} is in the same organization`,
      }),
    );
  });

  it("refuses a copy whose retention the archive vault lock would not accept", () => {
    const { backup: b, archive: a } = synthArchiveFresh();
    expect(() =>
      b.copyTo({
        ...a.vault,
        vaultArn: "arn:aws:backup:eu-west-1:444455556666:backup-vault:other",
        minRetentionDays: 40,
        maxRetentionDays: 365,
        accountId: ARCHIVE,
      }),
    ).toThrow("test/Backup: the daily rule keeps recovery points 35 days, outside the copy vault lock's 40 to 365 days.");
  });

  it("copies the cluster's log group through a destination only the watched account may subscribe to", () => {
    expect(resources("aws_cloudwatch_log_subscription_filter").cluster_log_copy).toMatchObject({
      log_group_name: "/aws/eks/saip/cluster",
      destination_arn: "${aws_cloudwatch_log_destination.log_archive_account_cluster_log_copy.arn}",
      filter_pattern: "",
      depends_on: ["aws_cloudwatch_log_destination_policy.log_archive_account_cluster_log_copy_policy"],
    });
    const access = policyOf(resources("aws_cloudwatch_log_destination_policy").log_archive_account_cluster_log_copy_policy.access_policy);
    expect(access).toEqual([
      {
        Sid: "SourceAccountSubscribes",
        Effect: "Allow",
        Principal: { AWS: `arn:${PARTITION}:iam::${HERE}:root` },
        Action: "logs:PutSubscriptionFilter",
        Resource: "${aws_cloudwatch_log_destination.log_archive_account_cluster_log_copy.arn}",
      },
    ]);
    const destination = resources("aws_cloudwatch_log_destination").log_archive_account_cluster_log_copy;
    expect(destination.target_arn).toBe("${aws_kinesis_firehose_delivery_stream.log_archive_account_cluster_log_copy_stream.arn}");
    const roles = resources("aws_iam_role");
    const trust = (name: string) => policyOf(roles[name].assume_role_policy)[0];
    expect(trust("log_archive_account_cluster_log_copy_destination_role")).toMatchObject({
      Principal: { Service: "logs.amazonaws.com" },
      Condition: {
        StringLike: { "aws:SourceArn": [`arn:${PARTITION}:logs:${REGION}:${HERE}:*`, `arn:${PARTITION}:logs:${REGION}:${ARCHIVE}:*`] },
      },
    });
    expect(trust("log_archive_account_cluster_log_copy_stream_role")).toMatchObject({
      Principal: { Service: "firehose.amazonaws.com" },
      Condition: { StringEquals: { "sts:ExternalId": ARCHIVE } },
    });
    const putRecords = policyOf(resources("aws_iam_role_policy").log_archive_account_cluster_log_copy_destination_role_policy.policy);
    expect(putRecords).toEqual([
      {
        Sid: "PutRecords",
        Effect: "Allow",
        Action: ["firehose:PutRecord", "firehose:PutRecordBatch"],
        Resource: `arn:${PARTITION}:firehose:${REGION}:${ARCHIVE}:deliverystream/saip-cluster-logs-stream`,
      },
    ]);
    expect(
      resources("aws_kinesis_firehose_delivery_stream").log_archive_account_cluster_log_copy_stream.extended_s3_configuration,
    ).toMatchObject({
      bucket_arn: "${aws_s3_bucket.log_archive_account_cluster_log_copy_bucket.arn}",
      kms_key_arn: "${aws_kms_key.log_archive_account_logs_key.arn}",
    });
    expect(resources("aws_s3_bucket_object_lock_configuration").log_archive_account_cluster_log_copy_bucket_object_lock.rule).toEqual({
      default_retention: { mode: "COMPLIANCE", days: 365 },
    });
  });

  it("lets the trail's auditors read the archived files across accounts: the bucket policy and their own policy name them", () => {
    const statements = policyOf(resources("aws_s3_bucket_policy").log_archive_account_trail_bucket_policy.policy);
    expect(bySid(statements, "Auditor1ReadsArchive")).toMatchObject({
      Principal: { AWS: "arn:aws:iam::111122223333:role/auditor" },
      Action: "s3:GetObject*",
    });
    const audit = Object.values(resources("aws_iam_role_policy")).find((p) => p.name_prefix === "audit-trail-read-")!;
    expect(bySid(policyOf(audit.policy), "DecryptArchivedLogs")).toMatchObject({
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: "${aws_kms_key.log_archive_account_logs_key.arn}",
    });
  });

  it("exposes what the platform wires to", () => {
    expect(archive.accountId).toBe(ARCHIVE);
    expect(archive.vault.vaultArn).toMatch(/^\$\{TfToken/);
    expect([archive.vaultArn, archive.keyArn, archive.trailBucketName, archive.configBucketArn, archive.logCopyBucketArn]).toEqual([
      archive.vault.vaultArn,
      archive.key.keyArn,
      archive.trailBucket.bucketName,
      archive.configBucket.bucketArn,
      archive.logCopy.bucket.bucketArn,
    ]);
    expect(archive.trailStorage.bucket).toBe(archive.trailBucket);
    expect(backup.vaultArn).toBeDefined();
  });
});

function synthArchiveFresh() {
  const { stack, archive: a } = archiveStack();
  const key = new PlatformKey(stack, "BackupsKey", { purpose: "backups", administrators: [ADMIN] });
  return { archive: a, backup: new PlatformBackup(stack, "Backup", { key, resourceArns: ["arn:aws:s3:::datasets"] }) };
}

describe("ArchiveAccount", () => {
  const account = (accountId: string, roleArn: string) => () =>
    new ArchiveAccount(new SecureStack(Testing.app(), "test"), "Archive", { accountId, roleArn, region: "eu-west-1" });

  it("refuses a role of another account, and an account id that is not 12 digits", () => {
    expect(account(ARCHIVE, "arn:aws:iam::111122223333:role/log-archive-deployer")).toThrow(
      "test/Archive: roleArn must be a role in account 444455556666 (accountId), got one in account 111122223333.",
    );
    expect(account("4444", ROLE)).toThrow("test/Archive: accountId must be a 12-digit AWS account id known at synth, got '4444'.");
    expect(account(ARCHIVE, ROLE)).not.toThrow();
  });
});
