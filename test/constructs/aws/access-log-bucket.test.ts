import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { TerraformOutput, Testing } from "cdktf";
import {
  AccessLogBucket,
  AccessLogBucketProps,
  ELB_LEGACY_LOG_ACCOUNTS,
  ELB_LOG_DELIVERY_SERVICE,
} from "../../../constructs/aws/access-log-bucket";
import { SecureStack } from "../../../lib/secure-stack";

type Statement = { Sid?: string; Effect: string; Principal?: unknown; Action: string | string[]; Resource?: unknown; Condition?: unknown };

function synthLogs(props: AccessLogBucketProps = {}, before?: (bucket: AccessLogBucket) => void) {
  const stack = new SecureStack(Testing.app(), "test");
  const bucket = new AccessLogBucket(stack, "AccessLogs", props);
  before?.(bucket);
  const synth = Testing.synth(stack);
  const json = JSON.parse(synth);
  const policy: Statement[] = JSON.parse(json.resource.aws_s3_bucket_policy.access_logs_policy.policy).Statement;
  return { bucket, stack, synth, json, policy };
}

describe("AccessLogBucket", () => {
  it("is a uniquely named bucket that is never force-destroyed", () => {
    const { synth, json, bucket, stack } = synthLogs();
    expect(synth).toHaveResourceWithProperties(S3Bucket, { bucket_prefix: "saip-access-logs-", force_destroy: false });
    expect(Object.keys(json.resource.aws_s3_bucket)).toEqual(["access_logs"]);
    new TerraformOutput(stack, "Name", { value: bucket.bucketName });
    new TerraformOutput(stack, "Arn", { value: bucket.bucketArn });
    const outputs = JSON.parse(Testing.synth(stack)).output;
    expect([outputs.name.value, outputs.arn.value]).toEqual(["${aws_s3_bucket.access_logs.bucket}", "${aws_s3_bucket.access_logs.arn}"]);
  });

  it("encrypts with SSE-S3, the only default encryption server access log delivery supports, and blocks SSE-C", () => {
    const { synth } = synthLogs();
    expect(synth).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" }, blocked_encryption_types: ["SSE-C"] }],
    });
  });

  it("is versioned, blocks public access, and disables ACLs", () => {
    const { synth } = synthLogs();
    expect(synth).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
    expect(synth).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(synth).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: "BucketOwnerEnforced" } });
  });

  it("denies requests without TLS", () => {
    const deny = synthLogs().policy.find((s) => s.Sid === "DenyInsecureTransport");
    expect(deny).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["${aws_s3_bucket.access_logs.arn}", "${aws_s3_bucket.access_logs.arn}/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  it("lets only the S3 logging service write, and only for this account's buckets", () => {
    const { policy, json } = synthLogs();
    const allows = policy.filter((s) => s.Effect === "Allow");
    expect(allows).toEqual([
      {
        Sid: "AllowServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: "${aws_s3_bucket.access_logs.arn}/*",
        Condition: { StringEquals: { "aws:SourceAccount": "${data.aws_caller_identity.aws_context_account.account_id}" } },
      },
    ]);
    expect(json.resource.aws_s3_bucket_policy.access_logs_policy.depends_on).toEqual([
      "aws_s3_bucket_public_access_block.access_logs_public_access_block",
    ]);
  });

  it("keeps logs a year, then expires them; old versions and unfinished uploads are cleaned up", () => {
    const { synth } = synthLogs();
    expect(synth).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{}],
          expiration: [{ days: 365 }],
          noncurrent_version_expiration: [{ noncurrent_days: 90 }],
        },
        {
          id: "abort-incomplete-multipart-uploads",
          status: "Enabled",
          filter: [{}],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        },
      ],
    });
  });

  it("declares itself a log bucket with the tag saip:role = access-logs, which user tags cannot override", () => {
    expect(synthLogs().json.resource.aws_s3_bucket.access_logs.tags).toEqual({ "saip:role": "access-logs" });
    expect(synthLogs({ tags: { "saip:role": "datasets", team: "sec" } }).json.resource.aws_s3_bucket.access_logs.tags).toEqual({
      "saip:role": "access-logs",
      team: "sec",
    });
  });

  it("does not log to itself and has no Object Lock (log delivery refuses locked buckets)", () => {
    const { json } = synthLogs();
    expect(json.resource.aws_s3_bucket_logging).toBeUndefined();
    expect(json.resource.aws_s3_bucket_object_lock_configuration).toBeUndefined();
    expect(json.resource.aws_s3_bucket.access_logs.object_lock_enabled).toBeUndefined();
  });

  it("takes a retention, version days, prefix and tags", () => {
    const { synth } = synthLogs({ retentionDays: 730, noncurrentVersionDays: 30, bucketPrefix: "acme-logs-", tags: { team: "sec" } });
    expect(synth).toHaveResourceWithProperties(S3Bucket, {
      bucket_prefix: "acme-logs-",
      tags: { team: "sec", "saip:role": "access-logs" },
    });
    expect(synth).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: [
        expect.objectContaining({ expiration: [{ days: 730 }], noncurrent_version_expiration: [{ noncurrent_days: 30 }] }),
        expect.anything(),
      ],
    });
  });

  it.each([
    [{ retentionDays: 30 }, /^test\/AccessLogs: retentionDays must be a whole number of at least 90, got 30/],
    [{ noncurrentVersionDays: 0 }, /^test\/AccessLogs: noncurrentVersionDays must be a whole number of at least 1, got 0/],
    [{ bucketPrefix: "Bad_Prefix" }, /^test\/AccessLogs: bucketPrefix must be at most 37 .*got 'Bad_Prefix'/],
    [{ bucketPrefix: "a".repeat(38) }, /^test\/AccessLogs: bucketPrefix must be at most 37/],
  ])("rejects %p", (props, message) => {
    expect(() => synthLogs(props)).toThrow(message);
  });
  describe("allowLoadBalancerLogs", () => {
    const ACCOUNT = "${data.aws_caller_identity.aws_context_account.account_id}";
    const loadBalancerStatements = (policy: Statement[]) => policy.filter((s) => s.Sid?.startsWith("LoadBalancerLogDelivery"));

    it("lets the regional ELB account write under the prefix in Regions opened before August 2022", () => {
      const { policy } = synthLogs({}, (b) => b.allowLoadBalancerLogs("alb/models", "us-east-1"));
      expect(loadBalancerStatements(policy)).toEqual([
        {
          Sid: "LoadBalancerLogDelivery1",
          Effect: "Allow",
          Principal: { AWS: "arn:${data.aws_partition.aws_context_partition.partition}:iam::127311923021:root" },
          Action: "s3:PutObject",
          Resource: `\${aws_s3_bucket.access_logs.arn}/alb/models/AWSLogs/${ACCOUNT}/*`,
        },
      ]);
    });

    it("lets the log delivery service principal write, for this account only, in Regions opened since", () => {
      const { policy } = synthLogs({}, (b) => b.allowLoadBalancerLogs("alb", "me-central-1"));
      expect(loadBalancerStatements(policy)).toEqual([
        {
          Sid: "LoadBalancerLogDelivery1",
          Effect: "Allow",
          Principal: { Service: ELB_LOG_DELIVERY_SERVICE },
          Action: "s3:PutObject",
          Resource: `\${aws_s3_bucket.access_logs.arn}/alb/AWSLogs/${ACCOUNT}/*`,
          Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        },
      ]);
    });

    it("knows the legacy accounts of GovCloud and China and no post-2022 Region", () => {
      expect(ELB_LEGACY_LOG_ACCOUNTS["us-gov-west-1"]).toBe("048591011584");
      expect(ELB_LEGACY_LOG_ACCOUNTS["cn-north-1"]).toBe("638102146993");
      for (const region of [
        "eu-central-2",
        "eu-south-2",
        "ap-south-2",
        "ap-southeast-4",
        "me-central-1",
        "il-central-1",
        "ca-west-1",
        "mx-central-1",
      ]) {
        expect(ELB_LEGACY_LOG_ACCOUNTS[region]).toBeUndefined();
      }
    });

    it("adds one statement per prefix, however often it is asked, and returns the policy to depend on", () => {
      const { policy, bucket, json } = synthLogs({}, (b) => {
        b.allowLoadBalancerLogs("a", "eu-west-1");
        b.allowLoadBalancerLogs("a", "eu-west-1");
        b.allowLoadBalancerLogs("b/c", "eu-west-1");
      });
      expect(loadBalancerStatements(policy).map((s) => [s.Sid, s.Resource])).toEqual([
        ["LoadBalancerLogDelivery1", `\${aws_s3_bucket.access_logs.arn}/a/AWSLogs/${ACCOUNT}/*`],
        ["LoadBalancerLogDelivery2", `\${aws_s3_bucket.access_logs.arn}/b/c/AWSLogs/${ACCOUNT}/*`],
      ]);
      expect(bucket.allowLoadBalancerLogs("a", "eu-west-1")).toBe(bucket.policy);
      expect(Object.keys(json.resource.aws_s3_bucket_policy)).toEqual(["access_logs_policy"]);
    });

    it.each<[string, string, RegExp]>([
      ["/alb", "eu-west-1", /^test\/AccessLogs: load balancer log prefix must be S3 key segments .*got '\/alb'/],
      ["alb/", "eu-west-1", /log prefix must be .*got 'alb\/'/],
      ["a//b", "eu-west-1", /log prefix must be .*got 'a\/\/b'/],
      ["x/AWSLogs", "eu-west-1", /without 'AWSLogs', got 'x\/AWSLogs'/],
      [
        "alb",
        "Ireland",
        /^test\/AccessLogs: load balancer region must be a Region name known at synth, such as 'eu-west-1', got 'Ireland'/,
      ],
    ])("rejects prefix %p in region %p", (prefix, region, message) => {
      expect(() => synthLogs({}, (b) => b.allowLoadBalancerLogs(prefix, region))).toThrow(message);
    });

    it("refuses load balancers of two Regions, since ELB logs only to a bucket in its own", () => {
      expect(() =>
        synthLogs({}, (b) => {
          b.allowLoadBalancerLogs("a", "eu-west-1");
          b.allowLoadBalancerLogs("b", "eu-west-2");
        }),
      ).toThrow(
        /^test\/AccessLogs: load balancers log only to a bucket in their own Region; this bucket already serves eu-west-1, got 'eu-west-2'/,
      );
    });
  });
});
