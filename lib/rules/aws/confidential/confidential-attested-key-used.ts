import { fail, pass, Rule, unresolved } from "../../../compliance/rule";
import { isObject, Json, TfResource } from "../../../terraform/model";
import { isWholeInterpolation } from "../../../terraform/values";
import { describe, isOutcome, policyStatements, principalIsWildcard, resolve, stringList, valueAt } from "../../helpers";
import { coversAction } from "../../policies/actions";
import { everyKeyPolicySource, isAccount, keyPolicySources } from "../../policies/key-access";
import { isEffect, LocatedStatement, readPolicies } from "../../policies/statements";

const ATTESTATION_KEY = /^kms:RecipientAttestation:/i;
const PINNING = ["stringequals", "stringequalsignorecase"];
/** Actions that put data under the key without an enclave: a writer needs one. */
const WRITE_ACTIONS = ["kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptTo"];

/** Whether a Condition names any kms:RecipientAttestation key (the statement then serves an enclave). */
function mentionsAttestation(condition: Json | undefined): boolean {
  return (
    isObject(condition) &&
    Object.values(condition).some((block) => isObject(block) && Object.keys(block).some((k) => ATTESTATION_KEY.test(k)))
  );
}

/** Whether a Condition requires an attested measurement with an exact match, as KMS's Nitro Enclaves condition keys are meant. */
function requiresAttestation(condition: Json | undefined): boolean {
  if (!isObject(condition)) return false;
  return Object.entries(condition).some(
    ([op, block]) => PINNING.includes(op.toLowerCase()) && isObject(block) && Object.keys(block).some((k) => ATTESTATION_KEY.test(k)),
  );
}

/** The AWS principals a statement names, as written. */
const awsPrincipals = (statement: LocatedStatement["statement"]): string[] =>
  isObject(statement.Principal) ? stringList(statement.Principal.AWS) : [];

type Verdict = { kind: "yes"; who: string } | { kind: "no"; why: string } | { kind: "unknown"; why: string };

/** Who a principal string is: a role of this module (followed), the account (delegation to IAM), or unknown. */
function principalRole(source: TfResource, text: string): TfResource | Verdict {
  if (isWholeInterpolation(text)) {
    const value = resolve(source, text);
    if (value.state === "reference" && value.target.type === "aws_iam_role") return value.target;
    if (value.state === "known" && typeof value.value === "string") return principalRole(source, value.value);
    return { kind: "unknown", why: `${text} is ${describe(value)}` };
  }
  if (isAccount(text))
    return { kind: "unknown", why: `${text} is the account, which leaves use of the key to IAM policies the key policy does not show` };
  // A literal role ARN of a role declared in this module is that role.
  const name = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(text)?.[1];
  const role = name
    ? source.module.ofType("aws_iam_role").find((r) => {
        const n = valueAt(r, "name");
        return n.state === "known" && n.value === name;
      })
    : undefined;
  return role ?? { kind: "unknown", why: `${text} is not a role declared here, so who can assume it is not known` };
}

/** Whether a role is a workload role pods can assume: EKS Pod Identity or IRSA (a web identity from an OIDC provider). */
function workloadRole(role: TfResource): Verdict {
  const trust = policyStatements(role, "assume_role_policy");
  if (isOutcome(trust)) return { kind: "unknown", why: `${role.address} ${trust.message}` };
  const allows = trust.filter((s) => isEffect(s, "Allow"));
  const services = allows.flatMap((s) => (isObject(s.Principal) ? stringList(s.Principal.Service) : []));
  for (const s of allows) {
    const principal = isObject(s.Principal) ? s.Principal : {};
    if (stringList(principal.Service).includes("pods.eks.amazonaws.com") && coversAction(role, s, "sts:AssumeRole") === true)
      return { kind: "yes", who: `${role.address} (EKS Pod Identity)` };
    const federated = stringList(principal.Federated);
    const oidc = federated.some(
      (f) =>
        /oidc-provider\//.test(f) ||
        (isWholeInterpolation(f) && resolve(role, f).state === "reference" && /aws_iam_openid_connect_provider/.test(f)),
    );
    if (oidc && coversAction(role, s, "sts:AssumeRoleWithWebIdentity") === true) return { kind: "yes", who: `${role.address} (IRSA)` };
  }
  if (services.includes("ec2.amazonaws.com"))
    return {
      kind: "no",
      why: `${role.address} is a node role (trusted by ec2.amazonaws.com), which pods cannot use with IMDS hop limit 1`,
    };
  return { kind: "no", why: `${role.address} is trusted by neither pods.eks.amazonaws.com nor an OIDC provider, so no pod can assume it` };
}

/** A models key whose attested Decrypt goes to `decrypter`: the pod's workload role (good) or the node role (bad). */
const attestedKeyExample = (decrypter: string) => `
      resource "aws_iam_role" "enclave" {
        name = "model-enclave"
        assume_role_policy = jsonencode({
          Version   = "2012-10-17"
          Statement = [{ Effect = "Allow", Principal = { Service = "pods.eks.amazonaws.com" }, Action = ["sts:AssumeRole", "sts:TagSession"] }]
        })
      }

      resource "aws_iam_role" "node" {
        name = "enclave-node"
        assume_role_policy = jsonencode({
          Version   = "2012-10-17"
          Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
        })
      }

      resource "aws_kms_key" "models" {
        enable_key_rotation = true
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [
            {
              Sid       = "Publisher"
              Effect    = "Allow"
              Principal = { AWS = "arn:aws:iam::111122223333:role/model-release" }
              Action    = ["kms:Encrypt", "kms:GenerateDataKey"]
              Resource  = "*"
            },
            {
              Sid       = "Enclave"
              Effect    = "Allow"
              Principal = { AWS = ${decrypter} }
              Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
              Resource  = "*"
              Condition = { StringEqualsIgnoreCase = { "kms:RecipientAttestation:ImageSha384" = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1" } }
            }
          ]
        })
      }
    `;

export const confidentialAttestedKeyUsed: Rule = {
  id: "aws-confidential-attested-key-used",
  title: "An attestation-gated key has a writer and a workload role that decrypts with attestation",
  requirements: ["AICP-ASSET-03"],
  severity: "mandatory",
  waivable: true,
  appliesTo: ["aws_kms_key"],
  effect:
    "Data can be put under the attested key by a named writer and read back by a pod's own role from inside a measured enclave, so the key protects something.",
  remediation:
    "Grant a named writer kms:Encrypt or kms:GenerateDataKey (PlatformKey.grantEnvelopeEncrypt), and allow kms:Decrypt with the attestation condition to a workload role trusted by pods.eks.amazonaws.com or an OIDC provider (attestation.workloads in the platform config), not a node role.",
  // Keys whose policy releases plaintext only to an attested enclave.
  examples: { good: [attestedKeyExample("aws_iam_role.enclave.arn")], bad: [attestedKeyExample("aws_iam_role.node.arn")] },

  applies: (key) => {
    const { statements } = readPolicies(everyKeyPolicySource(key)); /* either policy can make the key attested */
    return statements.some(
      ({ statement, source }) =>
        isEffect(statement, "Allow") && coversAction(source, statement, "kms:Decrypt") === true && mentionsAttestation(statement.Condition),
    );
  },
  check(key) {
    const { statements, unreadable } = readPolicies(policySources(key));
    if (unreadable.length > 0) return unreadable[0];
    const writers: string[] = [];
    const readers: string[] = [];
    const openWriters: string[] = [];
    const openReaders: string[] = [];
    const refused: string[] = [];
    // An unconditional Deny to everyone beats every Allow, grants included.
    const denied = (action: string) =>
      statements.some(
        ({ statement, source }) =>
          isEffect(statement, "Deny") &&
          statement.Condition === undefined &&
          principalIsWildcard(statement.Principal) &&
          coversAction(source, statement, action) === true,
      );
    const writable = WRITE_ACTIONS.filter((a) => !denied(a));
    for (const { statement, source, label } of statements) {
      if (!isEffect(statement, "Allow")) continue;
      const attested = mentionsAttestation(statement.Condition);
      const writes = writable.map((a) => coversAction(source, statement, a));
      const decrypts = coversAction(source, statement, "kms:Decrypt");
      if (writes.includes("unknown") || decrypts === "unknown") {
        const why = `${label} has Action ${JSON.stringify(statement.Action ?? statement.NotAction)}, which is not known before apply`;
        openWriters.push(why);
        openReaders.push(why);
        continue;
      }
      const principals = principalIsWildcard(statement.Principal) ? [] : awsPrincipals(statement);
      if (!attested && writes.includes(true)) {
        for (const text of principals) {
          const found = principalRole(source, text);
          // A literal role or user ARN names its writer even when the role is declared elsewhere.
          const unknown = "kind" in found && found.kind === "unknown" && (isAccount(text) || isWholeInterpolation(text));
          if (unknown) openWriters.push(`${label}: ${found.why}`);
          else writers.push(`${label} (${"kind" in found ? text : found.address})`);
        }
      }
      if (attested && decrypts === true && !denied("kms:Decrypt") && requiresAttestation(statement.Condition)) {
        for (const text of principals) {
          const found = principalRole(source, text);
          const verdict = "kind" in found ? found : workloadRole(found);
          if (verdict.kind === "yes") readers.push(verdict.who);
          else if (verdict.kind === "no") refused.push(verdict.why);
          else openReaders.push(`${label}: ${verdict.why}`);
        }
      }
    }
    const problems: string[] = [];
    const missingWriter = writers.length === 0;
    const missingReader = readers.length === 0;
    if (!missingWriter && !missingReader)
      return pass(`written by ${writers.join(", ")}; decrypted with attestation by ${readers.join(", ")}`);
    if (missingWriter && openWriters.length === 0)
      problems.push(
        "no principal may encrypt or make data keys under the key (kms:Encrypt, kms:GenerateDataKey*, kms:ReEncryptTo without an attestation condition), so nothing is ever protected by it",
      );
    if (missingReader && openReaders.length === 0) {
      problems.push(
        `no workload role may decrypt with attestation${refused.length ? `: ${refused.join("; ")}` : ": no statement allows kms:Decrypt with an exact kms:RecipientAttestation condition to a named role"}`,
      );
    }
    if (problems.length > 0) return fail(problems.join("; "));
    const open = [...(missingWriter ? openWriters : []), ...(missingReader ? openReaders : [])];
    return unresolved(`${missingWriter ? "no writer" : "no workload role that decrypts"} is known: ${[...new Set(open)].join("; ")}`);
  },
};

/** The key's policy in force: a separate aws_kms_key_policy replaces the inline one. */
const policySources = keyPolicySources;
