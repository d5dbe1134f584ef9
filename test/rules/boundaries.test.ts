import { iamNodeRoleLeastPrivilege } from "../../lib/rules/aws/iam/iam-node-role-least-privilege";
import { cloudwatchLogGroupRetention } from "../../lib/rules/aws/logging/cloudwatch-log-group-retention";
import { checkJson, findingFor } from "./harness";

// Values between the points the rules' own tests pick: a threshold at and just below its boundary, and each half
// of a condition on its own, so a regression that moves a boundary or drops half a condition fails here.

describe("log group retention at its boundary", () => {
  const retention = (days: unknown) =>
    findingFor(
      checkJson(cloudwatchLogGroupRetention, { resource: { aws_cloudwatch_log_group: { g: { retention_in_days: days } } } }),
      "aws_cloudwatch_log_group.g",
    );

  it.each([
    [365, "pass", "retention_in_days is 365 (at least 365)"],
    [400, "pass", "retention_in_days is 400 (at least 365)"],
    [364, "fail", "retention_in_days is 364: events expire before the 365 days investigations may need"],
    [90, "fail", "retention_in_days is 90: events expire before the 365 days investigations may need"],
    [1, "fail", "retention_in_days is 1: events expire before the 365 days investigations may need"],
    [0, "pass", "retention_in_days is 0, so events are kept forever"],
  ])("retention_in_days %s: %s", (days, status, message) => {
    expect(retention(days)).toMatchObject({ status, message });
  });

  it("fails a value that is not a number, and leaves an unknown one unresolved", () => {
    expect(retention("forever")).toMatchObject({ status: "fail", unresolved: false });
    expect(retention("${var.days}")).toMatchObject({ status: "fail", unresolved: true });
  });
});

describe("node role: each half of 'all of S3 or KMS on every resource'", () => {
  const EC2 = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
  const role = (Action: unknown, Resource: unknown, Effect = "Allow") =>
    findingFor(
      checkJson(iamNodeRoleLeastPrivilege, {
        resource: {
          aws_iam_role: {
            node: {
              assume_role_policy: EC2,
              inline_policy: [{ name: "p", policy: JSON.stringify({ Statement: [{ Effect, Action, Resource }] }) }],
            },
          },
        },
      }),
      "aws_iam_role.node",
    );

  it.each([
    ["kms:*", "*", "fail"],
    ["KMS:*", "*", "fail"],
    ["s3:*", "*", "fail"],
    [["ec2:DescribeInstances", "kms:*"], ["arn:aws:kms:eu-west-1:111122223333:key/1", "*"], "fail"],
    ["kms:*", "arn:aws:kms:eu-west-1:111122223333:key/1", "pass"],
    ["kms:Decrypt", "*", "pass"],
    ["s3:GetObject", "*", "pass"],
  ])("Allow %j on %j: %s", (action, resource, status) => {
    const finding = role(action, resource);
    expect(finding.status).toBe(status);
    if (status === "fail")
      expect(finding.message).toMatch(
        /^the EC2-trusted role is over-privileged: inline_policy "p" statement 1 allows "(kms|s3):\*" on Resource "\*"$/,
      );
  });

  it("fails every action and IAM-wide access whatever the resource, and ignores Deny", () => {
    expect(role("*", "arn:aws:s3:::b").message).toBe(
      'the EC2-trusted role is over-privileged: inline_policy "p" statement 1 allows Action "*"',
    );
    expect(role("iam:*", "arn:aws:iam::111122223333:role/x").message).toBe(
      'the EC2-trusted role is over-privileged: inline_policy "p" statement 1 allows Action "iam:*"',
    );
    expect(role("kms:*", "*", "Deny").status).toBe("pass");
  });

  it("leaves a wildcard action on an unknown resource unresolved, not passed", () => {
    expect(role("kms:*", "${var.key_arn}")).toMatchObject({ status: "fail", unresolved: true });
  });
});
