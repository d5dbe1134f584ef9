import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { TerraformOutput, Testing } from "cdktf";
import { Construct } from "constructs";
import { AccessLogBucket } from "../../../constructs/aws/access-log-bucket";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { SecureBucket, SecureBucketProps } from "../../../constructs/aws/secure-bucket";
import { SecureStack } from "../../../lib/secure-stack";

type Statement = { Sid?: string; Effect: string; Principal?: unknown; Action: string | string[]; Resource?: unknown; Condition?: unknown };

const ROLE_ARN = "arn:aws:iam::111122223333:role/training";

class Role extends Construct {
  readonly roleArn = ROLE_ARN;
  readonly roleName = "training";
}

function setup(props: Partial<SecureBucketProps> = {}) {
  const stack = new SecureStack(Testing.app(), "test");
  const key = new PlatformKey(stack, "DatasetsKey", { purpose: "datasets", administrators: ["arn:aws:iam::111122223333:role/key-admin"] });
  const accessLogs = new AccessLogBucket(stack, "AccessLogs");
  const bucket = new SecureBucket(stack, "DatasetsBucket", { purpose: "datasets", key, accessLogs, ...props });
  return { stack, key, bucket };
}

function synth(stack: SecureStack) {
  const text = Testing.synth(stack);
  const json = JSON.parse(text);
  const statements = (type: string, name: string, attribute = "policy"): Statement[] =>
    JSON.parse(json.resource[type][name][attribute]).Statement;
  return { text, json, statements };
}

const BUCKET_ARN = "${aws_s3_bucket.datasets_bucket.arn}";
const KEY_ARN = "${aws_kms_key.datasets_key.arn}";

describe("SecureBucket", () => {
  it("is a uniquely named, tagged bucket that is never force-destroyed and has no Object Lock by default", () => {
    const { text, json } = synth(setup({ tags: { team: "ml" } }).stack);
    expect(text).toHaveResourceWithProperties(S3Bucket, {
      bucket_prefix: "saip-datasets-",
      force_destroy: false,
      tags: { team: "ml", Purpose: "datasets" },
    });
    expect(json.resource.aws_s3_bucket.datasets_bucket.object_lock_enabled).toBeUndefined();
    expect(json.resource.aws_s3_bucket_object_lock_configuration).toBeUndefined();
  });

  it("encrypts with the platform key and an S3 bucket key, and blocks SSE-C", () => {
    expect(synth(setup().stack).text).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      bucket: "${aws_s3_bucket.datasets_bucket.id}",
      rule: [
        {
          apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: KEY_ARN },
          bucket_key_enabled: true,
          blocked_encryption_types: ["SSE-C"],
        },
      ],
    });
  });

  it("is versioned, blocks all public access and disables ACLs", () => {
    const { text } = synth(setup().stack);
    expect(text).toHaveResourceWithProperties(S3BucketVersioningA, {
      bucket: "${aws_s3_bucket.datasets_bucket.id}",
      versioning_configuration: { status: "Enabled" },
    });
    expect(text).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: "${aws_s3_bucket.datasets_bucket.id}",
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(text).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      bucket: "${aws_s3_bucket.datasets_bucket.id}",
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
  });

  it("denies requests without TLS", () => {
    const statements = synth(setup().stack).statements("aws_s3_bucket_policy", "datasets_bucket_policy");
    expect(statements).toContainEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  it("denies uploads that ask for other encryption or another key, but not uploads that rely on the default", () => {
    const { statements, json } = synth(setup().stack);
    const policy = statements("aws_s3_bucket_policy", "datasets_bucket_policy");
    expect(policy).toContainEqual({
      Sid: "DenyEncryptionOtherThanKms",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: `${BUCKET_ARN}/*`,
      Condition: {
        StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
        Null: { "s3:x-amz-server-side-encryption": "false" },
      },
    });
    expect(policy).toContainEqual({
      Sid: "DenyOtherKmsKeys",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: `${BUCKET_ARN}/*`,
      Condition: {
        StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": KEY_ARN },
        Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
      },
    });
    expect(policy.filter((s) => s.Effect === "Allow")).toEqual([]);
    expect(json.resource.aws_s3_bucket_policy.datasets_bucket_policy.depends_on).toEqual([
      "aws_s3_bucket_public_access_block.datasets_bucket_public_access_block",
    ]);
  });

  it("logs access to the access log bucket under its purpose, partitioned by date", () => {
    expect(synth(setup().stack).text).toHaveResourceWithProperties(S3BucketLoggingA, {
      bucket: "${aws_s3_bucket.datasets_bucket.id}",
      target_bucket: "${aws_s3_bucket.access_logs.bucket}",
      target_prefix: "datasets/",
      target_object_key_format: { partitioned_prefix: { partition_date_source: "EventTime" } },
    });
  });

  it("expires old versions after 90 days and unfinished uploads after 7, with a filter on every rule", () => {
    const { text, json } = synth(setup().stack);
    expect(text).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: [{}],
          noncurrent_version_expiration: [{ noncurrent_days: 90 }],
          expiration: [{ expired_object_delete_marker: true }],
        },
        {
          id: "abort-incomplete-multipart-uploads",
          status: "Enabled",
          filter: [{}],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        },
      ],
    });
    expect(json.resource.aws_s3_bucket_lifecycle_configuration.datasets_bucket_lifecycle.depends_on).toEqual([
      "aws_s3_bucket_versioning.datasets_bucket_versioning",
    ]);
  });

  it("locks new versions in COMPLIANCE mode when Object Lock is asked for", () => {
    const { text } = synth(setup({ objectLock: { days: 30 }, noncurrentVersionDays: 180 }).stack);
    expect(text).toHaveResourceWithProperties(S3Bucket, { object_lock_enabled: true });
    expect(text).toHaveResourceWithProperties(S3BucketObjectLockConfigurationA, {
      rule: { default_retention: { mode: "COMPLIANCE", days: 30 } },
    });
    expect(text).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: [expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 180 }] }), expect.anything()],
    });
    const governance = synth(setup({ objectLock: { mode: "GOVERNANCE", days: 7 } }).stack).text;
    expect(governance).toHaveResourceWithProperties(S3BucketObjectLockConfigurationA, {
      rule: { default_retention: { mode: "GOVERNANCE", days: 7 } },
    });
  });

  it("exposes its name, ARN and key", () => {
    const { stack, bucket, key } = setup();
    new TerraformOutput(stack, "Name", { value: bucket.bucketName });
    new TerraformOutput(stack, "Arn", { value: bucket.bucketArn });
    const outputs = synth(stack).json.output;
    expect([outputs.name.value, outputs.arn.value]).toEqual(["${aws_s3_bucket.datasets_bucket.bucket}", BUCKET_ARN]);
    expect(bucket.key).toBe(key);
  });

  it("grants read: list and get on the bucket, decrypt on the key", () => {
    const { stack, bucket } = setup();
    bucket.grantRead(new Role(stack, "TrainingRole"));
    const { text, statements } = synth(stack);
    expect(text).toHaveResourceWithProperties(IamRolePolicy, { role: "training", name_prefix: "datasets-bucket-read-" });
    expect(statements("aws_iam_role_policy", "datasets_bucket_read_training_role")).toEqual([
      { Sid: "ListBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: BUCKET_ARN },
      { Sid: "Objects", Effect: "Allow", Action: ["s3:GetObject*"], Resource: `${BUCKET_ARN}/*` },
    ]);
    const key = statements("aws_kms_key", "datasets_key").find((s) => JSON.stringify(s.Principal).includes(ROLE_ARN));
    expect(key?.Action).toEqual(["kms:Decrypt", "kms:DescribeKey"]);
  });

  it("grants read-write: put and delete current objects, encrypt and decrypt, never delete versions", () => {
    const { stack, bucket } = setup();
    bucket.grantReadWrite({ roleArn: ROLE_ARN, roleName: "training" });
    const { json, statements } = synth(stack);
    const [name] = Object.keys(json.resource.aws_iam_role_policy);
    expect(name).toMatch(/^datasets_bucket_read_write\d+$/);
    const policy = statements("aws_iam_role_policy", name);
    const objects = policy.find((s) => s.Sid === "Objects");
    expect(objects?.Action).toEqual(
      expect.arrayContaining(["s3:GetObject*", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]),
    );
    expect(policy.flatMap((s) => s.Action)).not.toContain("s3:DeleteObjectVersion");
    const key = statements("aws_kms_key", "datasets_key").find((s) => JSON.stringify(s.Principal).includes(ROLE_ARN));
    expect(key?.Action).toEqual(expect.arrayContaining(["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"]));
  });

  it("grants each access once per grantee, and keeps grantees with the same id apart", () => {
    const { stack, bucket } = setup();
    const role = new Role(stack, "TrainingRole");
    bucket.grantRead(role);
    bucket.grantRead(role);
    bucket.grantRead(new Role(new Construct(stack, "Other"), "TrainingRole"));
    const { json, statements } = synth(stack);
    expect(Object.keys(json.resource.aws_iam_role_policy)).toHaveLength(2);
    expect(statements("aws_kms_key", "datasets_key").filter((s) => s.Sid?.startsWith("Decrypt"))).toHaveLength(2);
  });

  it("grants read under a prefix: objects under it, listing only with it, no other keys", () => {
    const { stack, bucket } = setup();
    bucket.grantRead(new Role(stack, "TrainingRole"), { prefix: "fraud-models/" });
    const { text, statements } = synth(stack);
    expect(text).toHaveResourceWithProperties(IamRolePolicy, { role: "training", name_prefix: "datasets-bucket-read-" });
    expect(statements("aws_iam_role_policy", "datasets_bucket_read_training_role")).toEqual([
      { Sid: "BucketLocation", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: BUCKET_ARN },
      {
        Sid: "ListPrefix",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: BUCKET_ARN,
        Condition: { StringLike: { "s3:prefix": ["fraud-models/*"] } },
      },
      { Sid: "PrefixObjects", Effect: "Allow", Action: ["s3:GetObject*"], Resource: `${BUCKET_ARN}/fraud-models/*` },
    ]);
    const key = statements("aws_kms_key", "datasets_key").filter((s) => JSON.stringify(s.Principal).includes(ROLE_ARN));
    expect(key.map((s) => s.Action)).toEqual([["kms:Decrypt", "kms:DescribeKey"]]);
  });

  it("grants read-write under a prefix without listing other keys' uploads or deleting versions", () => {
    const { stack, bucket } = setup();
    bucket.grantReadWrite(new Role(stack, "TrainingRole"), { prefix: "research/" });
    const policy = synth(stack).statements("aws_iam_role_policy", "datasets_bucket_read_write_training_role");
    expect(policy).toEqual([
      { Sid: "BucketLocation", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: BUCKET_ARN },
      {
        Sid: "ListPrefix",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: BUCKET_ARN,
        Condition: { StringLike: { "s3:prefix": ["research/*"] } },
      },
      {
        Sid: "PrefixObjects",
        Effect: "Allow",
        Action: ["s3:GetObject*", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        Resource: `${BUCKET_ARN}/research/*`,
      },
    ]);
    expect(policy.flatMap((s) => [s.Action].flat())).not.toContain("s3:ListBucketMultipartUploads");
  });

  it("keeps grants under different prefixes apart, with one key statement per grantee", () => {
    const { stack, bucket } = setup();
    const role = new Role(stack, "TrainingRole");
    bucket.grantRead(role, { prefix: "a/" });
    bucket.grantRead(role, { prefix: "a/" });
    bucket.grantRead(role, { prefix: "b/" });
    const { json, statements } = synth(stack);
    const policies = Object.values(json.resource.aws_iam_role_policy as Record<string, { policy: string }>).map(
      (p) => JSON.parse(p.policy).Statement as Statement[],
    );
    expect(policies.map((p) => p.find((s) => s.Sid === "PrefixObjects")?.Resource)).toEqual([`${BUCKET_ARN}/a/*`, `${BUCKET_ARN}/b/*`]);
    expect(statements("aws_kms_key", "datasets_key").filter((s) => s.Sid?.startsWith("Decrypt"))).toHaveLength(1);
  });

  it.each(["", "fraud-models", "fraud-*/", "team?/", "*"])("refuses the prefix %p", (prefix) => {
    const { stack, bucket } = setup();
    const message = `test/DatasetsBucket: prefix must be a non-empty key prefix ending in "/" with no wildcards (* or ?), got '${prefix}'.`;
    expect(() => bucket.grantRead(new Role(stack, "TrainingRole"), { prefix })).toThrow(message);
    expect(() => bucket.grantReadWrite({ roleArn: ROLE_ARN, roleName: "training" }, { prefix })).toThrow(message);
  });

  it.each([
    [{ purpose: "Data Sets" }, /^test\/DatasetsBucket: purpose must be lower-case letters, digits and dashes, got 'Data Sets'/],
    [{ bucketPrefix: "UPPER-" }, /^test\/DatasetsBucket: bucketPrefix must be at most 37 .*got 'UPPER-'/],
    [{ noncurrentVersionDays: 0.5 }, /^test\/DatasetsBucket: noncurrentVersionDays must be a whole number of at least 1, got 0.5/],
    [{ objectLock: { days: 0 } }, /^test\/DatasetsBucket: objectLock.days must be a whole number from 1 to 36500, got 0/],
    [
      { objectLock: { days: 1, mode: "LEGAL" as "COMPLIANCE" } },
      /^test\/DatasetsBucket: objectLock.mode must be GOVERNANCE or COMPLIANCE, got 'LEGAL'/,
    ],
  ])("rejects %p", (props, message) => {
    expect(() => setup(props)).toThrow(message);
  });

  it("adds the writers of a second restrictWritesTo to the same deny", () => {
    const { stack, bucket } = setup();
    bucket.restrictWritesTo(["arn:aws:iam::111122223333:role/publisher"]);
    bucket.restrictWritesTo(["arn:aws:iam::111122223333:role/backup", "arn:aws:iam::111122223333:role/publisher"]);
    const deny = synth(stack)
      .statements("aws_s3_bucket_policy", "datasets_bucket_policy")
      .filter((s) => s.Sid === "WritesOnlyByPublishers");
    expect(deny.map((s) => s.Condition)).toEqual([
      { ArnNotEquals: { "aws:PrincipalArn": ["arn:aws:iam::111122223333:role/publisher", "arn:aws:iam::111122223333:role/backup"] } },
    ]);
  });
});
