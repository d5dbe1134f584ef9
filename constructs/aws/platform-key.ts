import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { dependable, ITerraformDependable, Lazy } from "cdktf";
import { Construct } from "constructs";
import { attestedKeyStatements, EnclaveAttestationGrant } from "./attestation";
import { AwsContext } from "./aws-context";
import { Grant, Grantee } from "./grantee";
import { IPlatformKey, ImportedPlatformKey } from "./imported-key";
import {
  actionMatches,
  KEY_ACCOUNT_READ_ACTIONS,
  KEY_ADMIN_ACTIONS,
  KEY_DECRYPT_ACTIONS,
  KEY_DESTRUCTIVE_ACTIONS,
  KEY_ENCRYPT_ACTIONS,
  KEY_ENCRYPT_DECRYPT_ACTIONS,
  PLAINTEXT_ACTIONS,
} from "./key-actions";
import { PolicyDocument, PolicyStatement } from "./policy-document";

export {
  KEY_ACCOUNT_READ_ACTIONS,
  KEY_ADMIN_ACTIONS,
  KEY_DECRYPT_ACTIONS,
  KEY_DESTRUCTIVE_ACTIONS,
  KEY_ENCRYPT_ACTIONS,
  KEY_ENCRYPT_DECRYPT_ACTIONS,
} from "./key-actions";
export type { IPlatformKey } from "./imported-key";

export const MIN_DELETION_WINDOW_DAYS = 14;

export interface PlatformKeyProps {
  /** What the key protects, e.g. "datasets"; names the alias `alias/<aliasPrefix>/<purpose>`. */
  readonly purpose: string;
  /**
   * Principals (IAM role or user ARNs) that administer the key: change its
   * policy, aliases, tags and rotation, never disable or delete it. Name the
   * deploying role among them: KMS refuses a new policy that would not let
   * its caller put the policy again (the lockout safety check). They outlive
   * the deploying identity, so nobody is locked out.
   */
  readonly administrators: string[];
  /**
   * The break-glass role: the only principal that may disable the key,
   * schedule its deletion or delete its aliases, and only in a session made
   * with MFA (aws:MultiFactorAuthPresent). It may administer the key too.
   * @default - nobody may disable or delete the key; its policy must be changed first
   */
  readonly breakGlassRoleArn?: string;
  /** Alias prefix shared by the platform's keys. @default "saip" */
  readonly aliasPrefix?: string;
  /** The key's description. @default "Protects <purpose> of the AI platform" */
  readonly description?: string;
  /** Days between scheduling deletion and deletion; at least 14. @default 30 */
  readonly deletionWindowInDays?: number;
  /** Days between automatic rotations (90 to 2560). @default 365 */
  readonly rotationPeriodInDays?: number;
  /** Tags for the key. @default - none */
  readonly tags?: Record<string, string>;
  /**
   * Makes the key decrypt only for Nitro Enclaves that attest these
   * measurements, through the named parent-instance roles: nobody, including
   * administrators and AWS services, gets plaintext outside the measured
   * enclave, and `grantDecrypt` / `grantEncryptDecrypt` refuse. Writers use
   * `grantEncrypt`. @default - no attestation required
   */
  readonly enclaveAttestation?: EnclaveAttestationGrant;
}

/**
 * A customer-managed KMS key for one asset class: rotation always on, a
 * deletion window of at least 14 days, and a key policy that allows only
 * named principals. Administrators manage the key but cannot use, disable or
 * delete it; the break-glass role, with MFA, is the only one who may disable
 * or delete it. The account's IAM may only read the key's metadata (and use it
 * through a service where a statement says so): no IAM administrator can
 * rewrite its policy, and only principals granted through `grant*` can
 * encrypt or decrypt. An attested key (`enclaveAttestation`) decrypts only for a
 * measured Nitro Enclave and denies plaintext to everyone else.
 */
export class PlatformKey extends Construct implements IPlatformKey {
  readonly keyArn: string;
  readonly keyId: string;
  readonly aliasName: string;
  readonly purpose: string;
  /** The only principal that may disable or delete the key, with MFA; undefined when nobody may. */
  readonly breakGlassRoleArn?: string;
  /** True when the key decrypts only inside an attested enclave (`enclaveAttestation`). */
  readonly attested: boolean;
  readonly imported = false;
  /** The key resource, for resources that must wait for its policy. */
  readonly resource: KmsKey;
  private readonly policy: PolicyDocument;

  /**
   * A key the landing zone already has, by its ARN (`PlatformKey.fromKeyArn`):
   * grants become inline policies on the grantee's role, and what the check
   * cannot see of the key is reported as assumed. `purpose` names the policies.
   */
  static fromKeyArn(scope: Construct, id: string, keyArn: string, purpose = "imported"): IPlatformKey {
    return new ImportedPlatformKey(scope, id, keyArn, purpose);
  }

  constructor(scope: Construct, id: string, props: PlatformKeyProps) {
    super(scope, id);
    const deletionWindow = props.deletionWindowInDays ?? 30;
    if (!Number.isInteger(deletionWindow) || deletionWindow < MIN_DELETION_WINDOW_DAYS || deletionWindow > 30) {
      throw new Error(
        `${this.node.path}: deletionWindowInDays must be a whole number from ${MIN_DELETION_WINDOW_DAYS} to 30, got ${deletionWindow}.`,
      );
    }
    const rotation = props.rotationPeriodInDays ?? 365;
    if (!Number.isInteger(rotation) || rotation < 90 || rotation > 2560) {
      throw new Error(`${this.node.path}: rotationPeriodInDays must be a whole number from 90 to 2560, got ${rotation}.`);
    }
    if (props.administrators.length === 0) {
      throw new Error(`${this.node.path}: administrators must name at least one key administrator principal.`);
    }
    if (!/^[a-z0-9-]+$/.test(props.purpose)) {
      throw new Error(`${this.node.path}: purpose must be lower-case letters, digits and dashes, got '${props.purpose}'.`);
    }
    this.purpose = props.purpose;
    const context = AwsContext.of(this);
    this.breakGlassRoleArn = props.breakGlassRoleArn;
    this.policy = new PolicyDocument([
      { Sid: "KeyAdministrators", Effect: "Allow", Principal: { AWS: props.administrators }, Action: KEY_ADMIN_ACTIONS, Resource: "*" },
      ...(props.breakGlassRoleArn
        ? [
            {
              Sid: "BreakGlassWithMfa",
              Effect: "Allow" as const,
              Principal: { AWS: props.breakGlassRoleArn },
              Action: [...KEY_ADMIN_ACTIONS, ...KEY_DESTRUCTIVE_ACTIONS],
              Resource: "*",
              // A role session carries aws:MultiFactorAuthPresent only when AssumeRole was called with an MFA code.
              Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
            },
          ]
        : []),
      {
        Sid: "AccountReadsMetadata",
        Effect: "Allow",
        Principal: { AWS: context.accountRootArn },
        Action: KEY_ACCOUNT_READ_ACTIONS,
        Resource: "*",
      },
    ]);
    this.attested = props.enclaveAttestation !== undefined;
    if (props.enclaveAttestation) {
      attestedKeyStatements(this, props.enclaveAttestation).forEach((s) => this.policy.addStatement(s));
    }

    const key = (this.resource = new KmsKey(this, "Resource", {
      description: props.description ?? `Protects ${props.purpose} of the AI platform`,
      enableKeyRotation: true,
      rotationPeriodInDays: rotation,
      deletionWindowInDays: deletionWindow,
      policy: Lazy.stringValue({ produce: () => this.policy.toJson() }),
      tags: props.tags,
    }));
    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.aliasName = `alias/${props.aliasPrefix ?? "saip"}/${props.purpose}`;
    new KmsAlias(this, "Alias", { name: this.aliasName, targetKeyId: key.keyId });
  }

  /** Lets a role or user decrypt with the key (read data it protects). Refused on an attested key. */
  grantDecrypt(grantee: Grantee, sid = `Decrypt${this.policySuffix()}`): Grant {
    return this.grantInPolicy({
      Sid: sid,
      Effect: "Allow",
      Principal: { AWS: grantee.roleArn },
      Action: KEY_DECRYPT_ACTIONS,
      Resource: "*",
    });
  }

  /** Lets a role or user encrypt and decrypt with the key (read and write data it protects). Refused on an attested key. */
  grantEncryptDecrypt(grantee: Grantee, sid = `EncryptDecrypt${this.policySuffix()}`): Grant {
    return this.grantInPolicy({
      Sid: sid,
      Effect: "Allow",
      Principal: { AWS: grantee.roleArn },
      Action: KEY_ENCRYPT_DECRYPT_ACTIONS,
      Resource: "*",
    });
  }

  /**
   * Lets a role or user write data under the key without reading any
   * (KEY_ENCRYPT_ACTIONS). On an attested key this is how model publishers
   * wrap their data keys for the enclave.
   */
  grantEncrypt(grantee: Grantee, sid = `Encrypt${this.policySuffix()}`): Grant {
    return this.grantInPolicy({
      Sid: sid,
      Effect: "Allow",
      Principal: { AWS: grantee.roleArn },
      Action: KEY_ENCRYPT_ACTIONS,
      Resource: "*",
    });
  }

  /** A grant written into the key policy: the key resource carries it, so depending on the key waits for it. */
  private grantInPolicy(statement: PolicyStatement): Grant {
    this.addToPolicy(statement);
    return new Grant([statement], [], [this.resource]);
  }

  /** Adds a statement to the key policy, for service principals and conditions the grant methods do not cover. */
  addToPolicy(statement: PolicyStatement): void {
    this.assertNamedPrincipal(statement);
    this.assertNoPlaintextOutsideEnclave(statement);
    this.policy.addStatement(statement);
  }

  /** On an attested key, no statement besides the enclave's may allow an action that yields plaintext. */
  private assertNoPlaintextOutsideEnclave(statement: PolicyStatement): void {
    if (!this.attested || statement.Effect !== "Allow") return;
    const patterns = [statement.Action].flat();
    const exposed = PLAINTEXT_ACTIONS.filter((action) => patterns.some((pattern) => actionMatches(pattern, action)));
    if (exposed.length > 0) {
      const principal = JSON.stringify(statement.Principal);
      throw new Error(
        `${this.node.path}: the key is attested (enclaveAttestation), so ${principal} cannot be allowed ${exposed.join(" and ")}: it decrypts only inside the measured enclave. Use grantEncrypt for writers.`,
      );
    }
  }

  private assertNamedPrincipal(statement: PolicyStatement): void {
    const principal = statement.Principal;
    if (principal === "*" || (principal && "AWS" in principal && [principal.AWS].flat().includes("*"))) {
      throw new Error(`${this.node.path}: key policy statements must name their principals; '*' is not allowed.`);
    }
  }

  /**
   * Lets an AWS service use the key, once per Sid however many constructs ask
   * (several log groups share the logs key, for instance).
   */
  allowService(statement: PolicyStatement & { Sid: string; Principal: { Service: string | string[] } }): void {
    this.assertNoPlaintextOutsideEnclave(statement);
    this.policy.addStatementOnce(statement);
  }

  /** Adds a statement once per Sid, for statements several constructs sharing the key ask for. */
  addToPolicyOnce(statement: PolicyStatement & { Sid: string }): void {
    this.assertNamedPrincipal(statement);
    this.assertNoPlaintextOutsideEnclave(statement);
    this.policy.addStatementOnce(statement);
  }

  /**
   * Orders the key after resources its policy names, such as a service-linked
   * role the platform creates: KMS rejects a policy naming a missing principal.
   */
  dependOn(...dependencies: ITerraformDependable[]): void {
    const fresh = dependencies.filter((d) => !this.dependencies.includes(d));
    if (fresh.length === 0) return;
    this.dependencies.push(...fresh);
    const key = this.resource;
    key.dependsOn = [...(key.dependsOn ?? []), ...fresh.map(dependable)];
  }

  private readonly dependencies: ITerraformDependable[] = [];

  /**
   * Lets a role create grants on the key for AWS resources only (AWS Backup,
   * EBS and EFS use the key through such grants).
   */
  grantAwsResourceGrants(grantee: Grantee, sid = `AwsResourceGrants${this.policySuffix()}`): Grant {
    return this.grantInPolicy({
      Sid: sid,
      Effect: "Allow",
      Principal: { AWS: grantee.roleArn },
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Resource: "*",
      Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
    });
  }

  private counter = 0;
  private policySuffix(): string {
    this.counter += 1;
    return String(this.counter);
  }

  /**
   * Lets a writer make data keys for envelope encryption (GenerateDataKey
   * returns a fresh key in plaintext and wrapped under this key), besides
   * what `grantEncrypt` gives. The plaintext is a new key only the writer
   * holds, never data this key already protects, so an attested key allows
   * it: a model publisher encrypts the weights locally with the plaintext and
   * stores the wrapped key beside them; only the measured enclave unwraps it.
   */
  grantEnvelopeEncrypt(grantee: Grantee, sid = `EnvelopeEncrypt${this.policySuffix()}`): Grant {
    return this.grantInPolicy({
      Sid: sid,
      Effect: "Allow",
      Principal: { AWS: grantee.roleArn },
      Action: [...KEY_ENCRYPT_ACTIONS, "kms:GenerateDataKey"],
      Resource: "*",
    });
  }
}
