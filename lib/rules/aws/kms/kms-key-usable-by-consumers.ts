import { Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { Json, TfResource } from "../../../terraform/model";
import { describe, resolve, valueAt } from "../../helpers";
import { defaultKeyPolicy, keyAllows, keyPolicySources } from "../../policies/key-access";
import { judge, LocatedStatement, readPolicies } from "../../policies/statements";
import { CONSUMERS, Need, requestsOf } from "./key-consumers";

/** The key a consumer's argument names, or why it cannot be read. */
function keyNamed(resource: TfResource, raw: Json): TfResource | Outcome {
  const value = resolve(resource, raw);
  const what = CONSUMERS[resource.type].what;
  if (value.state === "reference") {
    if (value.target.type === "aws_kms_key") return value.target;
    if (value.target.type === "aws_kms_alias") {
      const target = valueAt(value.target, "target_key_id");
      if (target.state === "reference" && target.target.type === "aws_kms_key") return target.target;
    }
  }
  return unresolved(
    `the ${what} encrypts with ${describe(value)}, which is not a key defined in this module: its policy cannot be read, so whether the services can use it is assumed, not proved`,
  );
}

/** The statements in force on a key: a separate aws_kms_key_policy replaces the inline one; no policy means AWS's default. */
export function keyStatements(key: TfResource): LocatedStatement[] | Outcome {
  // By resource, not by a key string built per call: a module's log groups, buckets and templates share few keys.
  const read = key.module.cached("kms-usable:statements", () => new WeakMap<TfResource, LocatedStatement[] | Outcome>());
  let statements = read.get(key);
  if (statements) return statements;
  const sources = keyPolicySources(key);
  if (sources.length === 0) statements = defaultKeyPolicy(key);
  else {
    const policies = readPolicies(sources);
    statements = policies.unreadable.length > 0 ? policies.unreadable[0] : policies.statements;
  }
  read.set(key, statements);
  return statements;
}

/** The distinct values naming the keys a consumer encrypts with, read once per resource: `applies` and `check` both need them. */
function keysOf(resource: TfResource): readonly Json[] {
  const read = resource.module.cached("kms-usable:keys", () => new WeakMap<TfResource, readonly Json[]>());
  let keys = read.get(resource);
  if (!keys) read.set(resource, (keys = distinct(CONSUMERS[resource.type].keys(resource))));
  return keys;
}

/**
 * Values without repeats, first seen first: strings (nearly every key is a reference) by value, a block or list by its JSON,
 * kept apart so that no string stands for a block.
 */
function distinct(values: readonly Json[]): readonly Json[] {
  if (values.length < 2) return values;
  const primitives = new Set<Json>();
  const blocks = new Set<string>();
  return values.filter((value) => {
    const seen = value !== null && typeof value === "object" ? blocks : primitives;
    const id = seen === blocks ? JSON.stringify(value) : value;
    if ((seen as Set<unknown>).has(id)) return false;
    (seen as Set<unknown>).add(id);
    return true;
  });
}

const isOutcome = (value: LocatedStatement[] | Outcome | TfResource): value is Outcome => "status" in value;

export const kmsKeyUsableByConsumers: Rule = {
  id: "aws-kms-key-usable-by-consumers",
  title: "Every service that encrypts with a key of the module may use it, at create time and at run time",
  requirements: ["AICP-DATA-09"],
  severity: "mandatory",
  waivable: true,
  appliesTo: Object.keys(CONSUMERS),
  effect:
    "The key policy lets each service that encrypts with the key (ECR, AWS Backup, EKS, FSx, EFS, CloudWatch Logs, CloudTrail, SNS publishers, EBS through Auto Scaling, GuardDuty malware scans, S3 readers and writers) make the KMS calls it makes when the resource is created and while it runs.",
  remediation:
    "Add the key policy statements the service documents: for ECR, AWS Backup, EKS, FSx and EFS let the account's principals use the key through that service (kms:ViaService, kms:CallerAccount); name service principals and roles with the actions they call (the platform's constructs add these).",
  examples: {
    good: [
      `
      resource "aws_kms_key" "alerts" {
        enable_key_rotation = true
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid       = "EventBridgePublishes"
            Effect    = "Allow"
            Principal = { Service = "events.amazonaws.com" }
            Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
            Resource  = "*"
          }]
        })
      }

      resource "aws_sns_topic" "alerts" {
        name              = "platform-alerts"
        kms_master_key_id = aws_kms_key.alerts.arn
      }

      resource "aws_sns_topic_policy" "alerts" {
        arn = aws_sns_topic.alerts.arn
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect    = "Allow"
            Principal = { Service = "events.amazonaws.com" }
            Action    = "sns:Publish"
            Resource  = aws_sns_topic.alerts.arn
          }]
        })
      }
    `,
    ],
    bad: [
      `
      resource "aws_kms_key" "alerts" {
        enable_key_rotation = true
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid       = "EventBridgePublishes"
            Effect    = "Allow"
            Principal = { Service = "events.amazonaws.com" }
            Action    = "kms:DescribeKey"
            Resource  = "*"
          }]
        })
      }

      resource "aws_sns_topic" "alerts" {
        name              = "platform-alerts"
        kms_master_key_id = aws_kms_key.alerts.arn
      }

      resource "aws_sns_topic_policy" "alerts" {
        arn = aws_sns_topic.alerts.arn
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect    = "Allow"
            Principal = { Service = "events.amazonaws.com" }
            Action    = "sns:Publish"
            Resource  = aws_sns_topic.alerts.arn
          }]
        })
      }
    `,
    ],
  },
  applies: (resource) => keysOf(resource).length > 0,
  check(resource) {
    const consumer = CONSUMERS[resource.type];
    const problems: string[] = [];
    const unknowns: Outcome[] = [];
    const granted: string[] = [];
    // Asked once per resource, and only once a key of the module is named: most resources name one key.
    let needs: Need[] | undefined;
    for (const raw of keysOf(resource)) {
      const key = keyNamed(resource, raw);
      if (isOutcome(key)) {
        unknowns.push(key);
        continue;
      }
      const statements = keyStatements(key);
      if (isOutcome(statements)) {
        unknowns.push(unresolved(`the policy of ${key.address} cannot be read: ${statements.message}`));
        continue;
      }
      const keyNeeds = consumer.keyedNeeds ? consumer.keyedNeeds(resource, raw) : (needs ??= consumer.needs(resource));
      for (const need of keyNeeds) {
        const missing: string[] = [];
        const unsure: string[] = [];
        for (const request of requestsOf(need)) {
          const { verdict, deniedBy } = keyAllows(statements, request);
          if (verdict === "no") missing.push(deniedBy ? `${request.action} (denied by ${deniedBy})` : request.action);
          else if (verdict === "unknown") unsure.push(request.action);
        }
        if (missing.length > 0) problems.push(`${key.address} does not let ${need.who} call ${missing.join(", ")}`);
        else if (unsure.length > 0)
          unknowns.push(
            unresolved(
              `${key.address} may not let ${need.who} call ${unsure.join(", ")}: a principal or condition its policy names is known only at apply`,
            ),
          );
        else granted.push(`${need.who} (${need.actions.join(", ")}) by ${key.address}`);
      }
    }
    if (problems.length === 0 && unknowns.length === 0 && granted.length === 0) {
      return pass(`no service or role of the module uses the ${consumer.what}'s key beyond its creator`);
    }
    return judge(problems, unknowns, `the key lets every user of the ${consumer.what} make its calls: ${granted.join("; ")}`);
  },
};
