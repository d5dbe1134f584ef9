import { Testing } from "cdktf";
import { PlatformKey } from "../../../../constructs/aws/platform-key";
import { PrivateNetwork } from "../../../../constructs/aws/private-network";
import { resourcePolicyNoPublicAllow as rule } from "../../../../lib/rules/aws/iam/resource-policy-no-public-allow";
import { SecureStack } from "../../../../lib/secure-stack";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const policy = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const allow = (extra: object) => ({ Effect: "Allow", Action: "*", Resource: "*", ...extra });
const ACCOUNT = "${data.aws_caller_identity.c.account_id}";
const PARTITION = "${data.aws_partition.p.partition}";

describe("aws-resource-policy-no-public-allow", () => {
  const findings = checkJson(rule, {
    resource: {
      aws_ecr_repository_policy: {
        named: {
          repository: "r",
          policy: policy(allow({ Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "ecr:BatchGetImage" })),
        },
        public: {
          repository: "r",
          policy: policy(allow({ Sid: "PublicPull", Principal: "*", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] })),
        },
      },
      aws_sns_topic_policy: {
        service: {
          arn: "t",
          policy: policy(
            allow({
              Principal: { Service: "events.amazonaws.com" },
              Condition: { ArnEquals: { "aws:SourceArn": "${aws_cloudwatch_event_rule.r.arn}" } },
            }),
          ),
        },
        public: { arn: "t", policy: policy(allow({ Sid: "AnyPublish", Principal: { AWS: "*" }, Action: "sns:Publish" })) },
        wildcard_source: {
          arn: "t",
          policy: policy(
            allow({ Sid: "AnyRule", Principal: "*", Condition: { ArnLike: { "aws:SourceArn": "arn:aws:events:*:*:rule/*" } } }),
          ),
        },
      },
      aws_sns_topic: {
        default: {},
        inline_public: { policy: policy(allow({ Sid: "Inline", Principal: "*", Action: "sns:Subscribe" })) },
      },
      aws_sqs_queue_policy: {
        org: {
          queue_url: "q",
          policy: policy(
            allow({ Principal: "*", Action: "sqs:SendMessage", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } }),
          ),
        },
        public: {
          queue_url: "q",
          policy: policy(allow({ Sid: "AnySend", NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "sqs:SendMessage" })),
        },
        variable: { queue_url: "q", policy: "${data.aws_iam_policy_document.q.json}" },
      },
      aws_sqs_queue: {
        no_policy: {},
        open_condition: {
          policy: policy(allow({ Sid: "Var", Principal: "*", Condition: { StringEquals: { "aws:SourceAccount": "${var.account}" } } })),
        },
      },
      aws_vpc_endpoint: {
        account_only: {
          vpc_id: "v",
          service_name: "s3",
          policy: policy(allow({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } } })),
        },
        // Wildcard principals confined to resources of a named owner: a named bucket, the account's roles.
        scoped: {
          vpc_id: "v",
          service_name: "s3",
          policy: policy(
            allow({
              Principal: "*",
              Action: "s3:GetObject",
              Resource: `arn:${PARTITION}:s3:::prod-\${data.aws_region.r.region}-starport-layer-bucket/*`,
            }),
            allow({ Principal: "*", Action: "sts:AssumeRoleWithWebIdentity", Resource: `arn:${PARTITION}:iam::${ACCOUNT}:role/*` }),
            allow({ Principal: "*", Action: "s3:GetObject", Resource: "${aws_s3_bucket.b.arn}/*" }),
          ),
        },
        default_policy: { vpc_id: "v", service_name: "ssm", vpc_endpoint_type: "Interface" },
        open: { vpc_id: "v", service_name: "s3", policy: policy(allow({ Sid: "FullAccess", Principal: "*" })) },
        any_bucket: {
          vpc_id: "v",
          service_name: "s3",
          policy: policy(allow({ Sid: "AnyBucket", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::b/*", "arn:aws:s3:::*"] })),
        },
        any_account: {
          vpc_id: "v",
          service_name: "sts",
          policy: policy(allow({ Sid: "AnyAccount", Principal: "*", Resource: "arn:aws:iam::*:role/*" })),
        },
        not_resource: {
          vpc_id: "v",
          service_name: "s3",
          policy: policy(allow({ Sid: "NotResource", Principal: "*", Resource: undefined, NotResource: "arn:aws:s3:::secret/*" })),
        },
        variable_resource: {
          vpc_id: "v",
          service_name: "s3",
          policy: policy(allow({ Sid: "VarResource", Principal: "*", Resource: "arn:aws:s3:::${var.bucket}/*" })),
        },
      },
      aws_s3_bucket: { b: {} },
      aws_vpc_endpoint_policy: { open: { vpc_endpoint_id: "vpce-1", policy: policy(allow({ Sid: "Separate", Principal: { AWS: "*" } })) } },
    },
  });

  it("passes named principals, wildcards with exact limiting conditions, and resources without a policy", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_ecr_repository_policy.named": "pass",
      "aws_sns_topic_policy.service": "pass",
      "aws_sns_topic.default": "pass",
      "aws_sqs_queue_policy.org": "pass",
      "aws_sqs_queue.no_policy": "pass",
      "aws_vpc_endpoint.account_only": "pass",
      "aws_vpc_endpoint.default_policy": "pass",
    });
    expect(findingFor(findings, "aws_sns_topic.default").message).toMatch(/policy is not set, so AWS applies the default topic policy/);
    expect(findingFor(findings, "aws_ecr_repository_policy.named").message).toMatch(
      /no Allow statement of the policy reaches every principal/,
    );
  });

  it("fails wildcard principals without an exact limiting condition, on every resource type", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_ecr_repository_policy.public": "fail",
      "aws_sns_topic_policy.public": "fail",
      "aws_sns_topic_policy.wildcard_source": "fail",
      "aws_sns_topic.inline_public": "fail",
      "aws_sqs_queue_policy.public": "fail",
      "aws_vpc_endpoint.open": "fail",
      "aws_vpc_endpoint_policy.open": "fail",
    });
    const message = (address: string) => findingFor(findings, address).message;
    expect(message("aws_ecr_repository_policy.public")).toBe(
      'aws_ecr_repository_policy.public statement "PublicPull" allows Principal "*" with no condition that limits it to an account, organization or source with an exact value',
    );
    expect(message("aws_sns_topic_policy.wildcard_source")).toMatch(/statement "AnyRule" allows Principal "\*"/);
    expect(message("aws_sqs_queue_policy.public")).toMatch(/statement "AnySend" allows with NotPrincipal/);
    expect(message("aws_vpc_endpoint.open")).toMatch(
      /statement "FullAccess" allows Principal "\*" with no condition .*, nor a Resource of a named owner/,
    );
  });

  it("accepts a wildcard principal on an endpoint only where every Resource has a named owner", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_vpc_endpoint.scoped": "pass",
      "aws_vpc_endpoint.any_bucket": "fail",
      "aws_vpc_endpoint.any_account": "fail",
      "aws_vpc_endpoint.not_resource": "fail",
    });
    expect(findingFor(findings, "aws_vpc_endpoint.any_bucket").message).toMatch(/"AnyBucket" allows Principal "\*"/);
  });

  it("leaves unreadable policies and unknown values unresolved", () => {
    const message = (address: string) => findingFor(findings, address).message;
    expect(message("aws_sqs_queue_policy.variable")).toMatch(
      /^unresolved: aws_sqs_queue_policy\.variable: policy is .*data\.aws_iam_policy_document\.q\.json/,
    );
    expect(message("aws_sqs_queue.open_condition")).toMatch(
      /^unresolved: .*"Var" limits Principal "\*" with a condition value that is not known before apply/,
    );
    expect(message("aws_vpc_endpoint.variable_resource")).toMatch(/^unresolved: .*"VarResource" limits Principal "\*"/);
  });

  it("reads HCL the same way", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_sqs_queue_policy" "open" {
         queue_url = "q"
         policy    = <<EOT
{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}
EOT
       }
       resource "aws_ecr_repository_policy" "account" {
         repository = "r"
         policy     = <<EOT
{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}]}
EOT
       }
       resource "aws_sns_topic_policy" "encoded" {
         arn    = "t"
         policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "sns:Publish" }] })
       }`,
    );
    expect(statuses(hcl)).toEqual({
      "aws_sqs_queue_policy.open": "fail",
      "aws_ecr_repository_policy.account": "pass",
      "aws_sns_topic_policy.encoded": "fail",
    });
    // jsonencode of known values is evaluated: the statement is read, not left unresolved.
    expect(findingFor(hcl, "aws_sns_topic_policy.encoded").message).toMatch(/statement 1 allows Principal "\*"/);
  });

  it("passes PrivateNetwork's endpoints, and fails one once its account condition is dropped", () => {
    const stack = new SecureStack(Testing.app(), "test");
    const logsKey = new PlatformKey(stack, "LogsKey", { purpose: "logs", administrators: ["arn:aws:iam::111122223333:role/key-admin"] });
    new PrivateNetwork(stack, "Network", { cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], logsKey });
    const json = JSON.parse(Testing.synth(stack));
    const endpoints = Object.keys(json.resource.aws_vpc_endpoint);
    const before = checkJson(rule, json);
    expect(before.filter((f) => f.status !== "pass").map((f) => `${f.resource}: ${f.message}`)).toEqual([]);
    expect(before.map((f) => f.resource).sort()).toEqual(endpoints.map((e) => `aws_vpc_endpoint.${e}`).sort());
    // The S3 gateway endpoint also carries AWS's ECR layer bucket statement, and STS the web identity one.
    expect(findingFor(before, "aws_vpc_endpoint.network_s3_endpoint").message).toMatch(
      /no Allow statement of the policy reaches every principal/,
    );
    const endpoint = json.resource.aws_vpc_endpoint.network_kms_endpoint;
    const doc = JSON.parse(endpoint.policy);
    doc.Statement = doc.Statement.map((s: { Condition?: unknown }) => ({ ...s, Condition: undefined }));
    endpoint.policy = JSON.stringify(doc);
    expect(findingFor(checkJson(rule, json), "aws_vpc_endpoint.network_kms_endpoint").status).toBe("fail");
  });
});
