import { stateBackendBackedUp as rule } from "../../../../lib/rules/aws/state/state-backend-backed-up";
import { checkAfter, checkHcl, checkJson, findingFor } from "../../harness";

const BACKEND = { backend: { s3: { bucket: "platform-tfstate", key: "bootstrap.tfstate" } } };
const selection = (resources: unknown, extra: object = {}) => ({
  aws_backup_selection: {
    state: { name: "state", plan_id: "plan-1", iam_role_arn: "arn:aws:iam::111122223333:role/b", resources, ...extra },
  },
});
const judge = (resources: Record<string, object>, terraform: object = BACKEND) =>
  findingFor(
    checkJson(rule, { resource: { aws_s3_bucket: { state: { bucket: "platform-tfstate" } }, ...resources }, terraform }),
    "terraform",
  );

describe("aws-state-backend-backed-up", () => {
  it("passes a state bucket selected by reference, by its ARN or by an ARN pattern", () => {
    expect(judge(selection(["${aws_s3_bucket.state.arn}"]))).toMatchObject({
      status: "pass",
      message: "the state bucket platform-tfstate (aws_s3_bucket.state) is selected by aws_backup_selection.state",
    });
    expect(judge(selection(["arn:aws:s3:::platform-tfstate"])).status).toBe("pass");
    expect(judge(selection(["arn:aws:s3:::platform-*"])).status).toBe("pass");
  });

  it.each<[string, unknown]>([
    ["no selection", undefined],
    ["a selection of another bucket", ["arn:aws:s3:::platform-models"]],
    ["a pattern that matches only a prefix of another name", ["arn:aws:s3:::platform-tfstate-old*"]],
    ["a bucket ARN of another service", ["arn:aws:dynamodb:eu-west-1:111122223333:table/platform-tfstate"]],
  ])("fails %s", (_, resources) => {
    expect(judge(resources === undefined ? {} : selection(resources))).toMatchObject({
      status: "fail",
      unresolved: false,
      message:
        "no aws_backup_selection selects the state bucket platform-tfstate (aws_s3_bucket.state): whoever may write the state may delete its versions, and a rebuild has nothing to start from",
    });
  });

  it("reads the bucket and the selection in a stack applied before, and names where they are", () => {
    const bootstrap = {
      resource: { aws_s3_bucket: { state: { bucket: "platform-tfstate" } }, ...selection(["${aws_s3_bucket.state.arn}"]) },
      terraform: BACKEND,
    };
    const [finding] = checkAfter(
      [rule],
      { resource: { aws_s3_bucket: { models: {} } }, terraform: { backend: { s3: { bucket: "platform-tfstate", key: "p" } } } },
      { bootstrap },
    ).filter((f) => f.resource === "terraform");
    expect(finding).toMatchObject({
      status: "pass",
      message:
        "the state bucket platform-tfstate (aws_s3_bucket.state (in bootstrap)) is selected by aws_backup_selection.state (in bootstrap)",
    });
  });

  it.each<[string, Record<string, object>, object, RegExp]>([
    [
      "the bucket is created elsewhere",
      {},
      { backend: { s3: { bucket: "someone-elses" } } },
      /someone-elses is not created in this module/,
    ],
    ["the bucket is set at init", {}, { backend: { s3: { key: "k" } } }, /bucket is "\(set at init\)"/],
    ["the selection's resources are a variable", selection("${var.arns}"), BACKEND, /resources are \$\{var.arns\}/],
    [
      "the selection picks by tag",
      selection([], { selection_tag: [{ type: "STRINGEQUALS", key: "backup", value: "yes" }] }),
      BACKEND,
      /selects by tag/,
    ],
  ])("is unresolved when %s", (_, resources, terraform, message) => {
    expect(judge(resources, terraform)).toMatchObject({ unresolved: true, message: expect.stringMatching(message) });
  });

  it("judges nothing without an s3 backend", () => {
    expect(checkJson(rule, { resource: { aws_s3_bucket: { state: {} } }, terraform: { backend: { local: {} } } })).toEqual([]);
  });

  it("reads HCL the same way", async () => {
    const [good, bad] = await Promise.all(rule.examples!.good.concat(rule.examples!.bad).map((hcl) => checkHcl(rule, hcl)));
    expect(findingFor(good, "terraform").status).toBe("pass");
    expect(findingFor(bad, "terraform").status).toBe("fail");
  });
});
