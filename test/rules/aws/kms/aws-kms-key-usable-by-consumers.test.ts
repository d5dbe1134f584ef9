import { kmsKeyUsableByConsumers as rule } from "../../../../lib/rules/aws/kms/kms-key-usable-by-consumers";
import { checkHcl, checkJson, findingFor, statuses } from "../../harness";

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const ACCOUNT = "${data.aws_caller_identity.c.account_id}";
const REGION = "${data.aws_region.r.region}";
const ROOT = `arn:\${data.aws_partition.p.partition}:iam::${ACCOUNT}:root`;
const ADMIN = {
  Sid: "Admins",
  Effect: "Allow",
  Principal: { AWS: ROOT },
  Action: ["kms:Describe*", "kms:Put*", "kms:Get*"],
  Resource: "*",
};
const through = (service: string, actions: string[]) => ({
  Sid: `Through${service}`,
  Effect: "Allow",
  Principal: { AWS: ROOT },
  Action: actions,
  Resource: "*",
  Condition: { StringEquals: { "kms:ViaService": `${service}.${REGION}.amazonaws.com`, "kms:CallerAccount": ACCOUNT } },
});
const SLR = `arn:\${data.aws_partition.p.partition}:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
const AUTOSCALING = [
  {
    Sid: "AutoScalingUse",
    Effect: "Allow",
    Principal: { AWS: SLR },
    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
    Resource: "*",
  },
  {
    Sid: "AutoScalingGrant",
    Effect: "Allow",
    Principal: { AWS: SLR },
    Action: "kms:CreateGrant",
    Resource: "*",
    Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
  },
];
const repo = (key: string) => ({ name: "r", encryption_configuration: { encryption_type: "KMS", kms_key: key } });

describe("aws-kms-key-usable-by-consumers", () => {
  const findings = checkJson(rule, {
    resource: {
      aws_kms_key: {
        ecr: { policy: policy(ADMIN, through("ecr", ["kms:CreateGrant", "kms:DescribeKey"])) },
        admin_only: { policy: policy(ADMIN) },
        role_only: {
          policy: policy(ADMIN, {
            Sid: "BackupRole",
            Effect: "Allow",
            Principal: { AWS: "${aws_iam_role.reader.arn}" },
            Action: ["kms:CreateGrant", "kms:GenerateDataKey", "kms:Decrypt", "kms:RetireGrant", "kms:DescribeKey"],
            Resource: "*",
          }),
        },
        creators: {
          policy: policy(ADMIN, {
            Sid: "Creators",
            Effect: "Allow",
            Principal: { AWS: ["arn:aws:iam::111122223333:role/deployer"] },
            Action: ["kms:CreateGrant", "kms:DescribeKey"],
            Resource: "*",
            Condition: { StringEquals: { "kms:ViaService": `eks.${REGION}.amazonaws.com` } },
          }),
        },
        default: {},
        variable_policy: { policy: "${var.key_policy}" },
        variable_service: {
          policy: policy(ADMIN, {
            ...through("ecr", ["kms:CreateGrant", "kms:DescribeKey"]),
            Condition: { StringEquals: { "kms:ViaService": "${var.service}" } },
          }),
        },
        ebs: { policy: policy(ADMIN, ...AUTOSCALING) },
        logs: {
          policy: policy(ADMIN, {
            Effect: "Allow",
            Principal: { Service: `logs.${REGION}.amazonaws.com` },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: {
              ArnLike: {
                "kms:EncryptionContext:aws:logs:arn": `arn:\${data.aws_partition.p.partition}:logs:${REGION}:${ACCOUNT}:log-group:/other/*`,
              },
            },
          }),
        },
        attested: {
          policy: policy(
            ADMIN,
            {
              Sid: "Readers",
              Effect: "Allow",
              Principal: { AWS: "${aws_iam_role.reader.arn}" },
              Action: ["kms:Decrypt", "kms:DescribeKey"],
              Resource: "*",
            },
            {
              Sid: "DenyDecryptWithoutAttestation",
              Effect: "Deny",
              Principal: "*",
              Action: "kms:Decrypt",
              Resource: "*",
              Condition: { Null: { "kms:RecipientAttestation:ImageSha384": "true" } },
            },
          ),
        },
      },
      aws_kms_alias: { ecr: { name: "alias/ecr", target_key_id: "${aws_kms_key.ecr.key_id}" } },
      aws_ecr_repository: {
        good: repo("${aws_kms_key.ecr.arn}"),
        through_alias: repo("${aws_kms_alias.ecr.arn}"),
        admin_only: repo("${aws_kms_key.admin_only.arn}"),
        default_policy: repo("${aws_kms_key.default.arn}"),
        outside: repo("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        variable_key: repo("${var.key}"),
        variable_policy: repo("${aws_kms_key.variable_policy.arn}"),
        variable_service: repo("${aws_kms_key.variable_service.arn}"),
        aes: { name: "plain", encryption_configuration: { encryption_type: "AES256" } },
      },
      aws_backup_vault: {
        admin_only: { name: "v", kms_key_arn: "${aws_kms_key.admin_only.arn}" },
        role_only: { name: "w", kms_key_arn: "${aws_kms_key.role_only.arn}" },
      },
      aws_eks_cluster: {
        named_creators: { name: "c", encryption_config: { resources: ["secrets"], provider: { key_arn: "${aws_kms_key.creators.arn}" } } },
      },
      aws_launch_template: {
        used: { block_device_mappings: [{ device_name: "/dev/xvda", ebs: { kms_key_id: "${aws_kms_key.ebs.arn}" } }] },
        no_slr: { block_device_mappings: [{ device_name: "/dev/xvda", ebs: { kms_key_id: "${aws_kms_key.ecr.arn}" } }] },
        unused: { block_device_mappings: [{ device_name: "/dev/xvda", ebs: { kms_key_id: "${aws_kms_key.admin_only.arn}" } }] },
      },
      aws_eks_node_group: {
        a: { launch_template: { id: "${aws_launch_template.used.id}", version: "1" } },
        b: { launch_template: { id: "${aws_launch_template.no_slr.id}", version: "1" } },
      },
      aws_cloudwatch_log_group: {
        flow: { name: "/saip/flow", kms_key_id: "${aws_kms_key.logs.arn}" },
        other: { name: "/other/x", kms_key_id: "${aws_kms_key.logs.arn}" },
      },
      aws_iam_role: { reader: { assume_role_policy: "{}" } },
      aws_s3_bucket: { models: {} },
      aws_s3_bucket_server_side_encryption_configuration: {
        models: {
          bucket: "${aws_s3_bucket.models.id}",
          rule: [
            { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.attested.arn}" } },
          ],
        },
      },
      aws_iam_role_policy: {
        read: {
          role: "${aws_iam_role.reader.name}",
          policy: policy({ Effect: "Allow", Action: ["s3:GetObject"], Resource: "${aws_s3_bucket.models.arn}/*" }),
        },
      },
    },
  });

  it("passes keys whose policy lets the service's caller through, directly or through an alias, and AWS's default policy", () => {
    expect(statuses(findings)).toMatchObject({
      "aws_ecr_repository.good": "pass",
      "aws_ecr_repository.through_alias": "pass",
      "aws_ecr_repository.default_policy": "pass",
    });
    expect(findingFor(findings, "aws_ecr_repository.good").message).toBe(
      "the key lets every user of the ECR repository make its calls: the caller of CreateRepository (kms:CreateGrant, kms:DescribeKey) by aws_kms_key.ecr",
    );
  });

  it("fails a key that gives the account only administration, naming what each service cannot call", () => {
    expect(findingFor(findings, "aws_ecr_repository.admin_only").message).toBe(
      "aws_kms_key.admin_only does not let the caller of CreateRepository call kms:CreateGrant",
    );
    expect(findingFor(findings, "aws_backup_vault.admin_only").message).toBe(
      "aws_kms_key.admin_only does not let the caller of CreateBackupVault call kms:CreateGrant, kms:GenerateDataKey, kms:Decrypt, kms:RetireGrant",
    );
  });

  it("takes named principals for the creator only where the statement is for use through the service", () => {
    expect(findingFor(findings, "aws_eks_cluster.named_creators").status).toBe("pass");
    expect(findingFor(findings, "aws_backup_vault.role_only").message).toBe(
      "aws_kms_key.role_only does not let the caller of CreateBackupVault call kms:CreateGrant, kms:GenerateDataKey, kms:Decrypt, kms:RetireGrant",
    );
  });

  it("fails node groups' launch templates whose key does not name the Auto Scaling service-linked role, and skips unused templates", () => {
    expect(findingFor(findings, "aws_launch_template.used").status).toBe("pass");
    expect(findingFor(findings, "aws_launch_template.no_slr").message).toMatch(
      /^aws_kms_key\.ecr does not let EC2 Auto Scaling \(AWSServiceRoleForAutoScaling\), launching the node group's instances call kms:GenerateDataKeyWithoutPlaintext, kms:Decrypt, kms:DescribeKey, kms:CreateGrant$/,
    );
    expect(findings.some((f) => f.resource === "aws_launch_template.unused")).toBe(false);
  });

  it("judges the encryption context: CloudWatch Logs may use the key only for the log groups its condition names", () => {
    expect(findingFor(findings, "aws_cloudwatch_log_group.other").status).toBe("pass");
    expect(findingFor(findings, "aws_cloudwatch_log_group.flow").message).toBe(
      "aws_kms_key.logs does not let CloudWatch Logs call kms:Encrypt, kms:Decrypt, kms:GenerateDataKey",
    );
  });

  it("fails a reader that an explicit Deny stops, naming the statement", () => {
    expect(findingFor(findings, "aws_s3_bucket_server_side_encryption_configuration.models").message).toBe(
      'aws_kms_key.attested does not let aws_iam_role.reader, which reads objects call kms:Decrypt (denied by aws_kms_key.attested statement "DenyDecryptWithoutAttestation")',
    );
  });

  it("leaves keys from outside the module, unreadable policies and unknown conditions unresolved, never passed", () => {
    expect(findingFor(findings, "aws_ecr_repository.outside").message).toMatch(
      /^unresolved: the ECR repository encrypts with "arn:aws:kms:.*which is not a key defined in this module: .*assumed, not proved/,
    );
    expect(findingFor(findings, "aws_ecr_repository.variable_key").message).toMatch(/^unresolved: .*var\.key/);
    expect(findingFor(findings, "aws_ecr_repository.variable_policy").message).toMatch(
      /^unresolved: the policy of aws_kms_key\.variable_policy cannot be read: .*var\.key_policy/,
    );
    expect(findingFor(findings, "aws_ecr_repository.variable_service").message).toMatch(
      /^unresolved: aws_kms_key\.variable_service may not let the caller of CreateRepository call kms:CreateGrant: .*known only at apply/,
    );
    for (const address of ["aws_ecr_repository.outside", "aws_ecr_repository.variable_key", "aws_ecr_repository.variable_service"]) {
      expect(findingFor(findings, address).unresolved).toBe(true);
    }
  });

  it("does not apply to resources that name no key", () => {
    expect(findings.some((f) => f.resource === "aws_ecr_repository.aes")).toBe(false);
  });

  // SNS Developer Guide, Key management: source conditions are not supported for EventBridge-to-encrypted topics.
  it("fails a topic key that lets EventBridge in only with aws:SourceAccount, which EventBridge's request never carries", () => {
    const events = (condition?: object) =>
      JSON.stringify({
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: "*",
            ...(condition ? { Condition: condition } : {}),
          },
        ],
      });
    const publish = JSON.stringify({
      Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sns:Publish", Resource: "*" }],
    });
    const found = checkJson(rule, {
      resource: {
        aws_kms_key: {
          open: { policy: events() },
          scoped: { policy: events({ StringEquals: { "aws:SourceAccount": "111122223333" } }) },
        },
        aws_sns_topic: {
          open: { kms_master_key_id: "${aws_kms_key.open.arn}" },
          scoped: { kms_master_key_id: "${aws_kms_key.scoped.arn}" },
        },
        aws_sns_topic_policy: {
          open: { arn: "${aws_sns_topic.open.arn}", policy: publish },
          scoped: { arn: "${aws_sns_topic.scoped.arn}", policy: publish },
        },
      },
    });
    expect(statuses(found)).toEqual({ "aws_sns_topic.open": "pass", "aws_sns_topic.scoped": "fail" });
    expect(findingFor(found, "aws_sns_topic.scoped").message).toBe(
      "aws_kms_key.scoped does not let the publisher events.amazonaws.com call kms:GenerateDataKey, kms:Decrypt",
    );
  });

  it("reads HCL: a heredoc key policy, an SNS topic's service publisher, and a trail", async () => {
    const hcl = await checkHcl(
      rule,
      `resource "aws_kms_key" "alerts" {
         policy = <<EOT
{"Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":["kms:GenerateDataKey*","kms:Decrypt"],"Resource":"*"}]}
EOT
       }
       resource "aws_kms_key" "closed" {
         policy = <<EOT
{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:Describe*","Resource":"*"}]}
EOT
       }
       resource "aws_sns_topic" "good" { kms_master_key_id = aws_kms_key.alerts.arn }
       resource "aws_sns_topic" "bad" { kms_master_key_id = aws_kms_key.closed.arn }
       resource "aws_sns_topic_policy" "good" {
         arn    = aws_sns_topic.good.arn
         policy = "{\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Principal\\":{\\"Service\\":\\"events.amazonaws.com\\"},\\"Action\\":\\"sns:Publish\\",\\"Resource\\":\\"*\\"}]}"
       }
       resource "aws_sns_topic_policy" "bad" {
         arn    = aws_sns_topic.bad.arn
         policy = "{\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Principal\\":{\\"Service\\":\\"events.amazonaws.com\\"},\\"Action\\":\\"sns:Publish\\",\\"Resource\\":\\"*\\"}]}"
       }
       resource "aws_cloudtrail" "trail" {
         name       = "audit"
         kms_key_id = aws_kms_key.closed.arn
       }
       resource "aws_cloudtrail" "elsewhere" {
         name       = "audit2"
         kms_key_id = var.trail_key
       }`,
    );
    expect(statuses(hcl)).toEqual({
      "aws_sns_topic.good": "pass",
      "aws_sns_topic.bad": "fail",
      "aws_cloudtrail.trail": "fail",
      "aws_cloudtrail.elsewhere": "fail",
    });
    expect(findingFor(hcl, "aws_sns_topic.good").message).toMatch(
      /the publisher events\.amazonaws\.com \(kms:GenerateDataKey, kms:Decrypt\) by aws_kms_key\.alerts/,
    );
    expect(findingFor(hcl, "aws_sns_topic.bad").message).toBe(
      "aws_kms_key.closed does not let the publisher events.amazonaws.com call kms:GenerateDataKey, kms:Decrypt",
    );
    expect(findingFor(hcl, "aws_cloudtrail.trail").message).toBe(
      "aws_kms_key.closed does not let CloudTrail call kms:GenerateDataKey; aws_kms_key.closed does not let CloudTrail call kms:DescribeKey",
    );
    expect(findingFor(hcl, "aws_cloudtrail.elsewhere").unresolved).toBe(true);
    expect(findingFor(hcl, "aws_cloudtrail.elsewhere").message).toMatch(/^unresolved: the trail encrypts with .*var\.trail_key/);
  });

  it("lets GuardDuty's malware scan make a volume from the shared snapshot and re-wrap its key, where the detector scans EBS", () => {
    const scanner = (actions: string[]) => ({
      Sid: "GuardDuty",
      Effect: "Allow",
      Principal: { AWS: ROOT },
      Action: actions,
      Resource: "*",
      Condition: {
        StringEquals: { "kms:CallerAccount": ACCOUNT },
        ArnLike: {
          "aws:PrincipalArn": `arn:\${data.aws_partition.p.partition}:iam::${ACCOUNT}:role/aws-service-role/malware-protection.guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDutyMalwareProtection`,
        },
      },
    });
    const volumes = (key: string) => ({
      block_device_mappings: [{ device_name: "/dev/xvda", ebs: { kms_key_id: `\${aws_kms_key.${key}.arn}` } }],
    });
    const scanned = checkJson(rule, {
      resource: {
        aws_guardduty_detector: { main: { enable: true } },
        aws_guardduty_detector_feature: {
          ebs: { detector_id: "${aws_guardduty_detector.main.id}", name: "EBS_MALWARE_PROTECTION", status: "ENABLED" },
        },
        aws_kms_key: {
          full: {
            policy: policy(ADMIN, ...AUTOSCALING, scanner(["kms:CreateGrant", "kms:DescribeKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"])),
          },
          grant_only: { policy: policy(ADMIN, ...AUTOSCALING, scanner(["kms:CreateGrant", "kms:DescribeKey"])) },
        },
        aws_launch_template: { full: volumes("full"), grant_only: volumes("grant_only") },
        aws_eks_node_group: {
          a: { launch_template: { id: "${aws_launch_template.full.id}", version: "1" } },
          b: { launch_template: { id: "${aws_launch_template.grant_only.id}", version: "1" } },
        },
      },
    });
    expect(findingFor(scanned, "aws_launch_template.full").status).toBe("pass");
    expect(findingFor(scanned, "aws_launch_template.grant_only").status).toBe("fail");
    expect(findingFor(scanned, "aws_launch_template.grant_only").message).toMatch(
      /GuardDuty Malware Protection .* call kms:ReEncryptFrom, kms:ReEncryptTo$/,
    );
  });

  it("counts CloudWatch alarms as publishers of their topic, though they need no topic policy", () => {
    const cloudwatch = {
      Sid: "Alarms",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
    };
    const alarmed = checkJson(rule, {
      resource: {
        aws_kms_key: { open: { policy: policy(ADMIN, cloudwatch) }, closed: { policy: policy(ADMIN) } },
        aws_sns_topic: { good: { kms_master_key_id: "${aws_kms_key.open.arn}" }, bad: { kms_master_key_id: "${aws_kms_key.closed.arn}" } },
        aws_cloudwatch_metric_alarm: {
          a: { alarm_name: "a", alarm_actions: ["${aws_sns_topic.good.arn}"] },
          b: { alarm_name: "b", ok_actions: ["${aws_sns_topic.bad.arn}"] },
        },
      },
    });
    expect(statuses(alarmed)).toEqual({ "aws_sns_topic.good": "pass", "aws_sns_topic.bad": "fail" });
    expect(findingFor(alarmed, "aws_sns_topic.bad").message).toBe(
      "aws_kms_key.closed does not let the publisher cloudwatch.amazonaws.com call kms:GenerateDataKey, kms:Decrypt",
    );
  });

  it("takes named roles for the cluster's creators only where their statement requires a service, not where it merely names kms:ViaService", () => {
    const creators = (condition: object) =>
      findingFor(
        checkJson(rule, {
          resource: {
            aws_kms_key: {
              k: {
                policy: policy(ADMIN, {
                  Sid: "Creators",
                  Effect: "Allow",
                  Principal: { AWS: ["arn:aws:iam::111122223333:role/deployer"] },
                  Action: ["kms:CreateGrant", "kms:DescribeKey"],
                  Resource: "*",
                  Condition: condition,
                }),
              },
            },
            aws_eks_cluster: {
              c: { name: "c", encryption_config: { resources: ["secrets"], provider: { key_arn: "${aws_kms_key.k.arn}" } } },
            },
          },
        }),
        "aws_eks_cluster.c",
      );
    expect(creators({ StringEquals: { "kms:ViaService": `eks.${REGION}.amazonaws.com` } }).status).toBe("pass");
    expect(creators({ Null: { "kms:ViaService": "true" } }).status).toBe("fail");
  });

  it("asks a prefix's pinned key, not the bucket's default, for roles granted only that prefix", () => {
    const KEY_ID = "s3:x-amz-server-side-encryption-aws-kms-key-id";
    const decryptFor = (...roles: string[]) => ({
      enable_key_rotation: true,
      policy: policy(ADMIN, {
        Effect: "Allow",
        Principal: { AWS: roles.map((r) => `\${aws_iam_role.${r}.arn}`) },
        Action: "kms:Decrypt",
        Resource: "*",
      }),
    });
    const findings = checkJson(rule, {
      resource: {
        aws_s3_bucket: { shared: { bucket_prefix: "shared-" } },
        aws_s3_bucket_server_side_encryption_configuration: {
          shared: {
            bucket: "${aws_s3_bucket.shared.id}",
            rule: [
              { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.bucket.arn}" } },
            ],
          },
        },
        aws_s3_bucket_policy: {
          shared: {
            bucket: "${aws_s3_bucket.shared.id}",
            policy: policy(
              {
                Effect: "Deny",
                Principal: "*",
                Action: "s3:PutObject",
                Resource: "${aws_s3_bucket.shared.arn}/a/*",
                Condition: { StringNotEquals: { [KEY_ID]: "${aws_kms_key.tenant_a.arn}" }, Null: { [KEY_ID]: "false" } },
              },
              {
                Effect: "Deny",
                Principal: "*",
                Action: "s3:PutObject",
                Resource: "${aws_s3_bucket.shared.arn}/b/*",
                Condition: { StringNotEquals: { [KEY_ID]: "${aws_kms_key.tenant_b.arn}" }, Null: { [KEY_ID]: "false" } },
              },
            ),
          },
        },
        // The bucket's key names neither tenant; tenant b's key does not name its reader.
        aws_kms_key: { bucket: decryptFor("everything"), tenant_a: decryptFor("a", "everything"), tenant_b: decryptFor("everything") },
        aws_iam_role: { a: { assume_role_policy: "{}" }, b: { assume_role_policy: "{}" }, everything: { assume_role_policy: "{}" } },
        aws_iam_role_policy: Object.fromEntries(
          [
            ["a", "a/*"],
            ["b", "b/*"],
            ["everything", "*"],
          ].map(([role, objects]) => [
            role,
            {
              role: `\${aws_iam_role.${role}.id}`,
              policy: policy({ Effect: "Allow", Action: "s3:GetObject", Resource: `\${aws_s3_bucket.shared.arn}/${objects}` }),
            },
          ]),
        ),
      },
    });
    expect(statuses(findings)).toEqual({
      "aws_s3_bucket_server_side_encryption_configuration.shared": "pass",
      "aws_s3_bucket_policy.shared": "fail",
    });
    expect(findingFor(findings, "aws_s3_bucket_server_side_encryption_configuration.shared").message).toBe(
      "the key lets every user of the bucket's default encryption make its calls: aws_iam_role.everything, which reads objects (kms:Decrypt) by aws_kms_key.bucket",
    );
    expect(findingFor(findings, "aws_s3_bucket_policy.shared").message).toBe(
      "aws_kms_key.tenant_b does not let aws_iam_role.b, which reads objects under b/ call kms:Decrypt",
    );
  });
});
