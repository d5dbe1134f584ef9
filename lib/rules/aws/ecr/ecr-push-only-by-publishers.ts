import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { TfResource } from "../../../terraform/model";
import { attached } from "../../helpers";
import { coversAction } from "../../policies/actions";
import { sparedByDeny } from "../../policies/deny-except";
import { isEffect, principalScope, readPolicies } from "../../policies/statements";

/** Putting a manifest is what publishes an image (or replaces what a tag named): the push a repository must refuse. */
const PUBLISH = "ecr:PutImage";
/** A repository's own policies, found by reference or by its literal name. */
function repositoryPolicies(repository: TfResource): TfResource[] {
  return attached(repository, "aws_ecr_repository_policy", "repository", "name");
}

export const ecrPushOnlyByPublishers: Rule = {
  id: "aws-ecr-push-only-by-publishers",
  title: "Only named publishers may push to ECR repositories",
  requirements: ["AICP-INTEGRITY-06"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_ecr_repository"],
  remediation:
    'Give each repository an aws_ecr_repository_policy with a Deny of ecr:PutImage (and the layer uploads) for Principal "*" under ArnNotEquals aws:PrincipalArn = the CI publisher role (ModelRegistry.grantPush and ImagePublisher do this).',
  effect: "a push by any principal but the named publisher is refused, whatever its IAM permissions (an account administrator's included)",
  examples: {
    good: [
      `
      resource "aws_ecr_repository" "serving" {
        name = "serving"
      }

      resource "aws_ecr_repository_policy" "serving" {
        repository = aws_ecr_repository.serving.name
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid       = "OnlyCiPushes"
            Effect    = "Deny"
            Principal = "*"
            Action    = ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"]
            Condition = { ArnNotEquals = { "aws:PrincipalArn" = "arn:aws:iam::111122223333:role/ci-publisher" } }
          }]
        })
      }
    `,
    ],
    bad: [
      `
      resource "aws_ecr_repository" "serving" {
        name = "serving" # no repository policy: every principal the account's IAM allows may push
      }
    `,
    ],
  },
  check(repository): Outcome {
    const policies = repositoryPolicies(repository);
    if (policies.length === 0)
      return fail(
        "no aws_ecr_repository_policy: any principal of the account whose IAM policy allows ecr:PutImage can publish or replace images here",
      );
    const { statements, unreadable } = readPolicies(policies);
    let open: string | undefined;
    let unknown: string | undefined;
    for (const located of statements) {
      if (!isEffect(located.statement, "Deny")) continue;
      const covers = coversAction(located.source, located.statement, PUBLISH);
      if (covers === "unknown") {
        unknown ??= `${located.label}: its actions are not known before apply`;
        continue;
      }
      if (!covers) continue;
      const scope = principalScope(located.source, located.statement.Principal);
      if (scope !== "wildcard") {
        if (scope === "unknown") unknown ??= `${located.label}: its principal is not known before apply`;
        continue;
      }
      const spared = sparedByDeny(located, "pushes");
      if (spared.kind === "nobody" || spared.kind === "named") return pass(`${located.label} ${spared.why}`);
      if (spared.kind === "unknown") unknown ??= `${located.label}: ${spared.why}`;
      else open ??= `${located.label} does not confine pushes: ${spared.why}`;
    }
    if (unreadable.length > 0) return unreadable[0];
    if (unknown) return unresolved(unknown);
    if (open) return fail(open);
    return fail(
      `no statement of ${policies.map((p) => p.address).join(", ")} denies ${PUBLISH} to everyone but named publishers: any principal of the account with IAM push rights can publish here`,
    );
  },
};
