import { fail, Outcome, pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, Json, TfModule, TfResource } from "../../../terraform/model";
import { attached, describe, firstBlock, isTrue, principalIsWildcard, resolve, valueAt } from "../../helpers";
import { isEffect, LocatedStatement, readPolicies } from "../../policies/statements";
import { coversAction, knownStrings } from "../../policies/actions";
import { everyKeyPolicySource } from "../../policies/key-access";

const MEASURED = /^kms:RecipientAttestation:(ImageSha384|PCR\d+)$/i;
// Only exact matches pin a measurement; IfExists, Like or Null would let other enclaves (or none) through.
const PINNING = ["stringequals", "stringequalsignorecase"];
const SHA384 = /^[0-9a-f]{96}$/i;

/** Whether the module runs Nitro Enclaves: a launch template with enclave_options.enabled = true. */
export function moduleRunsEnclaves(module: TfModule): boolean {
  return module.cached("aws-kms-model-key-attestation:enclaves", (m) =>
    m.ofType("aws_launch_template").some((t) => isTrue(valueAt(t, "enclave_options.enabled"))),
  );
}

/** A key for model weights: tagged saip:asset = models, or named by an alias ending in "/models" (PlatformKey purpose "models"). */
export function isModelKey(key: TfResource): boolean {
  const tag = resolve(key, firstBlock(key.body.tags)?.["saip:asset"]);
  if (tag.state === "known" && tag.value === "models") return true;
  return attached(key, "aws_kms_alias", "target_key_id").some((alias) => {
    const name = valueAt(alias, "name");
    return name.state === "known" && typeof name.value === "string" && name.value.endsWith("/models");
  });
}

type Pin = { kind: "pinned" } | { kind: "none" } | { kind: "bad"; why: string } | { kind: "unknown"; why: string };

/** Whether a statement's Condition pins an enclave measurement with an exact match to a production value. */
function pinnedMeasurement(source: TfResource, condition: Json | undefined): Pin {
  let pinned = false;
  for (const [operator, block] of Object.entries(isObject(condition) ? condition : {})) {
    if (!isObject(block) || !PINNING.includes(operator.toLowerCase())) continue;
    for (const [key, raw] of Object.entries(block)) {
      if (!MEASURED.test(key)) continue;
      const values = knownStrings(source, raw);
      if (!values) return { kind: "unknown", why: `${operator} ${key} is ${describe(resolve(source, raw))}` };
      if (values.length === 0) return { kind: "bad", why: `${operator} ${key} has no value` };
      for (const value of values) {
        if (!SHA384.test(value))
          return { kind: "bad", why: `${operator} ${key} is "${value}", not a SHA-384 measurement of 96 hexadecimal characters` };
        if (/^0+$/.test(value)) return { kind: "bad", why: `${operator} ${key} is all zeros, the value every debug-mode enclave reports` };
      }
      pinned = true;
    }
  }
  return pinned ? { kind: "pinned" } : { kind: "none" };
}

/** An unconditional Deny of `action` to everyone, which no Allow can outweigh. */
function deniedToAll(statements: readonly LocatedStatement[], action: string): boolean {
  return statements.some(
    ({ statement, source }) =>
      isEffect(statement, "Deny") &&
      statement.Condition === undefined &&
      principalIsWildcard(statement.Principal) &&
      coversAction(source, statement, action) === true,
  );
}

export const kmsModelKeyAttestation: Rule = {
  id: "aws-kms-model-key-attestation",
  title: "Model keys decrypt only for a Nitro Enclave that attests a pinned measurement",
  requirements: ["AICP-ASSET-02"],
  severity: "mandatory",
  // A module may run enclaves for other work while its models are served outside them; that choice is recorded as a waiver.
  waivable: true,
  appliesTo: ["aws_kms_key"],
  remediation:
    "Allow kms:Decrypt on the model key only with a StringEqualsIgnoreCase condition on kms:RecipientAttestation:ImageSha384 or PCRn (PlatformKey with enclaveAttestation writes it and refuses other decrypt grants).",
  examples: {
    good: [
      `
      resource "aws_launch_template" "enclave" {
        name = "enclave"
        enclave_options {
          enabled = true
        }
      }

      resource "aws_kms_key" "models" {
        enable_key_rotation = true
        tags                = { "saip:asset" = "models" }
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [
            {
              Sid       = "Admins"
              Effect    = "Allow"
              Principal = { AWS = "arn:aws:iam::111122223333:role/key-admin" }
              Action    = ["kms:Describe*", "kms:Put*", "kms:Delete*"]
              Resource  = "*"
            },
            {
              Sid       = "Enclave"
              Effect    = "Allow"
              Principal = { AWS = "arn:aws:iam::111122223333:role/enclave-parent" }
              Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
              Resource  = "*"
              Condition = { StringEqualsIgnoreCase = { "kms:RecipientAttestation:ImageSha384" = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1" } }
            }
          ]
        })
      }
    `,
    ],
    bad: [
      `
      resource "aws_launch_template" "enclave" {
        name = "enclave"
        enclave_options {
          enabled = true
        }
      }

      resource "aws_kms_key" "models" {
        enable_key_rotation = true
        tags                = { "saip:asset" = "models" }
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [
            {
              Sid       = "Admins"
              Effect    = "Allow"
              Principal = { AWS = "arn:aws:iam::111122223333:role/key-admin" }
              Action    = ["kms:Describe*", "kms:Put*", "kms:Delete*"]
              Resource  = "*"
            },
            {
              Sid       = "Enclave"
              Effect    = "Allow"
              Principal = { AWS = "arn:aws:iam::111122223333:role/enclave-parent" }
              Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
              Resource  = "*"
              Condition = { StringEqualsIgnoreCase = { "kms:RecipientAttestation:ImageSha384" = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1" } }
            },
            {
              Sid       = "Server"
              Effect    = "Allow"
              Principal = { AWS = "arn:aws:iam::111122223333:role/server" }
              Action    = "kms:Decrypt"
              Resource  = "*"
            }
          ]
        })
      }
    `,
    ],
  },
  applies: (key) => moduleRunsEnclaves(key.module) && isModelKey(key),
  check(key) {
    // A separate aws_kms_key_policy replaces the key's own policy, so both are read.
    const sources = everyKeyPolicySource(key);
    if (sources.length === 0)
      return fail("policy is not set: the default key policy lets the account's IAM policies decrypt without attestation");
    const { statements, unreadable } = readPolicies(sources);
    const problems: string[] = [];
    const open: Outcome[] = [...unreadable];
    const attested: string[] = [];
    const reEncryptDenied = deniedToAll(statements, "kms:ReEncryptFrom");
    for (const { statement, source, label } of statements) {
      if (!isEffect(statement, "Allow")) continue;
      const who = JSON.stringify(statement.Principal ?? statement.NotPrincipal ?? null);
      const decrypt = coversAction(source, statement, "kms:Decrypt");
      const reEncrypt = coversAction(source, statement, "kms:ReEncryptFrom");
      if (decrypt === "unknown" || reEncrypt === "unknown") {
        open.push(
          unresolved(`${label} has Action ${JSON.stringify(statement.Action ?? statement.NotAction)}, which is not known before apply`),
        );
        continue;
      }
      // ReEncryptFrom takes no attestation and re-wraps the data under a key without one.
      if (reEncrypt && !reEncryptDenied)
        problems.push(`${label} allows kms:ReEncryptFrom to ${who}, which moves the data to a key without attestation`);
      if (!decrypt) continue;
      const pin = pinnedMeasurement(source, statement.Condition);
      if (pin.kind === "pinned") attested.push(label);
      else if (pin.kind === "none")
        problems.push(`${label} allows kms:Decrypt to ${who} without an exact kms:RecipientAttestation:ImageSha384 or PCR condition`);
      else if (pin.kind === "bad") problems.push(`${label}: ${pin.why}`);
      else open.push(unresolved(`${label}: ${pin.why}`));
    }
    if (problems.length > 0) return fail(problems.join("; "));
    if (open.length > 0) return open[0];
    if (attested.length === 0)
      return fail("no statement allows kms:Decrypt for an attested enclave, so the model key cannot be used inside one");
    return pass(`kms:Decrypt is allowed only with a pinned enclave measurement (${attested.join(", ")})`);
  },
};
