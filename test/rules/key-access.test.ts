import { conditionsHold, KeyRequest, matchVerdict, mayEqual, UNKNOWN_PART as U } from "../../lib/rules/policies/key-access";
import { TfModule } from "../../lib/terraform/model";

const tf = new TfModule("test");
const source = tf.add("aws_kms_key", "k", "managed", {}, "test.tf.json")!;
const request = (present: Record<string, string>, absent: string[] = []): KeyRequest => ({
  requester: { kind: "caller" },
  action: "kms:CreateGrant",
  present,
  absent,
});

describe("key-access", () => {
  it("matches values the module names against request values it cannot know, field by field for ARNs", () => {
    expect(mayEqual("ecr.${data.aws_region.r.region}.amazonaws.com", `ecr.${U}.amazonaws.com`)).toBe(true);
    expect(mayEqual("ecr.eu-west-1.amazonaws.com", `ecr.${U}.amazonaws.com`)).toBe(true);
    expect(mayEqual("eks.eu-west-1.amazonaws.com", `ecr.${U}.amazonaws.com`)).toBe(false);
    expect(mayEqual("arn:aws:logs:eu-west-1:111122223333:log-group:/saip/*", `arn:${U}:logs:${U}:${U}:log-group:/saip/flow`, true)).toBe(
      true,
    );
    expect(mayEqual("arn:aws:logs:eu-west-1:111122223333:log-group:/saip/*", `arn:${U}:logs:${U}:${U}:log-group:/other`, true)).toBe(false);
    // Without a *Like operator a "*" is a literal character.
    expect(mayEqual("/saip/*", "/saip/flow")).toBe(false);
  });

  it("counts a match only where a part known at apply does not face a literal that may differ from it", () => {
    expect(matchVerdict("ecr.${data.aws_region.r.region}.amazonaws.com", `ecr.${U}.amazonaws.com`)).toBe("yes");
    // The module may deploy to another Region than the literal's.
    expect(matchVerdict("ecr.eu-west-1.amazonaws.com", `ecr.${U}.amazonaws.com`)).toBe("unknown");
    expect(matchVerdict("eks.eu-west-1.amazonaws.com", `ecr.${U}.amazonaws.com`)).toBe("no");
    // A trail named by a variable may not be the one a policy names.
    expect(
      matchVerdict(
        "arn:${data.aws_partition.p.partition}:cloudtrail:${data.aws_region.r.region}:${data.aws_caller_identity.c.account_id}:trail/other",
        `arn:${U}:cloudtrail:${U}:${U}:trail/${U}`,
      ),
    ).toBe("unknown");
    expect(
      matchVerdict(
        "arn:${data.aws_partition.p.partition}:logs:${data.aws_region.r.region}:${data.aws_caller_identity.c.account_id}:log-group:/saip/*",
        `arn:${U}:logs:${U}:${U}:log-group:/saip/flow`,
        true,
      ),
    ).toBe("yes");
  });

  it("counts a value of this account only where the policy names the module's own account id, with a string operator", () => {
    const inAccount = request({ "aws:sourceaccount": "any" });
    expect(conditionsHold(source, { StringEquals: { "aws:SourceAccount": "${data.aws_caller_identity.c.account_id}" } }, inAccount)).toBe(
      "yes",
    );
    expect(
      conditionsHold(source, { StringNotEquals: { "aws:SourceAccount": "${data.aws_caller_identity.c.account_id}" } }, inAccount),
    ).toBe("no");
    expect(conditionsHold(source, { StringEquals: { "aws:SourceAccount": "999999999999" } }, inAccount)).toBe("unknown");
    expect(
      conditionsHold(source, { NumericLessThan: { "aws:SourceAccount": "${data.aws_caller_identity.c.account_id}" } }, inAccount),
    ).toBe("unknown");
  });

  it("evaluates operators the way IAM does for keys the request carries or lacks", () => {
    const viaEcr = request({ "kms:viaservice": `ecr.${U}.amazonaws.com`, "kms:grantisforawsresource": "true" }, ["aws:sourcearn"]);
    const ecrHere = "ecr.${data.aws_region.r.region}.amazonaws.com";
    expect(conditionsHold(source, { StringEquals: { "kms:ViaService": ecrHere } }, viaEcr)).toBe("yes");
    expect(conditionsHold(source, { StringNotEquals: { "kms:ViaService": ecrHere } }, viaEcr)).toBe("no");
    expect(conditionsHold(source, { StringEquals: { "kms:ViaService": "ecr.eu-west-1.amazonaws.com" } }, viaEcr)).toBe("unknown");
    expect(conditionsHold(source, { Bool: { "kms:GrantIsForAWSResource": true } }, viaEcr)).toBe("yes");
    expect(conditionsHold(source, { Bool: { "kms:GrantIsForAWSResource": "false" } }, viaEcr)).toBe("no");
    expect(conditionsHold(source, { Null: { "aws:SourceArn": "true" } }, viaEcr)).toBe("yes");
    expect(conditionsHold(source, { ArnEqualsIfExists: { "aws:SourceArn": "arn:aws:x" } }, viaEcr)).toBe("yes");
    expect(conditionsHold(source, { ArnEquals: { "aws:SourceArn": "arn:aws:x" } }, viaEcr)).toBe("no");
    expect(conditionsHold(source, { StringEquals: { "aws:PrincipalTag/team": "ml" } }, viaEcr)).toBe("unknown");
    expect(conditionsHold(source, { StringEquals: { "kms:ViaService": "${var.service}" } }, viaEcr)).toBe("unknown");
    expect(conditionsHold(source, { NumericLessThan: { "kms:ViaService": "3" } }, viaEcr)).toBe("unknown");
  });
});
