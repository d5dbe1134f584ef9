import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Token } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { recordAssumption } from "../../lib/compliance/construct-assumptions";
import { Grant, Grantee } from "./grantee";
import { IPlatformKey } from "./imported-key";
import { PolicyDocument, PolicyStatement } from "./policy-document";

/** Limits a grant to part of the bucket. */
export interface BucketGrantOptions {
  /**
   * Key prefix the grant covers, e.g. "fraud-models/": objects under it, and
   * listing only with it. Ends with "/" and has no wildcards.
   * @default - the whole bucket
   */
  readonly prefix?: string;
}

/** A private, KMS-encrypted bucket others read and write through grants: a `SecureBucket`, or one a landing zone has. */
export interface ISecureBucket extends IConstruct {
  readonly bucketName: string;
  readonly bucketArn: string;
  /** The key its objects are encrypted with; bucket grants grant its matching use. */
  readonly key: IPlatformKey;
  readonly purpose: string;
  /** Lets the grantee list and read objects, and decrypt them with the key. */
  grantRead(grantee: Grantee, options?: BucketGrantOptions): Grant;
  /** Lets the grantee read, write and delete current objects, and use the key both ways. */
  grantReadWrite(grantee: Grantee, options?: BucketGrantOptions): Grant;
}

/** What identifies a bucket that exists already. */
export interface SecureBucketAttributes {
  /** The bucket's name. */
  readonly bucketName: string;
  /** The key its default encryption uses (`PlatformKey.fromKeyArn` for a landing zone's key). */
  readonly key: IPlatformKey;
  /** What it holds, e.g. "feature-store"; names the grants' policies. */
  readonly purpose: string;
  /** The bucket's partition. @default "aws" */
  readonly partition?: string;
}

type Access = "Read" | "ReadWrite";

/** Whether a grant's prefix (undefined: the whole bucket) reaches objects under `pinned`. */
const reaches = (prefix: string | undefined, pinned: string) =>
  prefix === undefined || pinned.startsWith(prefix) || prefix.startsWith(pinned);

/** Checks a prefix given to a grant or a pin: one that ends with "/" and has no wildcards, or a token. */
export function validateObjectPrefix(scope: Construct, prefix: string): void {
  if (!Token.isUnresolved(prefix) && !(prefix.endsWith("/") && !/[*?]/.test(prefix))) {
    // A wildcard would widen the grant beyond the prefix; the "/" keeps "team-a/" from also covering "team-ab/".
    throw new Error(`${scope.node.path}: prefix must be a non-empty key prefix ending in "/" with no wildcards (* or ?), got '${prefix}'.`);
  }
}

/**
 * The identity side of bucket access, the same for a platform bucket and an
 * imported one: an inline policy on the grantee's role, and the key's
 * matching grant (which goes to the key policy or, for an imported key, to
 * the role policy too). Each once per grantee, access and prefix.
 */
export class BucketGrants {
  private readonly granted = new Map<Grantee, Map<string, Grant>>();
  private readonly keyGrants = new Map<IPlatformKey, Map<Grantee, Map<Access, Grant>>>();
  /** The prefix of every grant made (undefined: the whole bucket), for pins that come too late. */
  private readonly grantedPrefixes: Array<string | undefined> = [];
  /** Keys that encrypt the objects under a prefix instead of the bucket's key, by prefix. */
  private readonly prefixKeys = new Map<string, IPlatformKey>();

  constructor(
    private readonly scope: Construct,
    private readonly bucket: { readonly bucketArn: string; readonly purpose: string; readonly key: IPlatformKey },
  ) {}

  grant(grantee: Grantee, access: Access, prefix?: string): Grant {
    if (prefix !== undefined) validateObjectPrefix(this.scope, prefix);
    const done = this.granted.get(grantee) ?? new Map<string, Grant>();
    this.granted.set(grantee, done);
    const grantKey = `${access}:${prefix ?? ""}`;
    const known = done.get(grantKey);
    if (known) return known;
    const keyGrants = this.keysFor(prefix).map((key) => this.keyGrant(key, grantee, access));
    const rolePolicy = this.rolePolicy(grantee, access, prefix);
    const grant = Grant.combine(new Grant([], [rolePolicy], [rolePolicy]), ...keyGrants);
    done.set(grantKey, grant);
    this.grantedPrefixes.push(prefix);
    return grant;
  }

  /**
   * Has objects under `prefix` encrypted with `key`: grants within the prefix get that key only, grants that reach
   * it (the whole bucket, a shorter prefix) get it beside the bucket's. Before any grant that reaches the prefix.
   */
  pinPrefix(prefix: string, key: IPlatformKey): void {
    validateObjectPrefix(this.scope, prefix);
    if (Token.isUnresolved(prefix)) throw new Error(`${this.scope.node.path}: a pinned prefix must be known at synth, got a token.`);
    if (key === this.bucket.key) throw new Error(`${this.scope.node.path}: the key pinned to '${prefix}' is the bucket's own key.`);
    const overlapping = [...this.prefixKeys.keys()].find((p) => p.startsWith(prefix) || prefix.startsWith(p));
    if (overlapping !== undefined)
      throw new Error(`${this.scope.node.path}: prefix '${prefix}' overlaps '${overlapping}', which has a key of its own already.`);
    const early = this.grantedPrefixes.some((granted) => reaches(granted, prefix));
    if (early) throw new Error(`${this.scope.node.path}: pin '${prefix}' to its key before granting access that reaches it.`);
    this.prefixKeys.set(prefix, key);
  }

  /** The prefixes with keys of their own, and their keys. */
  get pinnedPrefixes(): ReadonlyMap<string, IPlatformKey> {
    return this.prefixKeys;
  }

  /** The keys that encrypt what a grant reaches: a pinned prefix's key alone within it, else the bucket's and the pins' it reaches. */
  private keysFor(prefix?: string): IPlatformKey[] {
    const within = [...this.prefixKeys].find(([pinned]) => prefix !== undefined && prefix.startsWith(pinned));
    if (within) return [within[1]];
    return [this.bucket.key, ...[...this.prefixKeys].filter(([pinned]) => reaches(prefix, pinned)).map(([, key]) => key)];
  }

  /** A key decrypts every prefix alike, so each grantee is granted each key once per access. */
  private keyGrant(key: IPlatformKey, grantee: Grantee, access: Access): Grant {
    const byGrantee = this.keyGrants.get(key) ?? new Map<Grantee, Map<Access, Grant>>();
    this.keyGrants.set(key, byGrantee);
    const byAccess = byGrantee.get(grantee) ?? new Map<Access, Grant>();
    byGrantee.set(grantee, byAccess);
    const grant = byAccess.get(access) ?? (access === "Read" ? key.grantDecrypt(grantee) : key.grantEncryptDecrypt(grantee));
    byAccess.set(access, grant);
    return grant;
  }

  private rolePolicy(grantee: Grantee, access: Access, prefix?: string): IamRolePolicy {
    const { bucketArn, purpose } = this.bucket;
    const objectActions =
      access === "Read" ? [] : ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"];
    // Listing in-progress uploads shows every key in the bucket, so a grant limited to a prefix leaves it out.
    const bucketActions = access === "ReadWrite" && prefix === undefined ? ["s3:ListBucketMultipartUploads"] : [];
    // `ReadTrainingRole` reads well in the JSON; a number keeps ids unique otherwise.
    const named = `${access}${Construct.isConstruct(grantee) ? grantee.node.id : ""}`;
    const id = named === access || this.scope.node.tryFindChild(named) ? `${named}${this.scope.node.children.length}` : named;
    const statements: PolicyStatement[] =
      prefix === undefined
        ? [
            {
              Sid: "ListBucket",
              Effect: "Allow",
              Action: ["s3:ListBucket", "s3:GetBucketLocation", ...bucketActions],
              Resource: bucketArn,
            },
            { Sid: "Objects", Effect: "Allow", Action: ["s3:GetObject*", ...objectActions], Resource: `${bucketArn}/*` },
          ]
        : [
            { Sid: "BucketLocation", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: bucketArn },
            // Listing is allowed only for requests that ask for keys under the prefix.
            {
              Sid: "ListPrefix",
              Effect: "Allow",
              Action: "s3:ListBucket",
              Resource: bucketArn,
              Condition: { StringLike: { "s3:prefix": [`${prefix}*`] } },
            },
            { Sid: "PrefixObjects", Effect: "Allow", Action: ["s3:GetObject*", ...objectActions], Resource: `${bucketArn}/${prefix}*` },
          ];
    return new IamRolePolicy(this.scope, id, {
      role: grantee.roleName,
      namePrefix: `${purpose}-bucket-${access.toLowerCase()}-`,
      policy: new PolicyDocument(statements).toJson(),
    });
  }
}

/**
 * A bucket a landing zone already has, by name. Its policy, encryption and
 * logging are its owner's: the check cannot see them, so they are reported
 * as assumed. Grants are written to the grantee's role and the key.
 */
export class ImportedSecureBucket extends Construct implements ISecureBucket {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly key: IPlatformKey;
  readonly purpose: string;
  private readonly grants: BucketGrants;

  constructor(scope: Construct, id: string, attributes: SecureBucketAttributes) {
    super(scope, id);
    if (Token.isUnresolved(attributes.bucketName) || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(attributes.bucketName)) {
      throw new Error(
        `${this.node.path}: bucketName must be an S3 bucket name known at synth (3 to 63 lower-case letters, digits, '.' and '-'), got '${attributes.bucketName}'.`,
      );
    }
    if (!/^[a-z0-9-]+$/.test(attributes.purpose))
      throw new Error(`${this.node.path}: purpose must be lower-case letters, digits and dashes, got '${attributes.purpose}'.`);
    this.bucketName = attributes.bucketName;
    this.bucketArn = `arn:${attributes.partition ?? "aws"}:s3:::${attributes.bucketName}`;
    this.key = attributes.key;
    this.purpose = attributes.purpose;
    this.grants = new BucketGrants(this, this);
    recordAssumption(
      this,
      `existing S3 bucket ${attributes.bucketName}`,
      `default encryption with ${attributes.key.keyArn}, versioning, public access blocked, ACLs off, TLS only, and server access logging`,
    );
  }

  grantRead(grantee: Grantee, options: BucketGrantOptions = {}): Grant {
    return this.grants.grant(grantee, "Read", options.prefix);
  }

  grantReadWrite(grantee: Grantee, options: BucketGrantOptions = {}): Grant {
    return this.grants.grant(grantee, "ReadWrite", options.prefix);
  }
}
