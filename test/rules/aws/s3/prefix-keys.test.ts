import { bucketObjectGrants, prefixPins, reaches, within, withinPins } from "../../../../lib/rules/aws/s3/prefix-keys";
import { addDocument } from "../../../../lib/terraform/load";
import { Json, TfModule } from "../../../../lib/terraform/model";

const KEY_ID = "s3:x-amz-server-side-encryption-aws-kms-key-id";
const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const pin = (resource: unknown, key = "${aws_kms_key.a.arn}", more: Record<string, unknown> = {}) => ({
  Effect: "Deny",
  Principal: "*",
  Action: "s3:PutObject",
  Resource: resource,
  Condition: { StringNotEquals: { [KEY_ID]: key }, Null: { [KEY_ID]: "false" } },
  ...more,
});
const OBJECTS = "${aws_s3_bucket.shared.arn}";

function moduleOf(resource: Record<string, Record<string, Json>>): TfModule {
  const module = new TfModule("app");
  addDocument(module, { resource } as Json, "app.tf.json");
  return module;
}
const bucketOf = (module: TfModule, name = "shared") => module.ofType("aws_s3_bucket").find((b) => b.address === `aws_s3_bucket.${name}`)!;

describe("prefixPins", () => {
  it("reads only a Deny to everyone of PutObject on one prefix of this bucket, unless the request names one key", () => {
    const module = moduleOf({
      aws_s3_bucket: { shared: {}, other: {} },
      aws_s3_bucket_policy: {
        shared: {
          bucket: "${aws_s3_bucket.shared.id}",
          policy: policy(
            // The bucket-wide TLS deny names two resources and no key: not a pin.
            {
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [OBJECTS, `${OBJECTS}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            pin(`${OBJECTS}/a/*`),
            pin(`${OBJECTS}/b/*`, "${aws_kms_key.b.arn}", { Principal: { AWS: "*" } }),
            // Not pins: an Allow, a role's deny, another action, another bucket, a wildcard prefix, a whole bucket, no slash.
            { ...pin(`${OBJECTS}/c/*`), Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/x" } },
            pin(`${OBJECTS}/d/*`, "${aws_kms_key.a.arn}", { Principal: { AWS: "arn:aws:iam::111122223333:role/x" } }),
            pin(`${OBJECTS}/e/*`, "${aws_kms_key.a.arn}", { Action: "s3:GetObject" }),
            pin("${aws_s3_bucket.other.arn}/f/*"),
            pin(`${OBJECTS}/g*/*`),
            pin(`${OBJECTS}/*`),
            pin(`${OBJECTS}/h*`),
            pin([`${OBJECTS}/i/*`, `${OBJECTS}/j/*`]),
            // Not pins either: two keys, a condition beyond the key's, a Null on another key, a Null that applies when absent.
            pin(`${OBJECTS}/k/*`, ["${aws_kms_key.a.arn}", "${aws_kms_key.b.arn}"] as never),
            { ...pin(`${OBJECTS}/l/*`), Condition: { StringNotEquals: { [KEY_ID]: "${aws_kms_key.a.arn}", "aws:PrincipalAccount": "1" } } },
            {
              ...pin(`${OBJECTS}/m/*`),
              Condition: { StringNotEquals: { [KEY_ID]: "${aws_kms_key.a.arn}" }, Null: { "s3:x-amz-server-side-encryption": "false" } },
            },
            { ...pin(`${OBJECTS}/n/*`), Condition: { StringNotEquals: { [KEY_ID]: "${aws_kms_key.a.arn}" }, Null: { [KEY_ID]: "true" } } },
            {
              ...pin(`${OBJECTS}/o/*`),
              Condition: { StringNotEquals: { [KEY_ID]: "${aws_kms_key.a.arn}" }, StringEquals: { "aws:x": "y" } },
            },
            { ...pin(`${OBJECTS}/p/*`), Condition: { Null: { [KEY_ID]: "false" } } },
          ),
        },
      },
    });
    expect(prefixPins(bucketOf(module)).map(({ prefix, key }) => ({ prefix, key }))).toEqual([
      { prefix: "a/", key: "${aws_kms_key.a.arn}" },
      { prefix: "b/", key: "${aws_kms_key.b.arn}" },
    ]);
    expect(prefixPins(bucketOf(module, "other"))).toEqual([]);
    // Read once per bucket: the same list comes back.
    expect(prefixPins(bucketOf(module))).toBe(prefixPins(bucketOf(module)));
  });
});

describe("bucketObjectGrants", () => {
  const statement = (action: string | string[], resource: unknown, effect = "Allow") => ({
    Effect: effect,
    Action: action,
    Resource: resource,
  });
  const module = moduleOf({
    aws_s3_bucket: { shared: {}, other: {} },
    aws_iam_role: { reader: { assume_role_policy: "{}" }, writer: { assume_role_policy: "{}" }, lister: { assume_role_policy: "{}" } },
    aws_iam_user: { person: {} },
    aws_iam_role_policy: {
      reader: {
        role: "${aws_iam_role.reader.id}",
        policy: policy(
          statement("s3:GetObject", `${OBJECTS}/a/*`),
          statement("s3:GetObject", `${OBJECTS}/a/*`),
          statement("s3:GetObject", `${OBJECTS}/b/*`),
          statement("s3:PutObject", `${OBJECTS}/z/*`, "Deny"),
          statement(["kms:Decrypt", "s3:ListBucket"], "*"),
        ),
      },
      writer: { role: "${aws_iam_role.writer.id}", policy: policy(statement("s3:GetObject", `${OBJECTS}/*`)) },
      writer_put: {
        role: "${aws_iam_role.writer.id}",
        policy: policy(statement("s3:PutObject", "arn:aws:s3:::${aws_s3_bucket.shared.bucket}-x/*")),
      },
      lister: { role: "${aws_iam_role.lister.id}", policy: policy(statement("s3:ListBucket", OBJECTS)) },
      other: { role: "${aws_iam_role.reader.id}", policy: policy(statement("s3:GetObject", "${aws_s3_bucket.other.arn}/q/*")) },
      person: { role: "${aws_iam_user.person.id}", policy: policy(statement("s3:GetObject", `${OBJECTS}/*`)) },
    },
  });

  it("lists each role that reads or writes objects once, with the patterns it is granted and whether it writes", () => {
    const grants = bucketObjectGrants(bucketOf(module)).map(({ role, write, patterns, iamActions }) => ({
      role: role.address,
      write,
      patterns,
      iamActions,
    }));
    expect(grants).toEqual([
      { role: "aws_iam_role.reader", write: false, patterns: ["a/*", "b/*"], iamActions: ["kms:Decrypt"] },
      // An ARN built from the bucket's name counts as the whole bucket: its pattern cannot be read.
      { role: "aws_iam_role.writer", write: true, patterns: ["*"], iamActions: [] },
    ]);
    expect(bucketObjectGrants(bucketOf(module, "other")).map((g) => [g.role.address, g.patterns])).toEqual([
      ["aws_iam_role.reader", ["q/*"]],
    ]);
  });
});

describe("patterns and prefixes", () => {
  it("keeps a pattern within a prefix only when it starts with it", () => {
    expect(within("a/x/*", "a/")).toBe(true);
    expect(within("ab/*", "a/")).toBe(false);
  });

  it("has a pattern reach a prefix when it is within it, or a wildcard before its end covers it", () => {
    expect(reaches("a/*", "a/")).toBe(true);
    expect(reaches("*", "a/")).toBe(true);
    expect(reaches("a*", "ab/")).toBe(true);
    expect(reaches("b/*", "a/")).toBe(false);
    // Without a wildcard a pattern names one object: outside the prefix it reaches nothing there.
    expect(reaches("b/file", "a/")).toBe(false);
    expect(reaches("a", "a/")).toBe(false);
    expect(reaches("x*", "a/")).toBe(false);
  });

  it("takes a grant as within the pins only when every pattern lies under one", () => {
    const pins = [
      { prefix: "a/", key: "k1", label: "" },
      { prefix: "b/", key: "k2", label: "" },
    ];
    const grant = (patterns: string[]) => ({ role: undefined as never, write: false, iamActions: [], patterns });
    expect(withinPins(grant(["a/*", "b/x/*"]), pins)).toBe(true);
    expect(withinPins(grant(["a/*", "c/*"]), pins)).toBe(false);
    expect(withinPins(grant([]), pins)).toBe(false);
  });
});
