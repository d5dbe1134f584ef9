import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Token } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { recordAssumption } from "../../lib/compliance/construct-assumptions";
import { Grant, Grantee } from "./grantee";
import { KEY_DECRYPT_ACTIONS, KEY_ENCRYPT_ACTIONS, KEY_ENCRYPT_DECRYPT_ACTIONS } from "./key-actions";
import { PolicyDocument, PolicyStatement } from "./policy-document";

/**
 * A KMS key others encrypt with: the platform's own `PlatformKey`, or a key
 * a landing zone already has (`PlatformKey.fromKeyArn`). Every grant takes a
 * grantee and returns what it created.
 */
export interface IPlatformKey extends IConstruct {
  readonly keyArn: string;
  /** What the key protects ("datasets"); names policies and tags. */
  readonly purpose: string;
  /** True when the key decrypts only inside an attested enclave. */
  readonly attested: boolean;
  /** True for a key brought in by ARN: its policy is not the platform's, so grants go to the grantee's role policy. */
  readonly imported: boolean;
  /** Lets the grantee decrypt with the key (read data it protects). */
  grantDecrypt(grantee: Grantee, sid?: string): Grant;
  /** Lets the grantee encrypt and decrypt with the key. */
  grantEncryptDecrypt(grantee: Grantee, sid?: string): Grant;
  /** Lets the grantee write data under the key without reading any. */
  grantEncrypt(grantee: Grantee, sid?: string): Grant;
  /** Lets the grantee make data keys for envelope encryption, besides what `grantEncrypt` gives. */
  grantEnvelopeEncrypt(grantee: Grantee, sid?: string): Grant;
  /** Lets the grantee create grants on the key for AWS resources only (AWS Backup, EBS, EFS). */
  grantAwsResourceGrants(grantee: Grantee, sid?: string): Grant;
}

/** `arn:<partition>:kms:<region>:<account>:key/<key id>`; an alias ARN is refused, since S3 and the bucket policy compare key ARNs. */
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(?:mrk-)?[0-9a-f-]{32,36}$/;

/**
 * A key that exists already, used by ARN. Its key policy belongs to whoever
 * made it and cannot be edited from here, so each grant is an inline policy
 * on the grantee's role with the key as its resource. That takes effect only
 * if the key policy lets this account's IAM policies grant use of the key
 * (the statement for the account's root that AWS's default key policy has):
 * "IAM policies by themselves are not sufficient to allow access to a KMS
 * key" (AWS KMS developer guide, "Key policies in AWS KMS"). The check
 * cannot see the key, so that, its rotation and its deletion window are
 * reported as assumed. Statements for AWS service principals would have to
 * be in the key policy, so asking for one fails.
 */
export class ImportedPlatformKey extends Construct implements IPlatformKey {
  readonly keyArn: string;
  readonly keyId: string;
  readonly purpose: string;
  readonly attested = false;
  readonly imported = true;
  private readonly granted = new Map<string, Grant>();

  constructor(scope: Construct, id: string, keyArn: string, purpose: string) {
    super(scope, id);
    if (Token.isUnresolved(keyArn) || !KEY_ARN.test(keyArn)) {
      throw new Error(
        `${this.node.path}: keyArn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key id>) known at synth, got '${keyArn}'.`,
      );
    }
    if (!/^[a-z0-9-]+$/.test(purpose))
      throw new Error(`${this.node.path}: purpose must be lower-case letters, digits and dashes, got '${purpose}'.`);
    this.keyArn = keyArn;
    this.keyId = keyArn.slice(keyArn.lastIndexOf("/") + 1);
    this.purpose = purpose;
    recordAssumption(
      this,
      `existing KMS key ${keyArn}`,
      "rotation on, a deletion window of at least 14 days, no wildcard principal, and a key policy that lets this account's IAM policies grant its use",
    );
  }

  grantDecrypt(grantee: Grantee, sid = "Decrypt"): Grant {
    return this.grantActions(grantee, sid, KEY_DECRYPT_ACTIONS);
  }

  grantEncryptDecrypt(grantee: Grantee, sid = "EncryptDecrypt"): Grant {
    return this.grantActions(grantee, sid, KEY_ENCRYPT_DECRYPT_ACTIONS);
  }

  grantEncrypt(grantee: Grantee, sid = "Encrypt"): Grant {
    return this.grantActions(grantee, sid, KEY_ENCRYPT_ACTIONS);
  }

  grantEnvelopeEncrypt(grantee: Grantee, sid = "EnvelopeEncrypt"): Grant {
    return this.grantActions(grantee, sid, [...KEY_ENCRYPT_ACTIONS, "kms:GenerateDataKey"]);
  }

  grantAwsResourceGrants(grantee: Grantee, sid = "AwsResourceGrants"): Grant {
    return this.grantActions(grantee, sid, ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], {
      Bool: { "kms:GrantIsForAWSResource": true },
    });
  }

  /** Service principals are named only in a key policy, which an imported key's owner controls. */
  allowService(statement: PolicyStatement & { Sid: string }): never {
    throw new Error(
      `${this.node.path}: the key ${this.keyArn} was imported, so its key policy cannot be changed here to let ${JSON.stringify(statement.Principal)} use it (${statement.Sid}); use a platform key, or add the statement to the key's policy where the key is managed and pass a platform key here.`,
    );
  }

  /** One inline policy per grantee and Sid, with the key as its only resource. */
  private grantActions(grantee: Grantee, sid: string, actions: string[], condition?: PolicyStatement["Condition"]): Grant {
    const known = this.granted.get(`${sid} ${grantee.roleArn}`);
    if (known) return known;
    const id = `${sid}${Construct.isConstruct(grantee) ? grantee.node.id : this.granted.size + 1}`;
    const statement: PolicyStatement = {
      Sid: sid,
      Effect: "Allow",
      Action: actions,
      Resource: this.keyArn,
      ...(condition ? { Condition: condition } : {}),
    };
    const policy = new IamRolePolicy(this, id, {
      role: grantee.roleName,
      namePrefix: `${this.purpose}-key-${sid.toLowerCase()}-`.slice(0, 100),
      policy: new PolicyDocument([statement]).toJson(),
    });
    const grant = new Grant([], [policy], [policy]);
    this.granted.set(`${sid} ${grantee.roleArn}`, grant);
    return grant;
  }
}
