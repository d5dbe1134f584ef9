import { Testing } from "cdktf";
import { Construct } from "constructs";
import { AccessLogBucket } from "../../../constructs/aws/access-log-bucket";
import { Keyring } from "../../../constructs/aws/keyring";
import { PlatformKey } from "../../../constructs/aws/platform-key";
import { SecureBucket } from "../../../constructs/aws/secure-bucket";
import { SecureStack } from "../../../lib/secure-stack";

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
};

const ADMIN = "arn:aws:iam::111122223333:role/key-admin";
const BUCKET_ARN = "${aws_s3_bucket.datasets_bucket.arn}";
const KEY_ID = "s3:x-amz-server-side-encryption-aws-kms-key-id";

class Role extends Construct {
  constructor(
    scope: Construct,
    id: string,
    readonly roleArn: string,
  ) {
    super(scope, id);
  }
  get roleName() {
    return this.node.id;
  }
}

function setup() {
  const stack = new SecureStack(Testing.app(), "test");
  const key = (id: string, purpose: string) => new PlatformKey(stack, id, { purpose, administrators: [ADMIN] });
  const bucketKey = key("DatasetsKey", "datasets");
  const tenantA = key("TenantAKey", "tenant-a");
  const tenantB = key("TenantBKey", "tenant-b");
  const bucket = new SecureBucket(stack, "DatasetsBucket", {
    purpose: "datasets",
    key: bucketKey,
    accessLogs: new AccessLogBucket(stack, "AccessLogs"),
  });
  return { stack, bucket, bucketKey, tenantA, tenantB };
}

function synth(stack: SecureStack) {
  const json = JSON.parse(Testing.synth(stack));
  const statements = (type: string, name: string): Statement[] => JSON.parse(json.resource[type][name].policy).Statement;
  /** Key policy statements that name `arn`. */
  const naming = (keyName: string, arn: string) =>
    statements("aws_kms_key", keyName).filter((s) => JSON.stringify(s.Principal).includes(arn));
  return { json, statements, naming };
}

describe("SecureBucket.encryptPrefixWith", () => {
  it("holds writes under the prefix to its key, and the rest of the bucket to the bucket's", () => {
    const { stack, bucket, tenantA, tenantB } = setup();
    bucket.encryptPrefixWith("tenant-a/", tenantA);
    bucket.encryptPrefixWith("tenant-b/", tenantB);
    const policy = synth(stack).statements("aws_s3_bucket_policy", "datasets_bucket_policy");
    expect(policy.find((s) => s.Sid === "DenyOtherKmsKeys")).toEqual({
      Sid: "DenyOtherKmsKeys",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      NotResource: [`${BUCKET_ARN}/tenant-a/*`, `${BUCKET_ARN}/tenant-b/*`],
      Condition: { StringNotEquals: { [KEY_ID]: "${aws_kms_key.datasets_key.arn}" }, Null: { [KEY_ID]: "false" } },
    });
    expect(policy.filter((s) => s.Sid?.endsWith("UnderPrefix1"))).toEqual([
      {
        Sid: "DenyOtherKeysUnderPrefix1",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: `${BUCKET_ARN}/tenant-a/*`,
        Condition: { StringNotEquals: { [KEY_ID]: "${aws_kms_key.tenant_a_key.arn}" }, Null: { [KEY_ID]: "false" } },
      },
      {
        // aws:kms without a key id would get the AWS managed key; UploadPart carries neither header and passes.
        Sid: "DenyUnnamedKeyUnderPrefix1",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: `${BUCKET_ARN}/tenant-a/*`,
        Condition: { Null: { "s3:x-amz-server-side-encryption": "false", [KEY_ID]: "true" } },
      },
    ]);
    expect(bucket.keys.map((k) => k.purpose)).toEqual(["datasets", "tenant-a", "tenant-b"]);
  });

  it("grants a role within a prefix that prefix's key only, and a whole-bucket role every key", () => {
    const { stack, bucket, tenantA, tenantB } = setup();
    bucket.encryptPrefixWith("tenant-a/", tenantA);
    bucket.encryptPrefixWith("tenant-b/", tenantB);
    const a = "arn:aws:iam::111122223333:role/a";
    const publisher = "arn:aws:iam::111122223333:role/publisher";
    bucket.grantReadWrite(new Role(stack, "A", a), { prefix: "tenant-a/runs/" });
    bucket.grantReadWrite(new Role(stack, "Publisher", publisher));
    const { naming } = synth(stack);
    expect(naming("tenant_a_key", a).map((s) => s.Action)).toEqual([expect.arrayContaining(["kms:GenerateDataKey*", "kms:Decrypt"])]);
    expect(naming("tenant_b_key", a)).toEqual([]);
    expect(naming("datasets_key", a)).toEqual([]);
    for (const key of ["datasets_key", "tenant_a_key", "tenant_b_key"]) expect(naming(key, publisher)).toHaveLength(1);
  });

  it.each([
    [
      "a pin after a grant that reaches it",
      (b: SecureBucket, s: SecureStack, k: PlatformKey) => {
        b.grantRead(new Role(s, "R", "arn:aws:iam::111122223333:role/r"));
        b.encryptPrefixWith("tenant-a/", k);
      },
      "test/DatasetsBucket: pin 'tenant-a/' to its key before granting access that reaches it.",
    ],
    [
      "overlapping prefixes",
      (b: SecureBucket, _s: SecureStack, k: PlatformKey) => {
        b.encryptPrefixWith("tenant-a/", k);
        b.encryptPrefixWith("tenant-a/x/", k);
      },
      "test/DatasetsBucket: prefix 'tenant-a/x/' overlaps 'tenant-a/', which has a key of its own already.",
    ],
    [
      "a wildcard",
      (b: SecureBucket, _s: SecureStack, k: PlatformKey) => b.encryptPrefixWith("tenant-*/", k),
      /prefix must be a non-empty key prefix ending in "\/"/,
    ],
  ])("refuses %s", (_what, act, message) => {
    const { stack, bucket, tenantA } = setup();
    expect(() => act(bucket, stack, tenantA)).toThrow(message);
  });

  it("refuses the bucket's own key", () => {
    const { bucket, bucketKey } = setup();
    expect(() => bucket.encryptPrefixWith("tenant-a/", bucketKey)).toThrow(
      "test/DatasetsBucket: the key pinned to 'tenant-a/' is the bucket's own key.",
    );
  });
});

describe("Keyring.addTenant", () => {
  it("makes a tenant's keys under its own aliases, administered as every other key of the ring", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const ring = new Keyring(stack, "Keys", {
      administrators: [ADMIN],
      breakGlassRoleArn: "arn:aws:iam::111122223333:role/break-glass",
      aliasPrefix: "acme",
    });
    const keys = ring.addTenant("fraud-models");
    expect(ring.tenants["fraud-models"]).toBe(keys);
    expect(ring.all).toEqual(expect.arrayContaining([keys.datasets, keys.checkpoints, keys.modelStore]));
    const json = JSON.parse(Testing.synth(stack));
    const aliases = Object.values(json.resource.aws_kms_alias as Record<string, { name: string }>).map((a) => a.name);
    expect(aliases).toEqual(
      expect.arrayContaining([
        "alias/acme/fraud-models/datasets",
        "alias/acme/fraud-models/checkpoints",
        "alias/acme/fraud-models/model-store",
      ]),
    );
    const administration = (name: string) =>
      (JSON.parse(json.resource.aws_kms_key[name].policy).Statement as Statement[]).filter((s) =>
        ["KeyAdministrators", "BreakGlassWithMfa"].includes(s.Sid!),
      );
    expect(administration("keys_fraud_models_datasets_key")).toEqual(administration("keys_datasets_key"));
    expect(administration("keys_fraud_models_datasets_key")).toHaveLength(2);
    expect(json.resource.aws_kms_key.keys_fraud_models_checkpoints_key.description).toBe("Protects tenant fraud-models's checkpoints");
  });

  it("refuses a tenant twice, and names that are not DNS labels", () => {
    const ring = new Keyring(new SecureStack(Testing.app(), "test"), "Keys", { administrators: [ADMIN] });
    ring.addTenant("a");
    expect(() => ring.addTenant("a")).toThrow("test/Keys: tenant 'a' has its keys already.");
    expect(() => ring.addTenant("A/b")).toThrow("test/Keys: tenant must be lower-case letters, digits and dashes, got 'A/b'.");
  });
});
