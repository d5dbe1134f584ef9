import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { Testing } from "cdktf";
import { AccessLogBucket } from "../../../constructs/aws/access-log-bucket";
import { AccessRole } from "../../../constructs/aws/access-role";
import { AuditTrail, AuditTrailProps, cloudTrailDeliveryStatements } from "../../../constructs/aws/audit-trail";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { SecureStack } from "../../../lib/secure-stack";

const ADMIN = "arn:aws:iam::111122223333:role/key-admin";
const DATASETS = "arn:aws:s3:::saip-datasets-1";
const MODELS = "arn:aws:s3:::saip-models-1";
const ACCOUNT = "${data.aws_caller_identity.aws_context_account.account_id}";
const TRAIL_ARN =
  "arn:${data.aws_partition.aws_context_partition.partition}:cloudtrail:${data.aws_region.aws_context_region.region}:" +
  ACCOUNT +
  ":trail/saip-audit";

function synthTrail(props: Partial<AuditTrailProps> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  const logsKey = new PlatformKey(stack, "LogsKey", { purpose: "logs", administrators: [ADMIN] });
  const accessLogs = new AccessLogBucket(stack, "AccessLogs");
  new AuditTrail(stack, "AuditTrail", { logsKey, accessLogs, dataEventBucketArns: [DATASETS, MODELS], ...props });
  const synth = Testing.synth(stack);
  return { synth, json: JSON.parse(synth) };
}

describe("AuditTrail", () => {
  it("records every region with validated, KMS-encrypted log files", () => {
    const { synth, json } = synthTrail();
    expect(synth).toHaveResourceWithProperties(Cloudtrail, {
      name: "saip-audit",
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
      kms_key_id: "${aws_kms_key.logs_key.arn}",
      s3_bucket_name: "${aws_s3_bucket.audit_trail_bucket.bucket}",
    });
    expect(Object.keys(json.resource.aws_cloudtrail)).toEqual(["audit_trail"]);
  });

  it("records management events, read and write, and object events of the data buckets only", () => {
    const trail = synthTrail().json.resource.aws_cloudtrail.audit_trail;
    expect(trail.event_selector).toBeUndefined();
    const [management, data] = trail.advanced_event_selector;
    expect(management.field_selector).toEqual([{ field: "eventCategory", equals: ["Management"] }]);
    expect(data.field_selector).toEqual([
      { field: "eventCategory", equals: ["Data"] },
      { field: "resources.type", equals: ["AWS::S3::Object"] },
      { field: "resources.ARN", starts_with: [`${DATASETS}/`, `${MODELS}/`] },
    ]);
  });

  it("delivers to a dedicated bucket locked in COMPLIANCE mode for a year and encrypted with the logs key", () => {
    const { synth } = synthTrail();
    expect(synth).toHaveResourceWithProperties(S3BucketObjectLockConfigurationA, {
      bucket: "${aws_s3_bucket.audit_trail_bucket.id}",
      rule: { default_retention: { mode: "COMPLIANCE", days: 365 } },
    });
    expect(synth).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      bucket: "${aws_s3_bucket.audit_trail_bucket.id}",
      rule: [
        expect.objectContaining({
          apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.logs_key.arn}" },
        }),
      ],
    });
  });

  it("takes a longer object lock", () => {
    expect(synthTrail({ objectLockDays: 730 }).synth).toHaveResourceWithProperties(S3BucketObjectLockConfigurationA, {
      rule: { default_retention: { mode: "COMPLIANCE", days: 730 } },
    });
  });

  it("access-logs the audit bucket", () => {
    const logging = synthTrail().json.resource.aws_s3_bucket_logging.audit_trail_bucket_access_logging;
    expect(logging.target_bucket).toBe("${aws_s3_bucket.access_logs.bucket}");
  });

  it("streams to an encrypted log group kept a year, through a role limited to its log streams", () => {
    const { synth, json } = synthTrail();
    expect(synth).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/saip/cloudtrail/saip-audit",
      kms_key_id: "${aws_kms_key.logs_key.arn}",
      retention_in_days: 365,
    });
    const trail = json.resource.aws_cloudtrail.audit_trail;
    expect(trail.cloud_watch_logs_group_arn).toBe("${aws_cloudwatch_log_group.audit_trail_log_group.arn}:*");
    expect(trail.cloud_watch_logs_role_arn).toBe("${aws_iam_role.audit_trail_logs_role.arn}");
    const trust = JSON.parse(json.resource.aws_iam_role.audit_trail_logs_role.assume_role_policy);
    expect(trust.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
      },
    ]);
    const policy = JSON.parse(json.resource.aws_iam_role_policy.audit_trail_logs_role_policy.policy);
    expect(policy.Statement).toEqual([
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: "${aws_cloudwatch_log_group.audit_trail_log_group.arn}:log-stream:*",
      },
    ]);
  });

  it("takes a longer log group retention", () => {
    expect(synthTrail({ retentionInDays: 731 }).synth).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 731 });
  });

  it("lets only this trail use the logs key, and CloudWatch Logs for the log group", () => {
    const key = synthTrail().json.resource.aws_kms_key.logs_key;
    const statements = JSON.parse(key.policy).Statement;
    expect(statements).toContainEqual({
      Sid: "CloudTrailUse",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt", "kms:DescribeKey"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN } },
    });
    expect(statements.map((s: { Sid?: string }) => s.Sid)).toContain("CloudWatchLogsUse");
  });

  it("waits for the log role's policy and the bucket policy before creating the trail", () => {
    const trail = synthTrail().json.resource.aws_cloudtrail.audit_trail;
    expect(trail.depends_on).toEqual(
      expect.arrayContaining(["aws_iam_role_policy.audit_trail_logs_role_policy", "aws_s3_bucket_policy.audit_trail_bucket_policy"]),
    );
  });

  it("lets the trail deliver to the audit bucket through the bucket policy", () => {
    const policy = JSON.parse(synthTrail().json.resource.aws_s3_bucket_policy.audit_trail_bucket_policy.policy);
    const sids = policy.Statement.map((s: { Sid?: string }) => s.Sid);
    expect(sids).toEqual(expect.arrayContaining(["CloudTrailAclCheck", "CloudTrailWrite"]));
    const write = policy.Statement.find((s: { Sid?: string }) => s.Sid === "CloudTrailWrite");
    expect(write.Condition.StringEquals["aws:SourceArn"]).toBe(TRAIL_ARN);
  });

  it("admits the digest files CloudTrail writes with SSE-S3, and still denies other encryption everywhere else", () => {
    const policy = JSON.parse(synthTrail().json.resource.aws_s3_bucket_policy.audit_trail_bucket_policy.policy);
    const kmsOnly = policy.Statement.find((s: { Sid?: string }) => s.Sid === "DenyEncryptionOtherThanKms");
    expect(kmsOnly.Resource).toBeUndefined();
    expect(kmsOnly.NotResource).toEqual([`\${aws_s3_bucket.audit_trail_bucket.arn}/AWSLogs/${ACCOUNT}/CloudTrail-Digest/*`]);
    expect(kmsOnly.Condition.StringNotEquals).toEqual({ "s3:x-amz-server-side-encryption": "aws:kms" });
  });

  it("builds delivery statements limited to the trail, with the bucket-owner ACL", () => {
    const statements = cloudTrailDeliveryStatements(
      "arn:aws:s3:::audit",
      "arn:aws:cloudtrail:eu-west-1:111122223333:trail/saip-audit",
      "111122223333",
    );
    expect(statements).toEqual([
      expect.objectContaining({
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:GetBucketAcl",
        Resource: "arn:aws:s3:::audit",
        Condition: { StringEquals: { "aws:SourceArn": "arn:aws:cloudtrail:eu-west-1:111122223333:trail/saip-audit" } },
      }),
      expect.objectContaining({
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::audit/AWSLogs/111122223333/*",
        Condition: {
          StringEquals: {
            "aws:SourceArn": "arn:aws:cloudtrail:eu-west-1:111122223333:trail/saip-audit",
            "s3:x-amz-acl": "bucket-owner-full-control",
          },
        },
      }),
    ]);
  });

  it.each([
    [{ dataEventBucketArns: [] }, /AuditTrail: dataEventBucketArns must name at least one bucket/],
    [
      { dataEventBucketArns: ["arn:aws:s3:::models/prefix"] },
      /dataEventBucketArns must hold S3 bucket ARNs, got 'arn:aws:s3:::models\/prefix'/,
    ],
    [{ objectLockDays: 30 }, /AuditTrail: objectLockDays must be a whole number from 365 to 36500, got 30/],
    [{ retentionInDays: 90 }, /AuditTrail\/LogGroup: retentionInDays must be one of .*, got 90/],
    [
      { trailName: "a b" },
      /AuditTrail: trailName must be 3 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit, got 'a b'/,
    ],
  ])("rejects %p", (props, message) => {
    expect(() => synthTrail(props)).toThrow(message);
  });
});

describe("AuditTrail.grantRead", () => {
  const AUDITOR = "arn:aws:iam::111122223333:role/security-auditor";

  function synthWithAuditor() {
    const stack = new SecureStack(Testing.app(), "test");
    const logsKey = new PlatformKey(stack, "LogsKey", { purpose: "logs", administrators: [ADMIN] });
    const trail = new AuditTrail(stack, "AuditTrail", {
      logsKey,
      accessLogs: new AccessLogBucket(stack, "AccessLogs"),
      dataEventBucketArns: [DATASETS],
    });
    const auditor = new AccessRole(stack, "Auditor", { job: "Reads the audit trail", principalArns: [AUDITOR] });
    trail.grantRead(auditor);
    trail.grantRead(auditor);
    return JSON.parse(Testing.synth(stack));
  }
  type Statement = { Sid?: string; Effect: string; Principal?: { AWS?: string }; Action: string | string[]; Resource?: string | string[] };
  const statementsOf = (json: { resource: Record<string, Record<string, { role?: string; policy: string }>> }) =>
    Object.values(json.resource.aws_iam_role_policy)
      .filter((p) => p.role === "${aws_iam_role.auditor.name}")
      .flatMap((p) => JSON.parse(p.policy).Statement as Statement[]);

  // What `aws cloudtrail validate-logs --trail-arn` calls: DescribeTrails, ListPublicKeys, then ListObjects and GetObject on digest and log
  // files.
  it("lets the auditor find the trail, fetch its public keys and read the log and digest files", () => {
    const statements = statementsOf(synthWithAuditor());
    const allowed = (action: string, resource: string) =>
      statements.some(
        (s) =>
          [s.Action].flat().some((a) => a === action || (a.endsWith("*") && action.startsWith(a.slice(0, -1)))) &&
          [s.Resource].flat().includes(resource),
      );
    expect(allowed("cloudtrail:DescribeTrails", "*")).toBe(true);
    expect(allowed("cloudtrail:ListPublicKeys", "*")).toBe(true);
    expect(allowed("s3:ListBucket", "${aws_s3_bucket.audit_trail_bucket.arn}")).toBe(true);
    expect(allowed("s3:GetObject", "${aws_s3_bucket.audit_trail_bucket.arn}/*")).toBe(true);
    expect(statements.find((s) => s.Sid === "TrailStatus")?.Resource).toBe("${aws_cloudtrail.audit_trail.arn}");
    // Reading only: nothing writes, deletes or changes the trail.
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a) => /Put|Delete|Update|Stop|Create/.test(a))).toEqual([]);
  });

  it("lets the auditor decrypt with the logs key, and grants once however often it is asked", () => {
    const json = synthWithAuditor();
    const key = JSON.parse(json.resource.aws_kms_key.logs_key.policy).Statement as Statement[];
    const auditorStatements = key.filter((s) => s.Principal?.AWS === "${aws_iam_role.auditor.arn}");
    expect(auditorStatements).toEqual([
      {
        Sid: "Decrypt1",
        Effect: "Allow",
        Principal: { AWS: "${aws_iam_role.auditor.arn}" },
        Action: ["kms:Decrypt", "kms:DescribeKey"],
        Resource: "*",
      },
    ]);
    expect(
      Object.values(json.resource.aws_iam_role_policy).filter((p) => (p as { role: string }).role === "${aws_iam_role.auditor.name}"),
    ).toHaveLength(2);
  });
});
