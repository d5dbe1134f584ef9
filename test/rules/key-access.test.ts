import { conditionsHold, KeyRequest, mayEqual, UNKNOWN_PART as U } from "../../lib/rules/policies/key-access";
import { TfModule } from "../../lib/terraform/model";

const tf = new TfModule("test");
const source = tf.add("aws_kms_key", "k", "managed", {}, "test.tf.json")!;
const request = (present: Record<string, string>, absent: string[] = []): KeyRequest => ({ requester: { kind: "caller" }, action: "kms:CreateGrant", present, absent });

describe("key-access", () => {
  it("matches values the module names against request values it cannot know, field by field for ARNs", () => {
    expect(mayEqual("ecr.${data.aws_region.r.region}.amazonaws.com", `ecr.${U}.amazonaws.com`)).toBe(true);
    expect(mayEqual("ecr.eu-west-1.amazonaws.com", `ecr.${U}.amazonaws.com`)).toBe(true);
    expect(mayEqual("eks.eu-west-1.amazonaws.com", `ecr.${U}.amazonaws.com`)).toBe(false);
    expect(mayEqual("arn:aws:logs:eu-west-1:111122223333:log-group:/saip/*", `arn:${U}:logs:${U}:${U}:log-group:/saip/flow`, true)).toBe(true);
    expect(mayEqual("arn:aws:logs:eu-west-1:111122223333:log-group:/saip/*", `arn:${U}:logs:${U}:${U}:log-group:/other`, true)).toBe(false);
    // Without a *Like operator a "*" is a literal character.
    expect(mayEqual("/saip/*", "/saip/flow")).toBe(false);
  });

  it("evaluates operators the way IAM does for keys the request carries or lacks", () => {
    const viaEcr = request({ "kms:viaservice": `ecr.${U}.amazonaws.com`, "kms:grantisforawsresource": "true" }, ["aws:sourcearn"]);
    expect(conditionsHold(source, { StringEquals: { "kms:ViaService": "ecr.eu-west-1.amazonaws.com" } }, viaEcr)).toBe("yes");
    expect(conditionsHold(source, { StringNotEquals: { "kms:ViaService": "ecr.eu-west-1.amazonaws.com" } }, viaEcr)).toBe("no");
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
