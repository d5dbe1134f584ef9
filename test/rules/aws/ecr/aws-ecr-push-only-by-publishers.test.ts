import { ecrPushOnlyByPublishers } from "../../../../lib/rules/aws/ecr/ecr-push-only-by-publishers";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const PUSH = ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"];
const CI = "arn:aws:iam::111122223333:role/ci-publisher";
const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const deny = (condition?: object, action: string | string[] = PUSH) => ({
  Effect: "Deny",
  Principal: "*",
  Action: action,
  ...(condition ? { Condition: condition } : {}),
});

describe("aws-ecr-push-only-by-publishers", () => {
  it("passes a deny that spares only named publishers, fails open repositories, and leaves unknown exceptions unresolved", () => {
    const repos = ["named", "sealed", "star", "none", "allow_only", "pattern", "other_key", "variable", "by_name"];
    const findings = checkJson(ecrPushOnlyByPublishers, {
      resource: {
        aws_iam_role: { ci: { assume_role_policy: "{}" } },
        aws_ecr_repository: Object.fromEntries(repos.map((r) => [r, { name: r.replace("_", "-") }])),
        aws_ecr_repository_policy: {
          named: { repository: "${aws_ecr_repository.named.name}", policy: policy(deny({ ArnNotEquals: { "aws:PrincipalArn": [CI] } })) },
          sealed: { repository: "${aws_ecr_repository.sealed.name}", policy: policy(deny(undefined, "ecr:*")) },
          star: {
            repository: "${aws_ecr_repository.star.name}",
            policy: policy(deny({ ArnNotEquals: { "aws:PrincipalArn": CI } }, "ecr:Get*")),
          },
          allow_only: {
            repository: "${aws_ecr_repository.allow_only.name}",
            policy: policy({ Effect: "Allow", Principal: { AWS: CI }, Action: PUSH }),
          },
          pattern: {
            repository: "${aws_ecr_repository.pattern.name}",
            policy: policy(deny({ ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/*" } })),
          },
          other_key: {
            repository: "${aws_ecr_repository.other_key.name}",
            policy: policy(deny({ StringNotEquals: { "aws:PrincipalAccount": "111122223333" } })),
          },
          variable: {
            repository: "${aws_ecr_repository.variable.name}",
            policy: policy(deny({ ArnNotEquals: { "aws:PrincipalArn": "${var.publisher}" } })),
          },
          by_name: { repository: "by-name", policy: policy(deny({ ArnNotEquals: { "aws:PrincipalArn": "${aws_iam_role.ci.arn}" } })) },
        },
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_ecr_repository.named": "pass",
      "aws_ecr_repository.sealed": "pass",
      "aws_ecr_repository.star": "fail",
      "aws_ecr_repository.none": "fail",
      "aws_ecr_repository.allow_only": "fail",
      "aws_ecr_repository.pattern": "fail",
      "aws_ecr_repository.other_key": "fail",
      "aws_ecr_repository.variable": "fail",
      "aws_ecr_repository.by_name": "pass",
    });
    expect(findingFor(findings, "aws_ecr_repository.named").message).toBe(
      `aws_ecr_repository_policy.named statement 1 denies pushes by everyone but ${CI}`,
    );
    expect(findingFor(findings, "aws_ecr_repository.none").message).toMatch(/^no aws_ecr_repository_policy: any principal of the account/);
    expect(findingFor(findings, "aws_ecr_repository.allow_only").message).toMatch(
      /^no statement of aws_ecr_repository_policy\.allow_only denies ecr:PutImage/,
    );
    expect(findingFor(findings, "aws_ecr_repository.pattern").message).toMatch(/a pattern that matches more than one principal/);
    expect(findingFor(findings, "aws_ecr_repository.other_key").message).toMatch(
      /tests aws:PrincipalAccount rather than aws:PrincipalArn alone/,
    );
    expect(findingFor(findings, "aws_ecr_repository.variable").message).toMatch(/^unresolved: .*var\.publisher.*not known before apply/);
  });

  it("reads HCL the same way", async () => {
    const findings = await checkHcl(
      ecrPushOnlyByPublishers,
      `resource "aws_ecr_repository" "serving" { name = "serving" }
       resource "aws_ecr_repository_policy" "serving" {
         repository = aws_ecr_repository.serving.name
         policy = <<EOT
${policy(deny({ ArnNotEquals: { "aws:PrincipalArn": CI } }, "ecr:PutImage"))}
EOT
       }
       resource "aws_ecr_repository" "open" { name = "open" }`,
    );
    expect(statuses(findings)).toEqual({ "aws_ecr_repository.serving": "pass", "aws_ecr_repository.open": "fail" });
  });
});
