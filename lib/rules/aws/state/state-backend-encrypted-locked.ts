import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, Json, JsonObject } from "../../../terraform/model";
import { blocksOf, firstBlock } from "../../helpers";

const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//;

/** A backend argument as written: backend blocks take literals only, so an interpolation is a value the engine cannot know. */
function literal(
  body: JsonObject,
  key: string,
): { state: "absent" } | { state: "known"; value: Json } | { state: "unknown"; expression: string } {
  const value = body[key];
  if (value === undefined || value === null) return { state: "absent" };
  if (typeof value === "string" && value.includes("${")) return { state: "unknown", expression: value };
  return { state: "known", value };
}

const truthy = (value: Json) => value === true || value === "true";

/** Judges an s3 backend block: encrypt, a customer key, and a lock. */
function s3Backend(body: JsonObject): Outcome {
  const problems: string[] = [];
  const open: string[] = [];
  const encrypt = literal(body, "encrypt");
  const key = literal(body, "kms_key_id");
  const lockfile = literal(body, "use_lockfile");
  const table = literal(body, "dynamodb_table");
  for (const [name, value] of [
    ["encrypt", encrypt],
    ["kms_key_id", key],
    ["use_lockfile", lockfile],
    ["dynamodb_table", table],
  ] as const) {
    if (value.state === "unknown")
      open.push(`${name} is ${value.expression}, which a backend block cannot interpolate (set at init with -backend-config?)`);
  }
  if (encrypt.state === "known" && !truthy(encrypt.value))
    problems.push(`encrypt is ${JSON.stringify(encrypt.value)}, so the state object is stored without server-side encryption requested`);
  if (encrypt.state === "absent") problems.push("encrypt is not set, so Terraform does not ask S3 to encrypt the state");
  if (key.state === "absent" || (key.state === "known" && String(key.value) === ""))
    problems.push(
      "kms_key_id is not set, so the state is not under a customer-managed key (anyone who can read the bucket reads the cluster's certificate, endpoint and every secret value in it)",
    );
  else if (key.state === "known" && AWS_MANAGED_ALIAS.test(String(key.value)))
    problems.push(`kms_key_id is the AWS-managed key ${String(key.value)}, not a customer-managed key`);
  const locked = (lockfile.state === "known" && truthy(lockfile.value)) || (table.state === "known" && String(table.value) !== "");
  if (!locked && lockfile.state !== "unknown" && table.state !== "unknown")
    problems.push("neither use_lockfile nor dynamodb_table is set, so two applies can write the state at once and corrupt it");
  if (problems.length > 0) return fail(`the s3 backend ${problems.join("; ")}`);
  if (open.length > 0) return unresolved(open.join("; "));
  const lock =
    lockfile.state === "known" && truthy(lockfile.value)
      ? "use_lockfile (an S3 lock object)"
      : `the DynamoDB table ${JSON.stringify(table.state === "known" ? table.value : "")}`;
  return pass(
    `state is kept in S3 bucket ${JSON.stringify(body.bucket ?? "(set at init)")} encrypted with the key ${String((key as { value: Json }).value)} and locked with ${lock}`,
  );
}

export const stateBackendEncryptedLocked: Rule = {
  id: "aws-state-backend-encrypted-locked",
  title: "Terraform state is kept in S3 encrypted with a customer-managed key and locked against concurrent writes",
  requirements: ["AICP-DATA-07"],
  // Recommended: a waiver in code cannot reach the terraform block, and every stack cdktf synthesizes without a
  // backend gets a local one. The platform's stacks always use the state bucket; a failure still leaves AICP-DATA-07 unmet.
  severity: "recommended",
  waivable: true,
  appliesTo: ["terraform"],
  effect:
    "The state, which holds the cluster's endpoint and certificate, role ARNs and every secret value a resource returns, is written only to an encrypted, locked S3 object, never to a plaintext file on disk.",
  remediation:
    'Configure terraform { backend "s3" { encrypt = true, kms_key_id = "<customer key ARN or alias/...>", use_lockfile = true } } (the platform\'s stacks use the bucket the bootstrap stack creates).',
  examples: {
    good: [
      `
      resource "aws_s3_bucket" "data" {
        bucket = "platform-data"
      }

      terraform {
        backend "s3" {
          bucket       = "platform-state"
          key          = "platform.tfstate"
          region       = "eu-west-1"
          encrypt      = true
          kms_key_id   = "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-1111-2222-3333-444455556666"
          use_lockfile = true
        }
      }
    `,
    ],
    bad: [
      `
      resource "aws_s3_bucket" "data" {
        bucket = "platform-data"
      }

      terraform {
        backend "s3" {
          bucket  = "platform-state"
          key     = "platform.tfstate"
          region  = "eu-west-1"
          encrypt = true
        }
      }
    `,
    ],
  },
  check(settings) {
    const backends = blocksOf(settings.body.backend);
    if (settings.body.cloud !== undefined)
      return fail(
        "the module uses HCP Terraform (a cloud block): its state encryption keys are not the platform's, so this rule cannot show the state is under a customer-managed key",
      );
    if (backends.length === 0)
      return fail("no backend is configured, so Terraform keeps the state in a local terraform.tfstate file in plaintext");
    const types = backends.flatMap((b) => Object.keys(b).filter((k) => k !== "//"));
    if (types.length !== 1) return unresolved(`the backend block is not one backend: ${JSON.stringify(types)}`);
    const [type] = types;
    const body = firstBlock(backends.find((b) => b[type] !== undefined)?.[type]);
    if (type === "local")
      return fail(
        `the local backend keeps the state in a plaintext file on disk${body && typeof body.path === "string" ? ` (${body.path})` : ""}`,
      );
    if (type !== "s3")
      return fail(`the ${type} backend is not one this rule can show to encrypt with a customer-managed key and lock; use the s3 backend`);
    if (!isObject(body ?? null)) return fail("the s3 backend block is malformed: it holds no arguments");
    return s3Backend(body as JsonObject);
  },
};
