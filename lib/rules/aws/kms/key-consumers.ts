import { isObject, Json, TfResource } from "../../../terraform/model";
import { blocksOf, rawAt, resolve, stringList, valueAt } from "../../helpers";
import { coversAction } from "../../policies/actions";
import { KeyRequest, Requester, UNKNOWN_PART as U } from "../../policies/key-access";
import { isEffect, readPolicies } from "../../policies/statements";
import { BucketObjectGrant, bucketObjectGrants, prefixPins, reaches, withinPins } from "../s3/prefix-keys";

/*
 * What each AWS service that encrypts with a customer key asks of the key
 * policy, at create time and at run time, after the services' own guides:
 * - ECR CreateRepository: DescribeKey and two CreateGrant calls as the caller;
 *   pushes and pulls then use ECR's grants (ECR user guide, "Encryption at rest").
 * - AWS Backup CreateBackupVault: the caller's CreateGrant, GenerateDataKey,
 *   Decrypt, RetireGrant and DescribeKey (AWS Backup guide, "Encryption for backups").
 * - EKS CreateCluster with secrets encryption: the caller's CreateGrant and
 *   DescribeKey, for which kms:GrantIsForAWSResource does not hold (EKS user guide).
 * - FSx and EFS: the caller's CreateGrant and DescribeKey through the service,
 *   which then works through its grants (FSx and EFS user guides, data encryption).
 * - CloudWatch Logs: the regional logs principal encrypts and decrypts with the
 *   log group's ARN as encryption context (CloudWatch Logs guide, "Encrypt log data").
 * - CloudTrail: cloudtrail.amazonaws.com generates data keys with the trail as
 *   aws:SourceArn and encryption context, and describes the key (CloudTrail guide, key policy).
 * - SNS: each publisher generates data keys and decrypts, a service publisher
 *   through its service principal (SNS guide, "Enable compatibility between event sources").
 * - EBS through EC2 Auto Scaling (node groups): the AWSServiceRoleForAutoScaling
 *   role, named in the key policy since its own policy has no KMS actions, creates
 *   volumes and grants (EC2 Auto Scaling guide, "Required KMS key policy").
 * - GuardDuty Malware Protection for EC2: its service-linked role creates grants
 *   through its IAM policy, so the key policy must delegate to the account.
 * - S3 SSE-KMS: whoever writes generates data keys and whoever reads decrypts,
 *   through S3: the bucket policy's service writers and the roles granted on the bucket.
 */

/** What one principal needs of the key. */
export interface Need {
  /** "ECR's caller (CreateRepository)", for messages. */
  readonly who: string;
  readonly requester: Requester;
  readonly actions: readonly string[];
  /** Condition keys the requests carry (lower case). */
  readonly present: Readonly<Record<string, string | "any">>;
  /** Extra keys for CreateGrant requests. */
  readonly grantPresent?: Readonly<Record<string, string>>;
}

export interface Consumer {
  /** "ECR repository", for messages. */
  readonly what: string;
  /** The values naming the keys the resource encrypts with; empty when it names none. */
  keys(resource: TfResource): Json[];
  needs(resource: TfResource): Need[];
  /** For consumers whose keys serve different principals: the needs of one of the keys `keys` gives. */
  keyedNeeds?(resource: TfResource, key: Json): Need[];
}

/**
 * The source keys a service's KMS request carries when it publishes to an encrypted SNS topic: none for
 * EventBridge ("Adding the aws:SourceAccount and aws:SourceArn to a AWS KMS policy is not supported for
 * EventBridge-to-encrypted topics", SNS Developer Guide, Key management), the account for the others.
 */
export function topicPublisherSourceKeys(service: string): Readonly<Record<string, "any">> {
  return service === "events.amazonaws.com" ? {} : { "aws:sourceaccount": "any" };
}

/** Keys no request of these consumers carries unless listed as present. */
const NORMALLY_ABSENT = [
  "kms:recipientattestation:*",
  "kms:viaservice",
  "kms:grantisforawsresource",
  "kms:encryptioncontext:*",
  "aws:sourcearn",
  "aws:sourceaccount",
  "aws:principalarn",
];

/** The requests of a need, one per action. */
export function requestsOf(need: Need): KeyRequest[] {
  return need.actions.map((action) => {
    const present = { ...need.present, ...(action === "kms:CreateGrant" ? need.grantPresent : {}) };
    return { requester: need.requester, action, present, absent: NORMALLY_ABSENT.filter((k) => !(k in present)) };
  });
}

const CALLER: Requester = { kind: "caller" };
const via = (service: string) => ({ "kms:viaservice": `${service}.${U}.amazonaws.com`, "kms:calleraccount": "any" as const });
/** What S3 SSE-KMS requests carry: through S3, with a bucket's (S3 Bucket Key) or an object's ARN as context. */
const S3_REQUEST = { ...via("s3"), "kms:encryptioncontext:aws:s3:arn": `arn:${U}:s3:::${U}` };

function callerThrough(service: string, call: string, actions: string[], grantForAwsResource = true): Need {
  return {
    who: `the caller of ${call}`,
    requester: CALLER,
    actions,
    present: via(service),
    grantPresent: grantForAwsResource ? { "kms:grantisforawsresource": "true" } : undefined,
  };
}

const single =
  (path: string) =>
  (resource: TfResource): Json[] => {
    const raw = rawAt(resource.body, path);
    return raw === undefined || raw === null || raw === "" ? [] : [raw];
  };

/** A literal string argument, or `⟨⟩` when the module cannot know it. */
function literal(resource: TfResource, path: string): string {
  const value = valueAt(resource, path);
  return value.state === "known" && typeof value.value === "string" && value.value.indexOf("${") < 0 ? value.value : U;
}

const AUTOSCALING_ROLE = `arn:${U}:iam::${U}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
const GUARDDUTY_MALWARE_ROLE = `arn:${U}:iam::${U}:role/aws-service-role/malware-protection.guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDutyMalwareProtection`;

/** Whether GuardDuty scans EBS volumes for malware in this module. */
function malwareScanning(resource: TfResource): boolean {
  return resource.module.cached(
    "kms-consumers:malware-scanning",
    (m) =>
      m
        .ofType("aws_guardduty_detector_feature")
        .some(
          (f) =>
            valueAt(f, "name").state === "known" &&
            rawAt(f.body, "name") === "EBS_MALWARE_PROTECTION" &&
            rawAt(f.body, "status") === "ENABLED",
        ) ||
      m
        .ofType("aws_guardduty_detector")
        .some((d) => rawAt(d.body, "datasources.malware_protection.scan_ec2_instance_with_findings.ebs_volumes.enable") === true),
  );
}

/** Whether a node group or Auto Scaling group in the module launches from the template. */
export function launchedFrom(template: TfResource): boolean {
  const used = template.module.cached("kms-consumers:launched-templates", (m) => {
    const addresses = new Set<string>();
    for (const group of [...m.ofType("aws_eks_node_group"), ...m.ofType("aws_autoscaling_group")]) {
      const refs = [
        rawAt(group.body, "launch_template.id"),
        rawAt(group.body, "launch_template.name"),
        rawAt(group.body, "mixed_instances_policy.launch_template.launch_template_specification.launch_template_id"),
      ];
      for (const raw of refs)
        for (const match of typeof raw === "string" ? raw.matchAll(/aws_launch_template\.[\w-]+/g) : []) addresses.add(match[0]);
    }
    return addresses;
  });
  return used.has(template.address);
}

/** Service principals a resource policy lets call `action`. */
function servicePrincipals(sources: TfResource[], action: string): string[] {
  const { statements } = readPolicies(sources);
  return statements
    .filter(
      ({ statement, source }) =>
        isEffect(statement, "Allow") && coversAction(source, statement, action) === true && isObject(statement.Principal),
    )
    .flatMap(({ statement }) => stringList((statement.Principal as Record<string, Json>).Service));
}

const referrers = (target: TfResource, type: string, key: string) =>
  target.module
    .referrers(target)
    .filter((r) => r.resource.type === type && r.key === key)
    .map((r) => r.resource);

export const CONSUMERS: Readonly<Record<string, Consumer>> = {
  aws_ecr_repository: {
    what: "ECR repository",
    keys: single("encryption_configuration.kms_key"),
    needs: () => [callerThrough("ecr", "CreateRepository", ["kms:CreateGrant", "kms:DescribeKey"])],
  },
  aws_backup_vault: {
    what: "backup vault",
    keys: single("kms_key_arn"),
    needs: () => [
      callerThrough("backup", "CreateBackupVault", [
        "kms:CreateGrant",
        "kms:GenerateDataKey",
        "kms:Decrypt",
        "kms:RetireGrant",
        "kms:DescribeKey",
      ]),
    ],
  },
  aws_eks_cluster: {
    what: "EKS cluster",
    keys: single("encryption_config.provider.key_arn"),
    needs: () => [callerThrough("eks", "CreateCluster", ["kms:CreateGrant", "kms:DescribeKey"], false)],
  },
  aws_fsx_lustre_file_system: {
    what: "FSx for Lustre file system",
    keys: single("kms_key_id"),
    needs: () => [callerThrough("fsx", "CreateFileSystem", ["kms:CreateGrant", "kms:DescribeKey"])],
  },
  aws_efs_file_system: {
    what: "EFS file system",
    keys: single("kms_key_id"),
    needs: () => [callerThrough("elasticfilesystem", "CreateFileSystem", ["kms:CreateGrant", "kms:DescribeKey"])],
  },
  aws_cloudwatch_log_group: {
    what: "log group",
    keys: single("kms_key_id"),
    needs: (group): Need[] => [
      {
        who: "CloudWatch Logs",
        requester: { kind: "service", service: `logs.${U}.amazonaws.com` },
        actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
        present: { "kms:encryptioncontext:aws:logs:arn": `arn:${U}:logs:${U}:${U}:log-group:${literal(group, "name")}` },
      },
    ],
  },
  aws_cloudtrail: {
    what: "trail",
    keys: single("kms_key_id"),
    needs: (trail): Need[] => {
      const arn = `arn:${U}:cloudtrail:${U}:${U}:trail/${literal(trail, "name")}`;
      const service: Requester = { kind: "service", service: "cloudtrail.amazonaws.com" };
      return [
        {
          who: "CloudTrail",
          requester: service,
          actions: ["kms:GenerateDataKey"],
          present: { "aws:sourcearn": arn, "aws:sourceaccount": "any", "kms:encryptioncontext:aws:cloudtrail:arn": arn },
        },
        {
          who: "CloudTrail",
          requester: service,
          actions: ["kms:DescribeKey"],
          present: { "aws:sourcearn": arn, "aws:sourceaccount": "any" },
        },
      ];
    },
  },
  aws_sns_topic: {
    what: "SNS topic",
    keys: single("kms_master_key_id"),
    needs: (topic): Need[] => {
      const sources = [...(rawAt(topic.body, "policy") === undefined ? [] : [topic]), ...referrers(topic, "aws_sns_topic_policy", "arn")];
      const publishers = new Set(servicePrincipals(sources, "sns:Publish"));
      // CloudWatch alarms publish to their topics with no topic policy, and need the key as any publisher does.
      const named = (alarm: TfResource) =>
        ["alarm_actions", "ok_actions", "insufficient_data_actions"].some((k) =>
          JSON.stringify(rawAt(alarm.body, k) ?? []).includes(`${topic.address}.`),
        );
      if (topic.module.ofType("aws_cloudwatch_metric_alarm").some(named)) publishers.add("cloudwatch.amazonaws.com");
      return [...publishers].map((service) => ({
        who: `the publisher ${service}`,
        requester: { kind: "service" as const, service },
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        present: topicPublisherSourceKeys(service),
      }));
    },
  },
  aws_launch_template: {
    what: "launch template",
    keys: (template) =>
      launchedFrom(template)
        ? blocksOf(template.body.block_device_mappings)
            .map((m) => rawAt(m, "ebs.kms_key_id"))
            .filter((v): v is Json => v !== undefined && v !== null)
        : [],
    needs: (template): Need[] => [
      {
        who: "EC2 Auto Scaling (AWSServiceRoleForAutoScaling), launching the node group's instances",
        requester: { kind: "role", arn: AUTOSCALING_ROLE, iamActions: [] },
        actions: ["kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant"],
        present: { "kms:viaservice": `ec2.${U}.amazonaws.com`, "kms:calleraccount": "any", "aws:principalarn": AUTOSCALING_ROLE },
        grantPresent: { "kms:grantisforawsresource": "true" },
      },
      ...(malwareScanning(template)
        ? [
            {
              who: "GuardDuty Malware Protection (AWSServiceRoleForAmazonGuardDutyMalwareProtection), scanning the volumes",
              requester: {
                kind: "role" as const,
                arn: GUARDDUTY_MALWARE_ROLE,
                iamActions: ["kms:CreateGrant", "kms:DescribeKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
              },
              // The volume comes from the shared snapshot through a grant; the snapshot's data key is re-wrapped for the scanner.
              actions: ["kms:CreateGrant", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
              present: { "kms:calleraccount": "any", "aws:principalarn": GUARDDUTY_MALWARE_ROLE },
            },
          ]
        : []),
    ],
  },
  aws_s3_bucket_server_side_encryption_configuration: {
    what: "bucket's default encryption",
    keys: (config) =>
      blocksOf(config.body.rule)
        .map((r) => rawAt(r, "apply_server_side_encryption_by_default.kms_master_key_id"))
        .filter((v): v is Json => v !== undefined && v !== null),
    needs: (config): Need[] => {
      const bucket = resolve(config, rawAt(config.body, "bucket"));
      if (bucket.state !== "reference" || bucket.target.type !== "aws_s3_bucket") return [];
      const s3 = S3_REQUEST;
      const writers = servicePrincipals(referrers(bucket.target, "aws_s3_bucket_policy", "bucket"), "s3:PutObject");
      return [
        ...[...new Set(writers)].map((service) => ({
          who: `the bucket policy's writer ${service}`,
          requester: { kind: "service" as const, service },
          actions: ["kms:GenerateDataKey"],
          present: { ...s3, "aws:sourcearn": "any" as const, "aws:sourceaccount": "any" as const },
        })),
        // A role granted only prefixes whose objects are pinned to other keys never uses the default key.
        ...bucketObjectGrants(bucket.target)
          .filter((grant) => !withinPins(grant, prefixPins(bucket.target)))
          .map((grant) => objectNeed(grant)),
      ];
    },
  },
  aws_s3_bucket_policy: {
    what: "bucket policy's prefix keys",
    keys: (policy) => {
      const bucket = pinnedBucket(policy);
      return bucket ? [...new Set(prefixPins(bucket).map((pin) => pin.key))] : [];
    },
    needs: () => [],
    // Each pinned key is needed by the roles granted objects under its prefix, and by those granted more that reach it.
    keyedNeeds: (policy, key) => {
      const bucket = pinnedBucket(policy)!;
      const prefixes = prefixPins(bucket)
        .filter((pin) => pin.key === key)
        .map((pin) => pin.prefix);
      return bucketObjectGrants(bucket)
        .filter((grant) => grant.patterns.some((pattern) => prefixes.some((prefix) => reaches(pattern, prefix))))
        .map((grant) => objectNeed(grant, ` under ${prefixes.join(", ")}`));
    },
  },
};

/** The bucket an aws_s3_bucket_policy governs, when it is one of the module's. */
function pinnedBucket(policy: TfResource): TfResource | undefined {
  const bucket = resolve(policy, rawAt(policy.body, "bucket"));
  return bucket.state === "reference" && bucket.target.type === "aws_s3_bucket" ? bucket.target : undefined;
}

/** What a role granted objects of a bucket asks of their key through S3. */
export function objectNeed({ role, write, iamActions }: BucketObjectGrant, where = ""): Need {
  return {
    who: `${role.address}, which ${write ? "writes" : "reads"} objects${where}`,
    requester: { kind: "role" as const, arn: `\${${role.address}.arn}`, iamActions },
    actions: write ? ["kms:GenerateDataKey", "kms:Decrypt"] : ["kms:Decrypt"],
    present: { ...S3_REQUEST, "aws:principalarn": "any" as const },
  };
}
