import { iamServiceLinkedRoleCreated as rule } from "../../../../lib/rules/aws/iam/iam-service-linked-role-created";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const SLR = "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
const naming = (arn = SLR) => policy({ Sid: "Ebs", Effect: "Allow", Principal: { AWS: arn }, Action: "kms:Decrypt", Resource: "*" });
const GUARD = "${length(data.aws_iam_roles.existing.names) == 0 ? 1 : 0}";

describe("aws-iam-service-linked-role-created", () => {
  const findings = checkJson(rule, {
    data: { aws_iam_roles: { existing: { name_regex: "^AWSServiceRoleForAutoScaling$" } } },
    resource: {
      aws_iam_service_linked_role: {
        autoscaling: { aws_service_name: "autoscaling.amazonaws.com", count: GUARD },
        suffixed: { aws_service_name: "autoscaling.amazonaws.com", custom_suffix: "nodes" },
        none: { aws_service_name: "elasticloadbalancing.amazonaws.com", count: 0 },
        maybe: { aws_service_name: "spot.amazonaws.com", count: "${var.create ? 1 : 0}" },
      },
      aws_kms_key: {
        ordered: { policy: naming(), depends_on: ["aws_iam_service_linked_role.autoscaling"] },
        unordered: { policy: naming() },
        missing: {
          policy: naming("arn:aws:iam::111122223333:role/aws-service-role/eks-nodegroup.amazonaws.com/AWSServiceRoleForAmazonEKSNodegroup"),
        },
        suffixed: {
          policy: naming("arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_nodes"),
          depends_on: ["${aws_iam_service_linked_role.suffixed}"],
        },
        count_zero: {
          policy: naming(
            "arn:aws:iam::111122223333:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing",
          ),
          depends_on: ["aws_iam_service_linked_role.none"],
        },
        count_variable: {
          policy: naming("arn:aws:iam::111122223333:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot"),
          depends_on: ["aws_iam_service_linked_role.maybe"],
        },
        condition_only: {
          policy: policy({
            Sid: "Scan",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::111122223333:root" },
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: {
              ArnEquals: {
                "aws:PrincipalArn":
                  "arn:aws:iam::111122223333:role/aws-service-role/malware-protection.guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDutyMalwareProtection",
              },
            },
          }),
        },
        support: { policy: naming("arn:aws:iam::111122223333:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport") },
        plain: {
          policy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }),
        },
      },
      aws_s3_bucket_policy: { logs: { bucket: "b", policy: naming() } },
    },
  });

  it("passes a policy ordered after the role the module creates, guarded by a lookup of existing roles or with a custom suffix", () => {
    expect(statuses(findings)).toMatchObject({ "aws_kms_key.ordered": "pass", "aws_kms_key.suffixed": "pass" });
    expect(findingFor(findings, "aws_kms_key.ordered").message).toBe(
      "every service-linked role the policy names exists before it: AWSServiceRoleForAutoScaling (created by aws_iam_service_linked_role.autoscaling, before the policy)",
    );
  });

  it("fails a role the module does not create, one it never creates, and a policy not ordered after its role", () => {
    expect(findingFor(findings, "aws_kms_key.missing").message).toMatch(
      /^aws_kms_key\.missing names AWSServiceRoleForAmazonEKSNodegroup \(eks-nodegroup\.amazonaws\.com\), which a new account lacks .*MalformedPolicyDocumentException/,
    );
    expect(findingFor(findings, "aws_kms_key.count_zero").message).toBe(
      "aws_kms_key.count_zero names AWSServiceRoleForElasticLoadBalancing, but aws_iam_service_linked_role.none has count = 0, so it creates no role",
    );
    expect(findingFor(findings, "aws_kms_key.unordered").message).toMatch(
      /names AWSServiceRoleForAutoScaling, created by aws_iam_service_linked_role\.autoscaling, but is not ordered after it: add it to depends_on/,
    );
    expect(findingFor(findings, "aws_s3_bucket_policy.logs").status).toBe("fail");
  });

  it("leaves a role created under a condition it cannot evaluate unresolved", () => {
    const finding = findingFor(findings, "aws_kms_key.count_variable");
    expect(finding.unresolved).toBe(true);
    expect(finding.message).toMatch(
      /^unresolved: aws_iam_service_linked_role\.maybe has count = \$\{var\.create \? 1 : 0\}, which is known only at plan/,
    );
  });

  it("counts a lookup guard only when it creates the role where none is found, and looks for that role", () => {
    const guarded = (count: string, regex = "^AWSServiceRoleForAutoScaling$") =>
      findingFor(
        checkJson(rule, {
          data: { aws_iam_roles: { existing: { name_regex: regex } } },
          resource: {
            aws_iam_service_linked_role: { autoscaling: { aws_service_name: "autoscaling.amazonaws.com", count } },
            aws_kms_key: { ebs: { policy: naming(), depends_on: ["aws_iam_service_linked_role.autoscaling"] } },
          },
        }),
        "aws_kms_key.ebs",
      );
    expect(guarded(GUARD).status).toBe("pass");
    expect(
      guarded('${length(data.aws_iam_roles.existing.names) == 0 || one(data.aws_iam_role.x[*].description) == "mine" ? 1 : 0}').status,
    ).toBe("pass");
    // Inverted, the role is created only where it exists already, which IAM refuses.
    expect(guarded("${length(data.aws_iam_roles.existing.names) == 0 ? 0 : 1}")).toMatchObject({ status: "fail", unresolved: true });
    const otherRole = guarded(GUARD, "^AWSServiceRoleForConfig$");
    expect(otherRole).toMatchObject({ status: "fail", unresolved: true });
    expect(otherRole.message).toMatch(/that lookup's name_regex is "\^AWSServiceRoleForConfig\$", not AWSServiceRoleForAutoScaling/);
  });

  it("passes roles named only in conditions, and skips roles every account has and policies naming none", () => {
    expect(findingFor(findings, "aws_kms_key.condition_only").message).toMatch(/only in conditions/);
    expect(findings.some((f) => f.resource === "aws_kms_key.support" || f.resource === "aws_kms_key.plain")).toBe(false);
  });

  it("reads HCL depends_on and policy documents", async () => {
    const hcl = await checkHcl(
      rule,
      `data "aws_iam_roles" "existing" { name_regex = "^AWSServiceRoleForAutoScaling$" }
       resource "aws_iam_service_linked_role" "autoscaling" {
         count            = length(data.aws_iam_roles.existing.names) == 0 ? 1 : 0
         aws_service_name = "autoscaling.amazonaws.com"
       }
       data "aws_iam_policy_document" "ebs" {
         statement {
           actions   = ["kms:Decrypt"]
           resources = ["*"]
           principals {
             type        = "AWS"
             identifiers = ["${SLR}"]
           }
         }
       }
       resource "aws_kms_key" "ordered" {
         policy     = data.aws_iam_policy_document.ebs.json
         depends_on = [aws_iam_service_linked_role.autoscaling]
       }
       resource "aws_kms_key" "racing" {
         policy = data.aws_iam_policy_document.ebs.json
       }
       resource "aws_kms_key" "unknown" {
         policy = <<EOT
{"Statement":[{"Effect":"Allow","Principal":{"AWS":"${SLR}"},"Action":"kms:Decrypt","Resource":"*"}]}
EOT
         depends_on = [aws_iam_service_linked_role.maybe]
       }
       resource "aws_iam_service_linked_role" "maybe" {
         count            = var.create ? 1 : 0
         aws_service_name = "autoscaling.amazonaws.com"
       }`,
    );
    expect(statuses(hcl)).toEqual({ "aws_kms_key.ordered": "pass", "aws_kms_key.racing": "fail", "aws_kms_key.unknown": "fail" });
    expect(findingFor(hcl, "aws_kms_key.racing").message).toMatch(/not ordered after it/);
    expect(findingFor(hcl, "aws_kms_key.unknown").unresolved).toBe(true);
  });
});
